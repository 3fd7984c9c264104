package forms

import (
	"regexp"
	"strings"
	"sync"
)

// Cascading selects filter long lists (41,352 townships) every time a
// parent answer changes. Filters of the usual shape — `column=${field}`,
// possibly several joined by `and` — are answered from an index of the
// list by column value instead of evaluating the expression per choice.

var (
	reEquality = regexp.MustCompile(`^\s*([\p{L}_][\p{L}\p{N}_.-]*)\s*=\s*\$\{([\p{L}_][\p{L}\p{N}_.-]*)\}\s*$`)
	reAnd      = regexp.MustCompile(`\s+and\s+`)
)

// equality is one `column=${field}` term of a filter.
type equality struct {
	column string
	field  *Field
}

// indexableFilter splits a filter into equalities, or returns nil when it
// has another shape (then it is evaluated per choice).
func indexableFilter(f *Form, src string) []equality {
	var out []equality
	for _, term := range reAnd.Split(src, -1) {
		m := reEquality.FindStringSubmatch(term)
		if m == nil || strings.Contains(term, "'") {
			return nil
		}
		fd := f.byName[m[2]]
		if fd == nil || !fd.Type.HasAnswer() || m[1] == "label" {
			// A label depends on the language shown: evaluate per choice.
			return nil
		}
		out = append(out, equality{column: m[1], field: fd})
	}
	return out
}

// columnIndex maps a column's values to the choices that carry them, in
// list order.
type columnIndex map[string][]*Choice

type listIndexes struct {
	mu      sync.Mutex
	columns map[string]columnIndex
}

var choiceIndexes sync.Map // *ChoiceList -> *listIndexes

// byColumn returns the index of a list by one column, built on first use.
// Lists are shared (the built-in ones by every form), hence the lock.
func (l *ChoiceList) byColumn(column string) columnIndex {
	v, _ := choiceIndexes.LoadOrStore(l, &listIndexes{columns: map[string]columnIndex{}})
	li := v.(*listIndexes)
	li.mu.Lock()
	defer li.mu.Unlock()
	if idx, ok := li.columns[column]; ok {
		return idx
	}
	idx := columnIndex{}
	for _, ch := range l.Choices {
		k := ch.column(column, "")
		idx[k] = append(idx[k], ch)
	}
	li.columns[column] = idx
	return idx
}

// filterByIndex answers an indexable filter for the instance at n. ok is
// false when an equality's field has several values here (a repeat seen
// from outside), which XPath compares existentially: evaluate instead.
func (in *Instance) filterByIndex(n *node, l *ChoiceList, eqs []equality) (out []*Choice, ok bool) {
	ctx := in.at(n, nil)
	var first []*Choice
	wants := make([]string, len(eqs))
	for i, eq := range eqs {
		vals := ctx.Ref(eq.field.Name)
		if len(vals) != 1 {
			return nil, false
		}
		wants[i] = vals[0]
	}
	first = l.byColumn(eqs[0].column)[wants[0]]
	if len(eqs) == 1 {
		return first, true
	}
	for _, ch := range first {
		match := true
		for i := 1; i < len(eqs); i++ {
			if ch.column(eqs[i].column, "") != wants[i] {
				match = false
				break
			}
		}
		if match {
			out = append(out, ch)
		}
	}
	return out, true
}
