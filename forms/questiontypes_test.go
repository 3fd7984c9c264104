package forms

import (
	"strings"
	"testing"
	"time"
)

// Question types and columns real forms use (issue 16), each on a form in
// testdata/features.

// geotrace and geoshape are coordinate lists: every point in range, a
// line of two points or more, a closed area of four or more.
func TestGeotraceAndGeoshape(t *testing.T) {
	f := loadFeature(t, "geo.md")
	const line = "30.5 114.3 20 5;30.6 114.4 21 5"
	const area = "30.5 114.3;30.6 114.3;30.6 114.4;30.5 114.3"
	for _, c := range []struct {
		record string
		errors []string
	}{
		{`{"path":"` + line + `","field_edge":"` + area + `","old_path":"1 2;3 4"}`, nil},
		{`{"path":" 30.5  114.3 ; 30.6 114.4 ;"}`, nil},
		{`{"path":"30.5 114.3"}`, []string{"path type"}},
		{`{"path":"30.5 114.3;91 114.3"}`, []string{"path type"}},
		{`{"path":"30.5 114.3;30.6 181"}`, []string{"path type"}},
		{`{"path":"30.5 114.3;abc"}`, []string{"path type"}},
		{`{"field_edge":"30.5 114.3;30.6 114.3;30.6 114.4;30.7 114.3"}`, []string{"field_edge type"}},
		{`{"field_edge":"30.5 114.3;30.6 114.3;30.5 114.3"}`, []string{"field_edge type"}},
	} {
		if got := errorsOf(t, f, c.record, Options{}); !sameList(got, c.errors) {
			t.Errorf("%s: %v, want %v", c.record, got, c.errors)
		}
	}
	in, _ := f.ValidateRecord(mustDecode(t, `{"path":" 30.5  114.3 ; 30.6 114.4 ;"}`), Options{Now: fixedNow})
	if v := value(t, in, "path"); v != "30.5 114.3;30.6 114.4" {
		t.Errorf("a geotrace is stored as %q", v)
	}
}

// rank orders every choice its list offers, each once; the filter decides
// what "every" is.
func TestRank(t *testing.T) {
	f := loadFeature(t, "rank.md")
	for _, c := range []struct {
		record string
		errors []string
	}{
		{`{"priority":"rice maize wheat"}`, nil},
		{`{"priority":"rice  maize wheat "}`, nil},
		{`{"priority":"rice maize"}`, []string{"priority choice"}},
		{`{"priority":"rice maize maize"}`, []string{"priority choice"}},
		{`{"priority":"rice maize oats"}`, []string{"priority choice"}},
		{`{"priority":""}`, []string{"priority required"}},
		{`{"priority":"rice maize wheat","region":"north","local_priority":"wheat maize"}`, nil},
		{`{"priority":"rice maize wheat","region":"south","local_priority":"wheat maize"}`, []string{"local_priority choice"}},
		{`{"priority":"rice maize wheat","region":"south","local_priority":"rice"}`, nil},
	} {
		if got := errorsOf(t, f, c.record, Options{}); !sameList(got, c.errors) {
			t.Errorf("%s: %v, want %v", c.record, got, c.errors)
		}
	}
	_, res := f.ValidateRecord(mustDecode(t, `{"priority":"rice maize"}`), Options{Language: LangEn})
	if len(res.Errors) != 1 || res.Errors[0].Message != "rank all 3 choices (2 are ranked)" {
		t.Errorf("an incomplete rank: %+v", res.Errors)
	}
	in := f.NewInstance(Options{Now: fixedNow})
	reviewMust(t, in.Set("region", "north"))
	reviewMust(t, in.Set("local_priority", "wheat maize"))
	reviewMust(t, in.Set("region", "south"))
	if cleared := in.ClearFiltered(); len(cleared) != 1 || in.Answer("local_priority") != "" {
		t.Errorf("a new region keeps no crop of the old one: %+v %q", cleared, in.Answer("local_priority"))
	}
	if _, err := Load("x.md", []byte("| survey |\n| | type | name | label |\n| | rank | r | R |\n")); err == nil || !strings.Contains(err.Error(), "rank needs a list name") {
		t.Errorf("rank without a list: %v", err)
	}
}

// The trigger column: a question is set when a named question is answered
// (or changes), to its calculation worked out then, and keeps its value
// otherwise; one with no label is not asked.
func TestTriggerColumn(t *testing.T) {
	f := loadFeature(t, "trigger.md")
	now := fixedNow()
	clock := func() time.Time { return now }
	in := f.NewInstance(Options{Now: clock})
	if v := value(t, in, "a_changed"); v != "" {
		t.Errorf("before a is answered, a_changed = %q", v)
	}
	reviewMust(t, in.Set("a", "hello"))
	stamp := value(t, in, "a_changed")
	if !strings.HasPrefix(stamp, "2026-11-27T10:00:00") || value(t, in, "a_length") != "5" || value(t, in, "either") != "hello+" {
		t.Errorf("after a: a_changed %q, a_length %q, either %q", stamp, value(t, in, "a_length"), value(t, in, "either"))
	}
	now = now.Add(time.Hour)
	reviewMust(t, in.Set("b", "x"))
	if value(t, in, "a_changed") != stamp || value(t, in, "either") != "hello+x" {
		t.Errorf("b changed: a_changed %q (kept?), either %q", value(t, in, "a_changed"), value(t, in, "either"))
	}
	reviewMust(t, in.Set("cleared", "typed"))
	reviewMust(t, in.Set("a_length", "9"))
	reviewMust(t, in.Set("b", "y"))
	if value(t, in, "cleared") != "" || value(t, in, "a_length") != "9" {
		t.Errorf("b changed again: cleared %q, a_length %q", value(t, in, "cleared"), value(t, in, "a_length"))
	}
	reviewMust(t, in.Set("a", "hello"))
	if value(t, in, "a_changed") != stamp {
		t.Error("a answered with the same value changed nothing, so triggers nothing")
	}
	in.AddRepeat("rep")
	in.AddRepeat("rep")
	reviewMust(t, in.Set("rep[2]/one", "z"))
	if value(t, in, "rep[1]/one_copy") != "" || value(t, in, "rep[2]/one_copy") != "copy of z" {
		t.Errorf("in a repeat: %q %q", value(t, in, "rep[1]/one_copy"), value(t, in, "rep[2]/one_copy"))
	}
	var asked []string
	for _, st := range in.Steps() {
		asked = append(asked, st.Path)
	}
	if got := strings.Join(asked, " "); got != "a b a_length rep[1]/one rep[2]/one rep" {
		t.Errorf("asked: %s", got)
	}
	// A record keeps what its trigger set: nothing is worked out again.
	got, res := f.ValidateRecord(mustDecode(t, `{"a":"hello","a_changed":"2020-01-01T00:00:00Z","a_length":"2"}`), Options{Now: fixedNow})
	if !res.OK() || value(t, got, "a_changed") != "2020-01-01T00:00:00Z" || value(t, got, "a_length") != "2" {
		t.Errorf("a stored record: %v %q %q", res.Errors, value(t, got, "a_changed"), value(t, got, "a_length"))
	}
	// One that leaves out a question nobody answers was made before the
	// trigger fired there: it is set now, as ODK set it. A question the
	// collector answers keeps the record's (blank) answer.
	got, res = f.ValidateRecord(mustDecode(t, `{"a":"hello","rep":[{"one":"z"},{}]}`), Options{Now: fixedNow})
	if !res.OK() || !strings.HasPrefix(value(t, got, "a_changed"), "2026-11-27T10:00:00") || value(t, got, "a_length") != "" ||
		value(t, got, "either") != "hello+" || value(t, got, "cleared") != "" ||
		value(t, got, "rep[1]/one_copy") != "copy of z" || value(t, got, "rep[2]/one_copy") != "" {
		t.Errorf("a record without what its triggers set: %v a_changed %q a_length %q either %q one_copy %q %q", res.Errors,
			value(t, got, "a_changed"), value(t, got, "a_length"), value(t, got, "either"), value(t, got, "rep[1]/one_copy"), value(t, got, "rep[2]/one_copy"))
	}
	for _, c := range []struct{ md, want string }{
		{"| | text | a | A | |\n| | dateTime | b | | ${nope} |\n", "${nope} refers to no question"},
		{"| | text | a | A | |\n| | dateTime | b | | 6 |\n", `a trigger is one ${name}, or several separated by commas (here: "6")`},
		{"| | text | a | A | |\n| | dateTime | b | | ${a}${a} |\n", "a trigger is one ${name}"},
		{"| | calculate | one | | |\n| | dateTime | b | | ${one} |\n", "${one} is not a question the collector answers, so it cannot trigger ${b}"},
	} {
		md := "| survey |\n| | type | name | label | trigger |\n" + strings.Replace(c.md, "| | calculate | one | | |", "| | calculate | one | | |", 1)
		if strings.Contains(c.md, "calculate") {
			md = "| survey |\n| | type | name | label | trigger | calculation |\n| | calculate | one | | | 1 + 1 |\n| | dateTime | b | | ${one} | |\n"
		}
		if _, err := Load("x.md", []byte(md)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v", c.md, err)
		}
	}
}

// start-geopoint, background-geopoint and audit load, and stay blank: a
// terminal has no GPS, and fieldbench's audit trail is the paradata.
func TestDeviceMetadataTypes(t *testing.T) {
	f := loadFeature(t, "device_meta.md")
	for name, typ := range map[string]Type{"where_started": TypeStartGeopoint, "temp_geo": TypeBackgroundGeopoint, "audit": TypeAudit} {
		if fd := f.Field(name); fd == nil || fd.Type != typ || !typ.IsMeta() {
			t.Errorf("%s: %+v", name, fd)
		}
	}
	in := f.NewInstance(Options{Now: fixedNow})
	reviewMust(t, in.Set("temp", "36"))
	if v := value(t, in, "temp_geo"); v != "" {
		t.Errorf("background-geopoint after its trigger: %q", v)
	}
	if got := errorsOf(t, f, `{"where_started":"30.5 114.3 20 5","temp":"36","audit":"audit.csv"}`, Options{}); len(got) != 0 {
		t.Errorf("a record from ODK with locations and the audit file: %v", got)
	}
	if got := errorsOf(t, f, `{"where_started":"north"}`, Options{}); !sameList(got, []string{"where_started type"}) {
		t.Errorf("a start-geopoint that is no location: %v", got)
	}
	for _, c := range []struct{ row, want string }{
		{"| | audit | bobby | | |\n", "an audit is always named audit"},
		{"| | background-geopoint | g | | |\n", "a background-geopoint needs the question that triggers it"},
		{"| | integer | temp | T | |\n| | background-geopoint | g | | ${temp} | 5 * ${temp} |\n", "a background-geopoint takes no calculation"},
	} {
		md := "| survey |\n| | type | name | label | trigger | calculation |\n" + c.row
		if _, err := Load("x.md", []byte(md)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v", c.row, err)
		}
	}
}
