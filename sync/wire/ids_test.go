package wire

import (
	"errors"
	"strings"
	"testing"
)

// An accepted device id is short and plain, whatever is tried, and a
// refusal is a short plain message.
func FuzzCheckDeviceID(f *testing.F) {
	for _, s := range []string{"01960000-0000-7000-8000-000000000001", "laptop-1", "", "a b", "../x", "笔记本", strings.Repeat("a", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		err := CheckDeviceID(id)
		if err != nil {
			// The message never repeats the id: it may be anything.
			if !errors.Is(err, ErrInvalid) || len(err.Error()) > 200 || strings.ContainsFunc(err.Error(), func(r rune) bool { return r < ' ' || r > '~' }) {
				t.Fatalf("%q: %v", id, err)
			}
			return
		}
		if id == "" || len(id) > MaxIDLen || strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != "" {
			t.Fatalf("%q accepted", id)
		}
	})
}
