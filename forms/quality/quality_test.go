package quality

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
)

func fixedNow() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) }

const peopleMD = `
| survey |
| | type | name | label | required | relevant | constraint | warning | validate | sensitive | calculation |
| | text | name | Name | yes | | | | | name | |
| | text | pid | ID | | | | | cn_id | id_number | |
| | integer | age | Age | yes | | . >= 0 | . <= 100 | | | |
| | text | job | Job | | ${age} >= 16 | | | | | |
| | begin repeat | kids | Kids | | | | | | | |
| | text | kid_id | Kid ID | | | | | cn_id | | |
| | integer | kid_age | Kid age | | | | . < 18 | | | |
| | end repeat | | | | | | | | | |
| | text | shop | Shop code | | | | | cn_uscc | | |
| | calculate | n_kids | | | | | | | | count(${kids}) |
| | today | today | | | | | | | | |
| settings |
| | form_id | version | form_title |
| | people | 1 | People |
`

func load(t testing.TB, md string) *forms.Form {
	t.Helper()
	f, err := forms.Load("people.md", []byte(md))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func rec(t testing.TB, id, collector, day, state, data string) Record {
	t.Helper()
	obj, err := forms.DecodeRecord([]byte(data))
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return Record{ID: id, Data: obj, Collector: collector, Day: day, State: state}
}

func TestReport(t *testing.T) {
	f := load(t, peopleMD)
	a := New(f, Options{Now: fixedNow})
	a.Add(rec(t, "A", "王芳", "2026-11-01", "finalized", `{"name":"张三","pid":"110105196805140036","age":58,"job":"农民",
		"kids":[{"kid_id":"110105201006080018","kid_age":16}],"shop":"91110105MA01R7GA8K","today":"2026-11-01"}`))
	a.Add(rec(t, "B", "王芳", "2026-11-01", "draft", `{"pid":"110105196805140036","age":120,
		"kids":[{"kid_id":"110105201006080018","kid_age":20},{"kid_id":"110105201006080018"}]}`))
	a.Add(rec(t, "C", "李四", "2026-11-02", "sent", `{"name":"李四","pid":"11010519491231002x","age":101,"shop":"91110105MA01R7GA8K",
		"__warnings":[{"field":"age","path":"age","rule":"warning","message":"m"}]}`))
	a.Add(rec(t, "D", "李四", "2026-11-02", "finalized", `{"name":"王五","pid":"110105197003220020","age":30,
		"kids":[{"kid_id":"110105197003220020"}]}`))
	r := a.Report()

	type row struct {
		key, repeat                        string
		relevant, answered, failed, warned int
	}
	var got []row
	for _, fq := range r.Fields {
		got = append(got, row{fq.Key, fq.Repeat, fq.Relevant, fq.Answered, fq.Failed, fq.Warned})
	}
	want := []row{
		{"name", "", 4, 3, 1, 0},
		{"pid", "", 4, 4, 0, 0},
		{"age", "", 4, 4, 0, 2},
		{"job", "", 4, 1, 0, 0},
		{"kid_id", "kids", 4, 4, 0, 0},
		{"kid_age", "kids", 4, 2, 0, 1},
		{"shop", "", 4, 2, 0, 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fields:\n got %v\nwant %v", got, want)
	}
	if c := r.Fields[3].Completeness; c == nil || *c != 0.25 {
		t.Errorf("job completeness %v", c)
	}
	if r.Records != 4 || r.WithErrors != 1 || r.WithWarnings != 2 {
		t.Errorf("records %d, with errors %d, with warnings %d", r.Records, r.WithErrors, r.WithWarnings)
	}
	if want := []StateCount{{"draft", 1}, {"finalized", 2}, {"sent", 1}}; !reflect.DeepEqual(r.States, want) {
		t.Errorf("states %v", r.States)
	}
	if want := []CollectorDay{{"王芳", "2026-11-01", 2}, {"李四", "2026-11-02", 2}}; !reflect.DeepEqual(r.Days, want) {
		t.Errorf("days %v", r.Days)
	}
	wantDups := []Duplicate{
		{Kind: "cn_id", Value: "110105********0036", Fields: []string{"pid"}, Records: 2, IDs: []string{"A", "B"}},
		{Kind: "cn_id", Value: "110105********0018", Fields: []string{"kid_id"}, Records: 2, IDs: []string{"A", "B"}},
		{Kind: "cn_uscc", Value: "91110105MA01R7GA8K", Fields: []string{"shop"}, Records: 2, IDs: []string{"A", "C"}},
	}
	if !reflect.DeepEqual(r.Duplicates, wantDups) {
		t.Errorf("duplicates:\n got %+v\nwant %+v", r.Duplicates, wantDups)
	}
	// No unmasked identifier reaches the report a person reads.
	out, _ := json.Marshal(r)
	for _, raw := range []string{"110105196805140036", "110105201006080018"} {
		if strings.Contains(string(out), raw) {
			t.Errorf("the report shows %s in clear", raw)
		}
	}
}

// One record holding an ID twice in one question (two children with one
// ID) is flagged; the head of household being member 1 (two questions) is
// not; a lower-case x is the same ID as X.
func TestDuplicatesWithinRecord(t *testing.T) {
	f := load(t, peopleMD)
	a := New(f, Options{Now: fixedNow})
	a.Add(rec(t, "A", "", "", "draft", `{"pid":"11010519491231002x","kids":[{"kid_id":"11010519491231002X"}]}`))
	a.Add(rec(t, "B", "", "", "draft", `{"kids":[{"kid_id":"110105201006080018"},{"kid_id":"110105201006080018"}]}`))
	a.Add(rec(t, "C", "", "", "draft", `{"pid":"11010519491231002X"}`))
	// A draft's mistyped, over-long ID is compared too.
	a.Add(rec(t, "D", "", "", "draft", `{"pid":"1101051949123100200077"}`))
	a.Add(rec(t, "E", "", "", "draft", `{"pid":"1101051949 123100200077"}`))
	r := a.Report()
	want := []Duplicate{
		{Kind: "cn_id", Value: "110105********002X", Fields: []string{"pid", "kid_id"}, Records: 2, IDs: []string{"A", "C"}},
		{Kind: "cn_id", Value: "110105************0077", Fields: []string{"pid"}, Records: 2, IDs: []string{"D", "E"}},
		{Kind: "cn_id", Value: "110105********0018", Fields: []string{"kid_id"}, Records: 1, IDs: []string{"B"}},
	}
	if !reflect.DeepEqual(r.Duplicates, want) {
		t.Errorf("duplicates:\n got %+v\nwant %+v", r.Duplicates, want)
	}
}

// A value typed into thousands of records keeps an exact count but only
// the first few ids: memory follows distinct values, not records.
func TestDuplicateIDsBounded(t *testing.T) {
	f := load(t, peopleMD)
	a := New(f, Options{Now: fixedNow})
	for i := range 5000 {
		a.Add(Record{ID: fmt.Sprint("r", i), Data: map[string]any{"pid": "110105196805140036"}})
	}
	r := a.Report()
	if len(r.Duplicates) != 1 || r.Duplicates[0].Records != 5000 || len(r.Duplicates[0].IDs) != maxIDsPerGroup {
		t.Fatalf("%+v", r.Duplicates)
	}
	if len(a.ids) != 5000 || len(a.seen) != 1 {
		t.Errorf("kept %d ids and %d values", len(a.ids), len(a.seen))
	}
}

// Records of several versions: questions keep the newest version's order,
// a question only an older version asked follows, and an answer of the
// wrong type counts as answered and failed.
func TestVersions(t *testing.T) {
	newest := load(t, peopleMD)
	older := load(t, strings.Replace(peopleMD, "| | text | shop | Shop code |", "| | text | phone | Phone |", 1))
	a := New(newest, Options{Now: fixedNow})
	r := rec(t, "old", "x", "2026-01-01", "sent", `{"name":"甲","age":"abc","phone":"123"}`)
	r.Form = older
	a.Add(r)
	rep := a.Report()
	var keys []string
	for _, fq := range rep.Fields {
		keys = append(keys, fq.Key)
	}
	if want := []string{"name", "pid", "age", "job", "kid_id", "kid_age", "shop", "phone"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("fields %v", keys)
	}
	age := rep.Fields[2]
	if age.Answered != 1 || age.Failed != 1 || rep.Fields[7].Answered != 1 || rep.Fields[6].Relevant != 0 || rep.Fields[6].Completeness != nil {
		t.Errorf("age %+v, phone %+v, shop %+v", age, rep.Fields[7], rep.Fields[6])
	}
}

// An empty stream gives an empty, well-formed report.
func TestEmpty(t *testing.T) {
	r := New(load(t, peopleMD), Options{}).Report()
	out, err := json.Marshal(r)
	if err != nil || r.Records != 0 || len(r.Fields) != 7 || !strings.Contains(string(out), `"duplicates":[]`) {
		t.Errorf("%s %v", out, err)
	}
}

// States come in the caller's order, any others after them by name; with
// no order, all by name.
func TestReportStateOrder(t *testing.T) {
	f := load(t, peopleMD)
	for _, c := range []struct {
		order []string
		want  []string
	}{
		{[]string{"draft", "sent", "conflict"}, []string{"draft", "sent", "conflict", "archived", "zeta"}},
		{nil, []string{"archived", "conflict", "draft", "sent", "zeta"}},
	} {
		a := New(f, Options{Now: fixedNow, States: c.order})
		for i, s := range []string{"zeta", "sent", "draft", "archived", "conflict", "sent"} {
			a.Add(rec(t, fmt.Sprint(i), "王芳", "2026-11-01", s, `{}`))
		}
		var got []string
		for _, s := range a.Report().States {
			got = append(got, s.State)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("order %v: states %v, want %v", c.order, got, c.want)
		}
	}
}
