package expr

import (
	"fmt"
	"slices"
	"testing"
)

// table is a small Instance for tests: rows of values by column, with
// Rows answered by a scan that counts itself, so a test can tell an
// indexed lookup from a scan of every item.
type table struct {
	root, item string
	cols       []string
	rows       [][]string
	lookups    int
	scanned    int // Value calls, which a scan makes per row
}

func (t *table) Names() (string, string)   { return t.root, t.item }
func (t *table) Len() int                  { return len(t.rows) }
func (t *table) Width() int                { return len(t.cols) }
func (t *table) Column(name string) int    { return slices.Index(t.cols, name) }
func (t *table) ColumnName(col int) string { return t.cols[col] }
func (t *table) Value(row, col int) string {
	t.scanned++
	return t.rows[row][col]
}
func (t *table) Rows(col int, value string) []int32 {
	t.lookups++
	var out []int32
	for i, r := range t.rows {
		if r[col] == value {
			out = append(out, int32(i))
		}
	}
	return out
}

func fruits() *table {
	return &table{root: "root", item: "item", cols: []string{"name", "label", "price", "kind"}, rows: [][]string{
		{"mango", "Mango", "3", "tree"},
		{"orange", "Orange", "2", "tree"},
		{"banana", "Banana", "1", "herb"},
		{"melon", "Melon", "4", "vine"},
	}}
}

func TestInstanceLookups(t *testing.T) {
	cases := []struct {
		src  string
		want string
	}{
		{"instance('fruits')/root/item[name = 'orange']/label", "Orange"},
		{"instance('fruits')/root/item[name = ${sel1}]/label", ""},
		{"instance('fruits')/root/item['banana' = name]/price", "1"},
		{"instance('fruits')/root/item[kind = 'tree' and price > 2]/name", "mango"},
		{"count(instance('fruits')/root/item[kind = 'tree'])", "2"},
		{"count(instance('fruits')/root/item)", "4"},
		{"sum(instance('fruits')/root/item/price)", "10"},
		{"instance('fruits')/root/item[2]/name", "orange"},
		{"instance('fruits')/root/item[position() = 3]/label", "Banana"},
		{"instance('fruits')/root/item[kind = 'tree'][2]/name", "orange"},
		{"instance('fruits')/root/item[price = 4]/name", "melon"},
		{"instance('fruits')/root/item[price > ${x} - 2]/name", "mango"},
		{"instance('fruits')/root/item[name = 'melon']", "melonMelon4vine"},
		{"instance('fruits')/root/item[starts-with(name, 'ba')]/label", "Banana"},
		{"instance('fruits')/root/item[name = 'kiwi']/label", ""},
		{"instance('fruits')/root/item[name = 'mango']/colour", ""},
		{"instance('nothing')/root/item/name", ""},
		{"instance('fruits')/data/item/name", ""},
		{"instance('fruits')/*/*[name = 'banana']/kind", "herb"},
		{"instance('fruits')/root/item[name = instance('fruits')/root/item[price = 2]/name]/label", "Orange"},
		{"pulldata('fruits', 'label', 'name', 'banana')", "Banana"},
		{"pulldata('fruits', 'price', 'kind', 'tree')", "3"},
		{"pulldata('fruits', 'price', 'kind', 'rock')", ""},
		{"pulldata('fruits', 'colour', 'name', 'banana')", ""},
		{"pulldata('nothing', 'label', 'name', 'banana')", ""},
		{"concat(pulldata('fruits', 'label', 'name', ${b}), '!')", "!"},
		// Any path over the items, as over the record's elements.
		{"count(instance('fruits')/root)", "1"},
		{"instance('fruits')/root/item[2]/../item[1]/name", "mango"},
		{"instance('fruits')/root/item/name[. = 'melon']/../label", "Melon"},
		{"instance('fruits')/root/item[kind = ../item[name = 'banana']/kind]/label", "Banana"},
		{"count(instance('fruits')//item)", "4"},
		{"instance('fruits')/root/item[./price = 2]/*[2]", "Orange"},
		{"instance('fruits')/root/item[name = current()/../b]/label", ""},
	}
	for _, c := range cases {
		x, err := Parse(c.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.src, err)
			continue
		}
		ctx := newCtx()
		ctx.insts = map[string]Instance{"fruits": fruits()}
		if got := x.EvalString(ctx); got != c.want {
			t.Errorf("%s = %q, want %q", c.src, got, c.want)
		}
		if x.IsConstant() {
			t.Errorf("%s is taken as constant; instance data is not known at Parse", c.src)
		}
	}
}

// TestInstanceLookupIsIndexed checks that an equality on a column is
// answered by Rows, not by reading every item.
func TestInstanceLookupIsIndexed(t *testing.T) {
	for _, src := range []string{
		"instance('fruits')/root/item[name = 'melon']/label",
		"instance('fruits')/root/item[name = 'melon' and price > 3]/label",
		"pulldata('fruits', 'label', 'name', 'melon')",
	} {
		x := MustParse(src)
		ctx := newCtx()
		tb := fruits()
		ctx.insts = map[string]Instance{"fruits": tb}
		if got := x.EvalString(ctx); got != "Melon" {
			t.Errorf("%s = %q", src, got)
		}
		// A scan reads at least one value of each of the 4 items.
		if tb.lookups != 1 || tb.scanned >= len(tb.rows) {
			t.Errorf("%s: %d index lookups and %d values read; want 1 lookup and only the row found read", src, tb.lookups, tb.scanned)
		}
	}
	// A number compares as a number ("4.0" = 4), which an index by text
	// cannot answer: that one is scanned.
	x := MustParse("instance('fruits')/root/item[price = 4.0]/name")
	ctx := newCtx()
	tb := fruits()
	tb.rows[3][2] = "4.0"
	ctx.insts = map[string]Instance{"fruits": tb}
	if got := x.EvalString(ctx); got != "melon" || tb.lookups != 0 {
		t.Errorf("price = 4.0 gave %q with %d lookups", got, tb.lookups)
	}
}

func TestInstanceUses(t *testing.T) {
	x := MustParse("concat(pulldata('fruits','a','b',${q}), instance('towns')/root/item[name=${q}]/label, pulldata('fruits','c','b','x'))")
	got := fmt.Sprint(x.Instances())
	if want := "[{fruits true} {towns false}]"; got != want {
		t.Errorf("Instances() = %s, want %s", got, want)
	}
	// Column names in a condition on items are not fields of the form.
	if names := x.PathNames(); len(names) != 0 {
		t.Errorf("PathNames() = %v, want none", names)
	}
	if refs := x.Refs(); !slices.Equal(refs, []string{"q"}) {
		t.Errorf("Refs() = %v", refs)
	}
}
