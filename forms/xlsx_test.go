package forms

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestNormalizeNumber(t *testing.T) {
	tests := map[string]string{
		"1.0": "1", "0.0": "0", "-2.00": "-2", "2014111": "2014111", "007": "007",
		"110101199003070012": "110101199003070012", "12.5": "12.5",
		"0.30000000000000004": "0.3", "44662.6850575292": "44662.6850575292",
		"1E+3": "1000", "1.5e-7": "0.00000015", "abc": "abc", "1.2.3": "1.2.3",
		"": "", ".": ".", "-": "-", "1e": "1e", "2024-01-31": "2024-01-31",
	}
	for in, want := range tests {
		if got := normalizeNumber(in); got != want {
			t.Errorf("normalizeNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

// xlsxBytes builds a workbook in memory: sheet name → rows of cell values
// (strings, numbers, booleans or times, written with their own cell types).
func xlsxBytes(t testing.TB, sheets map[string][][]any, order ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				if v == nil {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(name, ref, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSXCellTypes(t *testing.T) {
	survey := [][]any{
		{" type\n", "NAME", "label::English (en)\n", "required", "default"},
		{"text\n", " q1\n", "Q1", true, 0.1 + 0.2},
		{"select_one yn", "q2", "Q2", false, nil},
		{"date", "q3", "Q3", nil, time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)},
	}
	// Data after 20 blank rows is not part of the form.
	for i := 0; i < 25; i++ {
		survey = append(survey, nil)
	}
	survey = append(survey, []any{"text", "ignored", "after the gap"})
	data := xlsxBytes(t, map[string][][]any{
		"SURVEY":   survey,
		"choices":  {{"list_name", "name", "label"}, {"yn", 1.0, "Yes"}, {"yn", 0.0, "No"}},
		"Settings": {{"version", "form_id"}, {2024013101.0, "f"}},
	}, "SURVEY", "choices", "Settings")

	f, err := Load("types.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	q1 := f.Field("q1")
	if q1 == nil || q1.Type != TypeText || q1.Label["English (en)"] != "Q1" || q1.Required == nil {
		t.Fatalf("q1 = %+v (newlines in header and cells must be trimmed)", q1)
	}
	if q1.Default.Src != "'0.3'" {
		t.Errorf("float default read as %q", q1.Default.Src)
	}
	if f.Field("q2").Required != nil {
		t.Errorf("FALSE cell read as required")
	}
	if got := f.Field("q3").Default.Src; got != "'45322'" {
		t.Errorf("date cell read as %q, want the raw serial", got)
	}
	if f.Field("ignored") != nil {
		t.Errorf("row after 25 blank rows was read")
	}
	yn := f.Lists["yn"]
	if yn == nil || yn.Choices[0].Name != "1" || yn.Choices[1].Name != "0" {
		t.Errorf("numeric choice names: %+v", yn)
	}
	if f.Version != "2024013101" || f.ID != "f" {
		t.Errorf("version %q id %q", f.Version, f.ID)
	}
	if !strings.EqualFold(f.Root.Loc.Sheet, "survey") || f.Root.Loc.Sheet != "SURVEY" {
		t.Errorf("sheet name not kept as written: %q", f.Root.Loc.Sheet)
	}
}

func TestReadXLSXInflatedDimension(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "survey")
	f.SetSheetRow("survey", "A1", &[]any{"type", "name", "label"})
	f.SetSheetRow("survey", "A2", &[]any{"text", "a", "A"})
	// The dimension LibreOffice sometimes writes: a million rows, 1024
	// columns (pyxform issue #604).
	if err := f.SetSheetDimension("survey", "A1:AMJ1048576"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	form, err := Load("big.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(form.Fields) != 1 {
		t.Errorf("%d fields", len(form.Fields))
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestReadXLSXNotAWorkbook(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("type,name\ntext,a\n"), {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}} {
		_, err := Load("old.xls", data)
		les, ok := err.(LoadErrors)
		if !ok || len(les) != 1 || les[0].Loc.File != "old.xls" || !strings.Contains(les[0].Msg, ".xlsx") {
			t.Errorf("got %v", err)
		}
	}
}

func TestCorpusQuirks(t *testing.T) {
	f, err := LoadFile(corpusDir + "/space_in_header.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if f.Field("PCode") == nil || f.Field("DATE_OUVERTURE").Type != TypeDate {
		t.Errorf("newlines in name/type cells not trimmed")
	}
	if l := f.Lists["yes_no"]; l.Choices[0].Name != "0" || l.Choices[1].Name != "1" {
		t.Errorf("choice names stored as 0.0/1.0 read as %q, %q", l.Choices[0].Name, l.Choices[1].Name)
	}

	f = loadRenamingFormID(t, corpusDir+"/xlsform_spec_test.xlsx") // its form_id "Spec test" is refused
	if f.Field("FALSE") == nil {
		t.Errorf("a FALSE() cell used as a name must read FALSE, as pyxform reads it")
	}
	if f.Field("repeat_test").RepeatCount.Src != "2" {
		t.Errorf("repeat_count 2.0 read as %q", f.Field("repeat_test").RepeatCount.Src)
	}

	f, err = LoadFile(corpusDir + "/multi_lingual_form.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"English", "Swahili", "French"}; strings.Join(f.Languages, ",") != strings.Join(want, ",") {
		t.Errorf("languages %q (trailing newline in headers)", f.Languages)
	}

	f, err = LoadFile(corpusDir + "/extra_sheet_names.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	wantWarning(t, f, "did you mean settings?")
}

func TestContainsStream(t *testing.T) {
	pat := []byte(`t="b"`)
	for _, tc := range []struct {
		in   string
		size int
		want bool
	}{
		{`<c r="A1" t="b">`, 4, true}, {`<c r="A1" t="b">`, 64, true},
		{`<c r="A1" t="s">`, 4, false}, {`t="`, 4, false}, {"", 8, false},
		{strings.Repeat("x", 1000) + `t="b"`, 7, true},
	} {
		if got := containsStream(strings.NewReader(tc.in), pat, make([]byte, tc.size)); got != tc.want {
			t.Errorf("%q with a %d-byte buffer: %v", tc.in, tc.size, got)
		}
	}
}
