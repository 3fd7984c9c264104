package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// importedDB returns a database holding the household form and the five
// accepted records of the hand-worked answer file.
func importedDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "fb.db")
	run(t, "", "forms", "add", "--db", db, household)
	if _, out, _ := run(t, "", "import", "--db", db, "--form", "household_visit", "../../testdata/forms/household_visit.jsonl"); !strings.Contains(out, "5 stored") {
		t.Fatalf("import:\n%s", out)
	}
	return db
}

func sortedLines(s string) []string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	sort.Strings(lines)
	return lines
}

func TestExportJSONLRoundTrip(t *testing.T) {
	db := importedDB(t)
	code, out, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl")
	if code != 0 || strings.Count(out, "\n") != 5 || !strings.Contains(errs, "exported 5 records to standard output") {
		t.Fatalf("export: exit %d\n%s%s", code, out, errs)
	}
	file := filepath.Join(t.TempDir(), "out.jsonl")
	os.WriteFile(file, []byte(out), 0o644)

	db2 := filepath.Join(t.TempDir(), "fb2.db")
	run(t, "", "forms", "add", "--db", db2, household)
	code, imp, _ := run(t, "", "import", "--db", db2, "--form", "household_visit", file)
	if code != 0 || !strings.Contains(imp, "5 accepted, 0 rejected; 5 stored") {
		t.Fatalf("re-import: exit %d\n%s", code, imp)
	}
	_, out2, _ := run(t, "", "export", "--db", db2, "--form", "household_visit", "--format", "jsonl")
	if a, b := sortedLines(out), sortedLines(out2); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("records differ after the round trip:\n%s\n---\n%s", out, out2)
	}

	// --out writes a file, and never over an existing one.
	if code, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--out", file); code != 2 || !strings.Contains(errs, "already exists") {
		t.Errorf("overwrite: exit %d, %s", code, errs)
	}
	// Drafts have no finalized data to export.
	if code, _, _ := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--state", "draft"); code != 2 {
		t.Errorf("--state draft: exit %d", code)
	}
	if _, out, _ := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--state", "sent"); out != "" {
		t.Errorf("--state sent should export nothing: %s", out)
	}
	if _, out, _ := run(t, "", "audit", "verify", "--db", db); !strings.HasPrefix(out, "ok (4 events)") {
		t.Errorf("audit verify after two exports: %s", out)
	}
}

func TestExportCSV(t *testing.T) {
	db := importedDB(t)
	dir := filepath.Join(t.TempDir(), "csv", "out") // created if missing
	code, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "csv", "--out", dir)
	if code != 0 || !strings.Contains(errs, "exported 5 records to "+dir) {
		t.Fatalf("export: exit %d\n%s", code, errs)
	}
	main, err := os.ReadFile(filepath.Join(dir, "household_visit.csv"))
	if err != nil {
		t.Fatal(err)
	}
	members, err := os.ReadFile(filepath.Join(dir, "household_visit-members.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"main": main, "members": members} {
		if !strings.HasPrefix(string(b), "\uFEFF") {
			t.Errorf("%s file has no BOM", name)
		}
	}
	if !strings.HasPrefix(string(main), "\uFEFFKEY,start,end,today,deviceid,username,consent,province,") ||
		strings.Count(string(main), "\n") != 6 || !strings.Contains(string(main), "张建国") {
		t.Errorf("main file:\n%s", main)
	}
	if !strings.HasPrefix(string(members), "\uFEFFPARENT_KEY,KEY,m_name,") ||
		!regexp.MustCompile(`(?m)^([0-9a-f-]{36}),([0-9a-f-]{36})/members\[2\],李秀梅,`).Match(members) {
		t.Errorf("members file:\n%s", members)
	}
	if code, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "csv", "--out", dir); code != 2 || !strings.Contains(errs, "already exists") {
		t.Errorf("overwrite: exit %d, %s", code, errs)
	}
	if code, _, _ := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "csv"); code != 2 {
		t.Errorf("csv without --out: exit %d", code)
	}
	if code, _, errs := run(t, "", "export", "--db", db, "--form", "nope", "--format", "jsonl"); code != 2 || !strings.Contains(errs, "not registered") {
		t.Errorf("unknown form: exit %d, %s", code, errs)
	}
}

func TestExportXLSX(t *testing.T) {
	db := importedDB(t)
	file := filepath.Join(t.TempDir(), "hh.xlsx")
	if code, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "xlsx", "--out", file); code != 0 {
		t.Fatalf("export: exit %d, %s", code, errs)
	}
	book, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if got := strings.Join(book.GetSheetList(), ","); got != "household_visit,members" {
		t.Errorf("sheets: %s", got)
	}
	rows, err := book.GetRows("members")
	if err != nil || len(rows) < 2 || rows[0][0] != "PARENT_KEY" {
		t.Errorf("members sheet: %v %v", rows, err)
	}
	if code, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "xlsx", "--out", file); code != 2 || !strings.Contains(errs, "already exists") {
		t.Errorf("overwrite: exit %d, %s", code, errs)
	}
}

func TestExportMasked(t *testing.T) {
	db := importedDB(t)
	_, plain, _ := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl")
	code, out, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--masked")
	if code != 0 {
		t.Fatalf("exit %d, %s", code, errs)
	}
	for _, s := range []string{"110105196805140036", "13811062547", "张建国", "花家地北里6号楼3单元502"} {
		if !strings.Contains(plain, s) {
			t.Fatalf("the unmasked export lacks %s; test data changed?", s)
		}
		if strings.Contains(out, s) {
			t.Errorf("masked export still shows %s", s)
		}
	}
	for _, s := range []string{`"head_id":"110105********0036"`, `"head_phone":"138****2547"`, `"head_name":"张**"`, `"m_id":"110105********0020"`} {
		if !strings.Contains(out, s) {
			t.Errorf("masked export lacks %s:\n%s", s, out)
		}
	}
	dir := t.TempDir()
	run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "csv", "--masked", "--out", dir)
	b, _ := os.ReadFile(filepath.Join(dir, "household_visit-members.csv"))
	if strings.Contains(string(b), "110105197003220020") || !strings.Contains(string(b), "110105********0020") {
		t.Errorf("masked members file:\n%s", b)
	}
}

// A question dropped in a later version still gets its column: the
// records made with the earlier version keep every answer in the export.
func TestExportKeepsQuestionsOfEarlierVersions(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "fb.db")
	version := func(v, second string) string {
		p := filepath.Join(dir, "people-"+v+".md")
		os.WriteFile(p, []byte("| survey |\n| | type | name | label |\n| | text | name | Name |\n| | text | "+second+" | "+second+" |\n"+
			"| settings |\n| | form_id | version |\n| | people | "+v+" |\n"), 0o644)
		return p
	}
	run(t, "", "forms", "add", "--db", db, version("1", "old_q"))
	one := filepath.Join(dir, "one.jsonl")
	os.WriteFile(one, []byte(`{"name":"甲","old_q":"旧答案"}`+"\n"), 0o644)
	if code, out, errs := run(t, "", "import", "--db", db, "--form", "people", one); code != 0 {
		t.Fatalf("import into version 1: exit %d\n%s%s", code, out, errs)
	}
	run(t, "", "forms", "add", "--db", db, version("2", "new_q"))
	two := filepath.Join(dir, "two.jsonl")
	os.WriteFile(two, []byte(`{"name":"乙","new_q":"新答案"}`+"\n"), 0o644)
	if code, out, errs := run(t, "", "import", "--db", db, "--form", "people", two); code != 0 {
		t.Fatalf("import into version 2: exit %d\n%s%s", code, out, errs)
	}
	out := filepath.Join(dir, "csv")
	if code, _, errs := run(t, "", "export", "--db", db, "--form", "people", "--format", "csv", "--out", out); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(out, "people.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(b), "\uFEFF")), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[0], "name,new_q,old_q") ||
		!strings.HasSuffix(lines[1], ",甲,,旧答案") || !strings.HasSuffix(lines[2], ",乙,新答案,") {
		t.Errorf("export of two versions:\n%s", b)
	}
}
