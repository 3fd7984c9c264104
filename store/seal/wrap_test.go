package seal

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// testArgon2 is argon2id cheap enough for tests.
var testArgon2 = Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}

func TestWrapWithPassphrase(t *testing.T) {
	dk := NewDataKey()
	w, err := WrapWithPassphrase(dk, "村里的密码 2026", testArgon2)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(w, dk.Bytes()) {
		t.Fatal("the key is in the wrapped form")
	}
	if method, id, err := WrappedMethod(w); err != nil || method != MethodPassphrase || id != dk.ID() {
		t.Fatalf("WrappedMethod = %s %s %v", method, id, err)
	}
	got, err := UnwrapWithPassphrase(w, "村里的密码 2026")
	if err != nil || !bytes.Equal(got.Bytes(), dk.Bytes()) {
		t.Fatalf("unwrap: %v", err)
	}
	for _, wrong := range []string{"", "村里的密码 2025", "村里的密码 2026 "} {
		if _, err := UnwrapWithPassphrase(w, wrong); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("passphrase %q: %v", wrong, err)
		}
	}
	if _, err := UnwrapWithKeyFile(w, NewKEK()); !errors.Is(err, ErrPassphraseNeeded) {
		t.Errorf("a key file for a passphrase-wrapped key: %v", err)
	}
}

func TestWrapWithKeyFile(t *testing.T) {
	dk, kek := NewDataKey(), NewKEK()
	w, err := WrapWithKeyFile(dk, kek)
	if err != nil {
		t.Fatal(err)
	}
	file := FormatKEKFile(kek)
	read, err := ParseKEKFile(file)
	if err != nil || !bytes.Equal(read, kek) {
		t.Fatalf("ParseKEKFile: %v\n%s", err, file)
	}
	got, err := UnwrapWithKeyFile(w, read)
	if err != nil || got.ID() != dk.ID() {
		t.Fatalf("unwrap: %v", err)
	}
	var ke *KeyError
	if _, err := UnwrapWithKeyFile(w, NewKEK()); !errors.As(err, &ke) || !ke.Missing || !errors.Is(err, ErrWrongKey) {
		t.Errorf("another key file: %v", err)
	}
	if _, err := UnwrapWithPassphrase(w, "x"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("a passphrase for a key-file-wrapped key: %v", err)
	}
	for _, bad := range []string{"", "# only a comment\n", "fieldbench-key-v1:short\n", "something else\n",
		string(file) + string(file)} {
		if _, err := ParseKEKFile([]byte(bad)); !errors.Is(err, ErrDamaged) {
			t.Errorf("key file %q: %v", bad, err)
		}
	}
}

// A wrapped key whose JSON was edited does not unwrap, and costs out of
// bounds are refused before any work.
func TestWrappedKeyRefusesEdits(t *testing.T) {
	dk := NewDataKey()
	w, err := WrapWithPassphrase(dk, "pw", testArgon2)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(w, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		out, _ := json.Marshal(m)
		return out
	}
	for name, c := range map[string]struct {
		data []byte
		want error
	}{
		"another key id":    {edit(func(m map[string]any) { m["key_id"] = NewDataKey().ID() }), ErrWrongPassphrase},
		"another version":   {edit(func(m map[string]any) { m["v"] = 2 }), ErrDamaged},
		"huge memory":       {edit(func(m map[string]any) { m["memory_kib"] = 1 << 30 }), ErrDamaged},
		"no time":           {edit(func(m map[string]any) { m["time"] = 0 }), ErrDamaged},
		"unknown method":    {edit(func(m map[string]any) { m["method"] = "rot13" }), ErrDamaged},
		"an unknown member": {edit(func(m map[string]any) { m["hint"] = "birthday" }), ErrDamaged},
		"no salt":           {edit(func(m map[string]any) { delete(m, "salt") }), ErrDamaged},
		"not JSON":          {[]byte("{"), ErrDamaged},
		"two values":        {append(bytes.Clone(w), w...), ErrDamaged},
		"too long":          {[]byte(strings.Repeat(" ", maxWrappedBytes+1)), ErrDamaged},
	} {
		if _, err := UnwrapWithPassphrase(c.data, "pw"); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if _, err := WrapWithPassphrase(dk, "pw", Argon2Params{Time: 1, MemoryKiB: 1 << 21, Threads: 1}); !errors.Is(err, ErrDamaged) {
		t.Errorf("wrapping with 2 GiB: %v", err)
	}
}
