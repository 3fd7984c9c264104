package expr

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		src string
		pos int
		msg string
	}{
		{"${a} +", 6, "unexpected end of expression"},
		{"if(1,2", 6, "expected ',' or ')' in if()"},
		{"foo(1)", 0, "unknown function foo()"},
		{"1 + foo(1)", 4, "unknown function foo()"},
		{"indexed-repeat(${a}, ${b})", 0, "indexed-repeat() takes at least 3 arguments, got 2"},
		{"indexed-repeat(${a}, ${b}, 1, ${c})", 0, "4 arguments do not pair up"},
		{"indexed-repeat(1, ${b}, 1)", 0, "argument 1 of indexed-repeat() must be ${name}"},
		{"indexed-repeat(${a}, ${b}, 1, 'c', 2)", 0, "argument 4 of indexed-repeat() must be ${name}"},
		{"current(.)", 0, "current() takes 0 arguments, got 1"},
		{"concat('a')/x", 11, "a path cannot continue after a literal or a function call"},
		{"pulldata(${f},'b','c','d')", 0, "pulldata() takes the name of the attached CSV file"},
		{"pulldata('a','b','c')", 0, "pulldata() takes 4 arguments, got 3"},
		{"instance(${x})/root/item", 0, "instance() takes the name of a list or an attached file in quotes"},
		{"instance('')/root/item", 0, "instance() takes the name of a list or an attached file in quotes"},
		{"area()", 0, "area() takes 1 argument, got 0"},
		{"randomize(${a})", 0, "function randomize() is not supported"},
		{"digest('a', 'MD5')", 0, "function digest() is not supported"},
		{"base64-decode('a')", 0, "function base64-decode() is not supported"},
		{"extract-signed('a', 'b')", 0, "function extract-signed() is not supported"},
		{"geofence(${a}, ${b})", 0, "function geofence() is not supported"},
		{"last-saved(${a})", 0, "function last-saved() is not supported"},
		{"jr:itext('x')", 0, "function jr:itext() is not supported"},
		{"${last-saved#}", 0, "invalid reference ${last-saved#}"},
		{"1 + ${last-saved#1x}", 4, "invalid reference ${last-saved#1x}"},
		{"${last-saved#x}/y", 15, "a path cannot continue"},
		{"", 0, "empty expression"},
		{" \n ", 0, "empty expression"},
		{"'abc", 0, "unterminated string literal"},
		{"concat('a', ‘b)", 12, "unterminated string literal"},
		{"${a", 0, "unterminated reference"},
		{"${1a}", 0, "invalid reference ${1a}"},
		{"${}", 0, "invalid reference"},
		{"${a b}", 0, "invalid reference"},
		{"$a", 0, "unexpected '$'"},
		{"(1 + 2", 6, "expected ')' to close '(' at column 1"},
		{"1 2", 2, "unexpected '2'"},
		{"1 + 2)", 5, "unexpected ')'"},
		{"concat('a' 'b')", 11, "expected ',' or ')' in concat()"},
		{"concat('a',)", 11, "unexpected ')'"},
		{"selected(${q})", 0, "selected() takes 2 arguments, got 1"},
		{"if(1, 2)", 0, "if() takes 3 arguments, got 2"},
		{"today(1)", 0, "today() takes 0 arguments, got 1"},
		{"round()", 0, "round() takes 1 or 2 arguments, got 0"},
		{"substr('a', 1, 2, 3)", 0, "substr() takes 2 or 3 arguments, got 4"},
		{"min()", 0, "min() takes at least 1 argument, got 0"},
		{"regex(., '[a-')", 0, "invalid regular expression in regex()"},
		{"regex(., '(?=a)')", 0, "invalid regular expression in regex()"},
		{"position(1)", 0, "position() takes a path or ${name}"},
		{"position(concat('a'))", 0, "position() takes a path or ${name}"},
		{"'a'/b", 3, "a path cannot continue"},
		{"(1)/b", 3, "a path cannot continue"},
		{"child::a", 5, "axes (::) are not supported"},
		{"a :: b", 2, "axes (::) are not supported"},
		{"@id", 0, "attributes (@) are not supported"},
		{"/data/a/text()", 8, "node tests such as text() are not supported"},
		{"'abc'[../x]", 5, "relative paths inside predicates are not supported here"},
		{"count(${rep})[state = 'x']", 13, "relative paths inside predicates are not supported here"},
		{"..[1]", 2, "a predicate cannot follow"},
		{"a[1", 3, "expected ']' to close '['"},
		{"1 ! 2", 2, "unexpected '!'"},
		{"a/", 2, "a path step is missing"},
		{"a/+1", 2, "expected a path step, found '+'"},
		{"1 +\n", 4, "unexpected end of expression"},
		{"\x80", 0, "invalid UTF-8"},
		{"1 # 2", 2, "unexpected character '#'"},
		{"${a} == 1", 5, "use = to compare"},
		{"1 && 2", 2, "use and"},
		{"1 || 2", 2, "use or"},
		{"1 & 2", 2, "unexpected character '&'"},
	}
	for _, tc := range cases {
		_, err := Parse(tc.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want *SyntaxError", tc.src, err)
			continue
		}
		if se.Key() == "" {
			t.Errorf("Parse(%q): error %q has no message key, so no translation", tc.src, se.Msg)
		}
		if se.Pos != tc.pos || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("Parse(%q) = pos %d %q, want pos %d containing %q", tc.src, se.Pos, se.Msg, tc.pos, tc.msg)
		}
	}
}

func TestSyntaxErrorColumnIsInRunes(t *testing.T) {
	_, err := Parse("'日本' + foo()")
	if err == nil || err.Error() != "at column 8: unknown function foo()" {
		t.Fatalf("err = %v", err)
	}
	if se := err.(*SyntaxError); se.Pos != 11 {
		t.Errorf("Pos = %d, want byte offset 11", se.Pos)
	}
	if got := (&SyntaxError{Pos: 4, Msg: "x"}).Error(); got != "at column 5: x" {
		t.Errorf("zero Col: %q", got)
	}
}

func TestRefs(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{"jr:choice-name(${q}, '${q}')", []string{"q"}},
		{"${b} + ${a} + ${b}", []string{"b", "a"}},
		{`concat('${x} and ${y}', ${x}, "${z}")`, []string{"x", "y", "z"}},
		{"'${1bad} ${ok} ${unterminated'", []string{"ok"}},
		{"‘${s1}’ = “${s2}”", []string{"s1", "s2"}},
		{"${a.b-c_d} + ${é}", []string{"a.b-c_d", "é"}},
		{"1 + 2", nil},
		{"/data/a + .", nil},
	}
	for _, tc := range cases {
		e, err := Parse(tc.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.src, err)
			continue
		}
		if got := e.Refs(); !slices.Equal(got, tc.want) {
			t.Errorf("Refs(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
	e := MustParse("${a} + ${b}")
	e.Refs()[0] = "mutated"
	if e.Refs()[0] != "a" {
		t.Errorf("Refs exposes internal state")
	}
}

func TestUsesCurrentAndIsConstant(t *testing.T) {
	cases := []struct {
		src              string
		current, constnt bool
	}{
		{". > 1", true, false},
		{"${a} > 1", false, false},
		{"string-length() > 1", true, false},
		{"string-length(${a}) > 1", false, false},
		{"normalize-space()", true, false},
		{"once(1)", true, false},
		{"regex(., 'x')", true, false},
		{"../x", false, false},
		{"1 + 2", false, true},
		{"concat('a', 'b')", false, true},
		{"pi() * 2", false, true},
		{"date(19000)", false, true},
		{"format-date('2024-01-01', '%Y')", false, true},
		{"today()", false, false},
		{"now()", false, false},
		{"random()", false, false},
		{"uuid()", false, false},
		{"/data/a", false, false},
		{"/", false, false},
		{"position()", false, false},
		{"jr:choice-name('a', 'q')", false, false},
		{"'${x}'", false, false},
		{"state = 'CA'", false, false},
		{"count(${rep}[. > 1])", false, false},
		{"count(${rep}[string-length() > 1]) + string-length()", true, false},
	}
	for _, tc := range cases {
		e := MustParse(tc.src)
		if e.UsesCurrent() != tc.current || e.IsConstant() != tc.constnt {
			t.Errorf("%q: UsesCurrent %v IsConstant %v, want %v %v",
				tc.src, e.UsesCurrent(), e.IsConstant(), tc.current, tc.constnt)
		}
		if e.Src() != tc.src || e.String() != tc.src {
			t.Errorf("Src() = %q", e.Src())
		}
	}
}

func TestConstantFolding(t *testing.T) {
	e := MustParse("1 + 2 * 3 = 7 and concat('a', 'b') = 'ab'")
	if _, ok := e.root.(*litNode); !ok {
		t.Errorf("constant expression not folded: %T", e.root)
	}
	for _, src := range []string{"today()", "random()", "string-length()", "date(1)"} {
		if _, ok := MustParse(src).root.(*litNode); ok {
			t.Errorf("%q must not be folded", src)
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("MustParse did not panic")
		}
	}()
	MustParse("foo(")
}

// Expressions as pyxform writes them into the corpus forms (public XLSForms
// from pyxform, onadata and ODK Central), with ${x} already turned into paths.
func TestCorpusExpressions(t *testing.T) {
	ctx := newCtx()
	ctx.paths["/data/age"] = []string{"30"}
	ctx.paths["/data/amount"] = []string{"10"}
	ctx.paths["/data/divisor"] = []string{"0"}
	ctx.paths["/data/glcs/d4.3"] = []string{"5"}
	ctx.paths["/data/glcs/d4.4"] = []string{"5"}
	ctx.paths["/data/indicators/fcs"] = []string{"30"}
	ctx.paths["/data/skip_to_end"] = []string{"no"}
	cases := []struct{ src, want string }{
		{" /data/age  > 0 and  /data/age  < 120", "true"},
		{" /data/amount  *1 div  /data/divisor ", "Infinity"},
		{"if(( /data/glcs/d4.3  +  /data/glcs/d4.4 )>9,1,0)", "1"},
		{`if( /data/indicators/fcs <=21,"1",if( /data/indicators/fcs >21 and  /data/indicators/fcs <=35,"2", if( /data/indicators/fcs >35 and  /data/indicators/fcs <42,"3" ,"4" )))`, "2"},
		{"not(selected( /data/skip_to_end , 'yes'))", "true"},
		{"(selected(.,'never') and (count-selected(.)=1) or (not(selected(.,'never'))))", "true"},
		{"not(selected(., 'yes') and selected (., 'no'))", "true"},
		{"regex(.,'^0[0-9]{9}$')", "true"},
		{`regex(., '^\d*$')`, "true"},
		{". >= 0 and . <= 100", "false"},
		{"'vTEmiygu2uLZpPHBYX8jKj'", "vTEmiygu2uLZpPHBYX8jKj"},
		{"true()", "true"},
	}
	for _, tc := range cases {
		e, err := Parse(tc.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.src, err)
			continue
		}
		if got := e.EvalString(ctx); got != tc.want {
			t.Errorf("%q = %q, want %q", tc.src, got, tc.want)
		}
	}
	// Itemset filters of the corpus: the predicate body is what the engine
	// evaluates per choice row, bare names being the row's columns.
	for _, src := range []string{
		"A_suboffice= /data/suboffice ", "selected( /data/main/maize/I_maize/buy_maize ,cf)",
		" /data/county =cf", "state= /data/state  and county= /data/county ", "pastel=yes",
		"region = /data/region ",
	} {
		if _, err := Parse(src); err != nil {
			t.Errorf("Parse(%q): %v", src, err)
		}
	}
}
