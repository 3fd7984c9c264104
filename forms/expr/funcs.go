package expr

import (
	"math"
	"regexp"
	"sync/atomic"
)

const (
	fVolatile        = 1 << iota // clock or randomness: never constant
	fContext                     // reads the Context beyond its arguments
	fCurrentIfNoArgs             // with no argument it applies to "."
	fUsesCurrent                 // always reads "."
	fNoFold                      // depends on the device zone: not folded at Parse
)

type funcDef struct {
	min, max int // max < 0: any number of arguments
	flags    uint8
	fn       func(c Context, n *callNode) Value
	// prepare runs once at Parse, to validate or precompute arguments.
	prepare func(p *parser, n *callNode, pos int) *SyntaxError
	// nodes, for the functions a path may go on from (current()/../x),
	// gives the elements the call stands for.
	nodes func(c Context, n *callNode) []Node
}

// callNode is a function call. The extra fields hold what prepare
// precomputed for the few functions that benefit from it.
type callNode struct {
	def  *funcDef
	args []node

	re       *regexp.Regexp          // regex() with a literal pattern
	reCache  atomic.Pointer[reEntry] // regex() with a computed pattern
	field    string                  // jr:choice-name() with a literal field
	hasField bool
	up       int       // position(..): how many .. steps its argument has
	posOf    *nodePath // position(path): the element whose position it is
	names    []string  // indexed-repeat(): the question, then the repeats
	instance string    // pulldata(), instance(): the file's or list's instance name
}

type reEntry struct {
	pat string
	re  *regexp.Regexp // nil when pat does not compile
}

func (n *callNode) eval(c Context) Value { return n.def.fn(c, n) }

func (n *callNode) arg(c Context, i int) Value   { return n.args[i].eval(c) }
func (n *callNode) str(c Context, i int) string  { return n.args[i].eval(c).String() }
func (n *callNode) num(c Context, i int) float64 { return evalNum(n.args[i], c) }

// argOrCurrent is the argument, or "." when the optional argument is absent.
func (n *callNode) argOrCurrent(c Context) Value {
	if len(n.args) == 0 {
		return oneNode(c.Current())
	}
	return n.args[0].eval(c)
}

// unsupported names exist in ODK but need data this engine does not have
// (secondary instances, geometry, signatures); the loader reports them.
var unsupported = map[string]bool{
	"randomize": true, "digest": true,
	"base64-decode": true, "extract-signed": true, "geofence": true, "last-saved": true,
	"jr:itext": true, "checklist": true, "weighted-checklist": true, "last": true,
	"lang": true, "id": true, "local-name": true, "name": true, "namespace-uri": true,
	"text": true, "node": true, "comment": true, "processing-instruction": true,
}

var funcs map[string]*funcDef

func init() {
	funcs = map[string]*funcDef{
		"selected":            {min: 2, max: 2, fn: fnSelected},
		"count-selected":      {min: 1, max: 1, fn: fnCountSelected},
		"selected-at":         {min: 2, max: 2, fn: fnSelectedAt},
		"jr:choice-name":      {min: 2, max: 2, flags: fContext, fn: fnChoiceName, prepare: prepChoiceName},
		"string-length":       {min: 0, max: 1, flags: fCurrentIfNoArgs, fn: fnStringLength},
		"regex":               {min: 2, max: 2, fn: fnRegex, prepare: prepRegex},
		"contains":            {min: 2, max: 2, fn: fnContains},
		"starts-with":         {min: 2, max: 2, fn: fnStartsWith},
		"ends-with":           {min: 2, max: 2, fn: fnEndsWith},
		"substr":              {min: 2, max: 3, fn: fnSubstr},
		"substring":           {min: 2, max: 3, fn: fnSubstring},
		"substring-before":    {min: 2, max: 2, fn: fnSubstringBefore},
		"substring-after":     {min: 2, max: 2, fn: fnSubstringAfter},
		"translate":           {min: 3, max: 3, fn: fnTranslate},
		"normalize-space":     {min: 0, max: 1, flags: fCurrentIfNoArgs, fn: fnNormalizeSpace},
		"concat":              {min: 0, max: -1, fn: fnConcat},
		"join":                {min: 1, max: -1, fn: fnJoin},
		"string":              {min: 0, max: 1, flags: fCurrentIfNoArgs, fn: fnString},
		"number":              {min: 0, max: 1, flags: fCurrentIfNoArgs, fn: fnNumber},
		"boolean":             {min: 1, max: 1, fn: fnBoolean},
		"boolean-from-string": {min: 1, max: 1, fn: fnBooleanFromString},
		"if":                  {min: 3, max: 3, fn: fnIf},
		"coalesce":            {min: 2, max: 2, fn: fnCoalesce},
		"not":                 {min: 1, max: 1, fn: fnNot},
		"true":                {min: 0, max: 0, fn: func(Context, *callNode) Value { return Bool(true) }},
		"false":               {min: 0, max: 0, fn: func(Context, *callNode) Value { return Bool(false) }},
		"once":                {min: 1, max: 1, flags: fContext | fUsesCurrent, fn: fnOnce},
		"position":            {min: 0, max: 1, flags: fContext, fn: fnPosition, prepare: prepPosition},
		"uuid":                {min: 0, max: 1, flags: fVolatile, fn: fnUUID},
		"random":              {min: 0, max: 0, flags: fVolatile, fn: fnRandom},
		"count":               {min: 1, max: 1, fn: fnCount},
		"count-non-empty":     {min: 1, max: 1, fn: fnCountNonEmpty},
		"sum":                 {min: 1, max: 1, fn: fnSum},
		"min":                 {min: 1, max: -1, fn: fnMin},
		"max":                 {min: 1, max: -1, fn: fnMax},
		"current":             {min: 0, max: 0, flags: fContext | fUsesCurrent, fn: fnCurrent, nodes: nodesCurrent},
		"indexed-repeat":      {min: 3, max: -1, flags: fContext, fn: fnIndexedRepeat, prepare: prepIndexedRepeat},
		"pulldata":            {min: 4, max: 4, flags: fContext, fn: fnPulldata, prepare: prepPulldata},
		"instance":            {min: 1, max: 1, flags: fContext, fn: fnInstance, prepare: prepInstance, nodes: nodesInstance},
		"area":                {min: 1, max: 1, fn: fnArea},
		"enclosed-area":       {min: 1, max: 1, fn: fnArea}, // JavaRosa's older name
		"distance":            {min: 1, max: 1, fn: fnDistance},
	}
	addMathFuncs()
	addDateFuncs()
}

// eachToken calls f with every space-separated token of s (the stored form
// of a select_multiple answer) until f returns false; no slice is built.
func eachToken(s string, f func(tok string) bool) {
	i := 0
	for i < len(s) {
		for i < len(s) && isXMLSpace(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isXMLSpace(s[j]) {
			j++
		}
		if j > i && !f(s[i:j]) {
			return
		}
		i = j
	}
}

func fnSelected(c Context, n *callNode) Value {
	list := n.str(c, 0)
	want := trimXMLSpace(n.str(c, 1))
	found := false
	if want != "" {
		eachToken(list, func(tok string) bool {
			found = tok == want
			return !found
		})
	}
	return Bool(found)
}

func fnCountSelected(c Context, n *callNode) Value {
	count := 0
	eachToken(n.str(c, 0), func(string) bool { count++; return true })
	return Num(float64(count))
}

func fnSelectedAt(c Context, n *callNode) Value {
	list := n.str(c, 0)
	idx := math.Trunc(n.num(c, 1))
	if math.IsNaN(idx) || idx < 0 {
		return Str("")
	}
	out, i := "", 0.0
	eachToken(list, func(tok string) bool {
		if i == idx {
			out = tok
			return false
		}
		i++
		return true
	})
	return Str(out)
}

func fnString(c Context, n *callNode) Value { return Str(n.argOrCurrent(c).String()) }

func fnNumber(c Context, n *callNode) Value { return Num(n.argOrCurrent(c).Number()) }

func fnBoolean(c Context, n *callNode) Value { return Bool(n.arg(c, 0).Bool()) }

// fnBooleanFromString matches exactly, as ODK does: only "true" and "1"
// (the stored forms of a boolean) are true.
func fnBooleanFromString(c Context, n *callNode) Value {
	s := n.str(c, 0)
	return Bool(s == "true" || s == "1")
}

func fnIf(c Context, n *callNode) Value {
	if evalBool(n.args[0], c) {
		return n.arg(c, 1)
	}
	return n.arg(c, 2)
}

func fnCoalesce(c Context, n *callNode) Value {
	if v := n.arg(c, 0); v.String() != "" {
		return v
	}
	return n.arg(c, 1)
}

func fnNot(c Context, n *callNode) Value { return Bool(!evalBool(n.args[0], c)) }

func fnOnce(c Context, n *callNode) Value {
	if cur := c.Current(); cur != "" {
		return Str(cur)
	}
	return n.arg(c, 0)
}

// prepPosition reads position()'s argument. position(..) (or ../.. from a
// group nested in the repeat) is the repeat instance Context.Position
// tells; any other path, ${name} or current()/../.. names an element,
// whose position among its same-named siblings is worked out from the
// record's elements.
func prepPosition(p *parser, n *callNode, pos int) *SyntaxError {
	if len(n.args) == 0 {
		return nil
	}
	switch a := n.args[0].(type) {
	case *pathNode:
		if len(a.preds) > 0 {
			break
		}
		allUp := !a.abs
		for _, s := range a.steps {
			allUp = allUp && s == ".."
		}
		if allUp && len(a.steps) > 0 {
			n.up = len(a.steps)
			return nil
		}
		n.posOf = &nodePath{from: fromContext, steps: nodeSteps(a.steps)}
		if a.abs {
			n.posOf.from = fromRoot
		}
		return nil
	case *nodePath:
		n.posOf = a
		return nil
	case *refNode:
		n.posOf = &nodePath{from: fromRef, ref: a.name}
		return nil
	case *callNode:
		if a.def.nodes != nil {
			n.posOf = &nodePath{from: fromCall, call: a}
			return nil
		}
	}
	return p.errAt(pos, msgPosition)
}

func fnPosition(c Context, n *callNode) Value {
	if n.posOf == nil {
		return Num(float64(c.Position(n.up)))
	}
	set := n.posOf.nodes(c)
	if len(set) == 0 {
		return Num(math.NaN())
	}
	x := set[0]
	parent := x.Parent()
	if parent == nil {
		return Num(1) // the document element is the only one
	}
	for i, sib := range parent.Children(x.Name()) {
		if sib == x {
			return Num(float64(i + 1))
		}
	}
	return Num(math.NaN())
}

// fnCount counts nodes; a non-nodeset argument is a type error in XPath,
// reported as NaN to stay error-free.
func fnCount(c Context, n *callNode) Value {
	v := n.arg(c, 0)
	if v.Kind != KindNodeset {
		return Num(math.NaN())
	}
	return Num(float64(v.nodeLen()))
}

func fnCountNonEmpty(c Context, n *callNode) Value {
	v := n.arg(c, 0)
	if v.Kind != KindNodeset {
		if v.String() == "" {
			return Num(0)
		}
		return Num(1)
	}
	count := 0
	for i := 0; i < v.nodeLen(); i++ {
		if v.nodeAt(i) != "" {
			count++
		}
	}
	return Num(float64(count))
}

func fnSum(c Context, n *callNode) Value {
	v := n.arg(c, 0)
	if v.Kind != KindNodeset {
		return Num(v.Number())
	}
	total := 0.0
	for i := 0; i < v.nodeLen(); i++ {
		total += stringToNumber(v.nodeAt(i))
	}
	return Num(total)
}

// extreme is min()/max() over every node of every argument; any value that
// is not a number, or no value at all, makes the result NaN.
func extreme(c Context, n *callNode, better func(x, y float64) bool) Value {
	best, seen := math.NaN(), false
	for i := range n.args {
		v := n.arg(c, i)
		cnt := nodeCount(v)
		for k := 0; k < cnt; k++ {
			var f float64
			if v.Kind == KindNodeset {
				f = stringToNumber(v.nodeAt(k))
			} else {
				f = v.Number()
			}
			if math.IsNaN(f) {
				return Num(math.NaN())
			}
			if !seen || better(f, best) {
				best, seen = f, true
			}
		}
	}
	return Num(best)
}

func fnMin(c Context, n *callNode) Value {
	return extreme(c, n, func(x, y float64) bool { return x < y })
}

func fnMax(c Context, n *callNode) Value {
	return extreme(c, n, func(x, y float64) bool { return x > y })
}
