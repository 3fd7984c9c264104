package forms

import (
	"time"

	"github.com/fieldbench/fieldbench/forms/expr"
)

// node is one instance of a level: the record's root, or one instance of a
// repeat. Values are kept by slot (plan.slot), so a lookup is an index, not
// a map access.
type node struct {
	level  *Field // Form.Root or a repeat
	parent *node  // nil for the root
	index  int    // 1-based among the repeat's instances; 0 for the root
	answer []string
	value  []string // what expressions see: "" where not relevant; calculated values
	rel    []bool
	kids   [][]*node // by slot of a repeat field (the first slots): its instances
	// bad holds, by slot, answers refused as the wrong type or not a
	// choice: kept out of expressions (ODK could not have stored them) and
	// reported at check time if the question turns out relevant. nil until
	// a bad answer appears.
	bad []string
	// junk marks an instance that stands for a repeat item which was not
	// an object: it keeps the numbering, and is not checked.
	junk bool
}

// Instance is one record in the making: the answers given so far, with
// relevance and calculations kept up to date. It is not safe for concurrent
// use.
type Instance struct {
	form     *Form
	root     *node
	now      func() time.Time
	lang     string // the form language used for labels (jr:choice-name)
	defaults bool
	dirty    []uint64
	ctx      evalCtx // reused by every evaluation: one Instance, one goroutine
	// rootNode and dirtyBuf live inside the Instance so that a record of a
	// form of up to 128 fields costs two fewer allocations.
	rootNode node
	dirtyBuf [2]uint64
	// trail is where fill and check are in the record (see step), on
	// trailBuf for repeats nested up to four deep.
	trail    []step
	trailBuf [4]step
	// confirmed are the warnings the collector confirmed, kept in the
	// record under WarningsKey (see warnings.go).
	confirmed []Problem
	// entities are the entity changes the record carries under
	// EntitiesKey (see entity_changes.go).
	entities []EntityChange
	// lastSaved is Options.LastSaved, for ${last-saved#name}.
	lastSaved map[string]any
	// instanceID is what ${instanceID} reads, as Ref returns it.
	instanceID [1]string
}

// Options configure a new Instance.
type Options struct {
	// Now is the clock for today() and now(); time.Now when nil.
	Now func() time.Time
	// Language is the interface language (zh-Hans, zh-Hant or en): it picks
	// the form language for messages and labels.
	Language string
	// Defaults fills each question's default when a record or repeat
	// instance is started, as data entry does. Records read from a file
	// leave it off: an answer missing there is blank, not the default.
	Defaults bool
	// LastSaved is the last record of the same form saved on this device,
	// decoded, for ${last-saved#name}; nil when there is none (then those
	// references are blank, as in ODK).
	LastSaved map[string]any
	// InstanceID is what ${instanceID} reads: InstanceIDOf the record's
	// id; "" while the record has none.
	InstanceID string
}

// NewInstance starts an empty record of form f, with relevance and
// calculations worked out, ready for answers.
func (f *Form) NewInstance(opts Options) *Instance {
	in := f.newInstance(opts)
	if in.defaults {
		in.applyDefaults(in.root)
	}
	in.evaluate()
	return in
}

// newInstance makes the instance without evaluating it, for callers that
// fill answers first and evaluate once.
func (f *Form) newInstance(opts Options) *Instance {
	in := &Instance{}
	f.initInstance(in, opts)
	return in
}

// initInstance sets up an Instance allocated by the caller.
func (f *Form) initInstance(in *Instance, opts Options) {
	*in = Instance{form: f, now: opts.Now, defaults: opts.Defaults, lastSaved: opts.LastSaved, instanceID: [1]string{opts.InstanceID}}
	if words := (len(f.Fields) + 63) / 64; words <= len(in.dirtyBuf) {
		in.dirty = in.dirtyBuf[:words]
	} else {
		in.dirty = make([]uint64, words)
	}
	if in.now == nil {
		in.now = time.Now
	}
	in.lang = f.MatchLanguage(opts.Language)
	in.root = &in.rootNode
	in.trail = in.trailBuf[:0]
	st := in.storage(f.Root, 1)
	st.carve(in.root, f.Root, nil, 0)
}

// applyDefaults gives the questions of a new node their defaults, each
// worked out once, in document order, as ODK does when a record or repeat
// instance is created.
func (in *Instance) applyDefaults(n *node) {
	for _, fd := range in.form.plan.members[in.levelIndex(n.level)] {
		if x := exprOf(fd.Default); x != nil && fd.Type.HasAnswer() && fd.Type != TypeRepeat && fd.Calculation == nil {
			in.store(n, fd, normalize(fd, x.EvalStored(in.at(n, fd))))
			// Later defaults may read this one before the first evaluation.
			n.value[in.slot(fd)] = n.answer[in.slot(fd)]
		}
	}
}

func (in *Instance) newNode(level *Field, parent *node, index int) *node {
	return &in.newNodes(level, parent, index, 1)[0]
}

// newNodes makes count instances of a level, numbered from first. They
// share one allocation per kind of storage: a record's repeat items come
// all at once, and allocating each node's slices apart was most of the
// garbage of a validation.
func (in *Instance) newNodes(level *Field, parent *node, first, count int) []node {
	nodes := make([]node, count)
	st := in.storage(level, count)
	for i := range nodes {
		st.carve(&nodes[i], level, parent, first+i)
	}
	return nodes
}

// nodeStorage is the storage of some nodes of one level, handed out in turn.
type nodeStorage struct {
	slots   int
	repeats int      // the level's repeats, which have its first slots
	strs    []string // answers and values, two runs of slots per node
	rel     []bool
	kids    [][]*node
}

func (in *Instance) storage(level *Field, count int) nodeStorage {
	li := in.levelIndex(level)
	n, r := in.form.plan.slots[li], in.form.plan.repeats[li]
	st := nodeStorage{slots: n, repeats: r, strs: make([]string, 2*n*count), rel: make([]bool, n*count)}
	if r > 0 {
		st.kids = make([][]*node, r*count)
	}
	return st
}

// carve sets up nd with the next node's share of the storage. The slices are
// capped so that no node could append into its neighbour's.
func (st *nodeStorage) carve(nd *node, level *Field, parent *node, index int) {
	n, r := st.slots, st.repeats
	nd.level, nd.parent, nd.index = level, parent, index
	nd.answer, nd.value = st.strs[:n:n], st.strs[n:2*n:2*n]
	nd.rel = st.rel[:n:n]
	st.strs, st.rel = st.strs[2*n:], st.rel[n:]
	if r > 0 {
		nd.kids = st.kids[:r:r]
		st.kids = st.kids[r:]
	}
}

// slot is where fd's value lives in the nodes of its level.
func (in *Instance) slot(fd *Field) int { return in.form.plan.slot[fd.idx] }

// parentLevel is the level a level's own instances are listed in.
func (f *Form) parentLevel(level *Field) *Field {
	if level == f.Root {
		return nil
	}
	return f.level(level)
}

// isAncestorLevel reports whether a is b or encloses it.
func (f *Form) isAncestorLevel(a, b *Field) bool {
	for l := b; l != nil; l = f.parentLevel(l) {
		if l == a {
			return true
		}
	}
	return false
}

// visible returns the nodes of level target that an expression evaluated at
// node from sees: the one enclosing instance when target encloses from's
// level (so ${x} inside a repeat means the same instance), every instance
// below the nearest common level otherwise.
func (in *Instance) visible(from *node, target *Field) []*node {
	a := from
	for a != nil && !in.form.isAncestorLevel(a.level, target) {
		a = a.parent
	}
	if a == nil {
		return nil
	}
	if a.level == target {
		return []*node{a}
	}
	var path []*Field
	for l := target; l != a.level; l = in.form.parentLevel(l) {
		path = append(path, l)
	}
	nodes := []*node{a}
	for i := len(path) - 1; i >= 0; i-- {
		s := in.slot(path[i])
		var next []*node
		for _, n := range nodes {
			next = append(next, n.kids[s]...)
		}
		nodes = next
	}
	return nodes
}

// countVisible is the number of instances of repeat t in the nodes of its
// level that visible lists.
func (in *Instance) countVisible(from *node, t *Field) int {
	lv := in.form.level(t)
	a := from
	for a != nil && !in.form.isAncestorLevel(a.level, lv) {
		a = a.parent
	}
	if a == nil {
		return 0
	}
	chain := in.form.plan.repeatPath[t.idx]
	for i, r := range chain {
		if r == a.level {
			chain = chain[i+1:]
			break
		}
	}
	return in.countKids(a, chain, in.slot(t))
}

func (in *Instance) countKids(n *node, chain []*Field, s int) int {
	if len(chain) == 0 {
		return len(n.kids[s])
	}
	k := 0
	for _, kid := range n.kids[in.slot(chain[0])] {
		k += in.countKids(kid, chain[1:], s)
	}
	return k
}

// nodesAt lists every node of a level in document order.
func (in *Instance) nodesAt(level *Field) []*node {
	if level == in.form.Root {
		return []*node{in.root}
	}
	return in.visible(in.root, level)
}

// evalCtx is the expr.Context of one evaluation: which node and field the
// expression belongs to, and for a choice_filter the choice being tried.
type evalCtx struct {
	in     *Instance
	n      *node
	fd     *Field
	choice *Choice
	// item is, for a select of earlier answers, the repeat instance whose
	// answer is being tried: its questions are read there.
	item *node
}

func (in *Instance) at(n *node, fd *Field) *evalCtx {
	in.ctx = evalCtx{in: in, n: n, fd: fd}
	return &in.ctx
}

func (c *evalCtx) Ref(name string) []string {
	in := c.in
	t := in.form.byName[name]
	if t == nil {
		if name == metaInstanceID {
			return in.instanceID[:]
		}
		return nil
	}
	if t.Type == TypeRepeat {
		// One blank per instance (count(${members})), counted without
		// listing the nodes that hold them.
		if k := in.countVisible(c.n, t); k > 0 {
			return make([]string, k)
		}
		return nil
	}
	s := in.slot(t)
	lv := in.form.level(t)
	answer := readsAnswer(c.fd, t)
	from := c.n
	if c.item != nil && in.form.isAncestorLevel(c.item.level, lv) {
		from = c.item
	}
	// The common case, a field of this level or an enclosing one: a
	// sub-slice of that node's values, so the hot path does not allocate.
	for a := from; a != nil; a = a.parent {
		if a.level == lv {
			if answer {
				return a.answer[s : s+1 : s+1]
			}
			return a.value[s : s+1 : s+1]
		}
	}
	nodes := in.visible(from, lv)
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.value[s]
		if answer {
			out[i] = n.answer[s]
		}
	}
	return out
}

func (c *evalCtx) Current() string {
	if c.fd == nil || !c.fd.Type.HasAnswer() {
		return ""
	}
	return c.n.value[c.in.slot(c.fd)]
}

func (c *evalCtx) Path(absolute bool, steps []string) []string {
	if len(steps) == 0 {
		return nil
	}
	last := steps[len(steps)-1]
	if c.choice != nil && !absolute && len(steps) == 1 {
		return []string{c.choice.column(last, c.in.lang)}
	}
	if last == ".." || last == "." {
		return []string{""}
	}
	return c.Ref(last)
}

func (c *evalCtx) Position(up int) int {
	if c.item != nil && up == 0 {
		return c.item.index
	}
	if up == 0 || c.fd == nil {
		return c.n.index
	}
	// Each .. climbs one element from the field: a group, a repeat
	// instance, or the root.
	p := c.fd
	for i := 0; i < up && p != nil; i++ {
		p = p.Parent
	}
	if p == nil || p.Type != TypeRepeat {
		return 1 // a group or the root is the only one of its name
	}
	for a := c.n; a != nil; a = a.parent {
		if a.level == p {
			return a.index
		}
	}
	return 0
}

func (c *evalCtx) ChoiceLabel(field, value string) string {
	fd := c.in.form.byName[field]
	if fd == nil {
		return ""
	}
	if fd.ChoicesFrom != "" {
		return value // an earlier answer is its own label
	}
	list := c.in.form.Lists[fd.ListName]
	if list == nil {
		return ""
	}
	if ch := list.Lookup(value); ch != nil {
		return ch.LabelIn(c.in.lang)
	}
	return ""
}

func (c *evalCtx) Now() time.Time { return c.in.now() }

func (c *evalCtx) Instance(name string) expr.Instance { return c.in.form.instances[name] }

var _ expr.Context = (*evalCtx)(nil)

// column is what a bare name in a choice_filter means for this choice:
// for a list from a file, the file's column of that name first.
func (ch *Choice) column(name, lang string) string {
	if ch.list != nil && ch.list.fromFile {
		for i, col := range ch.list.Columns {
			if col == name {
				return ch.extra[i]
			}
		}
	}
	switch name {
	case "name":
		return ch.Name
	case "label":
		return ch.LabelIn(lang)
	}
	return ch.Extra(name)
}
