package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
)

const household = "../../forms/samples/household_visit.xlsx"

func TestFormsAddAndList(t *testing.T) {
	db := filepath.Join(t.TempDir(), "fb.db")
	code, out, errs := run(t, "", "forms", "add", "--db", db, household)
	if code != 0 || !strings.Contains(out, "added household_visit version "+samples.HouseholdVisitVersion) {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if _, out, _ := run(t, "", "forms", "add", "--db", db, household); !strings.Contains(out, "already present") {
		t.Errorf("adding the same form twice: %s", out)
	}
	// Same form_id and version, other content: refused.
	md := filepath.Join(t.TempDir(), "household_visit.md")
	os.WriteFile(md, []byte("| survey |\n| | type | name | label |\n| | text | x | X |\n| settings |\n| | form_id | version |\n| | household_visit | "+samples.HouseholdVisitVersion+" |\n"), 0o644)
	if code, _, errs := run(t, "", "forms", "add", "--db", db, md); code != 1 || !strings.Contains(errs, "version") {
		t.Errorf("conflicting version: exit %d, %s", code, errs)
	}
	_, out, _ = run(t, "", "forms", "list", "--db", db)
	if !strings.Contains(out, "household_visit  "+samples.HouseholdVisitVersion+"  入户登记 / Household visit") {
		t.Errorf("forms list:\n%s", out)
	}
}

func TestImportStoresAcceptedOnceOnly(t *testing.T) {
	db := filepath.Join(t.TempDir(), "fb.db")
	run(t, "", "forms", "add", "--db", db, household)
	answers := "../../testdata/forms/household_visit.jsonl"

	code, out, _ := run(t, "", "import", "--db", db, "--form", "household_visit", "--dry-run", answers)
	if code != 1 || !strings.Contains(out, "5 would be stored (dry run)") {
		t.Fatalf("dry run: exit %d\n%s", code, out)
	}
	if _, out, _ := run(t, "", "records", "list", "--db", db); !strings.Contains(out, "0 records") {
		t.Errorf("a dry run stored something:\n%s", out)
	}
	code, out, _ = run(t, "", "import", "--db", db, "--form", "household_visit", "--report", "json", answers)
	if code != 1 || strings.Count(out, `"status":"accepted"`) != 5 || strings.Count(out, `"status":"rejected"`) != 15 {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
	_, out, _ = run(t, "", "import", "--db", db, "--form", "household_visit", answers)
	if !strings.Contains(out, "0 stored, 5 already present") {
		t.Errorf("re-import should store nothing:\n%s", out)
	}
	_, out, _ = run(t, "", "records", "list", "--db", db, "--state", "finalized")
	if !strings.Contains(out, "5 records") || !strings.Contains(out, "李国强 大路李村") {
		t.Errorf("records list should show 5 records by their instance names:\n%s", out)
	}
	if _, out, _ := run(t, "", "audit", "verify", "--db", db); !strings.HasPrefix(out, "ok (2 events)") {
		t.Errorf("audit verify: %s", out)
	}
}

func TestImportCSVAndErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "fb.db")
	form := filepath.Join(dir, "people.md")
	os.WriteFile(form, []byte("| survey |\n| | type | name | label | required | validate |\n| | text | name | Name | yes | |\n| | text | id | ID | | cn_id |\n| settings |\n| | form_id | version |\n| | people | 1 |\n"), 0o644)
	run(t, "", "forms", "add", "--db", db, form)
	csv := filepath.Join(dir, "people.csv")
	os.WriteFile(csv, []byte("name,id\n王建国,11010519491231002x\n,\n李四,110105194912310021\n"), 0o644)
	code, out, _ := run(t, "", "import", "--db", db, "--form", "people", csv)
	if code != 1 || !strings.Contains(out, "line 4: rejected") || !strings.Contains(out, "1 stored") {
		t.Errorf("CSV import: exit %d\n%s", code, out)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"name":"A"}`+"\n{oops\n"), 0o644)
	code, _, errs := run(t, "", "import", "--db", db, "--form", "people", bad)
	if code != 2 || !strings.Contains(errs, "bad.jsonl:2: malformed JSON") || !strings.Contains(errs, "1 record reported accepted before this is stored") {
		t.Errorf("malformed line: exit %d, %s", code, errs)
	}
	if code, _, errs := run(t, "", "import", "--db", db, "--form", "nosuch", csv); code != 2 || !strings.Contains(errs, "not registered") {
		t.Errorf("unknown form: exit %d, %s", code, errs)
	}
}

func TestAuditVerifyCatchesTampering(t *testing.T) {
	db := filepath.Join(t.TempDir(), "fb.db")
	run(t, "", "forms", "add", "--db", db, household)
	run(t, "", "import", "--db", db, "--form", "household_visit", "../../testdata/forms/household_visit.jsonl")
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(`DROP TRIGGER IF EXISTS audit_no_update; UPDATE audit SET collector = 'someone else' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	code, out, _ := run(t, "", "audit", "verify", "--db", db)
	if code != 1 || !strings.Contains(out, "audit row 2") {
		t.Errorf("tampered audit: exit %d\n%s", code, out)
	}
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "fb.db")
	run(t, "", "forms", "add", "--db", db, household)
	copyPath := filepath.Join(dir, "copy.db")
	if code, _, errs := run(t, "", "backup", "--db", db, copyPath); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	if _, out, _ := run(t, "", "forms", "list", "--db", copyPath); !strings.Contains(out, "household_visit") {
		t.Errorf("the copy lacks the form:\n%s", out)
	}
	if code, _, errs := run(t, "", "backup", "--db", db, copyPath); code != 2 || !strings.Contains(errs, "already exists") {
		t.Errorf("overwriting a backup: exit %d, %s", code, errs)
	}
}

func TestOpenErrorsAreClear(t *testing.T) {
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notDB, []byte("these are my notes, not a database\n"), 0o644)
	before, _ := os.ReadFile(notDB)
	code, _, errs := run(t, "", "forms", "list", "--db", notDB)
	after, _ := os.ReadFile(notDB)
	if code != 2 || errs == "" || string(before) != string(after) {
		t.Errorf("opening a text file as the database: exit %d, %q; file changed: %v", code, errs, string(before) != string(after))
	}
}

// A misspelt --state is refused with the states there are, rather than
// listing nothing as if the database were empty.
func TestRecordsListRefusesUnknownState(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errs := run(t, "", "records", "list", "--db", db, "--state", "sended")
	if code != exitUnusable || out != "" || !strings.Contains(errs, "--state sended: no such state; the states are draft, finalized, queued, sent, conflict, rejected, returned") {
		t.Errorf("exit %d\nstdout %q\nstderr %s", code, out, errs)
	}
	if code, _, errs := run(t, "", "records", "list", "--db", db, "--state", "returned"); code != exitOK {
		t.Errorf("a real state: exit %d, %s", code, errs)
	}
}

// A new laptop gets every embedded sample, the follow-up included, which
// reads the households list the household visit declares.
func TestInstallSamplesOnNewLaptop(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := installSamples(ctx, db); err != nil {
		t.Fatal(err)
	}
	list, err := db.FormVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, v := range list {
		got[v.FormID] = true
	}
	for _, id := range []string{"household_visit", "business_census", "household_followup"} {
		if !got[id] {
			t.Errorf("%s was not installed; got %v", id, got)
		}
	}
}
