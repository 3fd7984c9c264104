package forms

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files under testdata")

const corpusDir = "../testdata/xlsform"

// corpusOutcome is one line of GOLDEN.txt: what loading the file gives.
func corpusOutcome(name string, f *Form, err error) string {
	if err != nil {
		var les LoadErrors
		if errors.As(err, &les) && len(les) > 0 {
			return fmt.Sprintf("%s: refused: %s", name, les[0].Error())
		}
		return fmt.Sprintf("%s: refused: %v", name, err)
	}
	langs := make([]string, len(f.Languages))
	for i, l := range f.Languages {
		langs[i] = fmt.Sprintf("%q", l)
	}
	if len(langs) == 0 {
		langs = []string{"none"}
	}
	return fmt.Sprintf("%s: ok (%d fields, %d choice lists, languages: %s)", name, len(f.Fields), len(f.Lists), strings.Join(langs, ", "))
}

// TestConformance loads every workbook of the corpus (real XLSForms written
// by other people) and compares the outcome with GOLDEN.txt. Run with
// -update after a deliberate change and review the diff.
func TestConformance(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(corpusDir, "*.xlsx"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus in %s: %v", corpusDir, err)
	}
	sort.Strings(paths)
	var lines []string
	results := map[string]error{}
	for _, p := range paths {
		name := filepath.Base(p)
		// Loaded by base name so that the golden table does not depend on
		// where the corpus sits.
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Load(name, data, corpusMedia(t, p)...)
		results[name] = err
		lines = append(lines, corpusOutcome(name, f, err))
		if err == nil {
			checkFormInvariants(t, name, f)
			continue
		}
		var les LoadErrors
		if !errors.As(err, &les) {
			t.Errorf("%s: error is %T, want LoadErrors", name, err)
			continue
		}
		for _, e := range les {
			if e.Loc.File != name || e.Loc.Sheet == "" || e.Loc.Row <= 0 {
				t.Errorf("%s: refusal not located (file, sheet and row): %v", name, e)
			}
			if !strings.Contains(e.Error(), name) {
				t.Errorf("%s: message does not name the file: %v", name, e)
			}
		}
	}
	got := strings.Join(lines, "\n") + "\n"
	golden := filepath.Join(corpusDir, "GOLDEN.txt")
	if *updateGolden {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestConformance -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("corpus outcome differs from %s (rerun with -update if intended):\n%s", golden, lineDiff(string(want), got))
	}

	// Forms built to be wrong must be refused. bad_calc's refusal comes from
	// the expression compiler (compile.go), not from the sheet reader.
	for _, name := range []string{"bad_calc.xlsx", "duplicate_columns.xlsx", "transportation.no_choices.xlsx", "duplicate_choice_form.xlsx"} {
		if results[name] == nil {
			t.Errorf("%s loaded; it must be refused with a located error", name)
		}
	}
}

// corpusMedia reads the data files a corpus form names from the folder
// beside it, NAME-media/, where ODK Collect keeps a form's media too.
func corpusMedia(t *testing.T, form string) []File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(strings.TrimSuffix(form, filepath.Ext(form))+"-media", "*"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := ReadFiles(paths)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// checkFormInvariants checks what every loaded form must satisfy, whatever
// its source.
func checkFormInvariants(t *testing.T, name string, f *Form) {
	t.Helper()
	if f.Root == nil || f.Root.Type != TypeGroup {
		t.Errorf("%s: Root is %v, want a group", name, f.Root)
		return
	}
	count := map[string]int{}
	for _, fd := range f.Fields {
		count[fd.Name]++
	}
	type sibling struct {
		parent *Field
		name   string
	}
	seen := map[sibling]bool{}
	for _, fd := range f.Fields {
		if fd.Name == "" || seen[sibling{fd.Parent, fd.Name}] {
			t.Errorf("%s: field name %q empty or repeated in one group", name, fd.Name)
		}
		seen[sibling{fd.Parent, fd.Name}] = true
		if count[fd.Name] == 1 && f.Field(fd.Name) != fd {
			t.Errorf("%s: Field(%q) does not return the field", name, fd.Name)
		}
		if fd.Parent == nil {
			t.Errorf("%s: %s has no parent", name, fd.Name)
			continue
		}
		found := false
		for _, c := range fd.Parent.Children {
			found = found || c == fd
		}
		if !found {
			t.Errorf("%s: %s is not among its parent's children", name, fd.Name)
		}
		var rep *Field
		for p := fd.Parent; p != nil; p = p.Parent {
			if p.Type == TypeRepeat {
				rep = p
				break
			}
		}
		if fd.Repeat != rep {
			t.Errorf("%s: %s.Repeat is wrong", name, fd.Name)
		}
		if fd.Type == TypeSelectOne || fd.Type == TypeSelectMultiple {
			if f.Lists[fd.ListName] == nil {
				t.Errorf("%s: %s uses list %q, which is not in Lists", name, fd.Name, fd.ListName)
			}
		}
		if filepath.Base(fd.Loc.File) != filepath.Base(name) || fd.Loc.Sheet == "" || fd.Loc.Row < 2 {
			t.Errorf("%s: %s has location %v", name, fd.Name, fd.Loc)
		}
	}
	for _, w := range f.Warnings {
		if filepath.Base(w.Loc.File) != filepath.Base(name) || w.Loc.Sheet == "" {
			t.Errorf("%s: warning not located: %v", name, w)
		}
	}
}

// lineDiff lists the lines that differ, for a readable failure.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	in := func(s string, lines []string) bool {
		for _, l := range lines {
			if l == s {
				return true
			}
		}
		return false
	}
	var b strings.Builder
	for _, l := range w {
		if !in(l, g) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !in(l, w) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
