// Package canonjson writes JSON in the one form the project stores,
// hashes and sends: the bytes encoding/json's Encoder writes with
// SetEscapeHTML(false), without its newline. Keys of maps come sorted,
// strings keep Chinese text and <, >, & as they are, and numbers are
// written as encoding/json writes them, so equal values give equal bytes.
// Stored records, exports and batches depend on these bytes not changing;
// the tests pin them and hold the writer to encoding/json.
//
// It is written by hand, not by calling encoding/json, because records
// and exports are mostly strings, and the Encoder allocates for each.
// It imports only the standard library: every side of the project uses it.
package canonjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Marshal returns v as canonical JSON.
func Marshal(v any) ([]byte, error) {
	return Append(nil, v)
}

// Append appends v as canonical JSON. The values json.Unmarshal makes
// (nil, bool, float64, json.Number, string, []any, map[string]any) and
// map[string]string are written directly; any other is left to encoding/json, HTML escaping off.
// On an error (a NaN, a type JSON has no form for) dst may hold part of v.
func Append(dst []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		return strconv.AppendBool(dst, x), nil
	case string:
		return AppendString(dst, x), nil
	case json.Number:
		if validNumber(string(x)) {
			return append(dst, x...), nil
		}
	case float64:
		return appendFloat(dst, x)
	case []any:
		if x == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i, item := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = Append(dst, item); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case map[string]any:
		if x == nil {
			return append(dst, "null"...), nil
		}
		return appendObject(dst, x, Append)
	case map[string]string:
		if x == nil {
			return append(dst, "null"...), nil
		}
		return AppendStringMap(dst, x), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return dst, err
	}
	return append(dst, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...), nil
}

// AppendStringMap appends m as a JSON object, its keys sorted: entity
// properties, which are written for every entity a batch touches.
func AppendStringMap(dst []byte, m map[string]string) []byte {
	dst, _ = appendObject(dst, m, func(dst []byte, v string) ([]byte, error) { return AppendString(dst, v), nil })
	return dst
}

// appendObject appends m as a JSON object, its keys sorted, each value
// written by value.
func appendObject[V any](dst []byte, m map[string]V, value func([]byte, V) ([]byte, error)) ([]byte, error) {
	var small [16]string
	keys := small[:0]
	if len(m) > len(small) {
		keys = make([]string, 0, len(m))
	}
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(AppendString(dst, k), ':')
		var err error
		if dst, err = value(dst, m[k]); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

var errFloat = errors.New("canonjson: NaN and infinities have no JSON form")

// appendFloat writes f as encoding/json does: the shortest decimal that
// reads back as f, in exponent form only below 1e-6 or from 1e21 up, the
// exponent without a leading zero.
func appendFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, errFloat
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// validNumber reports whether s is a JSON number (RFC 8259), which a
// json.Number is written as it stands; encoding/json refuses any other.
func validNumber(s string) bool {
	i := 0
	digits := func() bool {
		start := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i > start
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(s)
}

// AppendString appends s as a canonical JSON string: what encoding/json's
// Encoder writes with SetEscapeHTML(false). Invalid UTF-8 becomes U+FFFD;
// U+2028 and U+2029 are escaped, as encoding/json always does.
func AppendString(dst []byte, s string) []byte {
	return appendString(dst, s, false)
}

// AppendStringHTML appends s as json.Marshal writes it: as AppendString,
// with <, > and & escaped too. Only for bytes already hashed that way
// (the laptop's audit trail); everything else is canonical.
func AppendStringHTML(dst []byte, s string) []byte {
	return appendString(dst, s, true)
}

func appendString(dst []byte, s string, escapeHTML bool) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!escapeHTML || (c != '<' && c != '>' && c != '&')) {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, `\b`...)
			case '\f':
				dst = append(dst, `\f`...)
			case '\n':
				dst = append(dst, `\n`...)
			case '\r':
				dst = append(dst, `\r`...)
			case '\t':
				dst = append(dst, `\t`...)
			default:
				dst = append(dst, `\u00`...)
				dst = append(dst, hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\u202`...)
			dst = append(dst, hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
