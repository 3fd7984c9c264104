package forms

import (
	"reflect"
	"strings"
	"testing"
)

// buildMD reads and interprets a markdown form without compiling its
// expressions, so these tests see the sheet reader's own findings.
func buildMD(t *testing.T, md string) (*Form, LoadErrors) {
	t.Helper()
	wb, err := readMarkdown("t.md", []byte(md))
	if err != nil {
		t.Fatalf("readMarkdown: %v", err)
	}
	return buildForm(wb)
}

func mustBuildMD(t *testing.T, md string) *Form {
	t.Helper()
	f, errs := buildMD(t, md)
	if len(errs) > 0 {
		t.Fatalf("unexpected errors:\n%v", errs)
	}
	return f
}

// wantError checks that some error sits at sheet:row:column and its message
// contains every fragment.
func wantError(t *testing.T, errs LoadErrors, loc string, fragments ...string) {
	t.Helper()
	for _, e := range errs {
		if e.Loc.String() != "t.md:"+loc {
			continue
		}
		ok := true
		for _, f := range fragments {
			ok = ok && strings.Contains(e.Msg, f)
		}
		if ok {
			return
		}
	}
	t.Errorf("no error at %s containing %q; got:\n%v", loc, fragments, errs)
}

func wantWarning(t *testing.T, f *Form, fragment string) {
	t.Helper()
	for _, w := range f.Warnings {
		if strings.Contains(w.Error(), fragment) {
			return
		}
	}
	t.Errorf("no warning containing %q; got %v", fragment, LoadErrors(f.Warnings))
}

func TestColumnAliases(t *testing.T) {
	f := mustBuildMD(t, `
| survey |
| | TYPE    | Name | caption | relevance | constraint | constraining message | requiredMsg | required | readonly | calculate | bind::jr:constraintMsg::fr | control::appearance |
| | integer | a    | A       | 1 = 1     | . > 0      | too small            | needed      | YES      | true     |           | trop petit                 | minimal             |
| | calculate | c  |         |           |            |                      |             |          |          | ${a} * 2  |                            |                     |
| choices |
| | list name | value | label |
| | l | x | X |
`)
	a := f.Field("a")
	if a == nil || a.Type != TypeInteger {
		t.Fatalf("field a: %+v", a)
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"label", a.Label, Text{"": "A"}},
		{"relevant", a.Relevant.Src, "1 = 1"},
		{"constraint", a.Constraint.Src, ". > 0"},
		{"constraint_message", a.ConstraintMsg, Text{"": "too small", "fr": "trop petit"}},
		{"required_message", a.RequiredMsg, Text{"": "needed"}},
		{"required", a.Required.Src, "true()"},
		{"read_only", a.ReadOnly.Src, "true()"},
		{"appearance", a.Appearance, "minimal"},
		{"calculation", f.Field("c").Calculation.Src, "${a} * 2"},
		{"choice name", f.Lists["l"].Choices[0].Name, "x"},
		{"relevant column", a.Relevant.Loc.Column, "relevance"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.what, c.got, c.want)
		}
	}
}

func TestLegacyBindHeaders(t *testing.T) {
	f := mustBuildMD(t, `
| survey |
| | type | name | label:English | bind:relevant | bind:constraint | bind:required | bind:readonly | count |
| | integer | n | N | | . < 5 | yes | | |
| | begin repeat | r | R | ${n} > 0 | | | | ${n} |
| | text | x | X | | | | no | |
| | end repeat | | | | | | | |
`)
	if got := f.Field("n").Constraint.Src; got != ". < 5" {
		t.Errorf("bind:constraint read as %q", got)
	}
	if f.Field("n").Required == nil || f.Field("x").ReadOnly != nil {
		t.Errorf("bind:required / bind:readonly misread")
	}
	r := f.Field("r")
	if r.Relevant.Src != "${n} > 0" || r.RepeatCount.Src != "${n}" {
		t.Errorf("repeat: relevant %v count %v", r.Relevant, r.RepeatCount)
	}
	if !reflect.DeepEqual(f.Languages, []string{"English"}) {
		t.Errorf("languages %q", f.Languages)
	}
}

func TestLanguages(t *testing.T) {
	tests := []struct {
		name, md string
		want     []string
	}{
		{"double colon with code", `
| survey |
| | type | name | label::English (en) | label::中文 (zh) | hint::English (en) |
| | text | a | A | 甲 | |
`, []string{"English (en)", "中文 (zh)"}},
		{"single colon", `
| survey |
| | type | name | label:English | label:French |
| | text | a | A | Ah |
`, []string{"English", "French"}},
		{"untagged with content counts", `
| survey |
| | type | name | label::English | hint |
| | text | a | A | some hint |
`, []string{"English", ""}},
		{"untagged without content does not", `
| survey |
| | type | name | label::English | hint |
| | text | a | A | |
`, []string{"English"}},
		{"choices after survey", `
| survey |
| | type | name | label |
| | select_one l | a | A |
| choices |
| | list_name | name | label::Swahili |
| | l | x | X |
`, []string{"", "Swahili"}},
		{"message columns count", `
| survey |
| | type | name | label::fr | constraint_message::fr | required_message::de |
| | text | a | A | | |
`, []string{"fr", "de"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := mustBuildMD(t, tc.md)
			if !reflect.DeepEqual(f.Languages, tc.want) {
				t.Errorf("Languages = %q, want %q", f.Languages, tc.want)
			}
		})
	}
}

func TestNestingAndTree(t *testing.T) {
	f := mustBuildMD(t, `
| survey |
| | type | name | label |
| | text | top | Top |
| | begin group | g | G |
| | begin repeat | r | R |
| | begin_group | inner | Inner |
| | integer | deep | Deep |
| | end_group | | |
| | end repeat | | |
| | end group | | |
| | note | | A note without a name |
`)
	var names []string
	for _, fd := range f.Fields {
		names = append(names, fd.Name)
	}
	want := []string{"top", "g", "r", "inner", "deep", "generated_note_name_12"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("Fields = %q, want %q", names, want)
	}
	deep, r, g := f.Field("deep"), f.Field("r"), f.Field("g")
	if deep.Parent != f.Field("inner") || deep.Repeat != r || r.Repeat != nil || r.Parent != g || g.Parent != f.Root {
		t.Errorf("tree wrong: deep.Parent=%v deep.Repeat=%v r.Parent=%v", deep.Parent.Name, deep.Repeat, r.Parent.Name)
	}
	if len(f.Root.Children) != 3 || f.Root.Type != TypeGroup || f.Root.Name != "t" {
		t.Errorf("root: %+v", f.Root)
	}
	if deep.Loc.Row != 8 || deep.Loc.Sheet != "survey" {
		t.Errorf("deep at %v, want line 8", deep.Loc)
	}
}

func TestNestingErrors(t *testing.T) {
	tests := []struct {
		name, md, loc string
		frags         []string
	}{
		{"end without begin", `
| survey |
| | type | name | label |
| | text | a | A |
| | end group | | |
`, "survey:5:type", []string{"no matching begin group"}},
		{"end group closes a repeat", `
| survey |
| | type | name | label |
| | begin repeat | r | R |
| | text | a | A |
| | end group | | |
`, "survey:6:type", []string{`closes "r"`, "repeat begun at row 4", "end repeat"}},
		{"unclosed begin", `
| survey |
| | type | name | label |
| | begin group | g | G |
| | text | a | A |
`, "survey:4:type", []string{`begin group "g" has no matching end group`}},
		{"repeat needs a name", `
| survey |
| | type | name | label |
| | begin repeat | | R |
| | end repeat | | |
`, "survey:4:name", []string{"no name"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := buildMD(t, tc.md)
			wantError(t, errs, tc.loc, tc.frags...)
		})
	}
}

func TestDuplicates(t *testing.T) {
	t.Run("names in one group", func(t *testing.T) {
		_, errs := buildMD(t, `
| survey |
| | type | name | label |
| | text | a | A |
| | begin group | g | G |
| | text | b | B |
| | text | b | B again |
| | end group | | |
| | text | a | A again |
`)
		wantError(t, errs, "survey:7:name", `"b" is already used at row 6 in the same group "g"`)
		wantError(t, errs, "survey:9:name", `"a" is already used at row 4 in the same form`)
	})
	t.Run("names across groups", func(t *testing.T) {
		f := mustBuildMD(t, `
| survey |
| | type | name | label |
| | text | a | A |
| | begin repeat | r | R |
| | text | a | A in the repeat |
| | end repeat | | |
`)
		if len(f.Fields) != 3 {
			t.Errorf("%d fields", len(f.Fields))
		}
	})
	t.Run("case only is a warning", func(t *testing.T) {
		f := mustBuildMD(t, `
| survey |
| | type | name | label |
| | text | Age | A |
| | text | age | B |
`)
		wantWarning(t, f, "differ only in upper/lower case")
	})
	t.Run("columns", func(t *testing.T) {
		_, errs := buildMD(t, `
| survey |
| | type | name | label | caption |
| | text | a | A | B |
`)
		wantError(t, errs, "survey:3:caption", "columns C and D", "mean the same")
	})
	dupChoices := `
| survey |
| | type | name | label |
| | select_one l | a | A |
| choices |
| | list_name | name | label |
| | l | x | X |
| | l | x | X again |
`
	t.Run("choices", func(t *testing.T) {
		_, errs := buildMD(t, dupChoices)
		wantError(t, errs, "choices:8:name", `already has a choice named "x" (row 7)`, "allow_choice_duplicates")
	})
	t.Run("choices allowed", func(t *testing.T) {
		f := mustBuildMD(t, dupChoices+"| settings |\n| | allow_choice_duplicates |\n| | Yes |\n")
		if n := len(f.Lists["l"].Choices); n != 2 {
			t.Errorf("%d choices, want 2", n)
		}
	})
}

func TestOrOther(t *testing.T) {
	f := mustBuildMD(t, `
| survey |
| | type | name | label::en | label::zh |
| | select_one colors or_other | color | Colour | 颜色 |
| | select one from colors or specify other | color2 | Colour 2 | 颜色2 |
| | text | after | After | 后 |
| choices |
| | list_name | name | label::en | label::zh |
| | colors | red | Red | 红 |
`)
	var names []string
	for _, fd := range f.Fields {
		names = append(names, fd.Name)
	}
	if want := []string{"color", "color_other", "color2", "color2_other", "after"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("Fields = %q, want %q", names, want)
	}
	other := f.Field("color_other")
	if other.Type != TypeText || other.Relevant.Src != "selected(${color}, 'other')" || other.Parent != f.Root {
		t.Errorf("color_other = %+v", other)
	}
	l := f.Lists["colors"]
	if len(l.Choices) != 2 || !reflect.DeepEqual(l.Lookup("other").Label, Text{"en": "Other", "zh": "Other"}) {
		t.Errorf("colors list: %d choices, other = %+v", len(l.Choices), l.Lookup("other"))
	}
	if !f.Field("color").OrOther {
		t.Error("OrOther not set")
	}

	_, errs := buildMD(t, `
| survey |
| | type | name | label | choice_filter |
| | select_one colors or_other | color | Colour | x = 1 |
| choices |
| | list_name | name | label | x |
| | colors | red | Red | 1 |
`)
	wantError(t, errs, "survey:4:choice_filter", "cannot be combined with or_other")
}

func TestDefaults(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "'abc'"},
		{"it's", `"it's"`},
		{`it's "x"`, `concat('it', "'", 's "x"')`},
		{`'a'"b"'`, `concat("'", 'a', "'", '"b"', "'")`},
		{"Yes (default)", "'Yes (default)'"},
		{"2024-01-31", "'2024-01-31'"},
		{"${other}", "${other}"},
		{"today()", "today()"},
		{"concat('a', ‘b’)", "concat('a', 'b')"},
	}
	for _, tc := range tests {
		md := "| survey |\n| | type | name | label | default |\n| | text | a | A | " +
			strings.ReplaceAll(tc.in, "|", `\|`) + " |\n| | text | other | O | |\n"
		f := mustBuildMD(t, md)
		if got := f.Field("a").Default.Src; got != tc.want {
			t.Errorf("default %q → %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRequiredAndReadOnly(t *testing.T) {
	for in, want := range map[string]string{
		"yes": "true()", "Yes": "true()", "TRUE": "true()", "true()": "true()",
		"no": "", "false": "", "false()": "", "": "", "${x} > 1": "${x} > 1",
	} {
		f := mustBuildMD(t, "| survey |\n| | type | name | label | required | read_only |\n| | integer | x | X | | |\n| | text | a | A | "+in+" | "+in+" |\n")
		for _, e := range []*Expression{f.Field("a").Required, f.Field("a").ReadOnly} {
			got := ""
			if e != nil {
				got = e.Src
			}
			if got != want {
				t.Errorf("%q → %q, want %q", in, got, want)
			}
		}
	}
}

func TestSettings(t *testing.T) {
	f := mustBuildMD(t, `
| survey |
| | type | name | label |
| | text | a | A |
| settings |
| | id_string | title | version | default_language | instance_name | style |
| | hh2024 | Household | 2024010101 | English | concat(${a}, ‘-’) | pages |
`)
	if f.ID != "hh2024" || f.Title != "Household" || f.Version != "2024010101" || f.DefaultLanguage != "English" {
		t.Errorf("settings: id %q title %q version %q lang %q", f.ID, f.Title, f.Version, f.DefaultLanguage)
	}
	if f.InstanceName == nil || f.InstanceName.Src != "concat(${a}, '-')" || f.InstanceName.Loc.Row != 7 {
		t.Errorf("instance_name %+v", f.InstanceName)
	}
	if f.Settings["style"] != "pages" || f.Settings["id_string"] != "hh2024" {
		t.Errorf("Settings = %v", f.Settings)
	}

	f = mustBuildMD(t, "| survey |\n| | type | name | label |\n| | text | a | A |\n")
	if f.ID != "t" || f.Title != "t" || f.Root.Name != "t" {
		t.Errorf("defaults: id %q title %q", f.ID, f.Title)
	}
}

func TestSettingsProblems(t *testing.T) {
	const survey = "| survey |\n| | type | name | label::English |\n| | text | a | A |\n"
	f := mustBuildMD(t, survey+"| settings |\n| | id_string | form_id | default_language |\n| | old | new | Chinese |\n")
	if f.ID != "new" || f.Settings["id_string"] != "old" {
		t.Errorf("ID %q, settings %v", f.ID, f.Settings)
	}
	wantWarning(t, f, `both "id_string" and "form_id" are set; form_id is used`)
	wantWarning(t, f, `t.md:settings:6:default_language: default_language "Chinese" matches no label column (the languages are: English)`)

	_, errs := buildMD(t, survey+"| settings |\n| | version | Version | public_key | allow_choice_duplicates | add_none_option |\n| | 1 | 2 | not base64! | maybe | yes |\n")
	wantError(t, errs, "settings:5:Version", "appears twice")
	wantError(t, errs, "settings:6:public_key", "not a base64")
	wantError(t, errs, "settings:6:allow_choice_duplicates", `"maybe"`)
	wantError(t, errs, "settings:6:add_none_option", "not supported")
}
