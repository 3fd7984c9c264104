package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"unsafe"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/canonjson"
)

// A Masker masks the records of one form version by the rules of a masked
// export (every answer through forms.MaskAnswer by its question, what no
// question describes through forms.MaskEmbeddedIDs), reading each
// record's bytes once, in their own member order, and says which nodes
// masking changed. It is how a record is split into the masked data that
// is stored and shown and the personal part that is sealed
// (store/seal), and how MaskedRecord shows one record: one walk, so the
// masked data stored and the masked data shown cannot drift apart. Make
// one per form version and keep it; it is safe for concurrent use.
type Masker struct {
	root *maskLevel
	// KeepEntities keeps a record's entity changes (forms.EntitiesKey),
	// masked as forms.EntityMaskings says; without it they are left out,
	// as exports leave them out.
	KeepEntities bool
}

// maskLevel is the record's root or one repeat's items: its members by
// record key, and in form order, the order of a stored record's keys.
type maskLevel struct {
	members map[string]maskMember
	keys    []string
	inOrder []maskMember
}

// maskMember is what a record key names: a question (field), a repeat
// whose items are a level (kid), an object that is one (object: an entity
// change's properties), or the record's entity changes, each an object
// of the level of its list (entities).
type maskMember struct {
	field *forms.Field
	// mask is forms.MaskAnswer for field's answers; personal, whether
	// field has a sensitivity class (forms.MaskClass).
	mask     func(string) string
	personal bool
	kid      *maskLevel
	object   *maskLevel
	entities map[string]*maskLevel
	// verbatim is a member copied as it is: an entity change's own
	// identifiers, which the free-text rule could take for a number (a
	// UUID's digit groups can read as a mobile number).
	verbatim bool
}

// described reports whether the member is one the form describes.
func (mb maskMember) described() bool {
	return mb.field != nil || mb.kid != nil || mb.object != nil || mb.entities != nil || mb.verbatim
}

// member is the question or repeat a record key names at lv (none for a
// key no question gives, or for any key when lv is nil). A record's keys
// come in form order, so the search starts where the last key was found
// (next), and costs a comparison or two instead of a hash.
func (lv *maskLevel) member(name []byte, next *int) maskMember {
	if lv == nil {
		return maskMember{}
	}
	for i := *next; i < len(lv.keys); i++ {
		if lv.keys[i] == string(name) {
			*next = i + 1
			return lv.inOrder[i]
		}
	}
	return lv.members[string(name)]
}

// add adds a member after the others.
func (lv *maskLevel) add(key string, mb maskMember) {
	lv.members[key] = mb
	lv.keys, lv.inOrder = append(lv.keys, key), append(lv.inOrder, mb)
}

// NewMasker lays out f for masking its records.
func NewMasker(f *forms.Form) *Masker {
	var build func(lv *level) *maskLevel
	build = func(lv *level) *maskLevel {
		ml := &maskLevel{members: make(map[string]maskMember, len(lv.members))}
		kidOf := make(map[*forms.Field]*level, len(lv.kids))
		for _, k := range lv.kids {
			kidOf[k.repeat] = k
		}
		for _, fd := range lv.members {
			mb := answerMember(fd)
			if kid := kidOf[fd]; kid != nil {
				mb = maskMember{kid: build(kid)}
			}
			ml.add(fd.Key, mb)
		}
		return ml
	}
	root := build(layout(f))
	root.addEntities(f)
	return &Masker{root: root}
}

// answerMember is the member of a question.
func answerMember(fd *forms.Field) maskMember {
	return maskMember{field: fd, mask: forms.AnswerMasker(fd), personal: forms.MaskClass(fd) != ""}
}

// addEntities describes the record's entity changes (forms.EntitiesKey)
// at the root level, list by list, as forms.EntityMaskings says: each
// property masked as the question that saves it, the label as a name
// when the form asks for names. Kept in the masked data
// (Masker.KeepEntities), they are what the catalogue applies and serves
// without the key.
func (root *maskLevel) addEntities(f *forms.Form) {
	maskings := f.EntityMaskings()
	if len(maskings) == 0 {
		return
	}
	lists := make(map[string]*maskLevel, len(maskings))
	for list, m := range maskings {
		// In the order forms writes them: properties sorted, the
		// members of an entity change as its struct has them.
		props := &maskLevel{members: map[string]maskMember{}}
		for _, prop := range slices.Sorted(maps.Keys(m.Properties)) {
			props.add(prop, answerMember(m.Properties[prop]))
		}
		item := &maskLevel{members: map[string]maskMember{}}
		for _, name := range []string{"list", "id", "path"} {
			item.add(name, maskMember{verbatim: true})
		}
		if m.LabelClass != "" {
			item.add("label", answerMember(&forms.Field{Type: forms.TypeText, Sensitive: m.LabelClass}))
		}
		item.add("properties", maskMember{object: props})
		lists[list] = item
	}
	root.members[forms.EntitiesKey] = maskMember{entities: lists}
}

// Changes are the nodes of a record whose masked form differs from its
// clear form, as Mask found them, in document order: where each is, as
// an RFC 6901 JSON pointer (the same in the clear and the masked record),
// and its clear value as canonical JSON. A node is a leaf; or the whole
// value of an answer masking turns into text; or the whole object one
// of whose member names masking changes (a name with an ID number in
// it), whose clear names are then only in its clear value. Reuse one
// Changes for many records: its bytes are kept in one buffer.
type Changes struct {
	arena []byte
	spans []changeSpan
}

// changeSpan is a change's pointer, arena[start:clear], and clear value,
// arena[clear:end].
type changeSpan struct{ start, clear, end int }

// Reset empties c, keeping its buffers.
func (c *Changes) Reset() { c.arena, c.spans = c.arena[:0], c.spans[:0] }

// Size is the bytes of every change's pointer and clear value.
func (c *Changes) Size() int { return len(c.arena) }

// Len is the number of changes.
func (c *Changes) Len() int { return len(c.spans) }

// Pointer is change i's pointer; the bytes are c's until it is reset.
func (c *Changes) Pointer(i int) []byte { sp := c.spans[i]; return c.arena[sp.start:sp.clear] }

// Clear is change i's clear value; the bytes are c's until it is reset.
func (c *Changes) Clear(i int) []byte { sp := c.spans[i]; return c.arena[sp.clear:sp.end] }

func (c *Changes) add(ptr, clear []byte) {
	sp := changeSpan{start: len(c.arena)}
	c.arena = append(c.arena, ptr...)
	sp.clear = len(c.arena)
	c.arena = append(c.arena, clear...)
	sp.end = len(c.arena)
	c.spans = append(c.spans, sp)
}

// undo forgets the changes after the first n.
func (c *Changes) undo(n int) {
	if n < len(c.spans) {
		c.arena = c.arena[:c.spans[n].start]
		c.spans = c.spans[:n]
	}
}

// Mask appends the masked form of the record data to dst and returns it,
// and adds to changes (when not nil) the nodes masking changed. The
// masked record is canonical JSON with the members in data's order;
// strings and numbers masking leaves alone keep their bytes when data is
// canonical, as stored records are.
func (m *Masker) Mask(dst, data []byte, changes *Changes) ([]byte, error) {
	if changes == nil {
		changes = &Changes{}
	}
	w := &maskWalk{out: dst, keepEntities: m.KeepEntities, changes: changes}
	w.r = *canonjson.NewReader(data)
	w.path = w.pathBuf[:0]
	if w.r.Peek() != '{' {
		return dst, errNotObject
	}
	if err := w.object(m.root); err != nil {
		return dst, err
	}
	if err := w.r.End(); err != nil {
		return dst, err
	}
	return w.out, nil
}

var errNotObject = errors.New("export: a record is a JSON object")

type maskWalk struct {
	r            canonjson.Reader
	out          []byte
	path         []pathStep // where the node being read is
	pathBuf      [8]pathStep
	ptr          []byte
	keepEntities bool
	changes      *Changes
}

// change notes that the node at the pointer is masked; clear is its
// canonical clear value.
func (w *maskWalk) change(clear []byte) {
	// The pointer is written only here: most nodes are not changed.
	w.ptr = w.ptr[:0]
	for _, st := range w.path {
		if st.name != nil {
			w.ptr = canonjson.AppendPointerToken(w.ptr, st.name)
		} else {
			w.ptr = strconv.AppendInt(append(w.ptr, '/'), int64(st.index), 10)
		}
	}
	w.changes.add(w.ptr, clear)
}

// pathStep is a member name (name, which is never nil) or an array
// index.
type pathStep struct {
	name  []byte
	index int
}

// push adds a member name to the path; it returns the length to cut the
// path back to.
func (w *maskWalk) push(name []byte) int {
	if name == nil {
		name = []byte{}
	}
	w.path = append(w.path, pathStep{name: name})
	return len(w.path) - 1
}

func (w *maskWalk) pushIndex(i int) int {
	w.path = append(w.path, pathStep{index: i})
	return len(w.path) - 1
}

// errRename stops the reading of an object one of whose member names
// masking changes: it is read again whole (renamedObject).
var errRename = errors.New("export: a member name to mask")

// object reads an object: a form level's (the record, a repeat item) when
// lv is set, else one no question describes.
func (w *maskWalk) object(lv *maskLevel) error {
	start, outStart, changesStart := w.r.Mark(), len(w.out), w.changes.Len()
	err := w.members(lv, nil)
	if err != errRename {
		return err
	}
	w.r.Reset(start)
	w.out = w.out[:outStart]
	w.changes.undo(changesStart)
	return w.renamedObject(lv)
}

// members reads an object's members and writes them masked; names, when
// set, gives the masked name of each member name masking changes, and
// without it such a name stops the reading with errRename.
func (w *maskWalk) members(lv *maskLevel, names map[string]string) error {
	if err := w.r.Enter('{'); err != nil {
		return err
	}
	w.out = append(w.out, '{')
	wrote, next := false, 0
	for first := true; ; first = false {
		more, err := w.r.More('}', first)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		name, canon, err := w.r.Key()
		if err != nil {
			return err
		}
		mb := lv.member(name, &next)
		if lv != nil && !w.keepEntities && string(name) == forms.EntitiesKey && (mb.entities != nil || !mb.described()) {
			// A record's entity changes repeat its answers outside the
			// questions masking goes by; exports leave them out.
			if err := w.r.Skip(); err != nil {
				return err
			}
			continue
		}
		if !mb.described() {
			// A name no question gives is text like any answer.
			if masked := forms.MaskEmbeddedIDs(unsafeString(name)); masked != string(name) {
				if names == nil {
					return errRename
				}
				canon = canonjson.AppendString(nil, names[string(name)])
			}
		}
		if wrote {
			w.out = append(w.out, ',')
		}
		wrote = true
		w.out = append(append(w.out, canon...), ':')
		back := w.push(name)
		switch {
		case mb.kid != nil:
			err = w.repeat(mb.kid)
		case mb.field != nil:
			err = w.answer(mb)
		case mb.object != nil && w.r.Peek() == '{':
			err = w.object(mb.object)
		case mb.entities != nil && w.r.Peek() == '[':
			err = w.array(func() error { return w.entity(mb.entities) })
		case mb.verbatim:
			w.out, err = w.r.AppendValue(w.out)
		default:
			err = w.value()
		}
		w.path = w.path[:back]
		if err != nil {
			return err
		}
	}
	w.out = append(w.out, '}')
	return nil
}

// renamedObject reads an object one of whose member names masking
// changes. The names are masked as a masked export masks them (renamed in
// sorted order, a '_' added to a name another member has), and the whole
// object is the change: its clear member names must come back with it.
func (w *maskWalk) renamedObject(lv *maskLevel) error {
	start, changesStart := w.r.Mark(), w.changes.Len()
	clear, err := w.r.AppendValue(nil)
	if err != nil {
		return err
	}
	var all []string
	rd := canonjson.NewReader(clear)
	if err := rd.Enter('{'); err != nil {
		return err
	}
	for first := true; ; first = false {
		more, err := rd.More('}', first)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		name, _, err := rd.Key()
		if err != nil {
			return err
		}
		if _, err := rd.Raw(); err != nil {
			return err
		}
		all = append(all, string(name))
	}
	taken := make(map[string]bool, len(all))
	for _, k := range all {
		taken[k] = true
	}
	slices.Sort(all)
	names := map[string]string{}
	for _, k := range all {
		if lv.member([]byte(k), new(int)).described() {
			continue
		}
		if masked := forms.MaskEmbeddedIDs(k); masked != k {
			names[k] = freeKey(taken, masked)
		}
	}
	w.r.Reset(start)
	if err := w.members(lv, names); err != nil {
		return err
	}
	w.changes.undo(changesStart)
	w.change(clear)
	return nil
}

// repeat reads the value of a repeat: its items, each a form level.
func (w *maskWalk) repeat(kid *maskLevel) error {
	if w.r.Peek() != '[' {
		return w.value()
	}
	return w.array(func() error {
		if w.r.Peek() == '{' {
			return w.object(kid)
		}
		return w.value()
	})
}

// array reads an array, item reading each item.
func (w *maskWalk) array(item func() error) error {
	if err := w.r.Enter('['); err != nil {
		return err
	}
	w.out = append(w.out, '[')
	for i := 0; ; i++ {
		more, err := w.r.More(']', i == 0)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		if i > 0 {
			w.out = append(w.out, ',')
		}
		back := w.pushIndex(i)
		err = item()
		w.path = w.path[:back]
		if err != nil {
			return err
		}
	}
	w.out = append(w.out, ']')
	return nil
}

// entity reads one entity change: an object of its list's level.
func (w *maskWalk) entity(lists map[string]*maskLevel) error {
	if w.r.Peek() != '{' {
		return w.value()
	}
	// Its list is a member like the others, written first; looked for
	// before the change is read, wherever it is.
	start := w.r.Mark()
	list, err := w.listOf()
	w.r.Reset(start)
	if err != nil {
		return err
	}
	return w.object(lists[list])
}

// listOf reads an object and returns its "list" member's string.
func (w *maskWalk) listOf() (string, error) {
	if err := w.r.Enter('{'); err != nil {
		return "", err
	}
	list := ""
	for first := true; ; first = false {
		more, err := w.r.More('}', first)
		if err != nil || !more {
			return list, err
		}
		name, _, err := w.r.Key()
		if err != nil {
			return "", err
		}
		if string(name) == "list" && w.r.Peek() == '"' {
			text, _, err := w.r.String()
			// The first member, as forms writes entity changes: the rest
			// need not be read.
			return string(text), err
		}
		if err := w.r.Skip(); err != nil {
			return "", err
		}
	}
}

// answer reads the answer to a question, masked as writeAnswer masks it.
func (w *maskWalk) answer(mb maskMember) error {
	switch done, err := w.leaf(mb.mask); {
	case done:
		return err
	case !mb.personal:
		return w.value()
	}
	// An answer of a personal question that is no string nor number:
	// masked as its text, and sealed whole.
	raw, err := w.r.Raw()
	if err != nil {
		return err
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	clear, err := canonjson.Append(nil, v)
	if err != nil {
		return err
	}
	masked := canonjson.AppendString(nil, mb.mask(text(v)))
	w.out = append(w.out, masked...)
	if !bytes.Equal(masked, clear) {
		w.change(clear)
	}
	return nil
}

// leaf reads a string or a number, if that is what comes next (done),
// and writes it masked by mask: as it was when masking leaves it alone,
// else as the masked string, a change.
func (w *maskWalk) leaf(mask func(string) string) (done bool, err error) {
	var text, canon []byte
	switch c := w.r.Peek(); {
	case c == '"':
		text, canon, err = w.r.String()
	case c == '-' || c >= '0' && c <= '9':
		canon, err = w.r.Scalar()
		text = canon
	default:
		return false, nil
	}
	if err != nil {
		return true, err
	}
	t := unsafeString(text)
	if masked := mask(t); masked != t {
		w.out = canonjson.AppendString(w.out, masked)
		w.change(canon)
	} else {
		w.out = append(w.out, canon...)
	}
	return true, nil
}

// value reads a value no question describes, masked as maskValue masks
// it: every ID and mobile number in its strings and member names.
func (w *maskWalk) value() error {
	if done, err := w.leaf(forms.MaskEmbeddedIDs); done {
		return err
	}
	switch w.r.Peek() {
	case '{':
		return w.object(nil)
	case '[':
		return w.array(w.value)
	}
	tok, err := w.r.Scalar() // true, false, null
	w.out = append(w.out, tok...)
	return err
}

// unsafeString is b as a string without a copy. The walk gives the
// masking functions the record's own bytes this way (a copy of every
// answer was a third of a record's masking): the record does not change
// while it is read, and no string made this way outlives the call it is
// made for (a masked answer that differs is a new string, and is copied
// into the output at once).
func unsafeString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
