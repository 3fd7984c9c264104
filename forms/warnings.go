package forms

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// A record keeps, beside its answers, the warnings its collector looked at
// and confirmed ("yes, 12 people live here"), so that they travel with it
// through sync and the reviewer sees them. They sit under one reserved
// top-level key; no question may have a name with the reserved prefix
// (see reservedName), so the key can never clash with an answer.
const (
	ReservedPrefix = "__"
	WarningsKey    = "__warnings"
)

// NeedsConfirmation reports whether a warning is about an answer the
// collector gave, which the collector confirms before finalizing: a soft
// check (the warning column) or a validate tag's warning (a division code
// not in the list). Other warnings describe the record's shape (an answer
// dropped because its question does not apply) and need nobody's word.
func (p Problem) NeedsConfirmation() bool {
	return p.Rule == RuleWarning || p.Rule == RuleValidate
}

// Confirmed lists the warnings the record carries as confirmed, in the
// order they were confirmed. The slice is a copy.
func (in *Instance) Confirmed() []Problem {
	return append([]Problem(nil), in.confirmed...)
}

// SetConfirmed replaces the confirmed warnings, for undoing a change.
func (in *Instance) SetConfirmed(ps []Problem) {
	in.confirmed = append([]Problem(nil), ps...)
}

// IsConfirmed reports whether a warning like p (same path and rule) is
// confirmed.
func (in *Instance) IsConfirmed(p Problem) bool {
	for _, c := range in.confirmed {
		if c.Path == p.Path && c.Rule == p.Rule {
			return true
		}
	}
	return false
}

// Confirm records that the collector confirmed warning p; confirming it
// again changes nothing.
func (in *Instance) Confirm(p Problem) {
	if !in.IsConfirmed(p) {
		in.confirmed = append(in.confirmed, p)
	}
}

// KeepConfirmed forgets confirmations of warnings that no longer arise
// (current is what validation finds now), so the record never claims a
// warning it does not have.
func (in *Instance) KeepConfirmed(current []Problem) {
	out := in.confirmed[:0]
	for _, c := range in.confirmed {
		for _, p := range current {
			if c.Path == p.Path && c.Rule == p.Rule {
				out = append(out, c)
				break
			}
		}
	}
	clear(in.confirmed[len(out):])
	in.confirmed = out
}

// dropConfirmedAt forgets the confirmations of the answer at path: a
// changed answer is checked, and confirmed, afresh.
func (in *Instance) dropConfirmedAt(path string) {
	out := in.confirmed[:0]
	for _, c := range in.confirmed {
		if c.Path != path {
			out = append(out, c)
		}
	}
	clear(in.confirmed[len(out):])
	in.confirmed = out
}

// renumberConfirmed follows the removal of repeat instance removed
// ("members[2]"): its confirmations go, and those of the later instances
// move up one, as their answers did.
func (in *Instance) renumberConfirmed(removed string) {
	open := strings.LastIndexByte(removed, '[')
	if open < 0 {
		return
	}
	prefix := removed[:open+1] // "members["
	gone, err := strconv.Atoi(removed[open+1 : len(removed)-1])
	if err != nil {
		return
	}
	out := in.confirmed[:0]
	for _, c := range in.confirmed {
		if rest, ok := strings.CutPrefix(c.Path, prefix); ok {
			if end := strings.IndexByte(rest, ']'); end > 0 {
				if i, err := strconv.Atoi(rest[:end]); err == nil {
					switch {
					case i == gone:
						continue
					case i > gone:
						c.Path = prefix + strconv.Itoa(i-1) + rest[end:]
					}
				}
			}
		}
		out = append(out, c)
	}
	clear(in.confirmed[len(out):])
	in.confirmed = out
}

// fillWarnings reads the record's __warnings member. Its shape is checked
// here, where the other shape problems of a record are found; whether each
// warning still arises is the session's business, not the reader's: a
// catalogue must accept what the laptop's engine wrote.
func (in *Instance) fillWarnings(v any, res *Result) {
	if v == nil {
		return
	}
	items, ok := v.([]any)
	if !ok {
		res.addError(WarningsKey, WarningsKey, RuleType, msgWarningsList, WarningsKey)
		return
	}
	for i, item := range items {
		p, ok := warningOf(item)
		if !ok {
			path := fmt.Sprintf("%s[%d]", WarningsKey, i+1)
			res.addError(WarningsKey, path, RuleType, msgWarningsItem)
			continue
		}
		in.confirmed = append(in.confirmed, p)
	}
}

// checkConfirmed refuses confirmed warnings (the raw __warnings member
// list) that no rule of the form could have shown for this record: a rule
// other than a soft check's, a question the form does not have there, a
// question without that kind of soft check, an answer that does not apply
// or is blank, the same warning twice. Each is an error of rule unknown
// at "__warnings[i]". Otherwise a laptop, or a file, could attach any text
// to a record as a warning its collector confirmed, and a reviewer would
// read it as one.
//
// It does not ask that the warning arises now. The laptop drops a
// confirmation when its warning stops arising (Session.marshal), but a
// catalogue may judge otherwise for a record that was right where it was
// made: a soft check that reads today(), or a division code the
// catalogue's newer list knows.
func (in *Instance) checkConfirmed(v any, res *Result) {
	items, _ := v.([]any)
	var seen []Problem // the entries read so far, by position; their shape is fillWarnings' business
	for i, item := range items {
		p, ok := warningOf(item)
		seen = append(seen, p)
		if !ok {
			continue
		}
		at := fmt.Sprintf("%s[%d]", WarningsKey, i+1)
		fd := in.form.FieldAt(p.Path)
		switch {
		case p.Rule != RuleWarning && p.Rule != RuleValidate:
			res.addError(WarningsKey, at, RuleUnknown, msgWarningsRule, p.Rule)
		case fd == nil || fd.Name != p.Field:
			res.addError(WarningsKey, at, RuleUnknown, msgWarningsPlace, p.Path, p.Field)
		case p.Rule == RuleWarning && fd.Warning == nil:
			res.addError(WarningsKey, at, RuleUnknown, msgWarningsNoSoft, p.Path)
		case p.Rule == RuleValidate && !tagsCanWarn(fd.Validate):
			res.addError(WarningsKey, at, RuleUnknown, msgWarningsNoTag, p.Path)
		case !in.answeredAt(p.Path):
			res.addError(WarningsKey, at, RuleUnknown, msgWarningsMoot, p.Path)
		default:
			for j, q := range seen[:i] {
				if q.Path == p.Path && q.Rule == p.Rule {
					res.addError(WarningsKey, at, RuleUnknown, msgWarningsTwice, j+1)
					break
				}
			}
		}
	}
}

// answeredAt reports whether path names a question with an answer that
// applies: every repeat instance on the way exists and is relevant, and
// so is the question.
func (in *Instance) answeredAt(path string) bool {
	n := in.root
	segs := strings.Split(path, "/")
	for len(segs) > 0 {
		fd, used := in.form.keyAt(n.level, segs)
		if fd == nil {
			return false
		}
		_, idx, err := splitIndex(segs[used-1])
		if err != nil {
			return false
		}
		segs = segs[used:]
		s := in.slot(fd)
		if !n.rel[s] {
			return false
		}
		if len(segs) == 0 {
			return idx == 0 && fd.Type != TypeRepeat && n.answer[s] != ""
		}
		if fd.Type != TypeRepeat || idx == 0 || idx > len(n.kids[s]) || n.kids[s][idx-1].junk {
			return false
		}
		n = n.kids[s][idx-1]
	}
	return false
}

// warningOf reads one confirmed warning: an object of exactly the four
// text members a Problem has, the first three not empty.
func warningOf(item any) (Problem, bool) {
	obj, ok := item.(map[string]any)
	if !ok || len(obj) != 4 {
		return Problem{}, false
	}
	var p Problem
	for k, v := range obj {
		s, isText := v.(string)
		if !isText {
			return Problem{}, false
		}
		switch k {
		case "field":
			p.Field = s
		case "path":
			p.Path = s
		case "rule":
			p.Rule = s
		case "message":
			p.Message = s
		default:
			return Problem{}, false
		}
	}
	return p, p.Field != "" && p.Path != "" && p.Rule != ""
}

// writeWarnings appends the __warnings member to a record being written,
// after every answer; key writes the member's name and separator.
func (in *Instance) writeWarnings(b *bytes.Buffer, key func(string), sp *splitter) {
	if len(in.confirmed) == 0 {
		return
	}
	key(WarningsKey)
	b.WriteByte('[')
	sp.push(WarningsKey)
	for i, p := range in.confirmed {
		if i > 0 {
			b.WriteByte(',')
		}
		sp.pushIndex(i)
		for k, m := range [...]struct{ name, value string }{{"field", p.Field}, {"path", p.Path}, {"rule", p.Rule}, {"message", p.Message}} {
			if k == 0 {
				b.WriteString(`{"field":`)
			} else {
				b.WriteString(`,"` + m.name + `":`)
			}
			sp.member(b, m.name, m.value, nil)
		}
		b.WriteByte('}')
		sp.pop()
	}
	sp.pop()
	b.WriteByte(']')
}

// FieldAt is the field an answer path names ("members[2]/m_age" is m_age),
// or nil when the form has no such question. It needs no record: reports
// use it to put problems under their questions.
func (f *Form) FieldAt(path string) *Field {
	level := f.Root
	segs := strings.Split(path, "/")
	for len(segs) > 0 {
		fd, used := f.keyAt(level, segs)
		if fd == nil {
			return nil
		}
		segs = segs[used:]
		if len(segs) == 0 {
			return fd
		}
		if fd.Type != TypeRepeat {
			return nil
		}
		level = fd
	}
	return nil
}
