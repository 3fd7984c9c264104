package expr

import (
	"strings"
	"time"
)

// fakeCtx is a form with fixed answers. Paths are keyed by their steps
// joined with "/", with a leading "/" when absolute.
type fakeCtx struct {
	refs   map[string][]string
	cur    string
	paths  map[string][]string
	pos    int
	labels map[string]string // field + "=" + value
	now    time.Time
	calls  []string // Path keys asked for, to check what reached the engine
	insts  map[string]Instance
}

var cst = time.FixedZone("CST", 8*3600)

func newCtx() *fakeCtx {
	return &fakeCtx{
		refs: map[string][]string{
			"age":     {"30"},
			"blank":   {""},
			"q":       {"a other c"},
			"sel1":    {"yes"},
			"qo":      {"other"},
			"last":    {"Doe"},
			"first":   {"Jane"},
			"amount":  {"10"},
			"divisor": {"0"},
			"d":       {"2024-03-05"},
			"d2":      {"2024-03-06"},
			"dt":      {"2024-03-05T10:30:00.000+08:00"},
			"rep":     {"1", "2", "", "4"},
			"repnum":  {"3", "5", "7"},
			"norep":   {},
			"x":       {"4"},
			"state":   {"CA"},
			"county":  {"LA"},
			"f":       {"false"},
			"zero":    {"0"},
			"t":       {"06:00:00.000+08:00"},
			"name":    {"  Ana  María "},
			"big":     {"1e3"},
			"neg":     {"-3.7"},
			"a":       {"5"},
			"b":       {"x y"},
			"r":       {"[0-9]+"},
			"badre":   {"(("},
			"文字":      {"中文"},
		},
		cur: "0123456789",
		paths: map[string][]string{
			"state":       {"CA"},
			"county":      {"LA"},
			"/data/age":   {"30"},
			"../x":        {"4"},
			"..":          {""},
			"cf":          {"x"},
			"mod":         {"7"},
			"div":         {"2"},
			"/data/rep/v": {"1", "5", "9"},
			"////v":       {"1", "5", "9"}, // //v arrives as steps "//", "v"
			"/data/*":     {"30", "x"},
		},
		pos: 3,
		labels: map[string]string{
			"q=other":  "Other",
			"sel1=yes": "Yes",
			"sel1=no":  "No",
		},
		now: time.Date(2026, 11, 27, 16, 35, 59, 0, cst),
	}
}

func (c *fakeCtx) Ref(name string) []string { return c.refs[name] }
func (c *fakeCtx) Current() string          { return c.cur }
func (c *fakeCtx) Position(int) int         { return c.pos }
func (c *fakeCtx) Now() time.Time           { return c.now }

func (c *fakeCtx) Path(abs bool, steps []string) []string {
	key := strings.Join(steps, "/")
	if abs {
		key = "/" + key
	}
	c.calls = append(c.calls, key)
	return c.paths[key]
}

func (c *fakeCtx) ChoiceLabel(field, value string) string {
	return c.labels[field+"="+value]
}

func (c *fakeCtx) Instance(name string) Instance {
	if inst, ok := c.insts[name]; ok {
		return inst
	}
	return nil
}

// staticCtx is an allocation-free context for benchmarks and fuzzing.
type staticCtx struct {
	a, b, x []string
}

func (s *staticCtx) Ref(name string) []string {
	switch name {
	case "a":
		return s.a
	case "b":
		return s.b
	}
	return s.x
}
func (s *staticCtx) Current() string                        { return "12" }
func (s *staticCtx) Path(bool, []string) []string           { return s.x }
func (s *staticCtx) Position(int) int                       { return 1 }
func (s *staticCtx) ChoiceLabel(field, value string) string { return value }
func (s *staticCtx) Now() time.Time                         { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
func (s *staticCtx) Instance(string) Instance               { return nil }
