package forms

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The forms in testdata/features each exercise one XLSForm feature that
// real forms use (issue 16); the tests here check what ODK does with them.

func loadFeature(t testing.TB, name string) *Form {
	t.Helper()
	path := filepath.Join("testdata", "features", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Load(name, data)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return f
}

// errorsOf validates one JSON record and lists its errors as "path rule".
func errorsOf(t testing.TB, f *Form, record string, opts Options) []string {
	t.Helper()
	obj, err := DecodeRecord([]byte(record))
	if err != nil {
		t.Fatal(err)
	}
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	_, res := f.ValidateRecord(obj, opts)
	return problems(res.Errors)
}

func sameList(got, want []string) bool {
	return strings.Join(got, "|") == strings.Join(want, "|")
}

// A required note that shows cannot be answered, so it stops the record
// from being finalized: ODK's documented stop-check (ODK Web Forms reports
// the note as a required violation). A note that does not show, or one
// that is not required, stops nothing.
func TestRequiredNoteBlocks(t *testing.T) {
	f := loadFeature(t, "required_note_h2.md")
	for _, c := range []struct {
		record string
		want   []string
	}{
		{`{"a":1,"b":2}`, []string{"stop required"}},
		{`{"a":2,"b":2}`, nil},
		{`{"a":9,"b":9}`, []string{"stop2 required"}},
		{`{"a":1,"b":9}`, []string{"stop required", "stop2 required"}},
	} {
		if got := errorsOf(t, f, c.record, Options{}); !sameList(got, c.want) {
			t.Errorf("%s: errors %v, want %v", c.record, got, c.want)
		}
	}
	obj, _ := DecodeRecord([]byte(`{"a":9,"b":9}`))
	_, res := f.ValidateRecord(obj, Options{Language: LangEn})
	if len(res.Errors) != 1 || res.Errors[0].Message != "b is 9: go back and change it" {
		t.Errorf("the form's required_message is what a blocked note says: %+v", res.Errors)
	}
	_, res = f.ValidateRecord(mustDecode(t, `{"a":1,"b":2}`), Options{Language: LangEn})
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "note") {
		t.Errorf("a blocked note without a required_message says why: %+v", res.Errors)
	}
	// The instance the screens fill agrees with the record check.
	in := f.NewInstance(Options{Now: fixedNow})
	reviewMust(t, in.Set("a", "1"))
	reviewMust(t, in.Set("b", "2"))
	if got := problems(in.Validate(LangEn).Errors); !sameList(got, []string{"stop required"}) {
		t.Errorf("Validate on the filled instance: %v", got)
	}
	if errs, _ := in.ProblemsAt("stop", LangEn); len(errs) != 1 {
		t.Errorf("ProblemsAt(stop) = %v, want the required error under the note", errs)
	}
}

func mustDecode(t testing.TB, record string) map[string]any {
	t.Helper()
	obj, err := DecodeRecord([]byte(record))
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// Bug: "+5" passed the integer type check and then failed ". < 10",
// because XPath's number() (and so the expression engine) reads "+5" as
// NaN; the same for 1e1 in a decimal. ODK's engines keep an integer or
// decimal answer as the number it stands for (JavaRosa parses it into
// IntegerData or DecimalData; ODK Web Forms stores "+5" as 5 and 1e1 as
// 10.0), so fieldbench stores the number too: the sign is dropped and the
// exponent written out, and the record holds what every expression reads.
// A number too large for a decimal is a type error. Text keeps XPath's
// rule: number('+5') is NaN, as in JavaRosa, and a calculation that comes
// out NaN stores nothing (JavaRosa's wrapData), not "NaN".
func TestNumbersReadAsTheyAreTyped(t *testing.T) {
	f := loadFeature(t, "numbers.md")
	for _, c := range []struct {
		record, want string
		errors       []string
	}{
		{`{"my_int":"+5","my_dec":"1e1"}`, `{"my_int":"5","my_dec":"10","total":"15"}`, nil},
		{`{"my_int":"+12","my_dec":"6.5E-0"}`, `{"my_int":"12","my_dec":"6.5","total":"18.5"}`, []string{"my_int constraint"}},
		{`{"my_dec":"1.5e-3"}`, `{"my_dec":"0.0015"}`, []string{"my_dec constraint"}},
		{`{"my_dec":"-2E+2"}`, `{"my_dec":"-200"}`, []string{"my_dec constraint"}},
		{`{"my_dec":"1e400"}`, `{}`, []string{"my_dec type"}},
		{`{"t":"+5"}`, `{"t":"+5"}`, nil},
		{`{"t":"5"}`, `{"t":"5","t_plus_one":"6"}`, nil},
	} {
		in, res := f.ValidateRecord(mustDecode(t, c.record), Options{Now: fixedNow})
		if got := problems(res.Errors); !sameList(got, c.errors) {
			t.Errorf("%s: errors %v, want %v", c.record, got, c.errors)
		}
		if b, _ := in.MarshalJSON(); string(b) != c.want {
			t.Errorf("%s: stored %s, want %s", c.record, b, c.want)
		}
	}
	in := f.NewInstance(Options{Now: fixedNow})
	reviewMust(t, in.Set("my_int", " +7 "))
	if v, _, _ := in.Value("my_int"); v != "7" {
		t.Errorf("typed +7 is stored as %q", v)
	}
}
