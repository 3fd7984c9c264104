package catalogue

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// registration is a record of the hh_register form (clearForm) that
// creates one household, its head's ID number and phone both in the
// record and among the entity's properties.
func registration(recordID, entityID, label, headID, phone string) wire.Record {
	obj := map[string]any{"head_name": label, "head_id": headID, "head_phone": phone,
		forms.EntitiesKey: []forms.EntityChange{create(entityID, label, map[string]string{"head_id": headID, "head_phone": phone})}}
	data, _ := json.Marshal(obj)
	sum := sha256.Sum256(data)
	return wire.Record{RecordID: recordID, VersionID: recordID + "-v1", FormID: "hh_register", FormVersion: "1",
		SHA256: hex.EncodeToString(sum[:]), Data: data, Collector: "王芳", CreatedAt: "2026-03-01T08:00:00Z"}
}

// GET /v1/export/entities applies the sharing rules of the list's
// defining form, as /v1/export applies them to its records: a reader gets
// nothing of a 不予共享 list (403) and a 有条件共享 list masked, only the
// entities of the reader's county; a reviewer with clearance asking for
// it gets the list in clear. Every export is in export_events, and the
// pseudonym beside the ID number is the one the record export gives the
// same person. On both backends.
func TestEntityExportOverHTTP(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db := openDB(t, w)
		if _, err := db.Publish(ctx, "hh_register.xlsx", clearForm(t), []string{"110105", "110106"}); err != nil {
			t.Fatal(err)
		}
		devA, devB := enrol(t, db, "110105001", "laptop-a"), enrol(t, db, "110106001", "laptop-b")
		const idA, phoneA, idB = "110105196805140036", "13811062547", "110106198001010012"
		send(t, db, devA, batch("a", devA, registration("r-a", hh1, "张三家", idA, phoneA)))
		send(t, db, devB, batch("b", devB, registration("r-b", hh2, "丰台户", idB, "13911062547")))

		tokens := map[string]string{"device": "token-laptop-a"}
		users := map[string]*wire.User{}
		for _, u := range []struct {
			name, role string
			clearance  bool
		}{{"reader", wire.RoleReader, false}, {"reviewer", wire.RoleReviewer, false}, {"reviewer+clearance", wire.RoleReviewer, true}} {
			usr, token, err := db.AddUser(ctx, u.name, u.role, "110105", u.clearance)
			if err != nil {
				t.Fatal(err)
			}
			tokens[u.name], users[u.name] = token, usr
		}
		srv := httptest.NewServer((&api.Server{Cat: db, Exports: db}).Handler())
		defer srv.Close()
		get := func(who, path, query string) (*http.Response, string) {
			t.Helper()
			return getWithToken(t, srv.URL+path+"?"+query, tokens[who])
		}
		entities := func(who, query string) (*http.Response, string) {
			t.Helper()
			return get(who, wire.EntityExportPath, query)
		}
		key, err := db.PseudonymKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pseudonymA := forms.NewPseudonymizer(key).Of(idA)

		// Not yet described, so 不予共享: the county's reviewers only.
		resp, body := entities("reader", "list=households&format=jsonl")
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "reviewers only") || strings.Contains(body, "张三") {
			t.Fatalf("a reader of a 不予共享 list: %d %s", resp.StatusCode, body)
		}
		resp, body = entities("reviewer", "list=households&format=jsonl")
		if resp.StatusCode != http.StatusOK || resp.Header.Get(wire.HeaderMasked) != "true" || strings.Contains(body, idA) {
			t.Fatalf("a reviewer of a 不予共享 list: %d %v %s", resp.StatusCode, resp.Header, body)
		}

		describeForm(t, db, "hh_register", resource.SharingConditional)
		// 有条件共享: a reader too, masked, only the reader's county.
		resp, body = entities("reader", "list=households&format=jsonl")
		sharing, _ := url.PathUnescape(resp.Header.Get(wire.HeaderSharing))
		var line struct {
			ID         string            `json:"id"`
			Properties map[string]string `json:"properties"`
		}
		if resp.StatusCode != http.StatusOK || sharing != resource.SharingConditional || resp.Header.Get(wire.HeaderMasked) != "true" ||
			resp.Trailer.Get(wire.HeaderRecords) != "1" || strings.Count(body, "\n") != 1 || json.Unmarshal([]byte(body), &line) != nil {
			t.Fatalf("a reader of a 有条件共享 list: %d %v %v %s", resp.StatusCode, resp.Header, resp.Trailer, body)
		}
		if line.ID != hh1 || line.Properties["head_id"] != "110105********0036" || line.Properties["head_phone"] != "138****2547" ||
			line.Properties["head_id_pseudonym"] != pseudonymA || strings.Contains(body, "丰台") || strings.Contains(body, idB) {
			t.Errorf("the reader's masked list, of the county only: %s", body)
		}
		if resp, body := entities("reader", "list=households&format=jsonl&clear=1"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a reader without clearance in clear: %d %s", resp.StatusCode, body)
		}

		// A reviewer with clearance who asks has it in clear.
		resp, body = entities("reviewer+clearance", "list=households&format=csv&clear=1")
		if resp.StatusCode != http.StatusOK || resp.Header.Get(wire.HeaderMasked) != "false" ||
			resp.Header.Get("Content-Disposition") != "attachment; filename=households.csv" ||
			!strings.Contains(body, "head_id,head_id_pseudonym,head_phone") || !strings.Contains(body, idA+","+pseudonymA+","+phoneA) ||
			strings.Contains(body, idB) {
			t.Fatalf("a cleared reviewer in clear: %d %v\n%s", resp.StatusCode, resp.Header, body)
		}
		// The record export gives the same person the same pseudonym.
		resp, body = get("reviewer+clearance", wire.ExportPath, "form=hh_register&format=jsonl")
		var rec map[string]any
		if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &rec) != nil || rec["head_id"] != idA || rec["head_id_pseudonym"] != pseudonymA {
			t.Fatalf("the record export: %d %s", resp.StatusCode, body)
		}
		// The laptop's client (fieldbench download --list) takes the same.
		var xlsx bytes.Buffer
		info, err := (&laptop.Client{BaseURL: srv.URL, Token: tokens["reviewer+clearance"]}).DownloadEntityExport(ctx, "households", "xlsx", false,
			func(*laptop.ExportInfo) (io.Writer, error) { return &xlsx, nil })
		if err != nil || info.Records != 1 || !info.Masked || info.File != "households.xlsx" || info.Sharing != resource.SharingConditional {
			t.Fatalf("DownloadEntityExport: %+v %v", info, err)
		}
		if rows := readBack(t, "xlsx", xlsx.String()); len(rows) != 2 || !strings.Contains(strings.Join(rows[1], ","), "110105********0036,"+pseudonymA) {
			t.Errorf("the downloaded xlsx: %q", rows)
		}

		for query, want := range map[string]int{"format=csv": 400, "list=households": 400, "list=households&format=pdf": 400,
			"list=households&format=csv&clear=maybe": 400, "list=nosuch&format=csv": 404} {
			if resp, body := entities("reviewer", query); resp.StatusCode != want {
				t.Errorf("%s: %d, want %d: %s", query, resp.StatusCode, want, body)
			}
		}
		if resp, _ := entities("device", "list=households&format=csv"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a laptop's token: %d", resp.StatusCode)
		}
		if resp, _ := entities("", "list=households&format=csv"); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("no token: %d", resp.StatusCode)
		}
		srv.Close()

		events, err := db.ExportEvents(ctx, "hh_register")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			if e.Remote == "" || e.FinishedAt.IsZero() || e.Failure != "" || e.Command != "" {
				t.Errorf("audit row: %+v", e)
			}
			got = append(got, strings.Join([]string{e.Format, e.File, e.UserID, e.Sharing, map[bool]string{true: "masked", false: "clear"}[e.Masked],
				strings.Repeat("+", e.Records)}, " "))
		}
		r, rv, rc := users["reader"].ID, users["reviewer"].ID, users["reviewer+clearance"].ID
		want := []string{
			"entities-jsonl households " + rv + " 不予共享 masked +",
			"entities-jsonl households " + r + " 有条件共享 masked +",
			"entities-csv households " + rc + " 有条件共享 clear +",
			"jsonl  " + rc + " 有条件共享 clear +",
			"entities-xlsx households " + rc + " 有条件共享 masked +",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
