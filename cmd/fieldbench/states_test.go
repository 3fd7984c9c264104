package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store"
)

// forms list counts a form's records in every state, in each language,
// within 80 columns.
func TestFormsListShowsEveryState(t *testing.T) {
	db := filepath.Join(t.TempDir(), "fb.db")
	run(t, "", "forms", "add", "--db", db, household)
	if code, out, errs := run(t, "", "import", "--db", db, "--form", "household_visit", "../../testdata/forms/household_visit.jsonl"); code != 1 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	// Five records, one in each state after draft and finalized, so each
	// count says which state it is of.
	raw := openRaw(t, db)
	for i, s := range []store.State{store.Queued, store.Sent, store.Conflict, store.Rejected, store.Returned} {
		if _, err := raw.Exec(`UPDATE records SET state = ? WHERE id = (SELECT id FROM records ORDER BY rowid LIMIT 1 OFFSET ?)`, string(s), i); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	for i, lang := range []string{"zh-Hans", "zh-Hant", "en"} {
		code, out, errs := run(t, "", "forms", "list", "--db", db, "--lang", lang)
		if code != 0 {
			t.Fatalf("%s: exit %d %s", lang, code, errs)
		}
		for _, s := range store.States {
			n := 1
			if s == store.Draft || s == store.Finalized {
				n = 0
			}
			if want := fmt.Sprintf("  %s %d", cliText["state."+string(s)][i], n); !strings.Contains(out, want) {
				t.Errorf("%s: no %q:\n%s", lang, want, out)
			}
		}
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if cells(l) > 80 {
				t.Errorf("%s: a line of %d cells:\n%s", lang, cells(l), l)
			}
		}
	}
}

// Every state has a word in each language, and export's refusal of a
// --state names exactly the exportable ones.
func TestStateWordsComplete(t *testing.T) {
	for _, s := range store.States {
		row, ok := cliText["state."+string(s)]
		if !ok || row[0] == "" || row[1] == "" || row[2] != string(s) {
			t.Errorf("state %s: %q", s, row)
		}
		named := regexp.MustCompile(`\b` + string(s) + `\b`).MatchString(cliText["export.bad_state"][2])
		if named != s.Exportable() {
			t.Errorf("export.bad_state names %s: %v, exportable: %v", s, named, s.Exportable())
		}
	}
}

// wrap keeps each line within the width, indented, and every item whole
// and in order.
func TestWrap(t *testing.T) {
	var items []string
	for _, s := range store.States {
		items = append(items, fmt.Sprintf("%s %7d", cliText["state."+string(s)][2], 1234567))
	}
	lines := wrap(items, "  ", 80)
	if len(lines) < 2 {
		t.Errorf("%d items of %d cells in one line", len(items), cells(items[0]))
	}
	var back []string
	for _, l := range lines {
		if cells(l) > 80 || !strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "   ") {
			t.Errorf("line %q", l)
		}
		back = append(back, strings.Split(strings.TrimPrefix(l, "  "), "  ")...)
	}
	if strings.Join(back, "|") != strings.Join(items, "|") {
		t.Errorf("items %q, lines %q", items, lines)
	}
	if got := wrap([]string{strings.Repeat("x", 90)}, "  ", 80); len(got) != 1 {
		t.Errorf("a long item: %q", got)
	}
	if got := wrap(nil, "  ", 80); len(got) != 0 {
		t.Errorf("no items: %q", got)
	}
}

// The help that names states in prose keeps up with store.States: export's
// names exactly the exportable ones, records list's every one.
func TestStateHelp(t *testing.T) {
	_, _, export := run(t, "", "export", "-h", "--lang", "en")
	_, _, records := run(t, "", "records", "list", "-h", "--lang", "en")
	for _, s := range store.States {
		word := regexp.MustCompile(`\b` + string(s) + `\b`)
		if named := word.MatchString(export); named != s.Exportable() {
			t.Errorf("export -h names %s: %v, exportable: %v\n%s", s, named, s.Exportable(), export)
		}
		if !word.MatchString(records) {
			t.Errorf("records list -h does not name %s:\n%s", s, records)
		}
	}
}
