package expr

import (
	"slices"
	"strings"
	"testing"
)

var seedExprs = []string{
	"${age} > 0 and ${age} < 120",
	"selected(${q}, 'other')",
	"regex(.,'^0[0-9]{9}$')",
	"${amount} *1 div ${divisor}",
	"concat(${last},' ',${first})",
	"count-selected(.) <= 3",
	". <= today()",
	"format-date(${d}, '%Y年%m月%d日')",
	"jr:choice-name(${q}, '${q}')",
	"position(..)",
	"if(${x} = '', 0, ${x} * 2)",
	"state=${state} and county=${county}",
	"${repnum}[. > 3][1]",
	"sum(/data/rep/v) div count(//v)",
	"substring('12345', 1.5, 2.6)",
	"round(2.675, 2)",
	"date-time(decimal-date-time(now()) + 0.5)",
	"‘a’ = “b”",
	"mod mod mod",
	"-(-1) | ..",
	"translate(normalize-space(.), 'abc', 'AB')",
	"min(${rep}, 3, max(1, 2))",
	"once(uuid())",
	"substr(.,-3)",
	"${trip}[2]/dest",
	"count(/data/trip[km > 100]/dest)",
	"indexed-repeat(${mname}, ${hh}, 1, ${member}, 2)",
	"/data/trip[dest = current()/../want]/km",
	"${last-saved#age} + 1",
	"//member[mname = 'Bob']/grp/mage",
	"instance('fruits')/root/item[name = ${b} and price > 2][1]/label",
	"pulldata('fruits', 'label', 'name', .)",
	"instance('fruits')/root/item[name = ${q} and color != 'red']/label",
}

// FuzzParse checks that no input makes Parse or Eval panic, that errors
// point inside the source, and that a parsed expression keeps its source.
func FuzzParse(f *testing.F) {
	for _, s := range seedExprs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse(%q) error %T", src, err)
			}
			if se.Pos < 0 || se.Pos > len(src) || se.Col < 1 || se.Msg == "" {
				t.Fatalf("Parse(%q): bad error %+v", src, se)
			}
			_ = se.Error()
			return
		}
		if e.Src() != src {
			t.Fatalf("Src() = %q, want %q", e.Src(), src)
		}
		ctx := newCtx()
		ctx.insts = map[string]Instance{"fruits": fruits()}
		v := e.Eval(ctx)
		_ = v.String()
		_ = v.Number()
		_ = e.EvalBool(ctx)
		_ = e.EvalString(&staticCtx{a: []string{"5"}, b: []string{"x y"}, x: []string{"", "2024-01-01"}})
		_ = e.EvalString(nil)
		_ = e.Refs()
		// Every column read belongs to an instance the expression reads.
		for _, c := range e.InstanceColumns() {
			if c.Column == "" || !slices.ContainsFunc(e.Instances(), func(u InstanceUse) bool { return u.Name == c.Instance }) {
				t.Fatalf("Parse(%q): column %+v of no instance in %v", src, c, e.Instances())
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range seedExprs[:12] {
			if _, err := Parse(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkEval(b *testing.B) {
	ctx := &staticCtx{a: []string{"5"}, b: []string{"x y"}, x: []string{"7"}}
	for _, bc := range []struct{ name, src string }{
		{"relevance", "${a} > 3 and selected(${b}, 'x')"},
		{"calculation", "if(${a} = '', 0, ${a} * 2 + ${x} div 4 - 1)"},
		{"constraint", ". >= 0 and . <= 100"},
		{"regex", "regex(., '^[0-9]{2}$')"},
		{"date", ". <= today()"},
		{"concat", "concat(${a}, ' ', ${x})"},
	} {
		e := MustParse(bc.src)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = e.EvalBool(ctx)
			}
		})
	}
}

func TestNestingLimit(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000),
		strings.Repeat("-", 5000) + "1",
		strings.Repeat("not(", 5000) + "1" + strings.Repeat(")", 5000),
	} {
		if _, err := Parse(src); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
			t.Errorf("deep nesting: %v", err)
		}
	}
	if _, err := Parse(strings.Repeat("(", 150) + "1" + strings.Repeat(")", 150)); err != nil {
		t.Errorf("moderate nesting rejected: %v", err)
	}
}
