package forms

import (
	"math"
	"sort"
	"strings"

	"github.com/fieldbench/fieldbench/forms/expr"
)

// Rules name what a problem broke, as reports and the oracle name them.
const (
	RuleRequired    = "required"
	RuleConstraint  = "constraint"
	RuleType        = "type"
	RuleChoice      = "choice"
	RuleValidate    = "validate"
	RuleRepeatCount = "repeat_count"
	RuleUnknown     = "unknown"
	// RuleWarning is a soft check (the warning column) the answer tripped:
	// always a warning, never an error.
	RuleWarning = "warning"
)

// Problem is one error or warning about one answer.
type Problem struct {
	Field   string `json:"field"`
	Path    string `json:"path"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Result is the verdict on one record.
type Result struct {
	Errors   []Problem
	Warnings []Problem
	lang     string // interface language of the messages
}

// sortByForm puts problems in the order of the form's questions, instances
// in their order, unknown names last: the order a person fixes them in.
func (r *Result) sortByForm(f *Form) {
	key := func(p Problem) []int {
		var k []int
		level := f.Root
		segs := strings.Split(p.Path, "/")
		for len(segs) > 0 {
			fd, used := f.keyAt(level, segs)
			if fd == nil {
				return append(k, len(f.Fields), 0) // unknown names last
			}
			_, idx, _ := splitIndex(segs[used-1])
			k = append(k, fd.idx, idx)
			segs = segs[used:]
			level = fd
		}
		return k
	}
	sortProblems(r.Errors, key)
	sortProblems(r.Warnings, key)
}

// sortProblems orders problems by their keys, working each key out once.
func sortProblems(ps []Problem, key func(Problem) []int) {
	if len(ps) < 2 {
		return
	}
	keys := make([][]int, len(ps))
	for i, p := range ps {
		keys[i] = key(p)
	}
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := keys[idx[i]], keys[idx[j]]
		for x := 0; x < len(a) && x < len(b); x++ {
			if a[x] != b[x] {
				return a[x] < b[x]
			}
		}
		return len(a) < len(b)
	})
	sorted := make([]Problem, len(ps))
	for i, k := range idx {
		sorted[i] = ps[k]
	}
	copy(ps, sorted)
}

// OK reports whether the record has no errors (warnings do not count).
func (r *Result) OK() bool { return len(r.Errors) == 0 }

func (r *Result) addError(field, path, rule string, key msgKey, args ...any) {
	r.Errors = append(r.Errors, Problem{Field: field, Path: path, Rule: rule, Message: message(r.lang, key, args...)})
}

func (r *Result) addWarning(field, path, rule string, key msgKey, args ...any) {
	r.Warnings = append(r.Warnings, Problem{Field: field, Path: path, Rule: rule, Message: message(r.lang, key, args...)})
}

// addText adds an error whose message is the form's own text when it has
// one, else the built-in message.
func (r *Result) addText(field, path, rule, own string, key msgKey, args ...any) {
	if own != "" {
		r.Errors = append(r.Errors, Problem{Field: field, Path: path, Rule: rule, Message: own})
		return
	}
	r.addError(field, path, rule, key, args...)
}

// ValidateRecord checks one decoded record against the form, as finalize
// does: every relevant answer against its type, choices, required, constraint
// and validate tags, and each repeat against its repeat_count. Answers to
// questions that are not relevant are dropped with a warning. The returned
// Instance holds the record as it would be stored.
func (f *Form) ValidateRecord(obj map[string]any, opts Options) (*Instance, *Result) {
	in, res := f.Fill(obj, opts)
	in.check(res)
	if w, ok := obj[WarningsKey]; ok {
		in.checkConfirmed(w, res)
	}
	res.sortByForm(f)
	return in, res
}

// Validate checks the instance as it stands.
func (in *Instance) Validate(language string) *Result {
	res := &Result{lang: uiLanguage(language)}
	in.check(res)
	res.sortByForm(in.form)
	return res
}

func (in *Instance) check(res *Result) {
	in.checkNode(in.root, res)
}

func (in *Instance) checkNode(n *node, res *Result) {
	for _, fd := range in.form.plan.members[in.levelIndex(n.level)] {
		s := in.slot(fd)
		if fd.Type == TypeRepeat {
			if !n.rel[s] {
				// Left in place: checking never changes the record, and
				// the written record leaves non-relevant repeats out.
				if len(n.kids[s]) > 0 {
					res.addWarning(fd.Name, in.path(fd.Key), RuleUnknown, msgDropped, fd.Name)
				}
				continue
			}
			in.checkRepeatCount(n, fd, res)
			for _, kid := range n.kids[s] {
				if !kid.junk {
					in.enter(fd.Key, kid.index)
					in.checkNode(kid, res)
					in.leave()
				}
			}
			continue
		}
		if !fd.Type.HasAnswer() {
			if fd.Type == TypeNote && n.rel[s] {
				in.checkRequiredNote(n, fd, res)
			}
			continue
		}
		ans := n.answer[s]
		if n.bad != nil && n.bad[s] != "" {
			ans = n.bad[s]
		}
		if !n.rel[s] {
			if ans != "" && fd.Calculation == nil {
				res.addWarning(fd.Name, in.path(fd.Key), RuleUnknown, msgDropped, fd.Name)
			}
			continue
		}
		if fd.Calculation != nil {
			if n.bad != nil && n.bad[s] != "" {
				in.checkAnswer(n, fd, res) // a supplied answer of the wrong type
				continue
			}
			if ans != "" && ans != n.value[s] {
				res.addWarning(fd.Name, in.path(fd.Key), RuleUnknown, msgRecalculated, fd.Name, n.value[s])
			}
			continue
		}
		in.checkAnswer(n, fd, res)
	}
}

// checkAnswer applies the rules of one relevant answer in the order a
// collector would fix them: missing, wrong kind, not a choice, then the
// form's own constraint and validate tags.
func (in *Instance) checkAnswer(n *node, fd *Field, res *Result) {
	s := in.slot(fd)
	val := n.value[s]
	if n.bad != nil && n.bad[s] != "" {
		bad := n.bad[s]
		if bad == notScalar {
			res.addError(fd.Name, in.path(fd.Key), RuleType, msgNotScalar, fd.Name)
			return
		}
		if key, _ := in.typeOK(fd, bad); key == msgNotAChoice {
			res.addError(fd.Name, in.path(fd.Key), RuleChoice, key, bad)
		} else {
			res.addError(fd.Name, in.path(fd.Key), RuleType, key)
		}
		return
	}
	if val == "" {
		if x := exprOf(fd.Required); x != nil && x.EvalBool(in.at(n, fd)) {
			res.addText(fd.Name, in.path(fd.Key), RuleRequired, fd.RequiredMsg.In(in.formLang(res.lang)), msgRequired)
		}
		return
	}
	if fd.Type.IsSelect() {
		if !in.checkChoices(n, fd, val, res) {
			return
		}
	}
	if fd.Type == TypeRank && !in.checkRank(n, fd, val, res) {
		return
	}
	errs := len(res.Errors)
	if x := exprOf(fd.Constraint); x != nil && !x.EvalBool(in.at(n, fd)) {
		res.addText(fd.Name, in.path(fd.Key), RuleConstraint, fd.ConstraintMsg.In(in.formLang(res.lang)), msgConstraint)
	}
	if fd.Validate != "" {
		for _, p := range checkValue(fd.Validate, val, res.lang) {
			pr := Problem{Field: fd.Name, Path: in.path(fd.Key), Rule: RuleValidate, Message: p.Message}
			if p.Warning {
				res.Warnings = append(res.Warnings, pr)
			} else {
				res.Errors = append(res.Errors, pr)
			}
		}
	}
	// A soft check asks "is this unusual answer right?": moot while the
	// answer is refused for a harder reason, so it waits until it is not.
	if x := exprOf(fd.Warning); x != nil && len(res.Errors) == errs && !x.EvalBool(in.at(n, fd)) {
		msg := fd.WarningMsg.In(in.formLang(res.lang))
		if msg == "" {
			msg = message(res.lang, msgWarning)
		}
		res.Warnings = append(res.Warnings, Problem{Field: fd.Name, Path: in.path(fd.Key), Rule: RuleWarning, Message: msg})
	}
}

// checkRequiredNote reports a required note that shows: nobody can answer
// a note, so it stops the record from being finalized until other answers
// hide it. Forms use that on purpose (ODK documents it as a way to block
// submission); a note with a calculation has its value, and passes.
func (in *Instance) checkRequiredNote(n *node, fd *Field, res *Result) {
	x := exprOf(fd.Required)
	if x == nil || n.value[in.slot(fd)] != "" || !x.EvalBool(in.at(n, fd)) {
		return
	}
	res.addText(fd.Name, in.path(fd.Key), RuleRequired, fd.RequiredMsg.In(in.formLang(res.lang)), msgRequiredNote)
}

// checkRank checks that a rank orders every choice its list offers here,
// each once: ODK's rank widget always saves the whole order.
func (in *Instance) checkRank(n *node, fd *Field, val string, res *Result) bool {
	seen := map[string]bool{}
	for rest := val; ; {
		var name string
		if name, rest = nextField(rest); name == "" {
			break
		}
		if seen[name] {
			res.addError(fd.Name, in.path(fd.Key), RuleChoice, msgRankTwice, name)
			return false
		}
		seen[name] = true
	}
	if offered := len(in.choicesAt(n, fd)); len(seen) != offered {
		res.addError(fd.Name, in.path(fd.Key), RuleChoice, msgRankIncomplete, offered, len(seen))
		return false
	}
	return true
}

// checkChoices checks that every selected name is in the list and, when the
// question filters its list, allowed by the filter given the other answers.
func (in *Instance) checkChoices(n *node, fd *Field, val string, res *Result) bool {
	if src := in.form.plan.answerSource[fd.idx]; src != nil {
		// The earlier answers are the list, filtered already: an answer
		// outside it is no choice, whatever the reason.
		for rest := val; ; {
			name := val
			if fd.Type.ManyChoices() {
				if name, rest = nextField(rest); name == "" {
					return true
				}
			}
			if !in.offeredAnswer(n, fd, src, name) {
				res.addError(fd.Name, in.path(fd.Key), RuleChoice, msgNotAChoice, name)
				return false
			}
			if fd.Type == TypeSelectOne {
				return true
			}
		}
	}
	if fd.Type == TypeSelectOne {
		return in.checkChoice(n, fd, val, res)
	}
	for rest := val; ; {
		var name string
		if name, rest = nextField(rest); name == "" {
			return true
		}
		if !in.checkChoice(n, fd, name, res) {
			return false
		}
	}
}

// checkChoice checks one selected name.
func (in *Instance) checkChoice(n *node, fd *Field, name string, res *Result) bool {
	var buf [1]*Choice // room for the one choice of a name in most lists
	options := in.form.plan.lists[fd.idx].lookupAll(name, buf[:0])
	if len(options) == 0 {
		res.addError(fd.Name, in.path(fd.Key), RuleChoice, msgNotAChoice, name)
		return false
	}
	if filter := exprOf(fd.ChoiceFilter); filter != nil && !in.anyPasses(n, fd, filter, options) {
		// Named by its label: the collector chose 大智街道, not 420102002.
		label := options[0].LabelIn(in.form.MatchLanguage(res.lang))
		if label == "" {
			label = name
		}
		res.addError(fd.Name, in.path(fd.Key), RuleChoice, msgFilteredOut, label)
		return false
	}
	return true
}

// anyPasses reports whether the filter lets through one of the choices.
// A filter of column=${field} terms is compared directly, as Choices does
// through its index: that is what evaluating it would find, without a
// nodeset for the column.
func (in *Instance) anyPasses(n *node, fd *Field, filter *expr.Expr, options []*Choice) bool {
	if eqs := in.form.plan.filters[fd.idx]; eqs != nil {
		if ok, known := in.passesEqualities(n, eqs, options); known {
			return ok
		}
	}
	for _, ch := range options {
		ctx := in.at(n, fd)
		ctx.choice = ch
		if filter.EvalBool(ctx) {
			return true
		}
	}
	return false
}

// passesEqualities is anyPasses for an indexable filter. known is false
// when a field has several values here (see filterByIndex).
func (in *Instance) passesEqualities(n *node, eqs []equality, options []*Choice) (ok, known bool) {
	ctx := in.at(n, nil)
	for _, ch := range options {
		match := true
		for _, eq := range eqs {
			vals := ctx.Ref(eq.field.Name)
			if len(vals) != 1 {
				return false, false
			}
			if ch.column(eq.column, "") != vals[0] {
				match = false
				break
			}
		}
		if match {
			return true, true
		}
	}
	return false, true
}

// checkRepeatCount compares the number of instances with repeat_count.
func (in *Instance) checkRepeatCount(n *node, fd *Field, res *Result) {
	want, ok := in.repeatCount(n, fd)
	if !ok {
		return
	}
	if got := len(n.kids[in.slot(fd)]); got != want {
		res.addError(fd.Name, in.path(fd.Key), RuleRepeatCount, msgRepeatCount, want, got)
	}
}

// repeatCount is the number of entries fd's repeat_count asks for in node
// n, read as ODK reads jr:count: a count that is blank, no number or
// negative is 0 (JavaRosa turns NaN into 0), a fraction loses its
// fractional part. ok is false when the repeat has no repeat_count.
func (in *Instance) repeatCount(n *node, fd *Field) (want int, ok bool) {
	x := exprOf(fd.RepeatCount)
	if x == nil {
		return 0, false
	}
	v := x.Eval(in.at(n, fd)).Number()
	if v != v || v < 0 {
		return 0, true
	}
	return int(min(v, math.MaxInt32)), true
}

// formLang is the form language that best matches an interface language.
func (in *Instance) formLang(ui string) string {
	return in.form.MatchLanguage(ui)
}
