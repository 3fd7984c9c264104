package canonjson

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// The bytes below are what the record writer of forms and the export's
// re-encoder wrote (alike, byte for byte) before this package replaced
// them: records already stored and hashed hold them, so they must never
// change. The batch writer of sync/wire, which differed, pins its own.

var pinnedStrings = []struct{ in, want string }{
	{"", "\"\""},
	{"plain ascii", "\"plain ascii\""},
	{"王建国", "\"王建国\""},
	{"a\"b\\c", "\"a\\\"b\\\\c\""},
	{"\x00\x01\x1f\b\f\n\r\t\x7f", "\"\\u0000\\u0001\\u001f\\b\\f\\n\\r\\t\x7f\""},
	{"<a href=\"x\">&amp;</a>", "\"<a href=\\\"x\\\">&amp;</a>\""},
	{"<&>", "\"<&>\""},
	{"ascii <only> & fine", "\"ascii <only> & fine\""},
	{"\u2028\u2029", "\"\\u2028\\u2029\""},
	{"line\u2028sep\u2029end", "\"line\\u2028sep\\u2029end\""},
	{"\xff\xfe bad", "\"\\ufffd\\ufffd bad\""},
	{"cut\xc3", "\"cut\\ufffd\""},
	{"emoji 😀", "\"emoji 😀\""},
	{"�", "\"�\""},
	{"门牌 <3 & \"旧\"", "\"门牌 <3 & \\\"旧\\\"\""},
	{"王\x01<", "\"王\\u0001<\""},
	{"tab\there", "\"tab\\there\""},
	{"/slash/", "\"/slash/\""},
}

var pinnedValues = []struct {
	in   any
	want string
}{
	{nil, `null`},
	{true, `true`},
	{false, `false`},
	{json.Number("12345678901234567890123"), `12345678901234567890123`},
	{json.Number("-0.000001"), `-0.000001`},
	{json.Number("1e400"), `1e400`},
	{json.Number("1.50"), `1.50`},
	{1e21, `1e+21`},
	{1e20, `100000000000000000000`},
	{1e-7, `1e-7`},
	{0.000001, `0.000001`},
	{123456789.125, `123456789.125`},
	{-0.0, `0`},
	{3.14, `3.14`},
	{float64(100), `100`},
	{-1.5e-300, `-1.5e-300`},
	{1.7976931348623157e308, `1.7976931348623157e+308`},
	{[]any{}, `[]`},
	{map[string]any{}, `{}`},
	{[]any{nil, "<>", json.Number("1.50"), []any{map[string]any{}}}, `[null,"<>",1.50,[{}]]`},
	{map[string]any{"z": "<b>&</b>", "a": map[string]any{"y": []any{}, "b": nil, "王": "\u2028"}, "M": json.Number("0"), "": "empty key", "<k>": true},
		`{"":"empty key","<k>":true,"M":0,"a":{"b":null,"y":[],"王":"\u2028"},"z":"<b>&</b>"}`},
}

func TestPinnedBytes(t *testing.T) {
	for _, c := range pinnedStrings {
		if got := AppendString(nil, c.in); string(got) != c.want {
			t.Errorf("AppendString(%q) = %s, want %s", c.in, got, c.want)
		}
		if got, err := Marshal(c.in); err != nil || string(got) != c.want {
			t.Errorf("Marshal(%q) = %s, %v, want %s", c.in, got, err, c.want)
		}
	}
	for _, c := range pinnedValues {
		if got, err := Marshal(c.in); err != nil || string(got) != c.want {
			t.Errorf("Marshal(%#v) = %s, %v, want %s", c.in, got, err, c.want)
		}
	}
}

// AppendStringHTML is json.Marshal's string, for the bytes the laptop's
// audit trail hashed that way.
func TestAppendStringHTML(t *testing.T) {
	for _, c := range pinnedStrings {
		want, _ := json.Marshal(c.in)
		if got := AppendStringHTML(nil, c.in); !bytes.Equal(got, want) {
			t.Errorf("AppendStringHTML(%q) = %s, want %s", c.in, got, want)
		}
	}
	if got := AppendStringHTML(nil, "门牌 <3 & 旧"); string(got) != `"门牌 \u003c3 \u0026 旧"` {
		t.Errorf("got %s", got)
	}
}

// Appending keeps what dst held, and a value JSON cannot write is an error
// as in encoding/json.
func TestAppend(t *testing.T) {
	got, err := Append([]byte("x="), map[string]any{"b": 1, "a": []string{"<"}})
	if err != nil || string(got) != `x={"a":["<"],"b":1}` {
		t.Errorf("got %s, %v", got, err)
	}
	for _, bad := range []any{json.Number("01"), json.Number("1."), map[string]any{"a": []any{math.NaN()}}, math.Inf(1), make(chan int)} {
		if got, err := Marshal(bad); err == nil {
			t.Errorf("Marshal(%#v) = %s, want an error", bad, got)
		}
	}
	var nilSlice []any
	var nilMap map[string]any
	var nilProps map[string]string
	props := map[string]string{"z": "1", "a": "<&>", "户主": "张三", "": "\u2028"}
	for _, v := range []any{nilSlice, nilMap, json.Number(""), nilProps, map[string]string{}} {
		want, _ := json.Marshal(v)
		if got, err := Marshal(v); err != nil || !bytes.Equal(got, want) {
			t.Errorf("Marshal(%#v) = %s, %v, want %s", v, got, err, want)
		}
	}
	if got, err := Marshal(props); err != nil || string(got) != `{"":"\u2028","a":"<&>","z":"1","户主":"张三"}` {
		t.Errorf("Marshal(%q) = %s, %v", props, got, err)
	}
}
