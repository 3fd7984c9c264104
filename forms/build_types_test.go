package forms

import (
	"reflect"
	"strings"
	"testing"
)

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
	if l2 == nil || f.Field("mx").ListName != "l2" || l2.Choices[0].Extra("region") != "north" || !reflect.DeepEqual(l2.Columns, []string{"region"}) {
		t.Errorf("external list %+v", l2)
	}
}

// A list on both choice sheets is no ambiguity: the type names the sheet
// (pyxform's case_insensitivity form).
func TestListOnBothChoiceSheets(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label |
| | select_one c1 | q1 | Q1 |
| | select_one_external c1 | q2 | Q2 |
| choices |
| | list_name | name | label |
| | c1 | n1-c | L1 |
| external_choices |
| | list_name | name | label |
| | c1 | n1-e | E1 |
`)
	if l := f.Lists[f.Field("q1").ListName]; l == nil || l.Choices[0].Name != "n1-c" {
		t.Errorf("q1 offers %+v, want the choices sheet's list", l)
	}
	if _, res := f.ValidateRecord(map[string]any{"q1": "n1-c"}, Options{}); len(res.Errors) > 0 {
		t.Errorf("q1 = n1-c: %+v", res.Errors)
	}
	if _, res := f.ValidateRecord(map[string]any{"q1": "n1-e"}, Options{}); len(res.Errors) == 0 {
		t.Error("q1 = n1-e (an external choice) was accepted")
	}
}

func TestTypeErrors(t *testing.T) {
	tests := []struct{ typ, frag string }{
		{"select_one_from_file towns", "with its extension"},
		{"begin loop l", "begin loop over LIST"},
		{"rank", "rank needs a list name"},
		{"background-audio", "background"},
		{"osm l extra", "unknown type"},
		{"integr", "did you mean integer?"},
		{"select_one", "needs a list name"},
		{"select_one l extra", "unexpected"},
		{"select_one ${a} x", "earlier answers"},
		{"select_one ${1a}", "earlier answers"},
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
| | osm | om | Map file | |
| | osm building | ob | Building | |
| | range | rg | Range | start=0 end=10 step=2 |
| | range | rd | Range | start=0.5, end=1.5 |
| | phone number | ph | Phone | |
| | hidden | h | | |
`)
	want := map[string]Type{
		"st": TypeStart, "dev": TypeDeviceID, "pn": TypePhoneNumber, "em": TypeEmail, "sim": TypeSimSerial,
		"sub": TypeSubscriberID, "pic": TypeImage, "au": TypeAudio, "vi": TypeVideo, "fi": TypeFile, "om": TypeFile, "ob": TypeFile,
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
| | type | name | label | trigger | relevant::English | choice_filter |
| | text | a | A | b | | |
| | text | b | B | | 1 | x = 1 |
`)
	wantError(t, errs, "survey:4:trigger", "a trigger is one ${name}")
	wantError(t, errs, "survey:5:relevant::English", "take a language")

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
		f := mustBuildMD(t, "| survey |\n| | type | name | label |\n| | text | a | A |\n| stettings |\n| | form_id |\n| | x |\n| notes |\n| | anything |\n")
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
