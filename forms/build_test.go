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
| | type | name | constraint_message::fr | required_message::de |
| | text | a | | |
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
	t.Run("names across groups", func(t *testing.T) {
		_, errs := buildMD(t, `
| survey |
| | type | name | label |
| | text | a | A |
| | begin group | g | G |
| | text | a | A again |
| | end group | | |
`)
		wantError(t, errs, "survey:6:name", `"a" is already used at row 4`)
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
		f := mustBuildMD(t, "| survey |\n| | type | name | required | read_only |\n| | integer | x | | |\n| | text | a | "+in+" | "+in+" |\n")
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

	f = mustBuildMD(t, "| survey |\n| | type | name |\n| | text | a |\n")
	if f.ID != "t" || f.Title != "t" || f.Root.Name != "t" {
		t.Errorf("defaults: id %q title %q", f.ID, f.Title)
	}
}

func TestLegacyAndExternalSelects(t *testing.T) {
	f := mustBuildMD(t, `
| survey |
| | type | name | label |
| | string | s | S |
| | select all that apply from l | m | M |
| | select one l | o | O |
| | select_multiple_external l2 | mx | MX |
| choices |
| | list_name | name | label |
| | l | a | A |
| external_choices |
| | list_name | name | label | region |
| | l2 | b | B | north |
`)
	for n, typ := range map[string]Type{"s": TypeText, "m": TypeSelectMultiple, "o": TypeSelectOne, "mx": TypeSelectMultiple} {
		if got := f.Field(n).Type; got != typ {
			t.Errorf("%s: %v, want %v", n, got, typ)
		}
	}
	l2 := f.Lists["l2"]
	if l2 == nil || f.Field("mx").ListName != "l2" || l2.Choices[0].Extra["region"] != "north" || !reflect.DeepEqual(l2.Columns, []string{"region"}) {
		t.Errorf("external list %+v", l2)
	}
}

func TestTypeErrors(t *testing.T) {
	tests := []struct{ typ, frag string }{
		{"select_one_from_file towns.csv", "select_one_from_file"},
		{"begin loop over l", "begin loop over"},
		{"rank l", "rank"},
		{"geotrace", "geotrace"},
		{"geoshape", "geoshape"},
		{"xml-external", "xml-external"},
		{"csv-external", "csv-external"},
		{"audit", "audit"},
		{"start-geopoint", "start-geopoint"},
		{"background-audio", "background"},
		{"osm l", "OpenStreetMap"},
		{"integr", "did you mean integer?"},
		{"select_one", "needs a list name"},
		{"select_one l extra", "unexpected"},
		{"select_one ${a}", "earlier answers"},
	}
	for _, tc := range tests {
		_, errs := buildMD(t, "| survey |\n| | type | name | label |\n| | "+tc.typ+" | q | Q |\n| | end loop | | |\n")
		wantError(t, errs, "survey:3:type", tc.frag)
	}
}

func TestMetadataAndMediaTypes(t *testing.T) {
	f := mustBuildMD(t, `
| survey |
| | type | name | label | parameters |
| | start | st | | |
| | imei | dev | | |
| | phonenumber | pn | | |
| | email | em | | |
| | simserial | sim | | |
| | subscriberid | sub | | |
| | photo | pic | Picture | max-pixels=1024 |
| | audio | au | Audio | |
| | video | vi | Video | |
| | file | fi | File | |
| | range | rg | Range | start=0 end=10 step=2 |
| | range | rd | Range | start=0.5, end=1.5 |
| | phone number | ph | Phone | |
| | hidden | h | | |
`)
	want := map[string]Type{
		"st": TypeStart, "dev": TypeDeviceID, "pn": TypePhoneNumber, "em": TypeEmail, "sim": TypeSimSerial,
		"sub": TypeSubscriberID, "pic": TypeImage, "au": TypeAudio, "vi": TypeVideo, "fi": TypeFile,
		"rg": TypeInteger, "rd": TypeDecimal, "ph": TypeText, "h": TypeCalculate,
	}
	for n, typ := range want {
		if got := f.Field(n).Type; got != typ {
			t.Errorf("%s: type %v, want %v", n, got, typ)
		}
	}
	if got := f.Field("rg").Constraint.Src; got != ". >= 0 and . <= 10 and (. - 0) mod 2 = 0" {
		t.Errorf("range constraint %q", got)
	}
	if got := f.Field("rd").Constraint.Src; got != ". >= 0.5 and . <= 1.5" {
		t.Errorf("decimal range constraint %q", got)
	}
	if got := f.Field("pic").Parameters["max-pixels"]; got != "1024" {
		t.Errorf("parameters %v", f.Field("pic").Parameters)
	}
	if !f.Field("pn").Type.IsMeta() || !f.Field("pic").Type.IsAttachment() {
		t.Error("IsMeta/IsAttachment wrong")
	}
}

func TestListErrors(t *testing.T) {
	t.Run("missing list", func(t *testing.T) {
		_, errs := buildMD(t, `
| survey |
| | type | name | label |
| | select_one colours | c | C |
| choices |
| | list_name | name | label |
| | colors | red | Red |
`)
		wantError(t, errs, "survey:4:type", `list "colours" not found`, "did you mean colors?")
	})
	t.Run("no choices sheet", func(t *testing.T) {
		_, errs := buildMD(t, "| survey |\n| | type | name | label |\n| | select_one l | c | C |\n| chioces |\n| | list_name | name |\n")
		wantError(t, errs, "survey:3:type", "no choices sheet", `"chioces" meant to be choices`)
	})
	t.Run("space in select_multiple choice", func(t *testing.T) {
		_, errs := buildMD(t, `
| survey |
| | type | name | label |
| | select_multiple l | c | C |
| choices |
| | list_name | name | label |
| | l | foot paths | Foot paths |
`)
		wantError(t, errs, "choices:7:name", "has a space", "foot_paths")
	})
	t.Run("external vs internal", func(t *testing.T) {
		_, errs := buildMD(t, `
| survey |
| | type | name | label |
| | select_one l | c | C |
| external_choices |
| | list_name | name | label |
| | l | a | A |
`)
		wantError(t, errs, "survey:4:type", "select_one_external l")
	})
	t.Run("choice without name", func(t *testing.T) {
		_, errs := buildMD(t, "| survey |\n| | type | name |\n| | text | a |\n| choices |\n| | list_name | name | label |\n| | l | | L |\n")
		wantError(t, errs, "choices:6:name", "has no name")
	})
}

func TestColumnsRefusedAndIgnored(t *testing.T) {
	_, errs := buildMD(t, `
| survey |
| | type | name | label | trigger | relevant::English | choice_filter | body::intent |
| | text | a | A | ${b} | | | |
| | text | b | B | | 1 | x = 1 | app |
`)
	wantError(t, errs, "survey:4:trigger", "trigger")
	wantError(t, errs, "survey:5:relevant::English", "take a language")
	wantError(t, errs, "survey:5:choice_filter", "only applies to select_one")
	wantError(t, errs, "survey:5:body::intent", "external app")

	f := mustBuildMD(t, `
| survey |
| | type | name | label | image | media::audio::en | guidance_hint | relevent | validate | sensitive |
| | text | a | A | a.png | a.mp3 | for training | 1 | cn_id | ID_Number |
| | text | b | B | b.png | | | | | |
`)
	var n int
	for _, w := range f.Warnings {
		if strings.Contains(w.Msg, `"image" is ignored`) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d warnings for the image column, want exactly one", n)
	}
	wantWarning(t, f, "guidance hints")
	wantWarning(t, f, "did you mean relevant?")
	if a := f.Field("a"); a.Validate != "cn_id" || a.Sensitive != "id_number" {
		t.Errorf("validate %q sensitive %q", a.Validate, a.Sensitive)
	}
}

func TestSensitiveAndValidateChecked(t *testing.T) {
	_, errs := buildMD(t, `
| survey |
| | type | name | label | sensitive | validate |
| | text | a | A | salary | |
| | note | n | N | name | email |
`)
	wantError(t, errs, "survey:4:sensitive", `"salary"`, "name, id_number, phone, address, bank_card")
	wantError(t, errs, "survey:5:sensitive", "a note has none")
	wantError(t, errs, "survey:5:validate", "a note has none")
}

func TestRowsWithoutType(t *testing.T) {
	f := mustBuildMD(t, `
| survey |
| | type | name | label | required |
| | text | a | A | |
| | | | | yes |
`)
	wantWarning(t, f, "no type, name or label")
	_, errs := buildMD(t, "| survey |\n| | type | name | label |\n| | | b | B |\n")
	wantError(t, errs, "survey:3:type", "has no type")
	_, errs = buildMD(t, "| survey |\n| | type | name | label |\n| | calculate | c | |\n")
	wantError(t, errs, "survey:3:type", "no calculation")
	_, errs = buildMD(t, "| survey |\n| | type | name | label |\n| | text | 1st | A |\n| | text | a b | B |\n")
	wantError(t, errs, "survey:3:name", `"1st" is not valid`)
	wantError(t, errs, "survey:4:name", `"a b" is not valid`)
}

func TestSheets(t *testing.T) {
	t.Run("single sheet is the survey", func(t *testing.T) {
		f := mustBuildMD(t, "| Sheet1 |\n| | type | name | label |\n| | text | a | A |\n")
		if f.Field("a") == nil || f.Field("a").Loc.Sheet != "Sheet1" {
			t.Errorf("single sheet not read as survey")
		}
	})
	t.Run("unknown sheets warn", func(t *testing.T) {
		f := mustBuildMD(t, "| survey |\n| | type | name |\n| | text | a |\n| stettings |\n| | form_id |\n| | x |\n| notes |\n| | anything |\n")
		wantWarning(t, f, `"stettings" is not part of XLSForm and is ignored (did you mean settings?)`)
		wantWarning(t, f, `"notes" is not part of XLSForm`)
	})
	t.Run("no survey", func(t *testing.T) {
		_, errs := buildMD(t, "| surveys |\n| | type | name |\n| | text | a |\n| choices |\n| | list_name | name |\n")
		if len(errs) == 0 || !strings.Contains(errs[0].Msg, `did you mean "surveys"`) || errs[0].Loc.Sheet != "surveys" {
			t.Errorf("got %v", errs)
		}
	})
}

func TestSmartQuotesInExpressions(t *testing.T) {
	f := mustBuildMD(t, `
| survey |
| | type | name | label | relevant |
| | text | a | “Quoted” label | |
| | text | b | B | ${a} = ‘other’ |
`)
	if got := f.Field("b").Relevant.Src; got != "${a} = 'other'" {
		t.Errorf("relevant %q", got)
	}
	if got := f.Field("a").Label[""]; got != "“Quoted” label" {
		t.Errorf("label changed to %q; only expressions are rewritten", got)
	}
}

func TestLoadThroughCompile(t *testing.T) {
	f, err := Load("household.md", []byte(`
| survey |
| | type | name | label | relevant |
| | integer | n | N | |
| | text | why | Why | ${n} > 3 |
`))
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != "household" || len(f.Fields) != 2 {
		t.Errorf("id %q fields %d", f.ID, len(f.Fields))
	}
}
