package wire

import (
	"encoding/json"
	"slices"
	"testing"
)

// FuzzAnswerPaths: whatever the catalogue sends, AnswerPaths neither
// panics nor lists a path twice, and every path it lists has its value.
func FuzzAnswerPaths(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":"1","b":2,"c":true,"d":null}`, `{"m":[{"x":"1"},{"x":"2","y":[1,2]}]}`,
		`{"a/b":"1","a":{"b":"2"}}`, `[1,2]`, `"x"`, `{"a":`, `{"a":[}`, `{"a":1}garbage`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, vals, err := AnswerPaths(data)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, k := range keys {
			if seen[k] {
				t.Fatalf("%q listed twice: %q", k, keys)
			}
			seen[k] = true
			if _, ok := vals[k]; !ok {
				t.Fatalf("%q has no value", k)
			}
		}
		if len(vals) != len(keys) {
			t.Fatalf("%d values for %d paths", len(vals), len(keys))
		}
		var obj map[string]any
		if json.Unmarshal(data, &obj) == nil && hasAnswer(obj) && len(keys) == 0 {
			t.Fatalf("%s: an answer but no paths", data)
		}
	})
}

// ChangedPaths names what differs, answers added and removed, a repeat's
// member by its number, and nothing for equal data.
func TestChangedPaths(t *testing.T) {
	base := `{"head_phone":"13811062547","members":[{"m_name":"张三"},{"m_name":"李四"}],"low_income":"no"}`
	for _, c := range []struct {
		data string
		want []string
	}{
		{base, []string{}},
		{`{"head_phone":"13819062547","members":[{"m_name":"张三"},{"m_name":"李四"}],"low_income":"no"}`, []string{"head_phone"}},
		{`{"head_phone":"13811062547","members":[{"m_name":"张三"},{"m_name":"李五"}],"income":1}`, []string{"members[2]/m_name", "income", "low_income"}},
		{`{"head_phone":13811062547,"members":[{"m_name":"张三"}],"low_income":"no"}`, []string{"members[2]/m_name"}},
	} {
		got, err := ChangedPaths([]byte(base), []byte(c.data))
		if err != nil || !slices.Equal(got, c.want) || got == nil {
			t.Errorf("%s: %q %v, want %q", c.data, got, err, c.want)
		}
	}
	if _, err := ChangedPaths([]byte(base), []byte(`{"a":`)); err == nil {
		t.Error("broken data compared")
	}
}

// FuzzChangedPaths: a version compared with itself changed nothing, and
// two versions differ in the same answers whichever is compared with which.
func FuzzChangedPaths(f *testing.F) {
	f.Add([]byte(`{"a":"1","m":[{"x":"1"}]}`), []byte(`{"a":"2","m":[{"x":"1"},{"x":"2"}]}`))
	f.Add([]byte(`{"a":1}`), []byte(`{"a":"1"}`))
	f.Add([]byte(`{}`), []byte(`{"a":null}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		same, err := ChangedPaths(a, a)
		if err == nil && len(same) != 0 {
			t.Fatalf("%s against itself: %q", a, same)
		}
		ab, err1 := ChangedPaths(a, b)
		ba, err2 := ChangedPaths(b, a)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("one way %v, the other %v", err1, err2)
		}
		slices.Sort(ab)
		slices.Sort(ba)
		if err1 == nil && !slices.Equal(ab, ba) {
			t.Fatalf("%s vs %s: %q one way, %q the other", a, b, ab, ba)
		}
	})
}

// hasAnswer reports whether decoded JSON holds a value that is not an
// object or an array.
func hasAnswer(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			if hasAnswer(e) {
				return true
			}
		}
		return false
	case []any:
		for _, e := range x {
			if hasAnswer(e) {
				return true
			}
		}
		return false
	}
	return true
}
