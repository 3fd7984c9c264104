package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// decodeStd is what DecodeRecord must agree with: encoding/json, numbers
// kept as json.Number, one object per line.
func decodeStd(data []byte) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, false
	}
	// Not dec.More: it calls a stray '}' or ']' the end of the stream.
	if len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) > 0 {
		return nil, false
	}
	return obj, true
}

var recordJSONSeeds = []string{
	`{}`, ` {"a":"1"} `, `{"a":1,"a":2}`, `{"n":-0.5e+10,"m":0,"k":1E3}`,
	`{"s":"\u00e9\ud83d\ude00\ud800x\udc00\"\\\/\b\f\n\r\t"}`, "{\"bad\":\"\xff\xfe中\"}",
	`{"r":[{"x":"1"},{"y":[true,false,null]}]}`, `{"a":01}`, `{"a":1.}`, `{"a":-}`,
	`{"a":"x"`, `{"a" "x"}`, `{"a":"x",}`, `[1]`, `null`, `"s"`, `{"a":1} {"b":2}`,
	`{"a":1} x`, "{\"a\":\"\x01\"}", `{"a":"\ud800\u0041"}`, `{"a":"\ud800\uzzzz"}`, `{"a":tru}`,
	`{"a":"\x"}`, `{"a":[1,]}`, `{"a":[}`, ``, `   `, `{"a":1}` + "\r\n", `{}}`, `{"a":1}]`,
	`{"a":"1","\u0061":"2"}`, `{"r":[{"x":"1","y":"2","x":"3"}]}`, `{"a":{"b":1},"c":{"b":2}}`,
	`{"__warnings":[{"field":"a","path":"a","rule":"warning","message":"m","rule":"x"}]}`,
	"{\"\xd5\xc5\xc8\xfd\":\"1\"}", "{\"name\":\"\xd5\xc5\xc8\xfd\"}",
}

// TestDecodeRecordRefusesRepeatedNames: a name given twice, at any level,
// is refused with where it is; encoding/json (and so DecodeRecord before)
// kept the last silently.
func TestDecodeRecordRefusesRepeatedNames(t *testing.T) {
	for _, tc := range []struct{ data, name, offset string }{
		{`{"head_id":"11010519491231002X","hh_size":2,"head_id":"x"}`, `"head_id"`, "offset 45"},
		{`{"a":"1","\u0061":"2"}`, `"a"`, "offset 10"},
		{`{"members":[{"m_name":"王建国"},{"m_name":"李","m_birth":"1952-03-08","m_name":"张"}]}`, `"m_name"`, "offset 75"},
		{`{"__warnings":[{"field":"a","path":"a","rule":"warning","rule":"x","message":"m"}]}`, `"rule"`, "offset 57"},
	} {
		_, err := DecodeRecord([]byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.name+" appears twice") || !strings.Contains(err.Error(), tc.offset+":") {
			t.Errorf("%s: err = %v, want %s named twice at %s", tc.data, err, tc.name, tc.offset)
		}
		if _, err := DecodeStoredRecord([]byte(tc.data)); err != nil {
			t.Errorf("%s: stored data is read as before: %v", tc.data, err)
		}
	}
	// The same name in two objects is no repetition.
	if _, err := DecodeRecord([]byte(`{"members":[{"m_name":"a"},{"m_name":"b"}],"x":{"m_name":"c"}}`)); err != nil {
		t.Errorf("names of different objects: %v", err)
	}
}

// TestDecodeRecordRefusesBadUTF8: GBK bytes in a string are refused, not
// turned into U+FFFD.
func TestDecodeRecordRefusesBadUTF8(t *testing.T) {
	gbk := "{\"head_name\":\"\xcd\xf5\xbd\xa8\xb9\xfa\"}" // 王建国 in GBK
	if _, err := DecodeRecord([]byte(gbk)); err == nil || !strings.Contains(err.Error(), "byte 0xCD is not UTF-8") {
		t.Errorf("err = %v", err)
	}
	obj, err := DecodeStoredRecord([]byte(gbk))
	if err != nil || !strings.Contains(obj["head_name"].(string), "\ufffd") {
		t.Errorf("stored: %v, %v", obj, err)
	}
}

func TestDecodeRecordAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range recordJSONSeeds {
		checkDecodeRecord(t, []byte(s))
	}
}

// FuzzDecodeRecord holds the hand-written decoder to encoding/json's
// verdict and values on any input.
func FuzzDecodeRecord(f *testing.F) {
	for _, s := range recordJSONSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDecodeRecord)
}

// checkDecodeRecord holds DecodeRecord to encoding/json, except that it
// refuses what encoding/json lets through: a name repeated in one object
// and bytes that are not UTF-8. DecodeStoredRecord takes those as
// encoding/json does.
func checkDecodeRecord(t *testing.T, data []byte) {
	want, ok := decodeStd(data)
	stored, serr := DecodeStoredRecord(data)
	if ok != (serr == nil) {
		t.Fatalf("%q: encoding/json ok=%v, DecodeStoredRecord err=%v", data, ok, serr)
	}
	if ok && !reflect.DeepEqual(stored, want) {
		t.Fatalf("%q: stored: got %#v, want %#v", data, stored, want)
	}
	got, err := DecodeRecord(data)
	if err != nil {
		var re *RecordError
		if !errors.As(err, &re) {
			t.Fatalf("%q: error is %T %v, want *RecordError", data, err, err)
		}
		checkWords(t, err.Error(), re.Localized, err.Error())
	}
	switch {
	case !ok:
		if err == nil {
			t.Fatalf("%q: encoding/json refuses it, DecodeRecord gave %#v", data, got)
		}
	case !utf8.Valid(data) || repeatsName(data):
		// Either may be found first when the input has both.
		if err == nil || !strings.Contains(err.Error(), "not UTF-8") && !strings.Contains(err.Error(), "appears twice") {
			t.Fatalf("%q: a repeated name or bytes that are not UTF-8, DecodeRecord err=%v", data, err)
		}
	case err != nil:
		t.Fatalf("%q: encoding/json reads it, DecodeRecord err=%v", data, err)
	case !reflect.DeepEqual(got, want):
		t.Fatalf("%q: got %#v, want %#v", data, got, want)
	}
}

// repeatsName reports whether any object of valid JSON names a member
// twice (after unescaping), by encoding/json's token stream: a second
// opinion beside DecodeRecord's own count.
func repeatsName(data []byte) bool {
	type frame struct {
		object bool
		names  map[string]bool
		name   bool // the next token of an object is a name
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false // the end (the input parsed before)
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.name {
			if s, isName := tok.(string); isName {
				if top.names[s] {
					return true
				}
				top.names[s] = true
				top.name = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, names: map[string]bool{}, name: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: an object's next token is a name again.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].name = true
		}
	}
}

func BenchmarkDecodeRecord(b *testing.B) {
	line := []byte(`{"province":"11","city":"1101","county":"110105","head_name":"王建国","head_id":"11010519491231002X","hh_size":3,"income":"12000","members":[{"m_name":"王小明","m_birth":"2016-05-01","m_school":"primary"},{"m_name":"李四","m_birth":"1980-01-01"}]}`)
	b.Run("fieldbench", func(b *testing.B) {
		for range b.N {
			DecodeRecord(line)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for range b.N {
			decodeStd(line)
		}
	})
}
