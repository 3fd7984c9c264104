package forms

import (
	"regexp"
	"strconv"
	"strings"
)

// StepKind says what a step of filling a record asks for.
type StepKind int

const (
	// StepQuestion asks one question (an answer, a note, an acknowledge).
	StepQuestion StepKind = iota
	// StepRepeat stands after the instances of a repeat: add another, or
	// go on. For a repeat with a repeat_count it only reports the count.
	StepRepeat
)

// Step is one thing a person filling the record sees, in form order. The
// TUI and the plain-prompt path walk the same steps, so both ask the same
// questions in the same order.
type Step struct {
	Kind  StepKind
	Path  string // the answer's path ("members[2]/m_name"); for StepRepeat the repeat's ("members")
	Field *Field
	// Page is the enclosing group with appearance field-list, if any:
	// consecutive steps with the same Page are shown together.
	Page *Field
	// Count is, for StepRepeat, how many instances there are now.
	Count int
	// Fixed is, for StepRepeat, true when repeat_count decides the number
	// of instances, so the person cannot add or remove any.
	Fixed bool
}

// Steps lists what to ask now: the relevant questions in form order,
// calculations and metadata left out (the form fills them), each repeat's
// instances followed by a StepRepeat. It changes as answers change
// relevance, so callers ask again after every answer.
func (in *Instance) Steps() []Step {
	var out []Step
	in.stepsOf(in.root, in.form.Root.Children, "", nil, &out)
	return out
}

func (in *Instance) stepsOf(n *node, fields []*Field, prefix string, page *Field, out *[]Step) {
	for _, fd := range fields {
		s := in.slot(fd)
		if !n.rel[s] {
			continue
		}
		switch {
		case fd.Type == TypeGroup:
			p := page
			if p == nil && hasAppearance(fd.Appearance, "field-list") {
				p = fd
			}
			in.stepsOf(n, fd.Children, prefix, p, out)
		case fd.Type == TypeRepeat:
			kids := n.kids[s]
			for _, kid := range kids {
				in.stepsOf(kid, fd.Children, prefix+fd.Key+"["+strconv.Itoa(kid.index)+"]/", page, out)
			}
			*out = append(*out, Step{Kind: StepRepeat, Path: prefix + fd.Key, Field: fd, Page: page,
				Count: len(kids), Fixed: fd.RepeatCount != nil})
		case fd.Calculation != nil || fd.Type.IsMeta() || fd.Type == TypeCalculate ||
			fd.Trigger != nil && fd.Label.In("") == "" && fd.Hint.In("") == "":
			// Worked out by the form, or filled in automatically; what a
			// trigger sets is asked only when it has a label or hint.
		default:
			*out = append(*out, Step{Kind: StepQuestion, Path: prefix + fd.Key, Field: fd, Page: page})
		}
	}
}

// hasAppearance reports whether the space-separated appearance list has a.
func hasAppearance(list, a string) bool {
	start := 0
	for i := 0; i <= len(list); i++ {
		if i == len(list) || list[i] == ' ' {
			if list[start:i] == a {
				return true
			}
			start = i + 1
		}
	}
	return false
}

// ProblemsAt is what Validate finds about the answer at path: the inline
// errors and warnings of one question. It checks the whole record (a
// constraint may depend on other answers), which is fast enough to run on
// every accepted answer.
func (in *Instance) ProblemsAt(path, language string) (errs, warnings []Problem) {
	res := in.Validate(language)
	for _, p := range res.Errors {
		if p.Path == path {
			errs = append(errs, p)
		}
	}
	for _, p := range res.Warnings {
		if p.Path == path {
			warnings = append(warnings, p)
		}
	}
	return errs, warnings
}

// Answer is the answer stored at path, as typed (normalised), relevant or
// not; "" for a path that names no question.
func (in *Instance) Answer(path string) string {
	n, fd, err := in.resolve(path)
	if err != nil || n.level == fd {
		return ""
	}
	return n.answer[in.slot(fd)]
}

// maxRepeatCount bounds the instances a repeat_count may create at once, so
// a typo (hh_size 300 for 3) cannot make hundreds of empty members.
const maxRepeatCount = 99

// FitRepeats gives every relevant repeat with a repeat_count the number
// of instances it asks for, as ODK Collect does when the count is
// answered (a blank count asks for none, see repeatCount): it adds empty
// instances, and when the count went down it
// removes trailing instances in which nothing was answered (the members a
// mistyped 12 for 2 made). An instance holding an answer is never removed:
// it stays for the person to remove or keep, and validation reports the
// mismatch. It reports whether it changed anything.
func (in *Instance) FitRepeats() bool {
	changed := false
	for _, fd := range in.form.Fields {
		if fd.Type != TypeRepeat || fd.RepeatCount == nil {
			continue
		}
		s := in.slot(fd)
		for _, n := range in.nodesAt(in.form.level(fd)) {
			if !n.rel[s] {
				continue
			}
			want, _ := in.repeatCount(n, fd)
			want = min(want, maxRepeatCount)
			for len(n.kids[s]) < want {
				kid := in.newNode(fd, n, len(n.kids[s])+1)
				n.kids[s] = append(n.kids[s], kid)
				if in.defaults {
					in.applyDefaults(kid)
				}
				changed = true
			}
			for k := len(n.kids[s]); k > want && in.untouched(n.kids[s][k-1]); k-- {
				n.kids[s][k-1] = nil
				n.kids[s] = n.kids[s][:k-1]
				changed = true
			}
		}
	}
	if changed {
		in.evaluate()
	}
	return changed
}

// untouched reports whether nothing was answered in repeat instance n or
// in the instances nested in it: every answer blank or the default it was
// given, no refused answer kept.
func (in *Instance) untouched(n *node) bool {
	if n.junk {
		return false // stands for an item of a stored record
	}
	for _, fd := range in.form.plan.members[in.levelIndex(n.level)] {
		s := in.slot(fd)
		if fd.Type == TypeRepeat {
			for _, kid := range n.kids[s] {
				if !in.untouched(kid) {
					return false
				}
			}
			continue
		}
		if s < len(n.bad) && n.bad[s] != "" {
			return false
		}
		a := n.answer[s]
		if a == "" {
			continue
		}
		if x := exprOf(fd.Default); in.defaults && x != nil && fd.Calculation == nil && a == normalize(fd, x.EvalStored(in.at(n, fd))) {
			continue
		}
		return false
	}
	return true
}

// refRE finds the ${name} references a label may show.
var refRE = regexp.MustCompile(`\$\{([^}]+)\}`)

// Text is t in lang (a form language, see MatchLanguage) with each ${name}
// replaced by that answer as seen from the question at path (the same
// repeat instance for a name inside it), as ODK shows labels and notes.
func (in *Instance) Text(path string, t Text, lang string) string {
	s := t.In(lang)
	if !strings.Contains(s, "${") {
		return s
	}
	n, fd, err := in.resolve(path)
	if err != nil {
		n, fd = in.root, nil
	}
	if fd != nil && n.level == fd { // a repeat instance: names resolve inside it
		fd = nil
	}
	ctx := in.at(n, fd)
	return refRE.ReplaceAllStringFunc(s, func(m string) string {
		return strings.Join(ctx.Ref(strings.TrimSpace(m[2:len(m)-1])), " ")
	})
}
