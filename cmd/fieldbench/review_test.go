package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/sync"
)

// The reviewer's commands say what is wrong and exit 2 when they cannot
// ask (no address or token, an unknown or revoked token, nothing
// listening), 1 when the catalogue refused (a reader, another county, no
// such record), and never store a refused review.
func TestReviewCommandRefusals(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		ctx := context.Background()
		dir := t.TempDir()
		laptop := filepath.Join(dir, "fb.db")
		run(t, "", append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...)
		_, out, _ := run(t, "", append([]string{"catalogue", "device", "add", "--township", "110105"}, where...)...)
		enrolCode := strings.Fields(out)[len(strings.Fields(out))-1]
		cat := openCatalogueAt(t, where)
		server := httptest.NewServer((&sync.Server{Cat: cat, Form: cat.FormDefinition}).Handler())
		defer server.Close()
		run(t, "", "forms", "add", "--db", laptop, household)
		run(t, "", "import", "--db", laptop, "--form", "household_visit", "../../testdata/forms/household_visit.jsonl")
		run(t, "", "enrol", "--db", laptop, server.URL, enrolCode)
		if code, out, errs := run(t, "", "--sync", "--db", laptop); code != 0 {
			t.Fatalf("sync: %d %s%s", code, out, errs)
		}
		user := func(role, county string) string {
			_, token, err := cat.AddUser(ctx, "", role, county, false)
			if err != nil {
				t.Fatal(err)
			}
			return token
		}
		reviewer, other, reader := user(sync.RoleReviewer, "110105"), user(sync.RoleReviewer, "110108"), user(sync.RoleReader, "110105")
		page, err := (&sync.Client{BaseURL: server.URL, Token: reviewer}).ReviewList(ctx, sync.ReviewFilter{})
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
			if code, _, errs := review(c.token, c.args...); code != c.code || !strings.Contains(errs, c.says) {
				t.Errorf("%s: exit %d, want %d saying %q:\n%s", c.name, code, c.code, c.says, errs)
			}
		}
		if code, _, errs := run(t, "", "review", "list", "--url", "http://127.0.0.1:1", "--token", reviewer); code != exitUnusable || !strings.Contains(errs, "cannot be reached") {
			t.Errorf("nothing listening: %d %s", code, errs)
		}
		rec, err := cat.ReviewRecord(ctx, &sync.User{ID: "x", Role: sync.RoleReviewer, County: "110105"}, record)
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

// FuzzFlatten: whatever the catalogue sends, flatten neither panics nor
// lists a path twice, and every path it lists has its value.
func FuzzFlatten(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":"1","b":2,"c":true,"d":null}`, `{"m":[{"x":"1"},{"x":"2","y":[1,2]}]}`,
		`{"a/b":"1","a":{"b":"2"}}`, `[1,2]`, `"x"`, `{"a":`, `{"a":[}`, `{"a":1}garbage`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, vals, err := flatten(data)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, k := range keys {
			if seen[k] {
				t.Fatalf("%q listed twice: %q", k, keys)
			}
			seen[k] = true
			if _, ok := vals[k]; !ok {
				t.Fatalf("%q has no value", k)
			}
		}
		if len(vals) != len(keys) {
			t.Fatalf("%d values for %d paths", len(vals), len(keys))
		}
		var obj map[string]any
		if json.Unmarshal(data, &obj) == nil && hasAnswer(obj) && len(keys) == 0 {
			t.Fatalf("%s: an answer but no paths", data)
		}
	})
}

// hasAnswer reports whether decoded JSON holds a value that is not an
// object or an array.
func hasAnswer(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			if hasAnswer(e) {
				return true
			}
		}
		return false
	case []any:
		for _, e := range x {
			if hasAnswer(e) {
				return true
			}
		}
		return false
	}
	return true
}
