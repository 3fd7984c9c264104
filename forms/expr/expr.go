// Package expr implements the XLSForm expression language: the XPath 1.0
// subset that ODK evaluates in relevance, constraint, calculation, default
// and choice_filter columns, with ${name} references.
//
// Parse compiles an expression once into a tree; Eval walks that tree
// against a Context supplied by the form engine. All values are strings at
// rest and are coerced on use with XPath's string(), number() and boolean(),
// with ODK's extensions: ISO dates and dateTimes are numbers of days since
// 1970-01-01 UTC, and a blank answer is NaN, not 0.
//
// Evaluation never fails: type mismatches give NaN, "" or false as XPath
// prescribes, so a form keeps working while its author fixes a formula.
// Everything that can be detected statically (unknown functions, wrong
// argument counts, invalid literal regular expressions, unsupported ODK
// features) is reported by Parse as a *SyntaxError.
package expr

import (
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Context is supplied by the form engine for each evaluation.
type Context interface {
	// Ref returns the value(s) of field `name` as seen from where the
	// expression is evaluated: one value for a field at the same or an
	// enclosing repeat level, every instance's value for a field inside a
	// repeat (count(${rep}) gets one entry per instance). Blank answers are "".
	Ref(name string) []string
	// Current is the value of "." (the field the expression belongs to).
	Current() string
	// Path resolves a location path that is not ${name}: a bare name in a
	// choice_filter like `state` (a column of the choice row), "/data/group/q",
	// "../q", "..". steps holds the name steps in order ("." and ".."
	// included, "*" for a wildcard, "//" where the path had a descendant
	// separator); absolute is true when it began with "/". steps belongs to
	// the compiled expression and must not be modified.
	Path(absolute bool, steps []string) []string
	// Position is the 1-based index of the repeat instance that `up` parent
	// steps from the expression's field lead to: position(..) gives up=1,
	// position(../..) up=2; position() gives 0, meaning the nearest repeat
	// instance. 0 outside repeats.
	Position(up int) int
	// ChoiceLabel is the label, in the current language, of choice `value`
	// of select field `field`.
	ChoiceLabel(field, value string) string
	// Now is the evaluation clock (today(), now()); its Location is the
	// device zone used to show dates and times.
	Now() time.Time
	// RefNodes is ${name} as elements a path can go on from (${t}[1]/s):
	// for a repeat, every instance in the enclosing instance of the
	// levels around it (what /data/t reads from anywhere in the record);
	// for a question or group, the elements whose values Ref gives.
	RefNodes(name string) []Node
	// Root is the document element of the record: where absolute paths
	// that need elements start. nil when there is none.
	Root() Node
	// Self is the element of the field the expression belongs to:
	// current(), and where relative paths that need elements start. nil
	// when the expression belongs to no field.
	Self() Node
	// LastSaved is the value(s) of field name in the last record of the
	// same form saved on this device (${last-saved#name}): one value, or
	// one per instance for a field in a repeat. With no such record it is
	// what a blank record holds.
	LastSaved(name string) []string
	// Instance is the secondary instance instance('name') and
	// pulldata('name', ...) read: an attached file or a choice list of
	// the form; nil when the form has none of that name.
	Instance(name string) Instance
}

// SyntaxError reports an expression that cannot be compiled.
type SyntaxError struct {
	Pos int    // 0-based byte offset in the source
	Msg string // what is wrong, for the form author, in English (see Texts)
	Col int    // 1-based column in runes, as a person counts

	key  msgKey // the message, for Texts
	args []any
}

func (e *SyntaxError) Error() string {
	col := e.Col
	if col <= 0 {
		col = e.Pos + 1
	}
	return "at column " + strconv.Itoa(col) + ": " + e.Msg
}

func newSyntaxError(src string, pos int, key msgKey, args ...any) *SyntaxError {
	pos = min(max(pos, 0), len(src))
	return &SyntaxError{Pos: pos, Msg: format(key, args, 2), Col: column(src, pos), key: key, args: args}
}

// column is the 1-based column, in runes, of byte offset pos.
func column(src string, pos int) int {
	pos = min(max(pos, 0), len(src))
	return utf8.RuneCountInString(src[:pos]) + 1
}

// Expr is a compiled expression. It is immutable and safe for concurrent
// evaluation.
type Expr struct {
	src         string
	root        node
	refs        []string
	lastSaved   []string
	pathNames   []string
	instances   []InstanceUse
	columns     []InstanceColumn
	usesCurrent bool
	constant    bool
}

// Parse compiles an expression once. Errors are *SyntaxError.
func Parse(src string) (*Expr, error) {
	toks, refs, lastSaved, serr := lex(src)
	if serr != nil {
		return nil, serr
	}
	p := &parser{src: src, toks: toks, constant: true}
	root, serr := p.parse()
	if serr != nil {
		return nil, serr
	}
	p.noteWholeInstances()
	return &Expr{
		src:         src,
		root:        root,
		refs:        refs,
		lastSaved:   lastSaved,
		pathNames:   p.pathNames,
		instances:   p.instances,
		columns:     p.columns,
		usesCurrent: p.usesCurrent,
		constant:    p.constant && len(refs) == 0,
	}, nil
}

// MustParse is Parse for expressions known at compile time; it panics on
// error.
func MustParse(src string) *Expr {
	e, err := Parse(src)
	if err != nil {
		panic("expr.MustParse(" + strconv.Quote(src) + "): " + err.Error())
	}
	return e
}

// Src returns the source the expression was parsed from.
func (e *Expr) Src() string { return e.src }

// Refs returns every ${name} in the source, deduplicated, in first-seen
// order, including those inside string literals (pyxform substitutes those
// too, as in jr:choice-name(${q}, '${q}')).
func (e *Expr) Refs() []string { return slices.Clone(e.refs) }

// LastSavedRefs returns the names of every ${last-saved#name}, in
// first-seen order. They are not in Refs: the last saved record does not
// change while a record is filled, so nothing depends on it.
func (e *Expr) LastSavedRefs() []string { return slices.Clone(e.lastSaved) }

// PathNames returns the last name step of every location path that is not
// ${name} ("/data/a" and "../a" give "a"; "." and ".." give nothing), so
// the engine can add what a path reads to its dependency graph.
func (e *Expr) PathNames() []string { return slices.Clone(e.pathNames) }

// UsesCurrent reports whether the expression reads "." (explicitly, or
// through a function that defaults to it such as string-length() or
// once()), so the engine knows a constraint depends on its own field.
func (e *Expr) UsesCurrent() bool { return e.usesCurrent }

// IsConstant reports whether the expression has no references, no paths
// and no clock, random or context-dependent functions, so it can be
// evaluated once.
func (e *Expr) IsConstant() bool { return e.constant }

func orEmpty(ctx Context) Context {
	if ctx == nil {
		return emptyContext{}
	}
	return ctx
}

// Eval evaluates the expression. A nil ctx behaves as a form with no
// answers.
func (e *Expr) Eval(ctx Context) Value { return e.root.eval(orEmpty(ctx)).public() }

// EvalBool evaluates the expression and applies XPath boolean().
func (e *Expr) EvalBool(ctx Context) bool { return evalBool(e.root, orEmpty(ctx)) }

// EvalString evaluates the expression and applies XPath string().
func (e *Expr) EvalString(ctx Context) string { return e.root.eval(orEmpty(ctx)).String() }

// EvalStored is EvalString for a value the record stores (a calculation,
// a trigger's value, a default): a number that is not a number stores
// nothing, not "NaN", as in ODK's engines (JavaRosa's wrapData makes NaN
// no answer; ODK Web Forms stores it blank).
func (e *Expr) EvalStored(ctx Context) string {
	v := e.root.eval(orEmpty(ctx))
	if v.Kind == KindNumber && math.IsNaN(v.N) {
		return ""
	}
	return v.String()
}

// EvalNumber evaluates the expression and applies number() with the date
// extension.
func (e *Expr) EvalNumber(ctx Context) float64 { return evalNum(e.root, orEmpty(ctx)) }

func (e *Expr) String() string { return e.src }
