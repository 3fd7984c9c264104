package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/api"
)

// The administrator's and the collector's commands together: publish a
// form, make an enrolment code, enrol a laptop, sync, and list and export
// what the catalogue holds. A record of a form the catalogue never
// published comes back rejected, and --sync exits 3 naming it.
func TestSyncCommands(t *testing.T) { eachBackend(t, syncCommands) }

func syncCommands(t *testing.T, where []string) {
	dir := t.TempDir()
	laptop := filepath.Join(dir, "fb.db")
	if code, out, errs := run(t, "", append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...); code != 0 {
		t.Fatalf("publish: %d %s%s", code, out, errs)
	}
	_, out, _ := run(t, "", append([]string{"catalogue", "device", "add", "--township", "110105"}, where...)...)
	fields := strings.Fields(out)
	if len(fields) == 0 {
		t.Fatalf("device add printed %q", out)
	}
	enrolCode := fields[len(fields)-1]

	cat := openCatalogueAt(t, where)
	server := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition}).Handler())
	defer server.Close()

	if code, _, errs := run(t, "", "--sync", "--db", laptop); code != 2 || !strings.Contains(errs, "not enrolled") {
		t.Fatalf("sync before enrolment: %d %s", code, errs)
	}
	run(t, "", "forms", "add", "--db", laptop, household, "../../forms/samples/business_census.xlsx")
	run(t, "", "import", "--db", laptop, "--form", "household_visit", "../../testdata/forms/household_visit.jsonl")
	if code, out, errs := run(t, "", "enrol", "--db", laptop, server.URL, enrolCode); code != 0 || !strings.Contains(out, "township 110105") {
		t.Fatalf("enrol: %d %s%s", code, out, errs)
	}
	if code, _, errs := run(t, "", "enrol", "--db", laptop, server.URL, enrolCode); code != 2 || !strings.Contains(errs, "enrolment failed") {
		t.Fatalf("the same code twice: %d %s", code, errs)
	}
	code, out, errs := run(t, "", "--sync", "--db", laptop)
	if code != 0 || !strings.Contains(out, "5 sent, 0 already there, 0 conflicts, 0 rejected") {
		t.Fatalf("sync: %d\n%s%s", code, out, errs)
	}
	if _, out, _ := run(t, "", "records", "list", "--db", laptop, "--state", "sent"); !strings.Contains(out, "5 records") {
		t.Errorf("records marked sent:\n%s", out)
	}
	// A business census record: that form was never published here.
	run(t, "", "import", "--db", laptop, "--form", "business_census", "../../testdata/forms/business_census.jsonl")
	code, out, _ = run(t, "", "--sync", "--db", laptop)
	if code != exitAttention || !strings.Contains(out, "rejected: record") || !strings.Contains(out, "not published") {
		t.Fatalf("sync of an unpublished form's records: %d\n%s", code, out)
	}
	if _, out, _ := run(t, "", append([]string{"catalogue", "records"}, where...)...); !strings.Contains(out, "110105") || !strings.Contains(out, "5 records") {
		t.Errorf("catalogue records:\n%s", out)
	}
	if _, out, _ := run(t, "", append([]string{"catalogue", "export", "--form", "household_visit", "--format", "jsonl", "--masked"}, where...)...); strings.Count(out, "\n") != 5 || strings.Contains(out, "110105196805140036") {
		t.Errorf("masked export:\n%s", out)
	}
}

// useKeyFile gives an in-process catalogue at where the key file the
// commands run there made: what they sealed (commands with keys seal what
// was stored clear) the catalogue's server opens with it, as serve does.
func useKeyFile(t testing.TB, db *catalogue.DB, where []string) {
	t.Helper()
	path := filepath.Join(where[1], catalogue.KeyFileName)
	if i := slices.Index(where, "--key"); i >= 0 {
		path = where[i+1]
	}
	ring, _, err := catalogue.LoadKeyFile(path, nil, nil)
	if err == nil {
		err = db.UseKeys(context.Background(), ring)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// openCatalogueAt opens the catalogue a --data or --postgres flag names.
func openCatalogueAt(t testing.TB, where []string) *catalogue.DB {
	t.Helper()
	var cat *catalogue.DB
	var err error
	if where[0] == "--postgres" {
		cat, err = catalogue.OpenPostgres(context.Background(), where[1])
	} else {
		cat, err = catalogue.OpenSQLite(where[1])
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	return cat
}
