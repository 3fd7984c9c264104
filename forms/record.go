package forms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Fill starts an instance from a decoded record, evaluates it, and returns
// the problems of shape found on the way: unknown names, a list where a
// single answer belongs. Whether the answers are valid is Validate's job.
func (f *Form) Fill(obj map[string]any, opts Options) (*Instance, *Result) {
	opts.Defaults = false // an answer missing from a record is blank
	in := f.newInstance(opts)
	res := &Result{lang: uiLanguage(opts.Language)}
	in.fill(in.root, obj, "", res)
	in.evaluate()
	return in, res
}

func (in *Instance) fill(n *node, obj map[string]any, prefix string, res *Result) {
	keys := in.form.levelKeys[in.levelIndex(n.level)]
	var strays []string // names with no place here, reported in a stable order below
	for k, v := range obj {
		fd := keys[k]
		if fd == nil && n.parent == nil && k == WarningsKey {
			in.fillWarnings(v, res)
			continue
		}
		if fd == nil || fd.Type == TypeGroup {
			strays = append(strays, k)
			continue
		}
		if fd.Type == TypeRepeat {
			in.fillRepeat(n, fd, v, prefix+k, res)
			continue
		}
		s, ok := scalar(v)
		if fd.Type == TypeNote {
			if s != "" || !ok {
				res.addWarning(k, prefix+k, RuleUnknown, msgNoteAnswer, k)
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
		path := prefix + k
		if k == "" {
			path = prefix + `""` // an empty key still needs a visible path
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
	if fd.Type == TypeSelectOne || fd.Type == TypeSelectMultiple {
		list := in.form.Lists[fd.ListName]
		if fd.Type == TypeSelectOne && list != nil && list.Lookup(s) != nil {
			return "", true // a name may itself contain a space ("foot paths")
		}
		names := strings.Fields(s)
		if fd.Type == TypeSelectOne && len(names) != 1 {
			return msgNotAChoice, false
		}
		for _, name := range names {
			if list == nil || list.Lookup(name) == nil {
				return msgNotAChoice, false
			}
		}
	}
	return "", true
}

func (in *Instance) fillRepeat(n *node, fd *Field, v any, path string, res *Result) {
	items, ok := v.([]any)
	if !ok {
		if s, isScalar := scalar(v); isScalar && s == "" {
			return
		}
		res.addError(fd.Name, path, RuleType, msgRepeatNotList, fd.Name)
		return
	}
	s := in.slot(fd)
	for _, item := range items {
		kid := in.newNode(fd, n, len(n.kids[s])+1)
		n.kids[s] = append(n.kids[s], kid)
		obj, ok := item.(map[string]any)
		if !ok {
			// Kept as an empty, unchecked instance so that the numbering
			// of the items after it matches the input.
			kid.junk = true
			res.addError(fd.Name, fmt.Sprintf("%s[%d]", path, kid.index), RuleType, msgRepeatItem, fd.Name)
			continue
		}
		in.fill(kid, obj, fmt.Sprintf("%s[%d]/", path, kid.index), res)
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
	case TypeSelectMultiple:
		return strings.Join(strings.Fields(s), " ")
	case TypeAcknowledge:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "ok", "yes", "true", "1":
			return "OK"
		}
	}
	return strings.TrimSpace(s)
}

// MarshalJSON writes the record with keys in form order, so that records
// read back exactly as entered and diff cleanly.
func (in *Instance) MarshalJSON() ([]byte, error) {
	// Sized like the form's largest record so far: one allocation, not a
	// buffer doubling its way up (an import marshals every record).
	hint := &in.form.jsonSize
	b := bytes.NewBuffer(make([]byte, 0, hint.Load()))
	in.writeJSON(b, in.root)
	if n := int64(b.Len()); n > hint.Load() && n <= maxJSONSizeHint {
		hint.Store(n)
	}
	return b.Bytes(), nil
}

// maxJSONSizeHint keeps one huge record from making every later buffer huge.
const maxJSONSizeHint = 64 << 10

func (in *Instance) writeJSON(b *bytes.Buffer, n *node) {
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
			for i, k := range n.kids[s] {
				if i > 0 {
					b.WriteByte(',')
				}
				in.writeJSON(b, k)
			}
			b.WriteByte(']')
		case fd.Type.HasAnswer() && n.value[s] != "":
			key(fd.Key)
			writeJSONString(b, n.value[s])
		}
	}
	if n.parent == nil {
		in.writeWarnings(b, key)
	}
	b.WriteByte('}')
}

// writeJSONString writes s as a JSON string without HTML escaping, so
// Chinese text and <, >, & stay readable in exports.
func writeJSONString(b *bytes.Buffer, s string) {
	if plainJSON(s) { // nearly every answer: skip the encoder's allocations
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}

// plainJSON reports whether s is valid UTF-8 that encoding/json would copy
// unchanged between quotes (HTML escaping off).
func plainJSON(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}
