package seal

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealOpens(t *testing.T) {
	dk := NewDataKey()
	ad := AD("rec-1", "ver-1", "sha")
	plain := []byte(`{"/head_id":"110105196805140036"}`)
	blob := dk.Seal(plain, ad)
	if bytes.Contains(blob, []byte("110105")) || len(blob) != len(plain)+Overhead {
		t.Fatalf("blob %x", blob)
	}
	if id, err := BlobKeyID(blob); err != nil || id != dk.ID() {
		t.Fatalf("BlobKeyID = %s, %v; want %s", id, err, dk.ID())
	}
	got, err := dk.Open(blob, ad)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %s, %v", got, err)
	}
	if again := dk.Seal(plain, ad); bytes.Equal(again, blob) {
		t.Fatal("two seals of the same bytes are equal: the nonce is not random")
	}
	same, err := DataKeyFromBytes(dk.Bytes())
	if err != nil || same.ID() != dk.ID() {
		t.Fatalf("DataKeyFromBytes: %v", err)
	}
	if got, err := same.Open(blob, ad); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("the key from its bytes opens %s, %v", got, err)
	}
}

// What does not open says why: a key not at hand (named), the right key
// with other associated data (a blob moved to another record), a changed
// or cut blob.
func TestOpenRefuses(t *testing.T) {
	dk, other := NewDataKey(), NewDataKey()
	ad := AD("rec-1", "ver-1", "sha")
	blob := dk.Seal([]byte("secret"), ad)

	var ke *KeyError
	if _, err := other.Open(blob, ad); !errors.As(err, &ke) || !ke.Missing || ke.KeyID != dk.ID() || !errors.Is(err, ErrWrongKey) {
		t.Errorf("another key: %v", err)
	}
	if _, err := dk.Open(blob, AD("rec-2", "ver-1", "sha")); !errors.As(err, &ke) || ke.Missing || !errors.Is(err, ErrWrongKey) {
		t.Errorf("another record's associated data: %v", err)
	}
	changed := bytes.Clone(blob)
	changed[len(changed)-1] ^= 1
	if _, err := dk.Open(changed, ad); !errors.Is(err, ErrWrongKey) {
		t.Errorf("a changed blob: %v", err)
	}
	for _, cut := range [][]byte{nil, blob[:3], blob[:Overhead-1], []byte("fbs2" + string(blob[4:]))} {
		if _, err := dk.Open(cut, ad); !errors.Is(err, ErrDamaged) {
			t.Errorf("%x: %v", cut, err)
		}
	}
	if _, err := dk.Open(blob[:len(blob)-1], ad); !errors.Is(err, ErrWrongKey) {
		t.Errorf("a blob one byte short: %v", err)
	}
	if _, err := DataKeyFromBytes(make([]byte, 31)); !errors.Is(err, ErrDamaged) {
		t.Errorf("a 31-byte key: %v", err)
	}
}

// After a rotation the old blobs open with the old key and the new with
// the new, from one lookup.
func TestOpenWithRotatedKeys(t *testing.T) {
	old, cur := NewDataKey(), NewDataKey()
	ad := AD("r", "v")
	a, b := old.Seal([]byte("old"), ad), cur.Seal([]byte("new"), ad)
	keys := Keys(cur, old)
	for blob, want := range map[*[]byte]string{&a: "old", &b: "new"} {
		if got, err := Open(*blob, ad, keys); err != nil || string(got) != want {
			t.Errorf("Open = %s, %v; want %s", got, err, want)
		}
	}
	if _, err := Open(a, ad, Keys(cur)); !errors.Is(err, ErrWrongKey) {
		t.Errorf("without the old key: %v", err)
	}
}

func TestBlindIndex(t *testing.T) {
	dk, other := NewDataKey(), NewDataKey()
	a := dk.Index("id_number", "11010519491231002x")
	if a == "" || len(a) != 32 {
		t.Fatalf("index %q", a)
	}
	for _, same := range []string{"110105 19491231002X", "１１０１０５１９４９１２３１００２Ｘ", "110105\u3000194912 31002x"} {
		if got := dk.Index("id_number", same); got != a {
			t.Errorf("%q indexes as %s, want %s", same, got, a)
		}
	}
	if dk.Index("name", "11010519491231002X") == a || other.Index("id_number", "11010519491231002X") == a ||
		dk.Index("id_number", "110105194912310021") == a {
		t.Error("another kind, key or value gives the same index")
	}
	if dk.Index("name", " ") != "" {
		t.Error("an empty value has an index")
	}
	if got := dk.Index("name", "张 建国"); got != dk.Index("name", "张建国") {
		t.Error("a name's spaces change its index")
	}
}
