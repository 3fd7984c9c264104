package forms

import (
	"strings"
	"testing"
)

// Expression features real forms use (issue 16), each on a form in
// testdata/features.

func value(t testing.TB, in *Instance, path string) string {
	t.Helper()
	v, _, err := in.Value(path)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// ${last-saved#name} reads the last saved record as it was saved, blank
// when there is none; a default from it fills a new record.
func TestLastSaved(t *testing.T) {
	f := loadFeature(t, "last_saved.md")
	fresh := f.NewInstance(Options{Now: fixedNow, Defaults: true})
	if v := value(t, fresh, "village"); v != "" {
		t.Errorf("no last saved record: the default is %q", v)
	}
	if v := value(t, fresh, "last_visit"); v != "last: " {
		t.Errorf("no last saved record: last_visit = %q", v)
	}
	last := mustDecode(t, `{"village":"大王庄","visit":"3","last_visit":"last: 2","members":[{"name":"Ann"},{"name":"Bob"}]}`)
	in := f.NewInstance(Options{Now: fixedNow, Defaults: true, LastSaved: last})
	for path, want := range map[string]string{"village": "大王庄", "last_visit": "last: 3", "last_first": "Ann", "last_count": "2"} {
		if v := value(t, in, path); v != want {
			t.Errorf("%s = %q, want %q", path, v, want)
		}
	}
	reviewMust(t, in.Set("visit", "3"))
	if got := problems(in.Validate(LangEn).Errors); !sameList(got, []string{"visit constraint"}) {
		t.Errorf("visit 3 after a saved visit 3: %v", got)
	}
	if got := errorsOf(t, f, `{"visit":"4"}`, Options{LastSaved: last}); len(got) != 0 {
		t.Errorf("visit 4 after a saved visit 3: %v", got)
	}
	if got := errorsOf(t, f, `{"visit":"1"}`, Options{}); len(got) != 0 {
		t.Errorf("visit 1 with no saved record: %v", got)
	}
	if _, err := Load("bad.md", []byte("| survey |\n| | type | name | label | calculation |\n| | calculate | c | | ${last-saved#nothing} |\n")); err == nil ||
		!strings.Contains(err.Error(), "${last-saved#nothing} refers to no question") {
		t.Errorf("a last-saved reference to no question: %v", err)
	}
}

// indexed-repeat(), ${rep}[n]/q, /data/rep[n]/q and predicates over
// instances, kept up to date as answers come.
func TestIndexedRepeatAndPositionalPaths(t *testing.T) {
	f := loadFeature(t, "indexed_repeat.md")
	in := f.NewInstance(Options{Now: fixedNow})
	for i, m := range [][2]string{{"Ann", "40"}, {"Bob", "12"}, {"Bob", "19"}} {
		if _, err := in.AddRepeat("members"); err != nil {
			t.Fatal(err)
		}
		p := "members[" + string(rune('1'+i)) + "]/"
		reviewMust(t, in.Set(p+"name", m[0]))
		reviewMust(t, in.Set(p+"age", m[1]))
	}
	for path, want := range map[string]string{
		"first_name": "Ann", "second_age": "12", "first_age": "40", "adults": "2", "adult_names": "Ann Bob",
		"members[1]/prev_name": "", "members[2]/prev_name": "Ann", "members[3]/prev_name": "Bob",
	} {
		if v := value(t, in, path); v != want {
			t.Errorf("%s = %q, want %q", path, v, want)
		}
	}
	if _, rel, _ := in.Value("members[3]/same_as_prev"); !rel {
		t.Error("members[3] has the name of members[2]: its note should show")
	}
	reviewMust(t, in.Set("members[2]/age", "30"))
	if v := value(t, in, "adults"); v != "3" {
		t.Errorf("after members[2] turned 30, adults = %q", v)
	}
	reviewMust(t, in.RemoveRepeat("members[1]"))
	if v := value(t, in, "first_name"); v != "Bob" {
		t.Errorf("after removing Ann, first_name = %q", v)
	}
	obj := mustDecode(t, `{"households":[{"people":[{"pname":"A1"}]},{"people":[{"pname":"B1"},{"pname":"B2"}]}]}`)
	got, _ := f.ValidateRecord(obj, Options{Now: fixedNow})
	if v := value(t, got, "h2p1"); v != "B1" {
		t.Errorf("indexed-repeat over two levels = %q, want B1", v)
	}
}

// current() in a choice filter is the select question: current()/../crop is
// the crop of the same plot.
func TestCurrentInChoiceFilter(t *testing.T) {
	f := loadFeature(t, "current_filter.md")
	in := f.NewInstance(Options{Now: fixedNow})
	reviewMust(t, in.Set("main_crop", "rice"))
	for i, crop := range []string{"maize", "rice"} {
		in.AddRepeat("plots")
		reviewMust(t, in.Set("plots["+string(rune('1'+i))+"]/crop", crop))
	}
	names := func(path string) string {
		cs, err := in.Choices(path)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return strings.Join(out, " ")
	}
	for path, want := range map[string]string{"plots[1]/variety": "m1 m2", "plots[2]/variety": "r1", "plots[1]/main_variety": "r1"} {
		if got := names(path); got != want {
			t.Errorf("%s offers %q, want %q", path, got, want)
		}
	}
	got := errorsOf(t, f, `{"main_crop":"rice","plots":[{"crop":"maize","variety":"r1"},{"crop":"rice","variety":"r1","main_variety":"m1"}]}`, Options{})
	if !sameList(got, []string{"plots[1]/variety choice", "plots[2]/main_variety choice"}) {
		t.Errorf("varieties of the wrong crop: %v", got)
	}
}

// ${instanceID} is the record's id as ODK writes it; the metadata questions
// are read like any other.
func TestInstanceIDAndMetadataRefs(t *testing.T) {
	f := loadFeature(t, "instance_id.md")
	in := f.NewInstance(Options{Now: fixedNow, InstanceID: InstanceIDOf("0192f0c4-7c1e-7000-8000-000000000001")})
	if v := value(t, in, "record_ref"); v != "uuid:0192f0c4-7c1e-7000-8000-000000000001" {
		t.Errorf("record_ref = %q", v)
	}
	if got := in.Text("shown_id", f.Field("shown_id").Label, ""); got != "This record is uuid:0192f0c4-7c1e-7000-8000-000000000001" {
		t.Errorf("the note shows %q", got)
	}
	in.SetInstanceID("uuid:x")
	if v := value(t, in, "record_ref"); v != "uuid:x" {
		t.Errorf("after SetInstanceID, record_ref = %q", v)
	}
	reviewMust(t, in.Set("username", "王芳"))
	reviewMust(t, in.Set("deviceid", "fieldbench:abc"))
	reviewMust(t, in.Set("start", "2026-11-27T10:00:00+08:00"))
	if v := value(t, in, "who"); v != "王芳 on fieldbench:abc from 2026-11-27T10:00:00+08:00" {
		t.Errorf("who = %q", v)
	}
	md := "| survey |\n| | type | name | label | calculation |\n| | calculate | c | | ${instanceID} |\n| settings |\n| | form_id | omit_instanceID |\n| | x | yes |\n"
	if _, err := Load("x.md", []byte(md)); err == nil || !strings.Contains(err.Error(), "${instanceID} refers to no question") {
		t.Errorf("with omit_instanceID the form has no ${instanceID}: %v", err)
	}
}

// An expression that does not parse is reported in the interface
// language, its detail included (it was English in every language).
func TestExpressionErrorInInterfaceLanguage(t *testing.T) {
	_, err := Load("x.md", []byte("| survey |\n| | type | name | label | relevant |\n| | text | a | A | if(1, 2) |\n"))
	errs, ok := err.(LoadErrors)
	if !ok || len(errs) != 1 {
		t.Fatalf("%v", err)
	}
	for lang, want := range map[string]string{
		LangHans: "if() 需要 3 个参数，实有 2 个",
		LangHant: "if() 需要 3 個參數，實有 2 個",
		LangEn:   "if() takes 3 arguments, got 2",
	} {
		if got := errs[0].Localized(lang); !strings.Contains(got, want) {
			t.Errorf("%s: %s", lang, got)
		}
	}
}

// pyxform's workaround for a default from the instance before (its
// test_references__source_under_target): position() of an element in a
// predicate on the repeat.
func TestDefaultFromThePreviousInstance(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type         | name | label  | default     |
| | begin_repeat | t    | target |             |
| | begin group  | g1t  | g1t    |             |
| | date         | s    | source | ${t}[position() = position(current()/../..) - 1]/g1t/s |
| | end group    | g1t  |        |             |
| | end_repeat   | t    |        |             |
| | begin_repeat | t2   | t2     |             |
| | text         | s2   | s2     | ${t2}[position() = position(current()/..) - 1]/s2 |
| | end_repeat   | t2   |        |             |
`)
	in := f.NewInstance(Options{Now: fixedNow, Defaults: true})
	in.AddRepeat("t")
	reviewMust(t, in.Set("t[1]/s", "2026-01-02"))
	in.AddRepeat("t")
	in.AddRepeat("t2")
	reviewMust(t, in.Set("t2[1]/s2", "first"))
	in.AddRepeat("t2")
	if v, w := value(t, in, "t[2]/s"), value(t, in, "t2[2]/s2"); v != "2026-01-02" || w != "first" {
		t.Errorf("the new instances' defaults: %q %q", v, w)
	}
}
