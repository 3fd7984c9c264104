package forms

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixedNow pins today() so that age calculations in tests never drift.
func fixedNow() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) }

func mustLoadMD(t testing.TB, md string) *Form {
	t.Helper()
	f, err := Load("test.md", []byte(md))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return f
}

// householdMD is a small household form in pyxform's markdown shape with
// every rule the engine enforces.
const householdMD = `
| survey |
| | type | name | label | required | constraint | constraint_message | relevant | calculation | repeat_count | choice_filter | validate |
| | select_one prov | province | Province | yes | | | | | | | |
| | select_one city | city | City | yes | | | | | | province=${province} | |
| | text | head_id | Head ID | yes | | | | | | | cn_id |
| | integer | hh_size | Size | yes | . >= 1 and . <= 30 | Size must be 1 to 30 | | | | | |
| | begin repeat | members | Members | | | | | | ${hh_size} | | |
| | text | m_name | Name | yes | | | | | | | |
| | date | m_birth | Birth | yes | . <= today() | | | | | | |
| | calculate | m_age | | | | | | int((today() - ${m_birth}) div 365.25) | | | |
| | select_one school | m_school | School | ${m_age} >= 6 | | | ${m_age} >= 6 and ${m_age} <= 18 | | | | |
| | end repeat | | | | | | | | | | |
| | calculate | n_members | | | | | | count(${members}) | | | |
| | decimal | income | Income | | . >= 0 | | | | | | |
| | select_multiple help | help | Help | | not(selected(., 'none') and count-selected(.) > 1) | | ${n_members} > 0 | | | | |
| choices |
| | list_name | name | label | province |
| | prov | 11 | Beijing | |
| | prov | 31 | Shanghai | |
| | city | 1101 | Beijing districts | 11 |
| | city | 3101 | Shanghai districts | 31 |
| | school | none | None | |
| | school | primary | Primary | |
| | help | none | None | |
| | help | food | Food | |
| | help | cash | Cash | |
`

func problems(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Path + " " + p.Rule
	}
	return out
}

func TestValidateRecord(t *testing.T) {
	f := mustLoadMD(t, householdMD)
	base := `"province":"11","city":"1101","head_id":"11010519491231002X"`
	cases := []struct {
		name     string
		record   string
		errors   []string
		warnings []string
	}{
		{"valid", `{` + base + `,"hh_size":2,"members":[{"m_name":"王建国","m_birth":"1949-12-31"},{"m_name":"王小明","m_birth":"2016-05-01","m_school":"primary"}],"income":"1200.5","help":"food cash"}`, nil, nil},
		{"lower-case x id accepted", `{"province":"11","city":"1101","head_id":"11010519491231002x","hh_size":1,"members":[{"m_name":"A","m_birth":"1949-12-31"}]}`, nil, nil},
		{"required blank", `{` + base + `,"hh_size":"","members":[]}`, []string{"hh_size required"}, nil},
		{"constraint", `{` + base + `,"hh_size":31}`, []string{"hh_size constraint", "members repeat_count"}, nil},
		{"type integer", `{` + base + `,"hh_size":"2.5"}`, []string{"hh_size type"}, nil},
		{"type date does not exist", `{` + base + `,"hh_size":1,"members":[{"m_name":"A","m_birth":"2023-02-30"}]}`, []string{"members[1]/m_birth type"}, nil},
		{"future birth", `{` + base + `,"hh_size":1,"members":[{"m_name":"A","m_birth":"2030-01-01"}]}`, []string{"members[1]/m_birth constraint"}, nil},
		{"choice not in list", `{"province":"99","city":"1101","head_id":"11010519491231002X","hh_size":1,"members":[{"m_name":"A","m_birth":"1949-12-31"}]}`, []string{"province choice", "city choice"}, nil},
		{"choice filtered out", `{"province":"31","city":"1101","head_id":"11010519491231002X","hh_size":1,"members":[{"m_name":"A","m_birth":"1949-12-31"}]}`, []string{"city choice"}, nil},
		{"bad id check char", `{"province":"11","city":"1101","head_id":"110105194912310021","hh_size":1,"members":[{"m_name":"A","m_birth":"1949-12-31"}]}`, []string{"head_id validate"}, nil},
		{"required by expression in repeat", `{` + base + `,"hh_size":1,"members":[{"m_name":"A","m_birth":"2016-05-01"}]}`, []string{"members[1]/m_school required"}, nil},
		{"non-relevant answer dropped", `{` + base + `,"hh_size":1,"members":[{"m_name":"A","m_birth":"1949-12-31","m_school":"primary"}]}`, nil, []string{"members[1]/m_school unknown"}},
		{"repeat count short", `{` + base + `,"hh_size":3,"members":[{"m_name":"A","m_birth":"1949-12-31"}]}`, []string{"members repeat_count"}, nil},
		{"unknown field", `{` + base + `,"hh_size":1,"members":[{"m_name":"A","m_birth":"1949-12-31","zzz":"1"}],"colour":"red"}`, []string{"members[1]/zzz unknown", "colour unknown"}, nil},
		{"field at wrong level", `{` + base + `,"hh_size":1,"m_name":"A","members":[{"m_name":"A","m_birth":"1949-12-31"}]}`, []string{"m_name unknown"}, nil},
		{"blank constraint not checked", `{` + base + `,"hh_size":1,"members":[{"m_name":"A","m_birth":"1949-12-31"}],"income":""}`, nil, nil},
		{"negative decimal", `{` + base + `,"hh_size":1,"members":[{"m_name":"A","m_birth":"1949-12-31"}],"income":-3}`, []string{"income constraint"}, nil},
		{"select_multiple constraint", `{` + base + `,"hh_size":1,"members":[{"m_name":"A","m_birth":"1949-12-31"}],"help":"none food"}`, []string{"help constraint"}, nil},
		{"select_multiple unknown choice", `{` + base + `,"hh_size":1,"members":[{"m_name":"A","m_birth":"1949-12-31"}],"help":"food gold"}`, []string{"help choice"}, nil},
		{"calculated value overwritten", `{` + base + `,"hh_size":1,"members":[{"m_name":"A","m_birth":"1949-12-31","m_age":"3"}]}`, nil, []string{"members[1]/m_age unknown"}},
		{"repeat given as object", `{` + base + `,"hh_size":1,"members":{"m_name":"A"}}`, []string{"members type", "members repeat_count"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obj, err := DecodeRecord([]byte(c.record))
			if err != nil {
				t.Fatal(err)
			}
			_, res := f.ValidateRecord(obj, Options{Now: fixedNow, Language: LangEn})
			got, want := problems(res.Errors), c.errors
			sort.Strings(got)
			sort.Strings(want)
			if len(got) != 0 || len(want) != 0 {
				if !reflect.DeepEqual(got, want) {
					t.Errorf("errors = %v, want %v (%+v)", got, want, res.Errors)
				}
			}
			if gw := problems(res.Warnings); len(gw) != len(c.warnings) || (len(gw) > 0 && !reflect.DeepEqual(gw, c.warnings)) {
				t.Errorf("warnings = %v, want %v", gw, c.warnings)
			}
		})
	}
}

func TestMessagesInThreeLanguages(t *testing.T) {
	f := mustLoadMD(t, householdMD)
	obj, _ := DecodeRecord([]byte(`{"province":"11","city":"1101","head_id":"11010519491231002X","hh_size":0}`))
	want := map[string]string{LangHans: "此题必答", LangHant: "此題必答", LangEn: "this question is required"}
	for lang := range want {
		_, res := f.ValidateRecord(obj, Options{Now: fixedNow, Language: lang})
		var msgs []string
		for _, p := range res.Errors {
			msgs = append(msgs, p.Message)
		}
		// hh_size 0 breaks the form's own constraint, whose message is the
		// form author's in every language.
		if len(res.Errors) == 0 || res.Errors[0].Message != "Size must be 1 to 30" {
			t.Errorf("%s: errors %v, want the form's constraint message first", lang, msgs)
		}
	}
	obj, _ = DecodeRecord([]byte(`{"province":"11","city":"1101","head_id":"11010519491231002X"}`))
	for lang, msg := range want {
		_, res := f.ValidateRecord(obj, Options{Now: fixedNow, Language: lang})
		if len(res.Errors) != 1 || res.Errors[0].Message != msg {
			t.Errorf("%s: errors %+v, want one %q", lang, res.Errors, msg)
		}
	}
}

func TestRecordNormalisedAndOrdered(t *testing.T) {
	f := mustLoadMD(t, householdMD)
	obj, _ := DecodeRecord([]byte(`{"income":" 12 ","members":[{"m_birth":"2016-05-01","m_name":"A","m_school":"primary"}],"hh_size":1,"head_id":"11010519491231002x","city":"1101","province":"11"}`))
	in, res := f.ValidateRecord(obj, Options{Now: fixedNow})
	if !res.OK() {
		t.Fatalf("unexpected errors %+v", res.Errors)
	}
	got, _ := in.MarshalJSON()
	want := `{"province":"11","city":"1101","head_id":"11010519491231002X","hh_size":"1","members":[{"m_name":"A","m_birth":"2016-05-01","m_age":"10","m_school":"primary"}],"n_members":"1","income":"12"}`
	if string(got) != want {
		t.Errorf("record\n got %s\nwant %s", got, want)
	}
}

func TestSetKeepsRelevanceAndCalculationsCurrent(t *testing.T) {
	f := mustLoadMD(t, householdMD)
	in := f.NewInstance(Options{Now: fixedNow})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(in.Set("hh_size", "2"))
	if _, err := in.AddRepeat("members"); err != nil {
		t.Fatal(err)
	}
	must(in.Set("members[1]/m_birth", "2016-05-01"))
	if v, rel, _ := in.Value("members[1]/m_age"); v != "10" || !rel {
		t.Errorf("m_age = %q (relevant %v), want 10", v, rel)
	}
	if _, rel, _ := in.Value("members[1]/m_school"); !rel {
		t.Error("m_school should be relevant for a 10-year-old")
	}
	must(in.Set("members[1]/m_birth", "1980-01-01"))
	if _, rel, _ := in.Value("members[1]/m_school"); rel {
		t.Error("m_school should not be relevant for an adult")
	}
	if v, _, _ := in.Value("n_members"); v != "1" {
		t.Errorf("n_members = %q, want 1", v)
	}
	if _, rel, _ := in.Value("help"); !rel {
		t.Error("help should be relevant once there is a member")
	}
	must(in.RemoveRepeat("members[1]"))
	if _, rel, _ := in.Value("help"); rel {
		t.Error("help should not be relevant without members")
	}
	if err := in.Set("members[3]/m_name", "x"); err == nil {
		t.Error("setting a missing instance should fail")
	}
	if err := in.Set("n_members", "4"); err == nil {
		t.Error("setting a calculated field should fail")
	}
}

// chainMD generates a form of n questions in a true chain: each even
// question is a running total (the previous total plus the answer before
// it) and each odd question is relevant only while the total before it is
// below a limit. Changing one answer changes every total after it, and so
// every relevance after it: the worst case for re-evaluation.
func chainMD(n int) string {
	var b strings.Builder
	b.WriteString("| survey |\n| | type | name | label | relevant | calculation |\n")
	for i := 1; i <= n; i++ {
		switch {
		case i == 2:
			fmt.Fprintf(&b, "| | calculate | q2 | | | coalesce(${q1}, 0) |\n")
		case i%2 == 0:
			fmt.Fprintf(&b, "| | calculate | q%d | | | ${q%d} + coalesce(${q%d}, 0) |\n", i, i-2, i-1)
		case i > 2:
			fmt.Fprintf(&b, "| | integer | q%d | Q%d | ${q%d} < 100000 | |\n", i, i, i-1)
		default:
			fmt.Fprintf(&b, "| | integer | q%d | Q%d | | |\n", i, i)
		}
	}
	return b.String()
}

// snapshot lists every value and relevance, to compare two instances.
func snapshot(in *Instance) string {
	var b strings.Builder
	for _, fd := range in.form.Fields {
		if fd.Repeat == nil {
			s := in.slot(fd)
			fmt.Fprintf(&b, "%s=%q/%v ", fd.Name, in.root.value[s], in.root.rel[s])
		}
	}
	return b.String()
}

// TestIncrementalMatchesFull checks the dependency graph: after every answer
// the incrementally updated instance must equal one evaluated from scratch.
func TestIncrementalMatchesFull(t *testing.T) {
	f := mustLoadMD(t, chainMD(60))
	rng := rand.New(rand.NewSource(1))
	in := f.NewInstance(Options{Now: fixedNow})
	in.evaluate()
	answers := map[string]any{}
	for step := 0; step < 400; step++ {
		q := fmt.Sprintf("q%d", 2*rng.Intn(30)+1)
		v := fmt.Sprint(rng.Intn(6))
		if rng.Intn(5) == 0 {
			v = ""
		}
		if err := in.Set(q, v); err != nil {
			t.Fatal(err)
		}
		answers[q] = v
		full, _ := f.Fill(answers, Options{Now: fixedNow})
		if a, b := snapshot(in), snapshot(full); a != b {
			t.Fatalf("step %d (%s=%q): incremental and full evaluation differ\nincr %s\nfull %s", step, q, v, a, b)
		}
	}
}

func TestCycleRefused(t *testing.T) {
	_, err := Load("cycle.md", []byte(`
| survey |
| | type | name | label | calculation |
| | calculate | a | | ${b} + 1 |
| | calculate | b | | ${a} + 1 |
`))
	if err == nil || !strings.Contains(err.Error(), "circle") || !strings.Contains(err.Error(), "cycle.md") {
		t.Fatalf("want a located cycle error, got %v", err)
	}
}

func TestUnknownReferenceRefused(t *testing.T) {
	_, err := Load("ref.md", []byte(`
| survey |
| | type | name | label | relevant |
| | integer | a | A | |
| | integer | b | B | ${c} > 1 |
`))
	if err == nil || !strings.Contains(err.Error(), "${c}") || !strings.Contains(err.Error(), "relevant") {
		t.Fatalf("want a located unknown-reference error, got %v", err)
	}
}

func BenchmarkReevaluate1000(b *testing.B) {
	f := mustLoadMD(b, chainMD(1000))
	in := f.NewInstance(Options{Now: fixedNow})
	for i := 1; i <= 1000; i += 2 {
		in.Set(fmt.Sprintf("q%d", i), "1")
	}
	rng := rand.New(rand.NewSource(1))
	paths := make([]string, 1021) // prime, so no path repeats in step with the values
	for i := range paths {
		paths[i] = fmt.Sprintf("q%d", 2*rng.Intn(500)+1)
	}
	values := []string{"1", "2"}
	durations := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Alternate between two values so every Set is a real change.
		start := time.Now()
		p := paths[i%len(paths)]
		v, _, _ := in.Value(p)
		next := values[0]
		if v == next {
			next = values[1]
		}
		in.Set(p, next)
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	reportMedian(b, durations)
}

// reportMedian adds the median time per operation to a benchmark's output:
// the targets are medians, and ns/op is a mean.
func reportMedian(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	b.ReportMetric(float64(d[len(d)/2].Nanoseconds()), "median-ns/op")
}

func TestDefaultsOnlyForNewRecords(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | default |
| | text | village | Village | 大路李村 |
| | date | visit | Visit | today() |
| | begin repeat | members | Members | |
| | select_one sex | m_sex | Sex | female |
| | end repeat | | | |
| choices |
| | list_name | name | label |
| | sex | male | Male |
| | sex | female | Female |
`)
	in := f.NewInstance(Options{Now: fixedNow, Defaults: true})
	if v, _, _ := in.Value("village"); v != "大路李村" {
		t.Errorf("village = %q, want its default", v)
	}
	if v, _, _ := in.Value("visit"); v != "2026-11-27" {
		t.Errorf("visit = %q, want today", v)
	}
	in.AddRepeat("members")
	if v, _, _ := in.Value("members[1]/m_sex"); v != "female" {
		t.Errorf("new repeat instance m_sex = %q, want its default", v)
	}
	obj, _ := DecodeRecord([]byte(`{"members":[{}]}`))
	read, _ := f.Fill(obj, Options{Now: fixedNow})
	if v, _, _ := read.Value("village"); v != "" {
		t.Errorf("a record read from a file gained the default %q", v)
	}
}

func TestSelfReferenceRefused(t *testing.T) {
	for _, calc := range []string{"${a} + 1", "../a + 1"} {
		_, err := Load("self.md", []byte("| survey |\n| | type | name | label | calculation |\n| | calculate | a | | "+calc+" |\n"))
		if err == nil || !strings.Contains(err.Error(), "circle") {
			t.Errorf("%s: want a cycle error, got %v", calc, err)
		}
	}
}

func TestInstanceName(t *testing.T) {
	f, err := LoadFile(filepath.Join("samples", "household_visit.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	obj, _ := DecodeRecord([]byte(`{"head_name":"王建国","village":"大路李村"}`))
	in, _ := f.Fill(obj, Options{Now: fixedNow})
	if got := in.Name(); got != "王建国 大路李村" {
		t.Errorf("Name() = %q", got)
	}
	if got := mustLoadMD(t, flatMD).NewInstance(Options{}).Name(); got != "" {
		t.Errorf("a form without instance_name gave %q", got)
	}
}

// TestBuiltinListsConcurrently loads forms using different built-in lists
// at once (run with -race): the lists are built lazily and shared.
func TestBuiltinListsConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for _, list := range []string{"cn_province", "cn_city", "cn_county", "cn_township"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := Load("b.md", []byte("| survey |\n| | type | name | label |\n| | select_one "+list+" | q | Q |\n"))
			if err != nil || len(f.Lists[list].Choices) == 0 {
				t.Errorf("%s: %v", list, err)
			}
		}()
	}
	wg.Wait()
}
