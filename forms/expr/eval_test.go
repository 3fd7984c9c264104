package expr

import (
	"math"
	"slices"
	"testing"
)

type evalCase struct {
	src  string
	want string // EvalString
	cur  *string
}

func cur(s string) *string { return &s }

func runEval(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		e, err := Parse(tc.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.src, err)
			continue
		}
		ctx := newCtx()
		if tc.cur != nil {
			ctx.cur = *tc.cur
		}
		if got := e.EvalString(ctx); got != tc.want {
			t.Errorf("%q = %q, want %q", tc.src, got, tc.want)
		}
		// Eval and EvalString must agree.
		if got := e.Eval(ctx).String(); got != tc.want {
			t.Errorf("Eval(%q).String() = %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestPrecedenceAndLexing(t *testing.T) {
	runEval(t, []evalCase{
		{src: "1+2*3", want: "7"},
		{src: "(1+2)*3", want: "9"},
		{src: "10 - 2 - 3", want: "5"},
		{src: "2 * 3 div 4", want: "1.5"},
		{src: "7 mod 3 * 2", want: "2"},
		{src: "-2 * 3", want: "-6"},
		{src: "- - 2", want: "2"},
		{src: "1 - -1", want: "2"},
		{src: "1 < 2 = 1", want: "true"},
		{src: "1 = 1 and 2 = 3 or 1", want: "true"},
		{src: "1 or 0 and 0", want: "true"},
		{src: "3 > 2 > 1", want: "false"},
		{src: "-7 mod 3", want: "-1"},
		{src: "7 mod -3", want: "1"},
		{src: ".5 + 1.", want: "1.5"},
		{src: "1.50", want: "1.5"},
		{src: "  1\n+\u00a02\t ", want: "3"},
		{src: "1\u200b+\ufeff2", want: "3"},
		{src: `'a' = "a"`, want: "true"},
		{src: "‘abc’", want: "abc"},
		{src: "“x y”", want: "x y"},
		{src: "“He said ‘hi’”", want: "He said ‘hi’"},
		{src: "concat(‘a’, “b”, 'c’)", want: "abc"},
		{src: `concat("it's", ' "x"')`, want: `it's "x"`},
		{src: "mod", want: "7"},
		{src: "mod mod mod", want: "0"},
		{src: "div div div", want: "1"},
		{src: "${a}*2", want: "10"},
		{src: "2*${a}", want: "10"},
		{src: "${a}-${x}", want: "1"},
		{src: "${a} -1", want: "4"},
		{src: "selected (${q}, 'a')", want: "true"},
		{src: "${文字}", want: "中文"},
		{src: "12345678901234567890", want: "12345678901234567000"},
		{src: "1000000 * 1000000 * 1000000 * 1000", want: "1e+21"},
		{src: "0.0000001 * 1", want: "1e-7"},
		{src: "0.000001 * 1", want: "0.000001"},
		{src: "1 div 3", want: "0.3333333333333333"},
	})
}

func TestComparisons(t *testing.T) {
	runEval(t, []evalCase{
		{src: "${f} and true()", want: "true"}, // a stored "false" is truthy
		{src: "boolean(${f})", want: "true"},
		{src: "boolean-from-string(${f})", want: "false"},
		{src: "${blank} = 0", want: "false"},
		{src: "${blank} != 0", want: "true"},
		{src: "${blank} = ''", want: "true"},
		{src: "'' = 0", want: "false"},
		{src: "'' != 0", want: "true"},
		{src: "${zero} = 0", want: "true"},
		{src: "${zero} = false()", want: "false"}, // nonempty nodeset is true
		{src: "${rep} = 4", want: "true"},
		{src: "${rep} = 3", want: "false"},
		{src: "${rep} != 1", want: "true"},
		{src: "${rep} > 3", want: "true"},
		{src: "3 < ${rep}", want: "true"},
		{src: "${rep} < 1", want: "false"},
		{src: "${rep} = ''", want: "true"},
		{src: "${norep} = ''", want: "false"},
		{src: "${norep} != ''", want: "false"},
		{src: "${rep} = ${repnum}", want: "false"},
		{src: "${rep} != ${repnum}", want: "true"},
		{src: "${repnum} > ${rep}", want: "true"},
		{src: "${rep} = true()", want: "true"},
		{src: "${norep} = false()", want: "true"},
		{src: "${norep} < true()", want: "true"},
		{src: "true() = 'false'", want: "true"},
		{src: "1 = true()", want: "true"},
		{src: "2 = true()", want: "true"},
		{src: "0 = false()", want: "true"},
		{src: "'abc' < 'abd'", want: "false"},
		{src: "'abc' != 'abc'", want: "false"},
		{src: "'10' = 10.0", want: "true"},
		{src: "'10' = '10.0'", want: "false"},
		{src: "${age} = '30'", want: "true"},
		{src: "${age} = 30.0", want: "true"},
		{src: "${age} = '30.0'", want: "false"},
		{src: "${d} < ${d2}", want: "true"},
		{src: "${dt} > ${d}", want: "true"},
		{src: "${d} = '2024-03-05'", want: "true"},
		{src: ". <= today()", want: "true", cur: cur("2024-03-05")},
		{src: ". <= today()", want: "true", cur: cur("2026-11-27")},
		{src: ". <= today()", want: "false", cur: cur("2027-01-01")},
		{src: ". <= today()", want: "false", cur: cur("")},
		{src: ". >= 0 and . <= 100", want: "true", cur: cur("42")},
		{src: ". >= 0 and . <= 100", want: "false", cur: cur("")},
		{src: ". = ''", want: "true", cur: cur("")},
		{src: ". = true()", want: "true", cur: cur("")},
		{src: "0 div 0 = 0 div 0", want: "false"},
		{src: "0 div 0 != 0 div 0", want: "true"},
		{src: "1 div 0 > 1000000", want: "true"},
		{src: "${age} > 0 and ${age} < 120", want: "true"},
	})
}

func TestArithmetic(t *testing.T) {
	runEval(t, []evalCase{
		{src: "${amount} *1 div ${divisor}", want: "Infinity"},
		{src: "-${amount} div ${divisor}", want: "-Infinity"},
		{src: "${divisor} div ${divisor}", want: "NaN"},
		{src: "${amount} mod ${divisor}", want: "NaN"},
		{src: "${blank} + 1", want: "NaN"},
		{src: "${norep} + 1", want: "NaN"},
		{src: "${big} + 1", want: "NaN"},
		{src: "true() + 1", want: "2"},
		{src: "'Infinity' + 1", want: "Infinity"},
		{src: "0.1 + 0.2", want: "0.30000000000000004"},
		{src: "-0", want: "0"},
		{src: "${d} + 1", want: "19788"},
		{src: "today() - ${d}", want: "997"},
		{src: "if(${x} = '', 0, ${x} * 2)", want: "8"},
		{src: "if(${blank} = '', 0, ${blank} * 2)", want: "0"},
		{src: "coalesce(${blank}, 0) + 1", want: "1"},
		{src: "concat(${last},' ',${first})", want: "Doe Jane"},
	})
}

func TestPathsAndPredicates(t *testing.T) {
	runEval(t, []evalCase{
		{src: "/data/age + 1", want: "31"},
		{src: "../x * 2", want: "8"},
		{src: "..", want: ""},
		{src: "count(//v)", want: "3"},
		{src: "sum(/data/rep/v)", want: "15"},
		{src: "count(/data/*)", want: "2"},
		{src: "${repnum}[2]", want: "5"},
		{src: "(${repnum})[3]", want: "7"},
		{src: "count(${repnum}[. > 3])", want: "2"},
		{src: "sum(${repnum}[position() > 1])", want: "12"},
		{src: "${repnum}[. > 3][1]", want: "5"},
		{src: "/data/rep/v[. = 5]", want: "5"},
		{src: "count(/data/rep/v[. >= 5])", want: "2"},
		{src: "count(${rep}[. != ''])", want: "3"},
		{src: "count(${repnum}[${a} = 5])", want: "3"},
		{src: "'abc'[1]", want: "abc"},
		{src: "count(${rep} | ${repnum})", want: "7"},
		{src: "state=${state} and county=${county}", want: "true"},
		{src: "selected(${q} , cf)", want: "false"},
	})
}

func TestChoiceFilterUsesPath(t *testing.T) {
	e, err := Parse("state=${state} and county=${county} and /data/age > 1 and ../x and ./v")
	if err != nil {
		t.Fatal(err)
	}
	ctx := newCtx()
	ctx.paths["./v"] = []string{"1"}
	if !e.EvalBool(ctx) {
		t.Errorf("choice filter false")
	}
	want := []string{"state", "county", "/data/age", "../x", "./v"}
	if !slices.Equal(ctx.calls, want) {
		t.Errorf("Path calls = %q, want %q", ctx.calls, want)
	}
	if !e.UsesCurrent() {
		t.Errorf("./v uses the current node")
	}
}

func TestEvalNormalisesSingleNode(t *testing.T) {
	v := MustParse(".").Eval(newCtx())
	if v.Kind != KindNodeset || !slices.Equal(v.Set, []string{"0123456789"}) {
		t.Errorf("Eval(.) = %#v", v)
	}
	v = MustParse("${rep}").Eval(newCtx())
	if v.Kind != KindNodeset || len(v.Set) != 4 {
		t.Errorf("Eval(${rep}) = %#v", v)
	}
	if got := MustParse("${age}").Eval(nil); got.Kind != KindNodeset || len(got.Set) != 0 {
		t.Errorf("nil context: %#v", got)
	}
	if n := MustParse("${age} * 2").EvalNumber(newCtx()); n != 60 {
		t.Errorf("EvalNumber = %v", n)
	}
}

func TestValueConversions(t *testing.T) {
	strs := []struct {
		v    Value
		want string
	}{
		{Num(math.NaN()), "NaN"}, {Num(math.Inf(1)), "Infinity"}, {Num(math.Inf(-1)), "-Infinity"},
		{Num(2), "2"}, {Num(-2.5), "-2.5"}, {Num(math.Copysign(0, -1)), "0"},
		{Num(1e20), "100000000000000000000"}, {Num(1.5e300), "1.5e+300"}, {Num(123.456), "123.456"},
		{Bool(true), "true"}, {Bool(false), "false"}, {Str("x"), "x"},
		{Nodes(nil), ""}, {Nodes([]string{"a", "b"}), "a"},
	}
	for _, tc := range strs {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.v, got, tc.want)
		}
	}
	nums := []struct {
		s    string
		want float64
	}{
		{"12", 12}, {" 12\n", 12}, {"-1.5", -1.5}, {".5", .5}, {"5.", 5}, {"", math.NaN()},
		{"+5", math.NaN()}, {"1e3", math.NaN()}, {"0x10", math.NaN()}, {"true", math.NaN()},
		{"false", math.NaN()}, {"NaN", math.NaN()}, {"-", math.NaN()}, {".", math.NaN()},
		{"1 2", math.NaN()}, {"Infinity", math.Inf(1)}, {"-Infinity", math.Inf(-1)},
		{"1970-01-02", 1}, {"1969-12-31", -1}, {"2024-03-05", 19787}, {"2024-02-29", 19782},
		{"2023-02-29", math.NaN()}, {"2024-13-01", math.NaN()}, {"2024-3-5", math.NaN()},
		{"1970-01-01T12:00:00Z", 0.5}, {"1970-01-01T12:00:00+12:00", 0},
		{"1970-01-01T06:00:00.000-06:00", 0.5}, {"1970-01-01T18:00", 0.75},
		{"1970-01-01T12:00:00+0530", 0.5 - 5.5/24}, {"1970-01-01T24:00:00Z", math.NaN()},
		{"1970-01-01T12:00:00+05", 0.5 - 5.0/24}, {"1970-01-01 12:00", math.NaN()},
	}
	for _, tc := range nums {
		got := Str(tc.s).Number()
		if !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)) && math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("number(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
	if Bool(true).Number() != 1 || Bool(false).Number() != 0 {
		t.Errorf("boolean to number")
	}
	bools := []struct {
		v    Value
		want bool
	}{
		{Str("false"), true}, {Str(""), false}, {Num(0), false}, {Num(math.NaN()), false},
		{Num(-1), true}, {Nodes(nil), false}, {Nodes([]string{""}), true},
	}
	for _, tc := range bools {
		if got := tc.v.Bool(); got != tc.want {
			t.Errorf("%#v.Bool() = %v", tc.v, got)
		}
	}
	if KindNodeset.String() != "nodeset" || KindBool.String() != "boolean" {
		t.Errorf("Kind names")
	}
}

// An Expr is shared by every record of a form, so evaluation must be safe
// from several goroutines (run with -race).
func TestConcurrentEval(t *testing.T) {
	e := MustParse("regex(${x}, ${r}) and . <= today() and count(${repnum}[. > 3]) = 2")
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func(g int) {
			ctx := newCtx()
			ctx.cur = "2024-01-01"
			pats := []string{"[0-9]+", "[a-z]+"}
			ok := true
			for i := 0; i < 200; i++ {
				ctx.refs["r"] = []string{pats[(i+g)%2]}
				want := (i+g)%2 == 0
				ok = ok && e.EvalBool(ctx) == want
			}
			done <- ok
		}(g)
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Errorf("wrong result under concurrency")
		}
	}
}

// TestEvalStored checks what a record stores from an expression: a number
// that is not one is nothing, other values are their string.
func TestEvalStored(t *testing.T) {
	for src, want := range map[string]string{
		"${blank} + 1":                  "",
		"${divisor} div ${divisor}":     "",
		"${amount} *1 div ${divisor}":   "Infinity",
		"concat('N', 'a', 'N')":         "NaN",
		"string(${blank} + 1)":          "NaN",
		"if(${blank} = '', 0, 1) + 1.5": "1.5",
	} {
		if got := MustParse(src).EvalStored(newCtx()); got != want {
			t.Errorf("%s stores %q, want %q", src, got, want)
		}
	}
}

// TestAreaAndDistance checks area() and distance() against figures worked
// out by hand on ODK's sphere (radius 6,378,100 m): 0.001° of latitude is
// 111.3 m, and a square of 0.0002° near the equator about 495 m².
func TestAreaAndDistance(t *testing.T) {
	ctx := newCtx()
	for src, want := range map[string]float64{
		"distance('-1.2800 36.8000 0 0;-1.2810 36.8000 0 0')": 111.317,
		"distance('-1.28 36.8;-1.281 36.8;-1.28 36.8')":       222.634,
		"distance('0 0;0 0')":                                 0,
		"distance('0 0')":                                     0,
		"area('-1.2800 36.8000 0 0;-1.2802 36.8000 0 0;-1.2802 36.8002 0 0;-1.2800 36.8002 0 0;-1.2800 36.8000 0 0')": 495.6,
		"area('0 0;0 0.001;0.001 0.001;0 0')": 6195.9,
		"area('0 0;1 1')":                     0,
	} {
		got := MustParse(src).EvalNumber(ctx)
		if math.Abs(got-want) > 0.05 {
			t.Errorf("%s = %v, want %v", src, got, want)
		}
	}
	for _, src := range []string{"area('')", "distance('not a line')", "area('95 0;0 0;0 1;95 0')", "distance(${blank})"} {
		if got := MustParse(src).EvalNumber(ctx); !math.IsNaN(got) {
			t.Errorf("%s = %v, want NaN", src, got)
		}
	}
}
