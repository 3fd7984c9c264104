package store

import "strings"

// plainProperties reads the properties column when it holds no escape,
// as nearly every one does (canonjson escapes only quotes, backslashes
// and control characters): {"name":"value",...}. It is a fast path for
// loading a whole township's list, where encoding/json was most of the
// time; ok is false for anything else, which the caller decodes fully.
func plainProperties(text string) (map[string]string, bool) {
	if len(text) < 2 || text[0] != '{' || text[len(text)-1] != '}' || strings.IndexByte(text, '\\') >= 0 {
		return nil, false
	}
	m := make(map[string]string, strings.Count(text, ":"))
	rest := text[1 : len(text)-1]
	for rest != "" {
		key, after, ok := plainString(rest)
		if !ok || after == "" || after[0] != ':' {
			return nil, false
		}
		value, after, ok := plainString(after[1:])
		if !ok {
			return nil, false
		}
		m[key] = value
		switch {
		case after == "":
			return m, true
		case after[0] != ',' || len(after) == 1:
			return nil, false
		}
		rest = after[1:]
	}
	return nil, false // "{}" is the caller's; anything else empty is not canonical
}

// plainString reads a JSON string without escapes at the start of s.
func plainString(s string) (value, rest string, ok bool) {
	if s == "" || s[0] != '"' {
		return "", "", false
	}
	end := strings.IndexByte(s[1:], '"')
	if end < 0 {
		return "", "", false
	}
	value = s[1 : 1+end]
	for i := 0; i < len(value); i++ {
		if value[i] < 0x20 {
			return "", "", false // encoding/json refuses these unescaped
		}
	}
	return value, s[2+end:], true
}
