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
	doc    *tnode   // the record as elements, for node paths
	self   *tnode
	saved  map[string][]string // the last saved record's answers
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
			"want":    {"Tianjin"},
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
		doc: testDoc(),
		saved: map[string][]string{
			"age":  {"29"},
			"trip": {"", ""},
			"dest": {"Xi'an", "Lhasa"},
		},
	}
}

// tnode is an element of fakeCtx's record.
type tnode struct {
	name, value string
	kids        []*tnode
	parent      *tnode
}

func el(name, value string, kids ...*tnode) *tnode {
	n := &tnode{name: name, value: value, kids: kids}
	for _, k := range kids {
		k.parent = n
	}
	return n
}

func (n *tnode) Name() string { return n.name }

func (n *tnode) Value() string {
	if len(n.kids) == 0 {
		return n.value
	}
	var b strings.Builder
	for _, k := range n.kids {
		b.WriteString(k.Value())
	}
	return b.String()
}

func (n *tnode) Children(name string) []Node {
	var out []Node
	for _, k := range n.kids {
		if name == "*" || k.name == name {
			out = append(out, k)
		}
	}
	return out
}

func (n *tnode) Parent() Node {
	if n.parent == nil {
		return nil
	}
	return n.parent
}

// testDoc is a household record: two trips, two households with members,
// and the question q the expressions belong to, beside a group.
func testDoc() *tnode {
	return el("data", "",
		el("trip", "", el("dest", "Beijing"), el("km", "20")),
		el("trip", "", el("dest", "Tianjin"), el("km", "140")),
		el("trip", "", el("dest", "Beijing"), el("km", "25")),
		el("hh", "",
			el("member", "", el("mname", "Ann"), el("grp", "", el("mage", "40"))),
			el("member", "", el("mname", "Bob"), el("grp", "", el("mage", "12")))),
		el("hh", "",
			el("member", "", el("mname", "Cid"), el("grp", "", el("mage", "70")))),
		el("want", "Tianjin"),
		el("q", "2"),
	)
}

func (c *fakeCtx) RefNodes(name string) []Node { return descendants(c.doc, name, nil) }
func (c *fakeCtx) Root() Node                  { return c.doc }
func (c *fakeCtx) LastSaved(name string) []string {
	return c.saved[name]
}

func (c *fakeCtx) Self() Node {
	if c.self != nil {
		return c.self
	}
	for _, k := range c.doc.kids {
		if k.name == "q" {
			return k
		}
	}
	return nil
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
func (s *staticCtx) RefNodes(string) []Node                 { return nil }
func (s *staticCtx) Root() Node                             { return nil }
func (s *staticCtx) Self() Node                             { return nil }
func (s *staticCtx) LastSaved(string) []string              { return nil }
func (s *staticCtx) Instance(string) Instance               { return nil }
