package forms

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadMarkdown(t *testing.T) {
	md := "\uFEFFA form about people.\r\n" +
		"\r\n" +
		"| survey | type | name | label |\r\n" +
		"|---|---|---|---|\r\n" +
		"|   | text | a    | Say \\| or not |\r\n" +
		"\r\n" +
		"Some prose between tables.\r\n" +
		"| choices |\r\n" +
		"| | list_name | name | label\r\n" +
		"| | l | x | X |\r\n"
	wb, err := readMarkdown("p.md", []byte(md))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(wb.Order, []string{"survey", "choices"}) {
		t.Fatalf("sheets %q", wb.Order)
	}
	s := wb.Sheets["survey"]
	if len(s.Rows) != 5 || !reflect.DeepEqual(s.Rows[2], []string{"type", "name", "label"}) ||
		!reflect.DeepEqual(s.Rows[4], []string{"text", "a", "Say | or not"}) || s.Rows[3] != nil {
		t.Errorf("survey rows %q", s.Rows)
	}
	c := wb.Sheets["choices"]
	if len(c.Rows) != 10 || !reflect.DeepEqual(c.Rows[8], []string{"list_name", "name", "label"}) {
		t.Errorf("choices rows %q (an unclosed row keeps its last cell)", c.Rows)
	}
}

func TestMarkdownErrorsCarryLineNumbers(t *testing.T) {
	_, err := Load("lines.md", []byte(`# Household form

| survey |
| | type    | name | label |
| | text    | a    | A     |

| | integer | a    | again |
`))
	if err == nil || !strings.Contains(err.Error(), "lines.md:survey:7:name:") {
		t.Fatalf("want an error at line 7, got %v", err)
	}
}

func TestMarkdownStructureErrors(t *testing.T) {
	tests := []struct{ md, want string }{
		{"| | type | name |\n| survey |\n", "f.md:1: table row before any sheet name"},
		{"| survey |\n| | type |\n| choices |\n| | list_name |\n| survey |\n| | x |\n", "f.md:survey:5: sheet \"survey\" starts a second time (it first starts on line 1)"},
		{"", "f.md: the file has no sheets"},
		{"just prose\n", "f.md: the file has no sheets"},
		{"| survey |\n", "f.md:survey:1: the survey sheet is empty"},
		{"| survey |\n| | name | label |\n| | a | A |\n", "f.md:survey:2: the survey sheet has no type column"},
	}
	for _, tc := range tests {
		_, err := Load("f.md", []byte(tc.md))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.md, err, tc.want)
		}
	}
}

func TestMarkdownCells(t *testing.T) {
	tests := []struct {
		line string
		want []string
		ok   bool
	}{
		{"| a | b |", []string{"a", "b"}, true},
		{"  |a|b|  ", []string{"a", "b"}, true},
		{"| a | b", []string{"a", "b"}, true},
		{"|", []string{""}, true},
		{"| :--- | ---: |", nil, false},
		{"a | b |", nil, false},
		{`| a \| b | c\d |`, []string{"a | b", `c\d`}, true},
	}
	for _, tc := range tests {
		got, ok := markdownCells(tc.line)
		if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q → %q %v, want %q %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

// The corpus markdown forms read the same way pyxform reads them.
func TestCorpusMarkdown(t *testing.T) {
	tests := map[string]string{
		"text_and_integer.md":   "",
		"yes_or_no_question.md": "",
		"group.md":              "",
		"specify_other.md":      "",
		"case_insensitivity.md": "",
		"loop.md":               "",
		"include.md":            "including another form",
		"include_json.md":       "including another form",
	}
	for name, refusal := range tests {
		f, err := LoadFile(corpusDir + "/" + name)
		switch {
		case refusal == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case refusal != "" && (err == nil || !strings.Contains(err.Error(), refusal)):
			t.Errorf("%s: got %v, want a refusal naming %q", name, err, refusal)
		case refusal == "":
			checkFormInvariants(t, name, f)
		}
	}
	f, err := LoadFile(corpusDir + "/specify_other.md")
	if err != nil {
		t.Fatal(err)
	}
	if f.Field("sex_other") == nil || f.Lists["sexes"].Lookup("other") == nil {
		t.Errorf("specify other not applied")
	}
}
