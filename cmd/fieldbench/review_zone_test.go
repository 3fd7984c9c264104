package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/when/whentest"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// A reviewer in UTC+8 reads the catalogue's times in Beijing time, as the
// collector's screens show them; `review show` used to print them in UTC.
func TestReviewShowsTimesInTheReadersZone(t *testing.T) {
	whentest.Shanghai(t)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(wire.ProtocolHeader, wire.ProtocolVersion)
		w.Write([]byte(`{"record_id":"r1","form_id":"household_visit","township":"110105001","head_version":"v1","masked":true,"versions":[` +
			`{"version_id":"v1","form_version":"1","status":"accepted","collector":"王芳","received_at":"2026-03-01T23:30:00.000000000Z",` +
			`"data":{"village":"花家地"},"review":{"state":"approved","reviewer":"李审核","at":"2026-03-02T00:05:00.000000000Z"}}]}`))
	}))
	defer server.Close()
	code, out, errs := run(t, "", "review", "show", "r1", "--url", server.URL, "--token", "t")
	if code != 0 || !strings.Contains(out, "received 2026-03-02 07:30") || !strings.Contains(out, "at 2026-03-02 08:05") || strings.Contains(out, "UTC") {
		t.Errorf("times not in Beijing time: exit %d\n%s%s", code, out, errs)
	}
}

// The catalogue's lists (users, laptops, exports) show their times as
// `review` does, in the reader's zone; they printed the stored UTC text.
func TestCatalogueListsShowTimesInTheReadersZone(t *testing.T) {
	beijing := whentest.Shanghai(t)
	where := catalogueAt(t, "sqlite")
	cmd := func(args ...string) string {
		t.Helper()
		code, out, errs := run(t, "", append(append([]string{"catalogue"}, args...), where...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errs)
		}
		return out
	}
	before := time.Now().In(beijing).Truncate(time.Minute)
	cmd("user", "add", "--role", "reviewer", "--county", "110105", "--name", "李审核")
	code := cmd("device", "add", "--township", "110105001")
	code = strings.TrimSpace(code[strings.LastIndex(code, " "):])
	cat := openCatalogueAt(t, where)
	if _, err := cat.Enrol(context.Background(), code, "laptop-1", "hash-1"); err != nil {
		t.Fatal(err)
	}
	cat.Close()
	after := time.Now().In(beijing)
	stored := regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d`)
	for _, list := range [][]string{{"user", "list"}, {"device", "list"}} {
		out := cmd(list...)
		shown := false
		for m := before; !m.After(after); m = m.Add(time.Minute) {
			shown = shown || strings.Contains(out, m.Format("2006-01-02 15:04"))
		}
		if !shown || stored.MatchString(out) {
			t.Errorf("%v does not show Beijing time:\n%s", list, out)
		}
	}
}

// Store to screen in UTC+8: the laptop's records list and the catalogue's
// review list show the times their stores keep (UTC text, read as
// time.Time) in Beijing time, to the minute, never the stored text.
func TestRecordsAndReviewListsInTheReadersZone(t *testing.T) {
	beijing := whentest.Shanghai(t)
	ctx := context.Background()
	where := catalogueAt(t, "sqlite")
	laptop := filepath.Join(t.TempDir(), "fb.db")
	before := time.Now().In(beijing).Truncate(time.Minute)
	run(t, "", append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...)
	_, out, _ := run(t, "", append([]string{"catalogue", "device", "add", "--township", "110105"}, where...)...)
	enrolCode := strings.Fields(out)[len(strings.Fields(out))-1]
	cat := openCatalogueAt(t, where)
	server := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition}).Handler())
	defer server.Close()
	run(t, "", "forms", "add", "--db", laptop, household)
	run(t, "", "import", "--db", laptop, "--form", "household_visit", "../../testdata/forms/household_visit.jsonl")
	run(t, "", "enrol", "--db", laptop, server.URL, enrolCode)
	if code, out, errs := run(t, "", "--sync", "--db", laptop); code != 0 {
		t.Fatalf("sync: %d %s%s", code, out, errs)
	}
	_, token, err := cat.AddUser(ctx, "李审核", wire.RoleReviewer, "110105", false)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now().In(beijing)
	stored := regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d`)
	for _, args := range [][]string{
		{"records", "list", "--db", laptop},
		{"review", "list", "--url", server.URL, "--token", token},
	} {
		code, out, errs := run(t, "", args...)
		shown := false
		for m := before; !m.After(after); m = m.Add(time.Minute) {
			shown = shown || strings.Contains(out, m.Format("2006-01-02 15:04"))
		}
		if code != 0 || !shown || stored.MatchString(out) {
			t.Errorf("%v does not show Beijing time: exit %d\n%s%s", args[:2], code, out, errs)
		}
	}
}
