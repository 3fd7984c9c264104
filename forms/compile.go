package forms

import (
	"fmt"
	"sort"
	"strings"

	"github.com/fieldbench/fieldbench/forms/expr"
)

// plan is what compile derives from a form once, so that evaluating a record
// never re-parses or re-sorts anything.
type plan struct {
	// order lists every field in evaluation order: a field comes after every
	// field its relevance or calculation reads, and after its parent group.
	order []*Field
	// rank is each field's position in order, by Field.idx.
	rank []int
	// dependents lists, by Field.idx, the fields whose relevance or
	// calculation must be recomputed when this field's value or relevance
	// changes, sorted by rank.
	dependents [][]*Field
	// answerReaders lists, by Field.idx, the groups and repeats whose
	// relevance reads this field's answer (readsAnswer): they rank before
	// it, so only a change of the answer itself recomputes them.
	answerReaders [][]*Field
	// slots is the number of value slots in a node of each level (the root
	// or a repeat), by Field.idx of the level's field.
	slots []int
	// slot is each field's index inside the node of its level, by Field.idx.
	slot []int
	// repeatPath lists, by Field.idx, the repeats enclosing a field from
	// the outermost in: the way from the root to the nodes of its level.
	repeatPath [][]*Field
	// repeats is the number of repeats in each level, by level index. They
	// take a level's first slots, so that node.kids need only be that long.
	repeats []int
	// members lists, by level index, the fields whose values live in that
	// level's nodes, in document order (groups flattened, repeats included).
	members [][]*Field
	// lists holds, by Field.idx, a select's choice list (nil when the
	// list is missing): checking an answer then needs no map access.
	lists []*ChoiceList
	// filters holds, by Field.idx, a select's choice_filter split into
	// column=${field} equalities when it has that shape (see choices.go).
	filters [][]equality
	// answerSource holds, by Field.idx, the question whose answers a
	// `select_one ${name}` offers (see answerchoices.go).
	answerSource []*Field
	// triggered lists, by Field.idx, the questions a change of that
	// question sets (their trigger column names it).
	triggered [][]*Field
}

// levelIndex indexes plan.slots and plan.members: a repeat's Field.idx, or
// len(Form.Fields) for the root.
func (in *Instance) levelIndex(level *Field) int {
	if level == in.form.Root {
		return len(in.form.Fields)
	}
	return level.idx
}

// level returns the field that owns the nodes a field's value lives in: its
// nearest enclosing repeat, or the form's root.
func (f *Form) level(fd *Field) *Field {
	if fd.Repeat != nil {
		return fd.Repeat
	}
	return f.Root
}

// exprOf returns the compiled expression, or nil for an absent one.
func exprOf(e *Expression) *expr.Expr {
	if e == nil {
		return nil
	}
	x, _ := e.compiled.(*expr.Expr)
	return x
}

// compile parses every expression of f, checks references, validate tags and
// cycles, and builds the evaluation plan.
func compile(f *Form) LoadErrors {
	var errs LoadErrors
	for i, fd := range f.Fields {
		fd.idx = i
	}
	if errs := assignKeys(f); len(errs) > 0 {
		return errs
	}
	for _, l := range f.Lists {
		if l.index == nil {
			l.buildIndex()
		}
	}
	var uses []instanceUse
	parse := func(e *Expression, column string) {
		if e == nil {
			return
		}
		loc := e.Loc
		if loc.Column == "" {
			loc.Column = column
		}
		x, err := expr.Parse(e.Src)
		if err != nil {
			errs = append(errs, exprError(loc, e.Src, err))
			return
		}
		for _, name := range x.Refs() {
			errs = append(errs, f.checkAnswerRef(loc, name)...)
		}
		f.usesLastSaved = f.usesLastSaved || len(x.LastSavedRefs()) > 0
		for _, name := range x.LastSavedRefs() {
			// The last saved record is a record of this form: the name
			// must be one of its questions, as pyxform checks.
			errs = append(errs, f.checkRef(loc, name, "last-saved#"+name)...)
		}
		var ierrs LoadErrors
		uses, ierrs = f.declareInstances(x, loc, uses)
		errs = append(errs, ierrs...)
		e.compiled = x
	}
	errs = append(errs, checkTextRefs(f)...)
	parse(f.InstanceName, "instance_name")
	for _, fd := range f.Fields {
		for _, c := range fieldExprs(fd) {
			parse(c.e, c.column)
		}
		if fd.Validate != "" {
			if err := checkTags(fd.Validate); err != nil {
				loc := fd.Loc
				loc.Column = "validate"
				errs = append(errs, tagError(loc, err))
			}
		}
	}
	for _, d := range f.entities {
		for _, c := range d.exprs() {
			parse(c.e, c.column)
		}
	}
	errs = append(errs, f.resolveInstances(uses)...)
	errs = append(errs, f.checkEntityLists()...)
	if a := f.attachmentFor(lastSavedInstance); a != nil && f.usesLastSaved {
		errs = append(errs, newLoadError(a.Loc, ldLastSavedFile, quote(a.Name)))
	}
	if len(errs) > 0 {
		return errs
	}
	p, cycle := buildPlan(f)
	if cycle != nil {
		names := make([]string, len(cycle))
		for i, fd := range cycle {
			names[i] = "${" + fd.Name + "}"
		}
		loc := cycle[0].Loc
		loc.Column = "calculation"
		if cycle[0].Calculation == nil {
			loc.Column = "relevant"
		}
		return LoadErrors{newLoadError(loc, ldCycle, strings.Join(names, " → ")+" → ${"+cycle[0].Name+"}")}
	}
	if errs := append(resolveChoicesFrom(f, p), resolveTriggers(f, p)...); len(errs) > 0 {
		return errs
	}
	p.filters = make([][]equality, len(f.Fields))
	p.lists = make([]*ChoiceList, len(f.Fields))
	for _, fd := range f.Fields {
		p.lists[fd.idx] = f.Lists[fd.ListName]
		if fd.ChoiceFilter != nil {
			p.filters[fd.idx] = indexableFilter(f, fd.ChoiceFilter.Src)
		}
	}
	f.plan = p
	f.matchLanguages()
	return nil
}

// resolveTriggers checks every trigger column and lists, by question, what
// a change of it sets. A trigger must be a question the collector answers
// (pyxform refuses a calculation, whose changes nobody makes).
func resolveTriggers(f *Form, p *plan) LoadErrors {
	var errs LoadErrors
	p.triggered = make([][]*Field, len(f.Fields))
	for _, fd := range f.Fields {
		loc := fd.Loc
		loc.Column = "trigger"
		for _, name := range fd.Trigger {
			if e := f.checkRef(loc, name, name); len(e) > 0 {
				errs = append(errs, e...)
				continue
			}
			src := f.byName[name]
			if !src.Type.HasAnswer() || src.Type == TypeRepeat || src.Type == TypeCalculate || src.Type.IsMeta() || src.Calculation != nil {
				errs = append(errs, newLoadError(loc, ldTriggerNotAnswered, name, fd.Name))
				continue
			}
			p.triggered[src.idx] = append(p.triggered[src.idx], fd)
		}
	}
	return errs
}

// UsesLastSaved reports whether an expression of the form reads
// ${last-saved#name}: then Options.LastSaved matters.
func (f *Form) UsesLastSaved() bool { return f.usesLastSaved }

// UsesInstanceID reports whether an expression reads ${instanceID}: then
// Options.InstanceID matters.
func (f *Form) UsesInstanceID() bool { return f.usesInstanceID }

// checkRef reports a ${name} (written as shown) that names no question of
// the form, or more than one.
func (f *Form) checkRef(loc Location, name, shown string) LoadErrors {
	if f.byName[name] != nil {
		return nil
	}
	if same := f.named(name); len(same) > 1 {
		rows := make([]string, len(same))
		for i, fd := range same {
			rows[i] = fmt.Sprint(fd.Loc.Row)
		}
		return LoadErrors{newLoadError(loc, ldRefAmbiguous, shown, len(same), name, strings.Join(rows, ", "))}
	}
	return LoadErrors{newLoadError(loc, ldRefUnknown, shown)}
}

// checkAnswerRef is checkRef for a ${name} that reads an answer, in an
// expression or a text: it may also name the record's id (see
// InstanceIDOf).
func (f *Form) checkAnswerRef(loc Location, name string) LoadErrors {
	if name == metaInstanceID && f.byName[name] == nil && !f.omitsInstanceID() {
		f.usesInstanceID = true
		return nil
	}
	return f.checkRef(loc, name, name)
}

// omitsInstanceID reports the setting omit_instanceID: then the form has
// no ${instanceID} to read, as pyxform has it.
func (f *Form) omitsInstanceID() bool {
	on, _ := yesNo(f.Settings["omit_instanceid"])
	return on
}

type namedExpr struct {
	e      *Expression
	column string
}

// fieldExprs lists a field's expressions with the column each came from.
func fieldExprs(fd *Field) []namedExpr {
	return []namedExpr{
		{fd.Required, "required"}, {fd.Relevant, "relevant"}, {fd.Constraint, "constraint"}, {fd.Warning, "warning"},
		{fd.Calculation, "calculation"}, {fd.Default, "default"}, {fd.ChoiceFilter, "choice_filter"},
		{fd.ReadOnly, "read_only"}, {fd.RepeatCount, "repeat_count"}, {fd.TriggerValue, "calculation"},
	}
}

// inputsOf lists the fields whose value a field's relevance or value is
// computed from: its parent (relevance is inherited) and every ${ref} of its
// relevant and calculation expressions. A group or repeat whose relevance
// reads one of its own answered questions reads that question's answer,
// which it does not gate (see readsAnswer): such a question is listed in
// answers instead, as ODK evaluates it rather than refusing a cycle.
func inputsOf(f *Form, fd *Field) (in, answers []*Field) {
	if fd.Parent != nil && fd.Parent != f.Root {
		in = append(in, fd.Parent)
	}
	for _, e := range []*Expression{fd.Relevant, fd.Calculation} {
		if x := exprOf(e); x != nil {
			// A path such as ../x or /data/x reads a field as ${x} does.
			for _, name := range append(x.Refs(), x.PathNames()...) {
				r := f.byName[name]
				switch {
				case r == nil:
				case readsAnswer(fd, r):
					answers = append(answers, r)
				default:
					in = append(in, r)
				}
			}
		}
	}
	return in, answers
}

// readsAnswer reports whether an expression of reader sees t's answer
// rather than its value: reader is a group or repeat enclosing t, and t
// is answered, not calculated. t's value is blank while reader does not
// apply, so reading the value would make reader's relevance depend on
// itself; ODK reads the answer.
func readsAnswer(reader, t *Field) bool {
	if reader == nil || !reader.Type.IsContainer() || t.Calculation != nil {
		return false
	}
	for p := t.Parent; p != nil; p = p.Parent {
		if p == reader {
			return true
		}
	}
	return false
}

// buildPlan orders the fields topologically (document order among equals)
// and returns a cycle if there is one.
func buildPlan(f *Form) (*plan, []*Field) {
	n := len(f.Fields)
	p := &plan{rank: make([]int, n), dependents: make([][]*Field, n), slot: make([]int, n),
		slots: make([]int, n+1), members: make([][]*Field, n+1), repeats: make([]int, n+1)}
	inputs := make([][]*Field, n)
	indegree := make([]int, n)
	p.answerReaders = make([][]*Field, n)
	for _, fd := range f.Fields {
		var answers []*Field
		inputs[fd.idx], answers = inputsOf(f, fd)
		for _, in := range inputs[fd.idx] {
			p.dependents[in.idx] = append(p.dependents[in.idx], fd)
			indegree[fd.idx]++
		}
		for _, a := range answers {
			p.answerReaders[a.idx] = append(p.answerReaders[a.idx], fd)
		}
	}
	// Kahn's algorithm, taking the earliest ready field in document order so
	// that forms without forward references evaluate top to bottom.
	ready := make([]int, 0, n)
	for i := range f.Fields {
		if indegree[i] == 0 {
			ready = append(ready, i)
		}
	}
	for len(ready) > 0 {
		sort.Ints(ready)
		i := ready[0]
		ready = ready[1:]
		fd := f.Fields[i]
		p.rank[i] = len(p.order)
		p.order = append(p.order, fd)
		for _, d := range p.dependents[i] {
			indegree[d.idx]--
			if indegree[d.idx] == 0 {
				ready = append(ready, d.idx)
			}
		}
	}
	if len(p.order) < n {
		return nil, findCycle(f, inputs, indegree)
	}
	for i := range p.dependents {
		deps := p.dependents[i]
		sort.Slice(deps, func(a, b int) bool { return p.rank[deps[a].idx] < p.rank[deps[b].idx] })
		p.dependents[i] = dedupFields(deps)
	}
	p.repeatPath = make([][]*Field, n)
	for _, fd := range f.Fields {
		for r := fd.Repeat; r != nil; r = r.Repeat {
			p.repeatPath[fd.idx] = append([]*Field{r}, p.repeatPath[fd.idx]...)
		}
	}
	// Slots: the root's nodes are indexed by n (the root is not in Fields).
	levelOf := func(fd *Field) int {
		if lv := f.level(fd); lv != f.Root {
			return lv.idx
		}
		return n
	}
	for _, fd := range f.Fields {
		if li := levelOf(fd); fd.Type == TypeRepeat {
			p.slot[fd.idx] = p.repeats[li]
			p.repeats[li]++
		}
	}
	copy(p.slots, p.repeats)
	for _, fd := range f.Fields {
		li := levelOf(fd)
		if fd.Type != TypeRepeat {
			p.slot[fd.idx] = p.slots[li]
			p.slots[li]++
		}
		p.members[li] = append(p.members[li], fd)
	}
	return p, nil
}

func dedupFields(fs []*Field) []*Field {
	out := fs[:0]
	for i, fd := range fs {
		if i == 0 || fs[i-1] != fd {
			out = append(out, fd)
		}
	}
	return out
}

// findCycle walks from a field left with unmet inputs until it comes back to
// a field already on the walk: that stretch is a cycle.
func findCycle(f *Form, inputs [][]*Field, indegree []int) []*Field {
	start := -1
	for i := range f.Fields {
		if indegree[i] > 0 {
			start = i
			break
		}
	}
	seen := map[int]int{}
	var walk []*Field
	for i := start; ; {
		if at, ok := seen[i]; ok {
			return walk[at:]
		}
		seen[i] = len(walk)
		walk = append(walk, f.Fields[i])
		next := -1
		for _, in := range inputs[i] {
			if indegree[in.idx] > 0 {
				next = in.idx
				break
			}
		}
		if next < 0 {
			return walk
		}
		i = next
	}
}

// assignKeys gives every field its record key and builds the lookups by
// name and by key. XLSForm allows one name in different groups; a record
// is flat within a level, so such fields are keyed by their group path.
func assignKeys(f *Form) LoadErrors {
	f.byName = make(map[string]*Field, len(f.Fields))
	f.byKey = make(map[levelKey]*Field, len(f.Fields))
	count := map[levelKey]int{}
	names := map[string]int{}
	for _, fd := range f.Fields {
		count[levelKey{f.level(fd), fd.Name}]++
		names[fd.Name]++
	}
	var errs LoadErrors
	for _, fd := range f.Fields {
		lv := f.level(fd)
		fd.Key = fd.Name
		if count[levelKey{lv, fd.Name}] > 1 {
			parts := []string{fd.Name}
			for p := fd.Parent; p != nil && p != lv && p != f.Root; p = p.Parent {
				parts = append([]string{p.Name}, parts...)
			}
			fd.Key = strings.Join(parts, "/")
		}
		k := levelKey{lv, fd.Key}
		if other := f.byKey[k]; other != nil {
			loc := fd.Loc
			loc.Column = "name"
			errs = append(errs, newLoadError(loc, ldNameTakenInGroup, fd.Name, other.Loc.Row))
			continue
		}
		f.byKey[k] = fd
		li := len(f.Fields)
		if lv != f.Root {
			li = lv.idx
		}
		if f.levelKeys == nil {
			f.levelKeys = make([]map[string]*Field, len(f.Fields)+1)
		}
		if f.levelKeys[li] == nil {
			f.levelKeys[li] = map[string]*Field{}
		}
		f.levelKeys[li][fd.Key] = fd
		if names[fd.Name] == 1 {
			f.byName[fd.Name] = fd
		}
	}
	return errs
}

// named lists every field with that name.
func (f *Form) named(name string) []*Field {
	var out []*Field
	for _, fd := range f.Fields {
		if fd.Name == name {
			out = append(out, fd)
		}
	}
	return out
}

// keyAt finds the field whose key, within level, is the longest run of
// path segments starting at segs[0]; it returns the field and how many
// segments its key took. Keys of same-named fields contain "/".
func (f *Form) keyAt(level *Field, segs []string) (*Field, int) {
	for n := len(segs); n >= 1; n-- {
		key := strings.Join(segs[:n], "/")
		if strings.Contains(strings.Join(segs[:n-1], "/"), "[") {
			continue // an index belongs to the last segment only
		}
		name, _, err := splitIndex(key)
		if err != nil {
			continue
		}
		if fd := f.byKey[levelKey{level, name}]; fd != nil {
			return fd, n
		}
	}
	return nil, 0
}
