package forms

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
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

func checkDecodeRecord(t *testing.T, data []byte) {
	want, ok := decodeStd(data)
	got, err := DecodeRecord(data)
	if ok != (err == nil) {
		t.Fatalf("%q: encoding/json ok=%v, DecodeRecord err=%v", data, ok, err)
	}
	if ok && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: got %#v, want %#v", data, got, want)
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
