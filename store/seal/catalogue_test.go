package seal

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"filippo.io/age"
)

// testScryptLog is age's scrypt work factor for tests: fast.
const testScryptLog = 10

func twoKeys(t *testing.T) KeyRing {
	t.Helper()
	var ring KeyRing
	for range 2 {
		id, err := NewIdentity()
		if err != nil {
			t.Fatal(err)
		}
		ring = append(ring, id)
	}
	return ring
}

func TestKeyFile(t *testing.T) {
	ring := twoKeys(t)
	file := FormatKeyFile(ring)
	if KeyFileProtected(file) {
		t.Fatal("a plain key file reads as protected")
	}
	read, err := ParseKeyFile(file, "")
	if err != nil || len(read) != 2 || read.Current().Recipient() != ring[1].Recipient() {
		t.Fatalf("ParseKeyFile: %v %v", read, err)
	}
	if id, err := KeyIDOf(ring[0].Recipient()); err != nil || id != ring[0].KeyID() || read.Find(id) == nil || len(id) != 16 {
		t.Fatalf("KeyIDOf = %s, %v", id, err)
	}
	if read.Find("0000000000000000") != nil || (KeyRing{}).Current() != nil {
		t.Fatal("Find or Current found a key that is not there")
	}
	if _, err := KeyIDOf("age1notakey"); !errors.Is(err, ErrDamaged) {
		t.Errorf("KeyIDOf a bad recipient: %v", err)
	}
	for _, bad := range []string{"", "# nothing\n", "AGE-SECRET-KEY-1XYZ\n"} {
		if _, err := ParseKeyFile([]byte(bad), ""); !errors.Is(err, ErrDamaged) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestKeyFileWithPassphrase(t *testing.T) {
	ring := twoKeys(t)
	file, err := FormatKeyFileWithPassphrase(ring, "catalogue pass", testScryptLog)
	if err != nil {
		t.Fatal(err)
	}
	if !KeyFileProtected(file) || bytes.Contains(file, []byte("AGE-SECRET-KEY")) {
		t.Fatal("the protected key file shows its keys")
	}
	if _, err := ParseKeyFile(file, ""); !errors.Is(err, ErrPassphraseNeeded) {
		t.Errorf("no passphrase: %v", err)
	}
	if _, err := ParseKeyFile(file, "catalogue pas"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("a wrong passphrase: %v", err)
	}
	read, err := ParseKeyFile(file, "catalogue pass")
	if err != nil || len(read) != 2 || read[0].KeyID() != ring[0].KeyID() {
		t.Fatalf("ParseKeyFile: %v", err)
	}
}

// A batch key wrapped to the current catalogue key unwraps with it, also
// after a rotation (the old key stays in the ring); a ring without it
// names the missing key.
func TestBatchKeys(t *testing.T) {
	ring := twoKeys(t)
	old, cur := ring[0], ring[1]
	dk := NewDataKey()
	wrapped, err := WrapBatchKey(dk, old.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if len(wrapped) > maxWrappedBatchKey {
		t.Fatalf("a wrapped batch key of %d bytes", len(wrapped))
	}
	for _, keyID := range []string{old.KeyID(), ""} {
		got, err := UnwrapBatchKey(wrapped, keyID, ring)
		if err != nil || got.ID() != dk.ID() {
			t.Fatalf("unwrap with %q: %v", keyID, err)
		}
	}
	var ke *KeyError
	if _, err := UnwrapBatchKey(wrapped, old.KeyID(), KeyRing{cur}); !errors.As(err, &ke) || !ke.Missing || !ke.Catalogue || ke.KeyID != old.KeyID() {
		t.Errorf("the old key missing: %v", err)
	} else if !strings.Contains(err.Error(), old.KeyID()) {
		t.Errorf("the error does not name the key: %v", err)
	}
	if _, err := UnwrapBatchKey(wrapped, cur.KeyID(), ring); !errors.As(err, &ke) || ke.Missing || !errors.Is(err, ErrWrongKey) {
		t.Errorf("the wrong key named: %v", err)
	}
	for _, bad := range [][]byte{nil, []byte("age-encryption.org/v1\n"), wrapped[:len(wrapped)-1], bytes.Repeat([]byte("x"), maxWrappedBatchKey+1)} {
		if _, err := UnwrapBatchKey(bad, "", ring); !errors.Is(err, ErrDamaged) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := WrapBatchKey(dk, "age1notakey"); !errors.Is(err, ErrDamaged) {
		t.Errorf("a bad recipient: %v", err)
	}
}

func TestEncryptTo(t *testing.T) {
	ring := twoKeys(t)
	var out bytes.Buffer
	w, err := EncryptTo(&out, ring[0].Recipient(), ring[1].Recipient())
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "id,身份证\n1,110105196805140036\n")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out.Bytes(), []byte("110105")) {
		t.Fatal("the export is in clear")
	}
	for _, id := range ring {
		r, err := age.Decrypt(bytes.NewReader(out.Bytes()), id.x)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := io.ReadAll(r); !strings.Contains(string(got), "110105196805140036") {
			t.Fatalf("decrypted %q", got)
		}
	}
	if _, err := EncryptTo(&out); err == nil {
		t.Error("no recipient")
	}
	if _, err := EncryptTo(&out, "# "+ring[0].Recipient()); !errors.Is(err, ErrDamaged) {
		t.Errorf("a commented recipient: %v", err)
	}
}

func TestParseRecipients(t *testing.T) {
	ring := twoKeys(t)
	file := "# office\n\n  " + ring[0].Recipient() + "  \r\n" + ring[1].Recipient() + "\n"
	got, err := ParseRecipients([]byte(file))
	if err != nil || len(got) != 2 || got[0] != ring[0].Recipient() || got[1] != ring[1].Recipient() {
		t.Fatalf("ParseRecipients = %q, %v", got, err)
	}
	var re *RecipientError
	_, err = ParseRecipients([]byte(ring[0].Recipient() + "\n# x\nage1typo\n"))
	if !errors.As(err, &re) || re.Line != 3 || re.Value != "age1typo" || !errors.Is(err, ErrDamaged) {
		t.Errorf("a bad third line: %v", err)
	}
	if _, err := ParseRecipients([]byte("# nothing\n\n")); !errors.As(err, &re) {
		t.Errorf("a file without recipients: %v", err)
	}
	if err := CheckRecipient(ring[0].Recipient()); err != nil {
		t.Error(err)
	}
	if err := CheckRecipient("AGE-SECRET-KEY-1XYZ"); !errors.As(err, &re) || re.Line != 0 {
		t.Errorf("an identity given as recipient: %v", err)
	}
}
