package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/export"
)

// noFiles fails if anything but directories is under root.
func noFiles(t *testing.T, root string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("a file was written: %s", p)
		}
		return nil
	})
}

// Hole 7: an output name made from a form id never leaves the directory
// chosen, whatever the id, whichever system runs it. The ids are set on a
// loaded form, as a form stored by an older fieldbench (or written into
// the database by hand) would bring them, past the loader's own check.
func TestExportNamesStayInTheDirectory(t *testing.T) {
	for _, c := range []struct {
		id      string
		refused bool // else written inside, with / spelt - as export names levels
	}{
		{`..\..\x`, true}, {`..\x`, true}, {`C:x`, true}, {"NUL", true}, {"a\x00b", true},
		{`../x`, false}, {`../../x`, false}, {`..`, false},
	} {
		form, err := forms.LoadFile(household)
		if err != nil {
			t.Fatal(err)
		}
		form.ID = c.id
		base := t.TempDir()
		out := filepath.Join(base, "one", "two", "out")
		none := func(yield func(string, []byte) error) error { return nil }
		_, err = writeCSVDir(out, form, none, export.Options{}, nil)
		if c.refused {
			if err == nil || !strings.Contains(err.Error(), "cannot write a file named") {
				t.Errorf("form id %q: %v", c.id, err)
			}
			noFiles(t, base)
			continue
		}
		if err != nil {
			t.Errorf("form id %q: %v", c.id, err)
		}
		filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (filepath.Dir(p) != out || strings.ContainsAny(d.Name(), `/\`)) {
				t.Errorf("form id %q: wrote %s", c.id, p)
			}
			return nil
		})
	}
}

// The same through the command, with the form row written into the
// database directly, bypassing forms add: the stored definition no longer
// loads, and nothing is written anywhere.
func TestExportOfAStoredBadFormID(t *testing.T) {
	for _, id := range []string{`../x`, `..\..\x`} {
		base := t.TempDir()
		db := filepath.Join(base, "a", "b", "fb.db")
		os.MkdirAll(filepath.Dir(db), 0o700)
		if code, out, errs := run(t, "", "forms", "list", "--db", db); code != 0 {
			t.Fatalf("%s%s", out, errs)
		}
		def := []byte("| survey |\n| | type | name | label |\n| | text | q | Q |\n| settings |\n| | form_id | version |\n| | " + id + " | 1 |\n")
		raw := openRaw(t, db)
		if _, err := raw.Exec(`INSERT INTO forms (form_id, version, title, file_name, sha256, definition, added_at) VALUES (?, '1', 't', 'x.md', ?, ?, ?)`,
			id, fmt.Sprintf("%x", sha256.Sum256(def)), def, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		out := filepath.Join(base, "a", "b", "out")
		code, _, errs := run(t, "", "export", "--db", db, "--form", id, "--format", "csv", "--out", out)
		if code != exitUnusable || !strings.Contains(errs, "no longer loads") {
			t.Errorf("form id %q: exit %d %s", id, code, errs)
		}
		for _, dir := range []string{base, filepath.Join(base, "a"), filepath.Join(base, "a", "b")} {
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				// The database's files, and its key file beside it.
				if !e.IsDir() && !strings.HasPrefix(e.Name(), "fb.db") && e.Name() != "fb.key" {
					t.Errorf("form id %q: %s written in %s", id, e.Name(), dir)
				}
			}
		}
		noFiles(t, out)
	}
}
