package main

import (
	"context"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store"
)

// A clear export of records kept masked only on this laptop (here after a
// key reset; retention marks them the same way) writes them masked and
// says how many, and where their full data is.
func TestExportSaysWhichAreMaskedOnly(t *testing.T) {
	path := importedDB(t)
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ResetKey(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errs := run(t, "", "export", "--db", path, "--form", "household_visit", "--format", "jsonl")
	if code != 0 || strings.Contains(out, "110105196805140036") || !strings.Contains(out, "110105********0036") {
		t.Fatalf("exit %d, %s\n%s", code, errs, out)
	}
	if !strings.Contains(errs, "5 of them keep only their masked data on this laptop") || !strings.Contains(errs, "export the full records from the catalogue") {
		t.Fatalf("the export does not say which records went out masked:\n%s", errs)
	}
	if _, _, errs := run(t, "", "export", "--db", path, "--form", "household_visit", "--format", "jsonl", "--masked"); strings.Contains(errs, "keep only") {
		t.Fatalf("a masked export speaks of masked-only records:\n%s", errs)
	}
}
