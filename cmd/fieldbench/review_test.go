package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// The reviewer's commands say what is wrong and exit 2 when they cannot
// ask (no address or token, an unknown or revoked token, nothing
// listening), 1 when the catalogue refused (a reader, another county, no
// such record), and never store a refused review.
func TestReviewCommandRefusals(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		ctx := context.Background()
		dir := t.TempDir()
		laptopDB := filepath.Join(dir, "fb.db")
		run(t, "", append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...)
		_, out, _ := run(t, "", append([]string{"catalogue", "device", "add", "--township", "110105"}, where...)...)
		enrolCode := strings.Fields(out)[len(strings.Fields(out))-1]
		cat := openCatalogueAt(t, where)
		server := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition}).Handler())
		defer server.Close()
		run(t, "", "forms", "add", "--db", laptopDB, household)
		run(t, "", "import", "--db", laptopDB, "--form", "household_visit", "../../testdata/forms/household_visit.jsonl")
		run(t, "", "enrol", "--db", laptopDB, server.URL, enrolCode)
		if code, out, errs := run(t, "", "--sync", "--db", laptopDB); code != 0 {
			t.Fatalf("sync: %d %s%s", code, out, errs)
		}
		user := func(role, county string) string {
			_, token, err := cat.AddUser(ctx, "", role, county, false)
			if err != nil {
				t.Fatal(err)
			}
			return token
		}
		reviewer, other, reader := user(wire.RoleReviewer, "110105"), user(wire.RoleReviewer, "110108"), user(wire.RoleReader, "110105")
		page, err := (&laptop.Client{BaseURL: server.URL, Token: reviewer}).ReviewList(ctx, wire.ReviewFilter{})
		if err != nil || len(page.Records) != 5 {
			t.Fatalf("the reviewer's list: %+v %v", page, err)
		}
		record := page.Records[0].RecordID
		review := func(token string, args ...string) (int, string, string) {
			return run(t, "", append(append([]string{"review"}, args...), "--url", server.URL, "--token", token)...)
		}
		for _, c := range []struct {
			name  string
			code  int
			says  string
			token string
			args  []string
		}{
			{"no token", exitUnusable, "FIELDBENCH_TOKEN", "", []string{"list"}},
			{"an unknown token", exitUnusable, "does not know this token", "f00d", []string{"list"}},
			{"a bad state", exitUnusable, `--state "done"`, reviewer, []string{"set", record, "--state", "done", "--comment", "x"}},
			{"a bad listing state", exitUnusable, `--state "done"`, reviewer, []string{"list", "--state", "done"}},
			{"no record", exitUnusable, "usage", reviewer, []string{"set", "--state", "approved"}},
			{"a reader", exitRejected, "is a reader", reader, []string{"set", record, "--state", "approved"}},
			{"another county", exitRejected, "record " + record + ": not found", other, []string{"set", record, "--state", "approved"}},
			{"no such record", exitRejected, "not found", reviewer, []string{"show", "no-such-record"}},
			{"a rejection without a comment", exitRejected, "comment must say", reviewer, []string{"set", record, "--state", "rejected"}},
			{"a rejection with invisible characters only", exitRejected, "only spaces or invisible characters", reviewer, []string{"set", record, "--state", "rejected", "--comment", "\u200b\u3000 \u2060"}},
		} {
			if code, _, errs := review(c.token, c.args...); code != c.code || !strings.Contains(errs, c.says) ||
				strings.Contains(errs, "refused: refused") || strings.Contains(errs, "not allowed: not allowed") {
				t.Errorf("%s: exit %d, want %d saying %q (once):\n%s", c.name, code, c.code, c.says, errs)
			}
		}
		// The refusal in the person's language, the catalogue's detail after it.
		if code, _, errs := runEnv(map[string]string{"LANG": "zh_CN.UTF-8"}, "", "review", "set", record, "--state", "rejected",
			"--url", server.URL, "--token", reviewer); code != exitRejected ||
			!strings.HasPrefix(errs, "fieldbench: 中心目录拒绝了这个请求（422）：a rejected record goes back to its collector") {
			t.Errorf("a rejection without a comment, in Chinese: exit %d\n%s", code, errs)
		}
		if code, _, errs := run(t, "", "review", "list", "--url", "http://127.0.0.1:1", "--token", reviewer); code != exitUnusable || !strings.Contains(errs, "cannot be reached") {
			t.Errorf("nothing listening: %d %s", code, errs)
		}
		rec, err := cat.ReviewRecord(ctx, &wire.User{ID: "x", Role: wire.RoleReviewer, County: "110105"}, record, wire.ReviewView{})
		if err != nil || rec.Versions[0].Review != nil || len(rec.Versions[0].History) != 0 {
			t.Fatalf("a refused review was stored: %+v %v", rec, err)
		}
		// Paging: two records a page, the cursor printed with the way on.
		code, out, _ := review(reviewer, "list", "--limit", "2")
		if code != 0 || !strings.Contains(out, "2 records") || !strings.Contains(out, "more: fieldbench review list --after ") {
			t.Fatalf("first page:\n%s", out)
		}
		cursor := strings.Fields(out[strings.Index(out, "--after "):])[1]
		if code, out, _ := review(reviewer, "list", "--limit", "2", "--after", cursor); code != 0 || strings.Contains(out, record) || !strings.Contains(out, "2 records") {
			t.Fatalf("second page:\n%s", out)
		}
		if code, out, errs := review(reviewer, "set", record, "--state", "has-issues", "--comment", "门牌号\x1b[31m缺"); code != 0 || !strings.Contains(out, "has-issues by") || strings.Contains(out, "\x1b") {
			t.Fatalf("has-issues: %d %q %s", code, out, errs)
		}
	})
}

// review show marks the answers the catalogue says changed, which it finds
// on the clear data, so a change hidden by the mask (138****2547 in both
// versions) is still marked and --changed still lists it; a catalogue that
// says nothing (older) leaves show to compare what it got. --clear asks
// for clear data, and a refusal is shown with the catalogue's reason.
func TestReviewShowMarksWhatTheCatalogueSays(t *testing.T) {
	masked := func(changed string) string {
		return `{"record_id":"r1","form_id":"household_visit","township":"110105001","head_version":"v2","masked":true,"versions":[` +
			`{"version_id":"v1","form_version":"1","status":"accepted","data":{"head_name":"张**","head_phone":"138****2547","village":"花家地"}` + changed + `},` +
			`{"version_id":"v2","replaces":"v1","form_version":"1","status":"accepted","data":{"head_name":"张**","head_phone":"138****2547","village":"花家地北里"}` + changed + `}]}`
	}
	answer := ""
	var asked []string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.RawQuery)
		w.Header().Set(wire.ProtocolHeader, wire.ProtocolVersion)
		if r.URL.Query().Get("clear") == "1" {
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"error":"not allowed: user u1 has no clearance to see records in clear"}`))
			return
		}
		w.Write([]byte(answer))
	}))
	defer server.Close()
	show := func(args ...string) (int, string, string) {
		return run(t, "", append([]string{"review", "show", "r1", "--url", server.URL, "--token", "t"}, args...)...)
	}
	marked := func(out string) []string {
		var rows []string
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[0] == "*" {
				rows = append(rows, f[1])
			}
		}
		return rows
	}

	answer = strings.Replace(masked(`,"changed":[]`), `"花家地北里"}`+`,"changed":[]`, `"花家地北里"},"changed":["head_phone","village"]`, 1)
	code, out, errs := show()
	if got := marked(out); code != 0 || !slices.Equal(got, []string{"head_phone", "village"}) || !strings.Contains(out, "2 answers changed") ||
		!strings.Contains(out, "personal answers are masked") {
		t.Errorf("the catalogue's changes: exit %d, marked %q:\n%s%s", code, got, out, errs)
	}
	if code, out, _ := show("--changed"); code != 0 || strings.Contains(out, "head_name") || !strings.Contains(out, "138****2547") {
		t.Errorf("--changed:\n%s", out)
	}
	answer = masked("")
	if code, out, _ := show(); code != 0 || !slices.Equal(marked(out), []string{"village"}) {
		t.Errorf("an older catalogue's answer: marked %q:\n%s", marked(out), out)
	}
	code, out, errs = show("--clear")
	if code != exitRejected || !strings.Contains(errs, "no clearance") || strings.Contains(out, "138") {
		t.Errorf("--clear without clearance: exit %d\n%s%s", code, out, errs)
	}
	if want := []string{"", "", "", "clear=1"}; !slices.Equal(asked[:4], want) {
		t.Errorf("asked %q, want %q", asked, want)
	}
}
