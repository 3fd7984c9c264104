package expr

import (
	"slices"
	"testing"
)

// Paths that need the record's elements (fakeCtx's testDoc): positions
// and predicates before the last step, predicates that read each
// element's own answers, current() and indexed-repeat(); and the answers
// of the last saved record.
func TestNodePaths(t *testing.T) {
	runEval(t, []evalCase{
		{src: "${trip}[1]/dest", want: "Beijing"},
		{src: "${trip}[2]/km + 1", want: "141"},
		{src: "${trip}[position() = 3]/km", want: "25"},
		{src: "/data/trip[2]/dest", want: "Tianjin"},
		{src: "/whatever/trip[2]/dest", want: "Tianjin"},
		{src: "count(/data/trip[dest = 'Beijing'])", want: "2"},
		{src: "sum(${trip}[dest = 'Beijing']/km)", want: "45"},
		{src: "${trip}[km > 100]/dest", want: "Tianjin"},
		{src: "${trip}[./km > 100]/dest", want: "Tianjin"},
		{src: "count(${member}[grp/mage > 18])", want: "2"},
		{src: "/data/hh[2]/member[1]/mname", want: "Cid"},
		{src: "//member[mname = 'Bob']/grp/mage", want: "12"},
		{src: "count(/data/hh/member[grp/mage > 0]/mname)", want: "3"},
		{src: "${trip}[9]/dest", want: ""},
		{src: "${hh}[1]/member[2]/mname", want: "Bob"},
		{src: "${trip}/dest", want: "Beijing"},
		{src: "count(${trip}/dest)", want: "3"},
		{src: "${member}[1]/..//mage", want: "40"},
		// current() is the expression's own field, inside predicates too.
		{src: "current()", want: "2"},
		{src: "current() + 1", want: "3"},
		{src: "current()/../want", want: "Tianjin"},
		{src: "/data/trip[dest = current()/../want]/km", want: "140"},
		{src: "${trip}[dest = ${want}]/km", want: "140"},
		{src: "${trip}[number(current())]/dest", want: "Tianjin"},
		{src: "${trip}[current()]/dest", want: "Beijing"}, // a node-set: true for every trip
		// position() of an element among its same-named siblings.
		{src: "position(/data/trip[dest = 'Tianjin'])", want: "2"},
		{src: "position(${member}[mname = 'Cid'])", want: "1"},
		{src: "position(/data/hh[2]/member[1]/..)", want: "2"},
		{src: "position(current())", want: "1"},
		{src: "position(/data)", want: "1"},
		{src: "position(/data/nothing)", want: "NaN"},
		{src: "${trip}[position() = position(/data/trip[dest = 'Tianjin']) + 1]/km", want: "25"},
		// indexed-repeat(question, repeat, i [, repeat2, j]...).
		{src: "indexed-repeat(${dest}, ${trip}, 2)", want: "Tianjin"},
		{src: "indexed-repeat(${dest}, ${trip}, 1 + 2)", want: "Beijing"},
		{src: "indexed-repeat(/data/trip/dest, /data/trip, 1)", want: "Beijing"},
		{src: "indexed-repeat(${mname}, ${hh}, 1, ${member}, 2)", want: "Bob"},
		{src: "indexed-repeat(${mage}, ${hh}, 2, ${member}, 1) + 1", want: "71"},
		{src: "indexed-repeat(${dest}, ${trip}, 4)", want: ""},
		{src: "indexed-repeat(${dest}, ${trip}, 0)", want: ""},
		{src: "indexed-repeat(${dest}, ${trip}, 'x')", want: ""},
		{src: "indexed-repeat(${mname}, ${hh}, 3, ${member}, 1)", want: ""},
		// ${last-saved#name}: the last saved record's answers.
		{src: "${last-saved#age} + 1", want: "30"},
		{src: "${last-saved#dest}", want: "Xi'an"},
		{src: "count(${last-saved#dest})", want: "2"},
		{src: "${last-saved#dest}[2]", want: "Lhasa"},
		{src: "concat('was ', ${last-saved#nothing})", want: "was "},
		// Leaf filters still work as they did.
		{src: "${repnum}[. > 3][1]", want: "5"},
	})
}

// A relative path in a predicate on a leaf path starts at the element, not
// at Context.Path: /data/trip/km[. > 100] still goes through Path.
func TestNodePathsAndPathNames(t *testing.T) {
	for _, c := range []struct {
		src   string
		names []string
		refs  []string
		saved []string
		cur   bool
	}{
		{"${trip}[1]/dest", []string{"dest"}, []string{"trip"}, nil, false},
		{"/data/trip[km > 100]/dest", []string{"km", "dest"}, nil, nil, false},
		{"indexed-repeat(${dest}, ${trip}, position(..))", nil, []string{"dest", "trip"}, nil, false},
		{"current()/../want", []string{"want"}, nil, nil, true},
		{"${last-saved#age} + ${x}", nil, []string{"x"}, []string{"age"}, false},
		{"${last-saved#age} + ${last-saved#dest} + ${last-saved#age}", nil, nil, []string{"age", "dest"}, false},
	} {
		e := MustParse(c.src)
		if got := e.PathNames(); !slices.Equal(got, c.names) {
			t.Errorf("%s: PathNames %v, want %v", c.src, got, c.names)
		}
		if got := e.Refs(); !slices.Equal(got, c.refs) {
			t.Errorf("%s: Refs %v, want %v", c.src, got, c.refs)
		}
		if got := e.LastSavedRefs(); !slices.Equal(got, c.saved) {
			t.Errorf("%s: LastSavedRefs %v, want %v", c.src, got, c.saved)
		}
		if e.UsesCurrent() != c.cur || e.IsConstant() {
			t.Errorf("%s: UsesCurrent %v, IsConstant %v", c.src, e.UsesCurrent(), e.IsConstant())
		}
	}
	ctx := newCtx()
	MustParse("/data/rep/v[. > 3]").Eval(ctx)
	if !slices.Equal(ctx.calls, []string{"/data/rep/v"}) {
		t.Errorf("a leaf path with a predicate on its last step reached Path as %v", ctx.calls)
	}
}

// With no elements (a context that has none, or nil) node paths are
// empty, never a panic.
func TestNodePathsWithoutNodes(t *testing.T) {
	for _, src := range []string{"${trip}[1]/dest", "current()/../x", "/data/a[1]/b", "indexed-repeat(${a}, ${b}, 1)", "${last-saved#a}", "count(//x[1])"} {
		e := MustParse(src)
		if got := e.EvalString(nil); got != "" && got != "0" {
			t.Errorf("%s with no context = %q", src, got)
		}
		if got := e.EvalString(&staticCtx{}); got != "" && got != "0" {
			t.Errorf("%s with no nodes = %q", src, got)
		}
	}
}
