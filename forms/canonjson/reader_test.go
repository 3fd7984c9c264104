package canonjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// The reader gives canonical bytes with members in their order.
func TestReaderKeepsOrder(t *testing.T) {
	for in, want := range map[string]string{
		`{ "b" : 1 , "a" : [ true , null , "x" ] }`: `{"b":1,"a":[true,null,"x"]}`,
		`{"s":"\u5f20\u0041\/\u2028","n":-0.5e+10}`: `{"s":"张A/\u2028","n":-0.5e+10}`,
		`{"html":"<&>","bad":"` + "\xff" + `"}`:     `{"html":"<&>","bad":"` + "\ufffd" + `"}`,
		`[{"z":{}},[]]`:                             `[{"z":{}},[]]`,
		`{"dup":1,"dup":2}`:                         `{"dup":1,"dup":2}`,
		"\"\u2029\"":                                `"\u2029"`,
		`{"esc":"a\"b\\c\n"}`:                       `{"esc":"a\"b\\c\n"}`,
	} {
		r := NewReader([]byte(in))
		got, err := r.AppendValue(nil)
		if err == nil {
			err = r.End()
		}
		if err != nil || string(got) != want {
			t.Errorf("%s: %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{``, `{`, `{"a":}`, `{"a" 1}`, `[1,]`, `{"a":1,}`, `[1 2]`, `"a` + "\n" + `"`,
		`tru`, `01`, `1.`, `-`, `{"a":1}x`, `"\x"`, `{1:2}`, strings.Repeat("[", MaxDepth+1)} {
		r := NewReader([]byte(bad))
		_, err := r.AppendValue(nil)
		if err == nil {
			err = r.End()
		}
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestAppendPointerToken(t *testing.T) {
	if got := string(AppendPointerToken([]byte("/a"), []byte("b~c/d"))); got != "/a/b~0c~1d" {
		t.Errorf("got %s", got)
	}
}

// Whatever JSON encoding/json reads, the reader reads as the same value,
// in canonical bytes that read back as themselves; what it refuses,
// the reader refuses.
func FuzzReader(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":[true,null,"x"]}`, `"\u5f20\ud83d\ude00"`, `-1.5e-3`, `{"a":{"b":[{}]}}`, `[1,]`, "\"\xff\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(data)
		got, err := r.AppendValue(nil)
		if err == nil {
			err = r.End()
		}
		if valid := json.Valid(data); (err == nil) != valid {
			t.Fatalf("%q: reader says %v, encoding/json valid %v", data, err, valid)
		}
		if err != nil {
			return
		}
		a, errA := decode(data, true)
		b, errB := decode(got, true)
		if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("%q reads as %q", data, got)
		}
		again, err := NewReader(got).AppendValue(nil)
		if err != nil || !bytes.Equal(again, got) {
			t.Fatalf("%q is not canonical: %q, %v", got, again, err)
		}
	})
}
