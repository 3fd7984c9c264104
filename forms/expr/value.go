package expr

import (
	"math"
	"strconv"
	"strings"
)

// Kind is the XPath type of a Value.
type Kind uint8

// The constants carry a Kind prefix because Bool is also the name of the
// Value constructor.
const (
	KindString Kind = iota
	KindNumber
	KindBool
	KindNodeset
)

func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindNumber:
		return "number"
	case KindBool:
		return "boolean"
	case KindNodeset:
		return "nodeset"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is the result of an expression. Only the field that matches Kind is
// meaningful: S for strings, N for numbers, B for booleans, Set for nodesets
// (the string values of the nodes, in document order).
type Value struct {
	Kind Kind
	// one marks a nodeset of exactly one node whose value is held in S.
	// It lets "." (the most common operand of constraints) be evaluated
	// without allocating a slice; Eval expands it before returning. It sits
	// beside Kind so that Value stays 64 bytes.
	one bool
	S   string
	N   float64
	B   bool
	Set []string
}

// Str returns a string value.
func Str(s string) Value { return Value{Kind: KindString, S: s} }

// Num returns a number value.
func Num(f float64) Value { return Value{Kind: KindNumber, N: f} }

// Bool returns a boolean value.
func Bool(b bool) Value { return Value{Kind: KindBool, B: b} }

// Nodes returns a nodeset value holding the given node values.
func Nodes(ss []string) Value { return Value{Kind: KindNodeset, Set: ss} }

func oneNode(s string) Value { return Value{Kind: KindNodeset, S: s, one: true} }

// public converts the internal single-node form into an ordinary nodeset so
// callers only ever see Set.
func (v Value) public() Value {
	if v.one {
		return Value{Kind: KindNodeset, Set: []string{v.S}}
	}
	return v
}

func (v *Value) nodeLen() int {
	if v.one {
		return 1
	}
	return len(v.Set)
}

func (v *Value) nodeAt(i int) string {
	if v.one {
		return v.S
	}
	return v.Set[i]
}

// String is XPath string(): the first node of a nodeset (or ""), numbers
// without a trailing ".0", booleans as "true"/"false".
func (v Value) String() string {
	switch v.Kind {
	case KindString:
		return v.S
	case KindNumber:
		return formatNumber(v.N)
	case KindBool:
		if v.B {
			return "true"
		}
		return "false"
	case KindNodeset:
		if v.one {
			return v.S
		}
		if len(v.Set) > 0 {
			return v.Set[0]
		}
	}
	return ""
}

// Number is XPath number(), extended as ODK does so that ISO dates and
// dateTimes become (fractional) days since 1970-01-01 UTC.
func (v Value) Number() float64 {
	switch v.Kind {
	case KindNumber:
		return v.N
	case KindBool:
		if v.B {
			return 1
		}
		return 0
	case KindString:
		return stringToNumber(v.S)
	case KindNodeset:
		if v.one {
			return stringToNumber(v.S)
		}
		if len(v.Set) > 0 {
			return stringToNumber(v.Set[0])
		}
	}
	return math.NaN()
}

// Bool is XPath boolean(). A stored "false" is a nonempty string and
// therefore true, exactly as in ODK; boolean-from-string exists for that.
func (v Value) Bool() bool {
	switch v.Kind {
	case KindBool:
		return v.B
	case KindNumber:
		return v.N != 0 && !math.IsNaN(v.N)
	case KindString:
		return v.S != ""
	case KindNodeset:
		return v.one || len(v.Set) > 0
	}
	return false
}

func isXMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

func trimXMLSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isXMLSpace(s[i]) {
		i++
	}
	for j > i && isXMLSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// stringToNumber accepts only the XPath Number grammar (no exponent, no
// leading '+'), plus ISO dates/dateTimes and the "Infinity" spellings that
// formatNumber produces, so a calculated value survives a round trip through
// a field. The grammar is checked before strconv so that no error value is
// allocated for the common non-numeric case.
func stringToNumber(s string) float64 {
	s = trimXMLSpace(s)
	if s == "" {
		return math.NaN()
	}
	if isDecimal(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return math.NaN()
		}
		return f
	}
	if len(s) >= 10 && s[4] == '-' {
		if d, ok := dateToDays(s); ok {
			return d
		}
		return math.NaN()
	}
	switch s {
	case "Infinity":
		return math.Inf(1)
	case "-Infinity":
		return math.Inf(-1)
	}
	return math.NaN()
}

// isDecimal reports whether s matches -?(Digits('.'Digits?)?|'.'Digits).
func isDecimal(s string) bool {
	i := 0
	if s[0] == '-' {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	return i == len(s) && digits > 0
}

// formatNumber follows XPath string(number) for ordinary magnitudes and falls
// back to the exponent form ODK Web Forms prints for huge or tiny ones, where
// a plain decimal would be hundreds of digits long.
func formatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	abs := math.Abs(f)
	if abs < 1e15 && f == math.Trunc(f) {
		return strconv.FormatInt(int64(f), 10)
	}
	if abs >= 1e21 || abs < 1e-6 {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		// Go writes e-07 where XPath engines write e-7.
		if k := strings.IndexByte(s, 'e'); k >= 0 && k+2 < len(s) && s[k+2] == '0' && k+3 < len(s) {
			s = s[:k+2] + s[k+3:]
		}
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
