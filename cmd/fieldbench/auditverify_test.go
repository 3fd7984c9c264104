package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// audit verify checks only an existing fieldbench database: a mistyped
// path, an empty file (a backup killed before it wrote anything), a file
// that is not SQLite or another program's database is refused with exit
// 2, and nothing is created or changed.
func TestAuditVerifyRefusesWhatIsNoDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "fb.db")
	run(t, "", "forms", "add", "--db", db, household)
	head, _ := os.ReadFile(db)
	other := filepath.Join(dir, "other.db")
	conn, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	conn.Exec(`CREATE TABLE t (x)`)
	conn.Close()
	os.WriteFile(filepath.Join(dir, "empty.db"), nil, 0o600)
	os.WriteFile(filepath.Join(dir, "text.db"), []byte(strings.Repeat("not a database\n", 20)), 0o600)
	os.WriteFile(filepath.Join(dir, "short.db"), head[:50], 0o600)
	run(t, "", "catalogue", "records", "--data", filepath.Join(dir, "catalogue"))
	for name, want := range map[string]string{
		"missing.db":             "there is no database here",
		"no/such/dir/fb.db":      "there is no database here",
		"empty.db":               "not an SQLite database",
		"text.db":                "not an SQLite database",
		"short.db":               "not an SQLite database",
		"other.db":               "not a fieldbench one",
		"catalogue/catalogue.db": "not a fieldbench one",
	} {
		path := filepath.Join(dir, name)
		before, _ := os.ReadFile(path)
		code, out, errs := run(t, "", "audit", "verify", "--db", path)
		if code != exitUnusable || out != "" || !strings.Contains(errs, want) {
			t.Errorf("%s: exit %d, %q %q; want 2 and %q", name, code, out, errs, want)
		}
		after, err := os.ReadFile(path)
		if string(after) != string(before) || (before == nil) != os.IsNotExist(err) {
			t.Errorf("%s: the file was created or changed", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); err == nil {
		t.Error("a directory was created")
	}
	if code, out, _ := run(t, "", "audit", "verify", "--db", db); code != 0 || !strings.HasPrefix(out, "ok (1 event)") {
		t.Errorf("the real one: %d %s", code, out)
	}
}

// audit verify reports record data changed behind its back, and a trail
// whose last rows were deleted together with the head that named them.
func TestAuditVerifyChecksRecordData(t *testing.T) {
	for _, c := range []struct {
		name, tamper, want string
	}{
		{"data changed", `DROP TRIGGER record_versions_no_update;
			UPDATE record_versions SET data = X'7B7D' WHERE rowid = 1`, "record data changed: record "},
		{"record deleted", `DELETE FROM records WHERE rowid = 2`, "it is gone (deleted)"},
		{"head deleted with the rows", `DROP TRIGGER IF EXISTS audit_no_delete; DELETE FROM audit WHERE seq > 1;
			DELETE FROM meta WHERE key = 'audit_head'`, "audit trail broken: audit row 2: the record of the trail's last row is gone"},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "fb.db")
			run(t, "", "forms", "add", "--db", db, household)
			run(t, "", "import", "--db", db, "--form", "household_visit", "../../testdata/forms/household_visit.jsonl")
			conn, err := sql.Open("sqlite", db)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Exec(c.tamper); err != nil {
				t.Fatal(err)
			}
			conn.Close()
			code, out, errs := run(t, "", "audit", "verify", "--db", db)
			if code != exitRejected || !strings.Contains(out, c.want) {
				t.Errorf("exit %d\n%s%s\nwant %q", code, out, errs, c.want)
			}
		})
	}
}
