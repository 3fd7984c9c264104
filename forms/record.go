package forms

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms/canonjson"
)

// Fill starts an instance from a decoded record, evaluates it, and returns
// the problems of shape found on the way: unknown names, a list where a
// single answer belongs. Whether the answers are valid is Validate's job.
func (f *Form) Fill(obj map[string]any, opts Options) (*Instance, *Result) {
	opts.Defaults = false // an answer missing from a record is blank
	// The two come and go together (a server drops both after the check):
	// one allocation.
	both := &struct {
		in  Instance
		res Result
	}{}
	in, res := &both.in, &both.res
	f.initInstance(in, opts)
	res.lang = uiLanguage(opts.Language)
	in.fill(in.root, obj, res)
	in.evaluate()
	in.fireRecordTriggers()
	return in, res
}

func (in *Instance) fill(n *node, obj map[string]any, res *Result) {
	keys := in.form.levelKeys[in.levelIndex(n.level)]
	var strays []string // names with no place here, reported in a stable order below
	for k, v := range obj {
		fd := keys[k]
		if fd == nil && n.parent == nil && k == WarningsKey {
			in.fillWarnings(v, res)
			continue
		}
		if fd == nil && n.parent == nil && k == EntitiesKey {
			in.fillEntities(v, res)
			continue
		}
		if fd == nil || fd.Type == TypeGroup {
			strays = append(strays, k)
			continue
		}
		if fd.Type == TypeRepeat {
			in.fillRepeat(n, fd, v, res)
			continue
		}
		s, ok := scalar(v)
		if fd.Type == TypeNote {
			if s != "" || !ok {
				res.addWarning(k, in.path(k), RuleUnknown, msgNoteAnswer, k)
			}
			continue
		}
		if !ok {
			in.markBad(n, fd, notScalar) // reported at check time, once
			continue
		}
		in.store(n, fd, normalize(fd, s))
		if fd.Calculation != nil {
			// What the record says a calculation was: once() keeps it.
			n.value[in.slot(fd)] = n.answer[in.slot(fd)]
		}
	}
	sort.Strings(strays)
	for _, k := range strays {
		path := in.path(k)
		if k == "" {
			path = in.path(`""`) // an empty key still needs a visible path
		}
		fd := keys[k]
		switch {
		case fd != nil: // a group
			res.addError(k, path, RuleUnknown, msgGroupKey, k)
		case in.form.byName[k] != nil: // known, but at another level: say where it belongs
			res.addError(k, path, RuleUnknown, msgWrongLevel, k, in.levelName(in.form.byName[k]))
		default:
			res.addError(k, path, RuleUnknown, msgUnknownField, k)
		}
	}
}

// notScalar stands in the bad slot of an answer given as a JSON list or
// object, which no question takes. It cannot be typed: answers are text.
const notScalar = "\x00not a scalar"

// store records a normalised answer. An answer of the wrong shape for its
// type, or naming no choice, is kept aside (see node.bad) where expressions
// cannot see it; a later good answer clears it.
func (in *Instance) store(n *node, fd *Field, s string) {
	slot := in.slot(fd)
	if s != "" {
		if _, ok := in.typeOK(fd, s); !ok {
			in.markBad(n, fd, s)
			n.answer[slot] = ""
			return
		}
	}
	if n.bad != nil {
		n.bad[slot] = ""
	}
	n.answer[slot] = s
}

func (in *Instance) markBad(n *node, fd *Field, raw string) {
	if n.bad == nil {
		n.bad = make([]string, len(n.answer))
	}
	n.bad[in.slot(fd)] = raw
}

// typeOK checks an answer's shape and, for selects, that every name is in
// the list (the filter depends on other answers and is checked later).
func (in *Instance) typeOK(fd *Field, s string) (msgKey, bool) {
	if key, ok := checkType(fd.Type, s); !ok {
		return key, false
	}
	if fd.Type.IsSelect() && fd.ChoicesFrom == "" {
		list := in.form.plan.lists[fd.idx]
		if fd.Type == TypeSelectOne && list != nil && list.Lookup(s) != nil {
			return "", true // a name may itself contain a space ("foot paths")
		}
		if fd.Type == TypeSelectOne {
			// A name with space around it still counts; two names
			// are not one choice.
			if name, rest := nextField(s); name != "" {
				if next, _ := nextField(rest); next == "" && list != nil && list.Lookup(name) != nil {
					return "", true
				}
			}
			return msgNotAChoice, false
		}
		for rest := s; ; {
			var name string
			if name, rest = nextField(rest); name == "" {
				break
			}
			if list == nil || list.Lookup(name) == nil {
				return msgNotAChoice, false
			}
		}
	}
	return "", true
}

func (in *Instance) fillRepeat(n *node, fd *Field, v any, res *Result) {
	items, ok := v.([]any)
	if !ok {
		if s, isScalar := scalar(v); isScalar && s == "" {
			return
		}
		res.addError(fd.Name, in.path(fd.Key), RuleType, msgRepeatNotList, fd.Name)
		return
	}
	if len(items) == 0 {
		return
	}
	s := in.slot(fd)
	kids := in.newNodes(fd, n, len(n.kids[s])+1, len(items))
	n.kids[s] = slices.Grow(n.kids[s], len(items))
	for i, item := range items {
		kid := &kids[i]
		n.kids[s] = append(n.kids[s], kid)
		obj, ok := item.(map[string]any)
		in.enter(fd.Key, kid.index)
		if ok {
			in.fill(kid, obj, res)
		} else {
			// Kept as an empty, unchecked instance so that the numbering
			// of the items after it matches the input.
			kid.junk = true
			res.addError(fd.Name, string(in.appendTrail(nil)), RuleType, msgRepeatItem, fd.Name)
		}
		in.leave()
	}
}

// levelName names where a field belongs, for messages.
func (in *Instance) levelName(fd *Field) string {
	if fd.Repeat == nil {
		return "/"
	}
	return fd.Repeat.Name
}

// scalar turns a JSON value into an answer string.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// normalize brings an answer to its stored form before anything reads it:
// numbers and dates without surrounding spaces, multiple choices separated by
// single spaces, and identifiers as their validators store them.
func normalize(fd *Field, s string) string {
	switch fd.Type {
	case TypeText, TypeBarcode:
		if fd.Validate != "" {
			return normalizeByTags(fd.Validate, s)
		}
		return s
	case TypeSelectMultiple, TypeRank:
		if singleSpaced(s) { // as stored already: keep it, do not copy it
			return s
		}
		return strings.Join(strings.Fields(s), " ")
	case TypeInteger, TypeDecimal:
		return plainNumber(strings.TrimSpace(s))
	case TypeGeotrace, TypeGeoshape:
		return normalizeGeoPoints(s)
	case TypeAcknowledge:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "ok", "yes", "true", "1":
			return "OK"
		}
	}
	return strings.TrimSpace(s)
}

// nextField splits off the first of the names strings.Fields would find in
// s, and what follows it; name is "" when there is none. Walking the names
// this way spares a slice per select_multiple answer.
func nextField(s string) (name, rest string) {
	start := -1
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsSpace(r) {
			if start >= 0 {
				return s[start:i], s[i:]
			}
		} else if start < 0 {
			start = i
		}
		i += size
	}
	if start < 0 {
		return "", ""
	}
	return s[start:], ""
}

// singleSpaced reports whether s is already strings.Join(strings.Fields(s),
// " "): names separated by single ASCII spaces, none at either end.
func singleSpaced(s string) bool {
	prevSpace := true // a space first is not allowed
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		space := unicode.IsSpace(r)
		if space && (r != ' ' || prevSpace) {
			return false
		}
		prevSpace = space
		i += size
	}
	return !prevSpace || s == ""
}

// MarshalJSON writes the record with keys in form order, so that records
// read back exactly as entered and diff cleanly.
func (in *Instance) MarshalJSON() ([]byte, error) {
	// Sized like the form's largest record so far: one allocation, not a
	// buffer doubling its way up (an import marshals every record).
	hint := &in.form.jsonSize
	b := bytes.NewBuffer(make([]byte, 0, hint.Load()))
	in.writeJSON(b, in.root, nil)
	if n := int64(b.Len()); n > hint.Load() && n <= maxJSONSizeHint {
		hint.Store(n)
	}
	return b.Bytes(), nil
}

// maxJSONSizeHint keeps one huge record from making every later buffer huge.
const maxJSONSizeHint = 64 << 10

func (in *Instance) writeJSON(b *bytes.Buffer, n *node, sp *splitter) {
	b.WriteByte('{')
	first := true
	key := func(name string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeJSONString(b, name)
		b.WriteByte(':')
	}
	for _, fd := range in.form.plan.members[in.levelIndex(n.level)] {
		s := in.slot(fd)
		if !n.rel[s] {
			continue
		}
		switch {
		case fd.Type == TypeRepeat:
			if len(n.kids[s]) == 0 {
				continue
			}
			key(fd.Key)
			b.WriteByte('[')
			sp.push(fd.Key)
			for i, k := range n.kids[s] {
				if i > 0 {
					b.WriteByte(',')
				}
				sp.pushIndex(i)
				in.writeJSON(b, k, sp)
				sp.pop()
			}
			sp.pop()
			b.WriteByte(']')
		case fd.Type.HasAnswer() && n.value[s] != "":
			key(fd.Key)
			if sp == nil {
				writeJSONString(b, n.value[s])
			} else {
				sp.push(fd.Key)
				sp.text(b, n.value[s], MaskAnswer(fd, n.value[s]))
				sp.pop()
			}
		}
	}
	if n.parent == nil {
		in.writeWarnings(b, key, sp)
		in.writeEntities(b, key, sp)
	}
	b.WriteByte('}')
}

// writeJSONString writes s as a canonical JSON string: Chinese text and
// <, >, & stay readable in stored records and exports.
func writeJSONString(b *bytes.Buffer, s string) {
	b.Write(canonjson.AppendString(b.AvailableBuffer(), s))
}
