package forms

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestFormIDs(t *testing.T) {
	form := func(id string) []byte {
		return []byte("| survey |\n| | type | name | label |\n| | text | q | Q |\n| settings |\n| | form_title | form_id |\n| | T | " + id + " |\n")
	}
	for _, id := range []string{"household_visit", "hh-2024.v2", "A", "x..y", ".hidden"} {
		f, err := Load("f.md", form(id))
		if err != nil || f.ID != id {
			t.Errorf("form_id %q: %v", id, err)
		}
	}
	for id, want := range map[string]string{
		`..\..\x`:   `f.md:settings:6:form_id: form_id "..\\..\\x" may only use`,
		`../x`:      `f.md:settings:6:form_id: form_id "../x" may only use`,
		`..`:        `form_id ".." is not a name`,
		`.`:         `form_id "." is not a name`,
		`C:x`:       `not ":"; write it as C_x`,
		"Spec test": `not a space; write it as Spec_test`,
		"入户调查":      `not "入"; write it as household_2024`,
		"a\tb":      `not "\t"`,
	} {
		_, err := Load("f.md", form(id))
		var les LoadErrors
		if !errors.As(err, &les) || !strings.Contains(les[0].Error(), want) {
			t.Errorf("form_id %q: got %v, want %q", id, err, want)
		}
	}
	// Without form_id the file name is the id, by the same rule.
	body := []byte("| survey |\n| | type | name | label |\n| | text | q | Q |\n")
	if f, err := Load(filepath.Join("dir with space", "household-1.md"), body); err != nil || f.ID != "household-1" {
		t.Errorf("id from the file name: %v", err)
	}
	_, err := Load("入户 调查.md", body)
	if err == nil || !strings.Contains(err.Error(), `入户 调查.md: the form has no form_id, and its file name "入户 调查" cannot be one`) ||
		!strings.Contains(err.Error(), "add a settings sheet with a form_id column") {
		t.Errorf("a file name that cannot be an id: %v", err)
	}
	for _, id := range []string{"ok_1", "a.b-c"} {
		if !ValidFormID(id) {
			t.Errorf("ValidFormID(%q) = false", id)
		}
	}
	for _, id := range []string{"", ".", "..", "a/b", `a\b`, "a b"} {
		if ValidFormID(id) {
			t.Errorf("ValidFormID(%q) = true", id)
		}
	}
}

// loadRenamingFormID loads a corpus workbook whose form_id fieldbench
// refuses (pyxform's own tests use "Spec test") with that one cell spelt
// as the refusal suggests, so the rest of the form is still tested.
func loadRenamingFormID(t *testing.T, path string) *Form {
	t.Helper()
	book, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	for _, sh := range book.GetSheetList() {
		if !strings.EqualFold(sh, "settings") {
			continue
		}
		rows, err := book.GetRows(sh)
		if err != nil || len(rows) < 2 {
			t.Fatalf("settings of %s: %v", path, err)
		}
		for col, h := range rows[0] {
			if strings.EqualFold(strings.TrimSpace(h), "form_id") && col < len(rows[1]) {
				cell, _ := excelize.CoordinatesToCellName(col+1, 2)
				book.SetCellValue(sh, cell, suggestFormID(rows[1][col]))
			}
		}
	}
	buf, err := book.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	f, err := Load(path, buf.Bytes())
	if err != nil {
		t.Fatalf("%s with its form_id respelt: %v", path, err)
	}
	return f
}

func TestCorpusFormsWithRefusedIDsStillLoad(t *testing.T) {
	for _, name := range []string{"xlsform_spec_test.xlsx", "attribute_columns_test.xlsx"} {
		path := filepath.Join(corpusDir, name)
		data, _ := os.ReadFile(path)
		if _, err := Load(name, data); err == nil || !strings.Contains(err.Error(), "Spec_test") {
			t.Errorf("%s: %v, want its form_id refused", name, err)
		}
		if f := loadRenamingFormID(t, path); f.ID != "Spec_test" || len(f.Fields) < 50 {
			t.Errorf("%s respelt: id %q, %d fields", name, f.ID, len(f.Fields))
		}
	}
}
