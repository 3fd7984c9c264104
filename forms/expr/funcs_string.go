package expr

import (
	"math"
	"regexp"
	"strings"
	"unicode/utf8"
)

// choiceField extracts the select field's name from jr:choice-name's second
// argument, which pyxform writes as a path ('/data/grp/q') or leaves as
// '${q}'.
func choiceField(s string) string {
	s = trimXMLSpace(s)
	if strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") {
		return s[2 : len(s)-1]
	}
	if i := strings.IndexByte(s, '['); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

func prepChoiceName(p *parser, n *callNode, pos int) *SyntaxError {
	if lit, ok := n.args[1].(*litNode); ok {
		n.field, n.hasField = choiceField(lit.v.String()), true
	}
	return nil
}

func fnChoiceName(c Context, n *callNode) Value {
	v := trimXMLSpace(n.str(c, 0))
	if v == "" {
		return Str("")
	}
	field := n.field
	if !n.hasField {
		field = choiceField(n.str(c, 1))
	}
	return Str(c.ChoiceLabel(field, v))
}

func fnStringLength(c Context, n *callNode) Value {
	return Num(float64(utf8.RuneCountInString(n.argOrCurrent(c).String())))
}

// compileWhole compiles a regex() pattern. Despite its name (kept for the
// callers) it does not anchor: ODK's engines search the value — JavaRosa's
// RE.match and ODK Web Forms' RegExp.test both succeed on a match anywhere —
// so regex(., '[0-9]{18}') accepts 19 digits there, and forms written for
// ODK must behave the same here. Authors anchor with ^ and $ when they mean
// the whole answer, as real forms do.
func compileWhole(pat string) (*regexp.Regexp, error) {
	return regexp.Compile(pat)
}

func prepRegex(p *parser, n *callNode, pos int) *SyntaxError {
	lit, ok := n.args[1].(*litNode)
	if !ok {
		return nil
	}
	re, err := compileWhole(lit.v.String())
	if err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "error parsing regexp: ")
		return p.errAt(pos, msgRegex, msg)
	}
	n.re = re
	return nil
}

func fnRegex(c Context, n *callNode) Value {
	s := n.str(c, 0)
	re := n.re
	if re == nil {
		pat := n.str(c, 1)
		if e := n.reCache.Load(); e != nil && e.pat == pat {
			re = e.re
		} else {
			re, _ = compileWhole(pat)
			n.reCache.Store(&reEntry{pat: pat, re: re})
		}
		if re == nil {
			return Bool(false)
		}
	}
	return Bool(re.MatchString(s))
}

func fnContains(c Context, n *callNode) Value {
	return Bool(strings.Contains(n.str(c, 0), n.str(c, 1)))
}

func fnStartsWith(c Context, n *callNode) Value {
	return Bool(strings.HasPrefix(n.str(c, 0), n.str(c, 1)))
}

func fnEndsWith(c Context, n *callNode) Value {
	return Bool(strings.HasSuffix(n.str(c, 0), n.str(c, 1)))
}

// runeRange returns s[i:j] counted in runes, 0 <= i <= j <= rune count.
func runeRange(s string, i, j int) string {
	start, end, k := len(s), len(s), 0
	for b := range s {
		if k == i {
			start = b
		}
		if k == j {
			end = b
			break
		}
		k++
	}
	if start > end {
		return ""
	}
	return s[start:end]
}

// toIndex converts to an int index the way JavaRosa casts: truncation,
// NaN as 0, infinities clamped.
func toIndex(f float64, limit int) int {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= float64(limit):
		return limit
	case f <= -float64(limit):
		return -limit
	}
	return int(f)
}

// fnSubstr is ODK's substr(s, start[, end]): 0-based, end exclusive,
// negative indexes counted from the end.
func fnSubstr(c Context, n *callNode) Value {
	s := n.str(c, 0)
	l := utf8.RuneCountInString(s)
	start := toIndex(n.num(c, 1), l)
	end := l
	if len(n.args) == 3 {
		end = toIndex(n.num(c, 2), l)
	}
	if start < 0 {
		start = max(l+start, 0)
	}
	if end < 0 {
		end = max(l+end, 0)
	}
	if start >= end {
		return Str("")
	}
	return Str(runeRange(s, start, end))
}

// xpathRound is XPath round(): halves go toward positive infinity.
func xpathRound(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	return math.Floor(f + 0.5)
}

// fnSubstring is XPath substring(): 1-based positions with the rounding
// and NaN/Infinity rules of XPath 1.0 §4.2.
func fnSubstring(c Context, n *callNode) Value {
	s := n.str(c, 0)
	first := xpathRound(n.num(c, 1))
	last := math.Inf(1)
	if len(n.args) == 3 {
		last = first + xpathRound(n.num(c, 2))
	}
	startByte, endByte := -1, len(s)
	pos := 1.0
	for i := range s {
		in := pos >= first && pos < last
		if in && startByte < 0 {
			startByte = i
		} else if !in && startByte >= 0 {
			endByte = i
			break
		}
		pos++
	}
	if startByte < 0 {
		return Str("")
	}
	return Str(s[startByte:endByte])
}

func fnSubstringBefore(c Context, n *callNode) Value {
	s, sep := n.str(c, 0), n.str(c, 1)
	if i := strings.Index(s, sep); i >= 0 {
		return Str(s[:i])
	}
	return Str("")
}

func fnSubstringAfter(c Context, n *callNode) Value {
	s, sep := n.str(c, 0), n.str(c, 1)
	if i := strings.Index(s, sep); i >= 0 {
		return Str(s[i+len(sep):])
	}
	return Str("")
}

func fnTranslate(c Context, n *callNode) Value {
	s, from, to := n.str(c, 0), []rune(n.str(c, 1)), []rune(n.str(c, 2))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		k := -1
		for i, f := range from {
			if f == r {
				k = i
				break
			}
		}
		switch {
		case k < 0:
			b.WriteRune(r)
		case k < len(to):
			b.WriteRune(to[k])
		}
	}
	return Str(b.String())
}

func fnNormalizeSpace(c Context, n *callNode) Value {
	s := n.argOrCurrent(c).String()
	var b strings.Builder
	eachToken(s, func(tok string) bool {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tok)
		return true
	})
	return Str(b.String())
}

func fnConcat(c Context, n *callNode) Value {
	var b strings.Builder
	for i := range n.args {
		b.WriteString(n.str(c, i))
	}
	return Str(b.String())
}

// fnJoin is ODK's join(sep, nodeset...): every node of every argument.
func fnJoin(c Context, n *callNode) Value {
	sep := n.str(c, 0)
	var parts []string
	for i := 1; i < len(n.args); i++ {
		parts = appendNodes(parts, n.arg(c, i))
	}
	return Str(strings.Join(parts, sep))
}
