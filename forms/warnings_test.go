package forms

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// softMD has soft checks: a top-level one with messages in two languages,
// one without a message, one behind a relevance and one inside a repeat,
// beside a hard constraint on the same answer.
const softMD = `
| survey |
| | type | name | label | constraint | warning | warning_message::English (en) | warning_message::中文 (zh) | relevant |
| | integer | hh_size | Size | . >= 1 and . <= 30 | . <= 10 | More than 10 people: check | 户人数超过10人，请核实 | |
| | decimal | income | Income | . >= 0 | . < 1000000 | | | |
| | select_one yn | farm | Farm? | | | | | |
| | decimal | land | Land | | . <= 100 | Over 100 mu | 超过100亩 | ${farm} = 'yes' |
| | begin repeat | members | Members | | | | | |
| | integer | m_age | Age | . >= 0 | . <= 100 | Over 100 years old | 超过100岁 | |
| | end repeat | | | | | | | |
| choices |
| | list_name | name | label |
| | yn | yes | Yes |
| | yn | no | No |
`

func TestSoftChecks(t *testing.T) {
	f := mustLoadMD(t, softMD)
	cases := []struct {
		name, rec string
		warnings  []string // path rule: message
		errors    []string
	}{
		{"none tripped", `{"hh_size":3,"income":5000,"members":[{"m_age":40}]}`, nil, nil},
		{"blank answers are not checked", `{"members":[{}]}`, nil, nil},
		{"tripped with the form's message", `{"hh_size":12}`, []string{"hh_size warning: More than 10 people: check"}, nil},
		{"built-in message", `{"income":2000000}`, []string{"income warning: this answer is unusual: please check it"}, nil},
		{"a refused answer is not also warned", `{"hh_size":40}`, nil, []string{"hh_size constraint"}},
		{"not relevant: not checked", `{"farm":"no","land":500}`, []string{"land unknown"}, nil},
		{"relevant: checked", `{"farm":"yes","land":500}`, []string{"land warning: Over 100 mu"}, nil},
		{"per repeat instance", `{"members":[{"m_age":30},{"m_age":101},{"m_age":120}]}`,
			[]string{"members[2]/m_age warning: Over 100 years old", "members[3]/m_age warning: Over 100 years old"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obj, err := DecodeRecord([]byte(c.rec))
			if err != nil {
				t.Fatal(err)
			}
			_, res := f.ValidateRecord(obj, Options{Now: fixedNow, Language: LangEn})
			var ws, es []string
			for _, p := range res.Warnings {
				s := p.Path + " " + p.Rule
				if p.Rule == RuleWarning {
					s += ": " + p.Message
				}
				ws = append(ws, s)
			}
			for _, p := range res.Errors {
				es = append(es, p.Path+" "+p.Rule)
			}
			if !reflect.DeepEqual(ws, c.warnings) || !reflect.DeepEqual(es, c.errors) {
				t.Errorf("warnings %q errors %q, want %q and %q", ws, es, c.warnings, c.errors)
			}
			if len(c.errors) == 0 && !res.OK() {
				t.Error("a warning blocked the record")
			}
		})
	}
}

// The message follows the interface language through the form's
// languages, as constraint_message does.
func TestSoftCheckMessageLanguage(t *testing.T) {
	f := mustLoadMD(t, softMD)
	obj, _ := DecodeRecord([]byte(`{"hh_size":12}`))
	for lang, want := range map[string]string{LangHans: "户人数超过10人，请核实", LangEn: "More than 10 people: check"} {
		_, res := f.ValidateRecord(obj, Options{Now: fixedNow, Language: lang})
		if len(res.Warnings) != 1 || res.Warnings[0].Message != want {
			t.Errorf("%s: %+v, want %q", lang, res.Warnings, want)
		}
	}
	in := f.NewInstance(Options{Now: fixedNow, Language: LangHant})
	in.Set("income", "5000000")
	if _, ws := in.ProblemsAt("income", LangHant); len(ws) != 1 || ws[0].Message != "這個答案不太常見，請核實" {
		t.Errorf("built-in zh-Hant message: %+v", ws)
	}
}

func TestSoftCheckLoadErrors(t *testing.T) {
	cases := []struct {
		name, md, loc string
		fragments     []string
	}{
		{"expression does not parse", "| survey |\n| | type | name | label | warning |\n| | integer | n | N | . <= ) |\n",
			"test.md:survey:3:warning", []string{"does not parse"}},
		{"unknown reference", "| survey |\n| | type | name | label | warning |\n| | integer | n | N | . <= ${nope} |\n",
			"test.md:survey:3:warning", []string{"${nope}"}},
		{"on a calculation", "| survey |\n| | type | name | label | calculation | warning |\n| | calculate | c | | 1 + 1 | . < 3 |\n",
			"test.md:survey:3:warning", []string{"calculated question"}},
		{"on a note", "| survey |\n| | type | name | label | warning |\n| | note | n | Read this | . = '' |\n",
			"test.md:survey:3:warning", []string{"a note"}},
		{"on a group", "| survey |\n| | type | name | label | warning |\n| | begin group | g | G | true() |\n| | text | t | T | |\n| | end group | | | |\n",
			"test.md:survey:3:warning", []string{"a group"}},
		{"on metadata", "| survey |\n| | type | name | label | warning |\n| | today | d | | . > '2020-01-01' |\n",
			"test.md:survey:3:warning", []string{"metadata (today)"}},
		{"reserved name", "| survey |\n| | type | name | label |\n| | text | __warnings | W |\n",
			"test.md:survey:3:name", []string{"__warnings", "starts with __", "rename"}},
		{"reserved prefix", "| survey |\n| | type | name | label |\n| | text | __mine | W |\n",
			"test.md:survey:3:name", []string{"__mine"}},
		{"language on warning", "| survey |\n| | type | name | label | warning::English |\n| | integer | n | N | . < 3 |\n",
			"test.md:survey:3:warning::English", []string{"warning_message take a language"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load("test.md", []byte(c.md))
			var errs LoadErrors
			if !errors.As(err, &errs) {
				t.Fatalf("loaded, or not a located error: %v", err)
			}
			for _, e := range errs {
				if e.Loc.String() == c.loc {
					ok := true
					for _, frag := range c.fragments {
						ok = ok && strings.Contains(e.Msg, frag)
					}
					if ok {
						return
					}
				}
			}
			t.Errorf("no error at %s with %q:\n%v", c.loc, c.fragments, errs)
		})
	}
}

func TestSoftCheckLoadAccepts(t *testing.T) {
	// KoboToolbox's own __version__ stays loadable.
	f := mustLoadMD(t, "| survey |\n| | type | name | label | calculation | warning_message |\n| | calculate | __version__ | | 'vX' | |\n| | integer | n | N | | lonely |\n")
	if f.Field("__version__") == nil {
		t.Fatal("__version__ was not kept")
	}
	found := false
	for _, w := range f.Warnings {
		found = found || strings.Contains(w.Msg, "warning_message has no warning")
	}
	if !found {
		t.Errorf("a message without its expression gave no warning: %v", LoadErrors(f.Warnings))
	}
}

// A record carries its confirmed warnings under __warnings: read by Fill,
// accepted by validation, written back last and unchanged.
func TestConfirmedWarningsRoundTrip(t *testing.T) {
	f := mustLoadMD(t, softMD)
	line := `{"hh_size":"12","members":[{"m_age":"101"}],` +
		`"__warnings":[{"field":"hh_size","path":"hh_size","rule":"warning","message":"户人数超过10人，请核实"},` +
		`{"field":"m_age","path":"members[1]/m_age","rule":"warning","message":"Over \"100\""}]}`
	obj, err := DecodeRecord([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	in, res := f.ValidateRecord(obj, Options{Now: fixedNow})
	if !res.OK() {
		t.Fatalf("refused: %+v", res.Errors)
	}
	out, _ := in.MarshalJSON()
	if string(out) != line {
		t.Errorf("written back as\n%s\nwant\n%s", out, line)
	}
	if got := in.Confirmed(); len(got) != 2 || got[1].Path != "members[1]/m_age" || !in.IsConfirmed(res.Warnings[0]) {
		t.Errorf("confirmed %+v", got)
	}
	// An instance with nothing confirmed writes no key at all.
	plain, _ := f.ValidateRecord(map[string]any{"hh_size": "3"}, Options{})
	if out, _ := plain.MarshalJSON(); strings.Contains(string(out), WarningsKey) {
		t.Errorf("empty list written: %s", out)
	}
}

func TestConfirmedWarningsShape(t *testing.T) {
	f := mustLoadMD(t, softMD)
	good := `{"field":"hh_size","path":"hh_size","rule":"warning","message":""}`
	cases := []struct{ value, path string }{
		{`"yes"`, "__warnings"},
		{`{"field":"x"}`, "__warnings"},
		{`[1]`, "__warnings[1]"},
		{`[` + good + `,{"field":"hh_size","path":"hh_size","rule":"warning"}]`, "__warnings[2]"},
		{`[{"field":"hh_size","path":"hh_size","rule":"warning","message":"m","extra":"x"}]`, "__warnings[1]"},
		{`[{"field":"hh_size","path":"hh_size","rule":"warning","note":"m"}]`, "__warnings[1]"},
		{`[{"field":"hh_size","path":"","rule":"warning","message":"m"}]`, "__warnings[1]"},
		{`[{"field":"hh_size","path":"hh_size","rule":3,"message":"m"}]`, "__warnings[1]"},
	}
	for _, c := range cases {
		obj, err := DecodeRecord([]byte(`{"hh_size":"12","__warnings":` + c.value + `}`))
		if err != nil {
			t.Fatal(err)
		}
		_, res := f.ValidateRecord(obj, Options{Language: LangEn})
		if len(res.Errors) != 1 || res.Errors[0].Path != c.path || res.Errors[0].Rule != RuleType {
			t.Errorf("%s: errors %+v, want one type error at %s", c.value, res.Errors, c.path)
		}
	}
	// null and an empty list are no warnings, and nested the key is just
	// an unknown name.
	for _, v := range []string{`null`, `[]`} {
		obj, _ := DecodeRecord([]byte(`{"__warnings":` + v + `}`))
		if _, res := f.ValidateRecord(obj, Options{}); !res.OK() {
			t.Errorf("%s: %+v", v, res.Errors)
		}
	}
	obj, _ := DecodeRecord([]byte(`{"members":[{"__warnings":[]}]}`))
	if _, res := f.ValidateRecord(obj, Options{}); res.OK() || res.Errors[0].Rule != RuleUnknown {
		t.Errorf("inside a repeat: %+v", res.Errors)
	}
}

// Confirmations follow the answers they are about: a changed answer is
// confirmed afresh, a removed repeat entry takes its own along and the
// later entries' move up, and KeepConfirmed drops what no longer arises.
func TestConfirmedFollowAnswers(t *testing.T) {
	f := mustLoadMD(t, softMD)
	in := f.NewInstance(Options{Now: fixedNow, Language: LangEn})
	in.Set("hh_size", "12")
	for range 3 {
		in.AddRepeat("members")
	}
	in.Set("members[1]/m_age", "101")
	in.Set("members[2]/m_age", "102")
	in.Set("members[3]/m_age", "103")
	for _, p := range in.Validate(LangEn).Warnings {
		in.Confirm(p)
		in.Confirm(p)
	}
	paths := func() []string {
		var out []string
		for _, p := range in.Confirmed() {
			out = append(out, p.Path)
		}
		return out
	}
	if got := paths(); !reflect.DeepEqual(got, []string{"hh_size", "members[1]/m_age", "members[2]/m_age", "members[3]/m_age"}) {
		t.Fatalf("confirmed %q", got)
	}
	in.Set("hh_size", "12") // the same answer: still confirmed
	in.Set("members[1]/m_age", "105")
	if got := paths(); !reflect.DeepEqual(got, []string{"hh_size", "members[2]/m_age", "members[3]/m_age"}) {
		t.Fatalf("after changing member 1: %q", got)
	}
	if err := in.RemoveRepeat("members[2]"); err != nil {
		t.Fatal(err)
	}
	if got := paths(); !reflect.DeepEqual(got, []string{"hh_size", "members[2]/m_age"}) {
		t.Fatalf("after removing member 2: %q", got)
	}
	in.Set("members[2]/m_age", "103") // unchanged answer keeps it
	in.Set("hh_size", "12")
	in.confirmed = append(in.confirmed, Problem{Field: "income", Path: "income", Rule: RuleWarning, Message: "stale"})
	in.KeepConfirmed(in.Validate(LangEn).Warnings)
	if got := paths(); !reflect.DeepEqual(got, []string{"hh_size", "members[2]/m_age"}) {
		t.Fatalf("after KeepConfirmed: %q", got)
	}
}

func TestFieldAt(t *testing.T) {
	f := mustLoadMD(t, softMD)
	for path, want := range map[string]string{"hh_size": "hh_size", "members[2]/m_age": "m_age", "members": "members",
		"nope": "", "hh_size/x": "", "members[1]/nope": ""} {
		got := ""
		if fd := f.FieldAt(path); fd != nil {
			got = fd.Name
		}
		if got != want {
			t.Errorf("FieldAt(%q) = %q, want %q", path, got, want)
		}
	}
}
