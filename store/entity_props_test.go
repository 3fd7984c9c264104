package store

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzPlainProperties holds the fast path to encoding/json: whatever it
// accepts, encoding/json reads the same map from.
func FuzzPlainProperties(f *testing.F) {
	for _, s := range []string{`{"size":"4"}`, `{"a":"1","b":"王家"}`, `{"a":"1",}`, `{"a":1}`, `{"a":"\"x"}`, `{"a" :"1"}`, `{"a":"1"`, `{}`, `{"":""}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := plainProperties(s)
		if !ok {
			return
		}
		var want map[string]string
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatalf("%q: the fast path read %v, encoding/json refuses it: %v", s, got, err)
		}
		if utf8.ValidString(s) && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: fast path %v, encoding/json %v", s, got, want)
		}
	})
}

func TestPlainProperties(t *testing.T) {
	m, ok := plainProperties(`{"phone":"138****0000","size":"4","村":"第3村"}`)
	if !ok || !reflect.DeepEqual(m, map[string]string{"phone": "138****0000", "size": "4", "村": "第3村"}) {
		t.Fatalf("%v %v", m, ok)
	}
	for _, s := range []string{`{"a":"\"x"}`, `{"a":1}`, `{"a":"1",}`, `{"a":"1"`} {
		if _, ok := plainProperties(s); ok {
			t.Errorf("%q taken by the fast path", s)
		}
	}
}
