package seal

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/canonjson"
	"github.com/fieldbench/fieldbench/forms/piitest"
)

// typed reports whether err is one of the package's own errors, as every
// error of a decoder of untrusted bytes must be.
func typed(err error) bool {
	return errors.Is(err, ErrDamaged) || errors.Is(err, ErrWrongKey) || errors.Is(err, ErrWrongPassphrase) || errors.Is(err, ErrPassphraseNeeded) ||
		errors.Is(err, ErrKEKProtected)
}

func FuzzOpen(f *testing.F) {
	dk := NewDataKey()
	ad := AD("r", "v", "sha")
	f.Add(dk.Seal([]byte(`{"/a":"b"}`), ad))
	f.Add(dk.Seal(nil, ad))
	f.Add([]byte("fbs1"))
	f.Fuzz(func(t *testing.T, blob []byte) {
		if _, err := Open(blob, ad, Keys(dk)); err != nil && !typed(err) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

func FuzzUnwrap(f *testing.F) {
	// Fixed keys: the fuzzing workers make their own and are handed the
	// seeds the first process wrapped.
	dk, _ := DataKeyFromBytes(bytes.Repeat([]byte{7}, 32))
	kek := bytes.Repeat([]byte{9}, kekSize)
	byPass, _ := WrapWithPassphrase(dk, "pw", testArgon2)
	byFile, _ := WrapWithKeyFile(dk, kek)
	f.Add(byPass)
	f.Add(byFile)
	f.Add([]byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		method, _, err := WrappedMethod(data)
		if err != nil {
			if !typed(err) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		var got *DataKey
		switch w, _ := readWrapped(data); {
		case method == MethodKeyFile:
			got, err = UnwrapWithKeyFile(data, kek)
		case w.MemoryKiB <= 256 && w.Time <= 2: // a fuzzer's iteration must stay short
			got, err = UnwrapWithPassphrase(data, "pw")
		default:
			return
		}
		if err != nil && !typed(err) {
			t.Fatalf("untyped error %v", err)
		}
		if err == nil && got.ID() != dk.ID() {
			t.Fatal("unwrapped another key")
		}
	})
}

func FuzzParseKeyFile(f *testing.F) {
	maxScryptLog = testScryptLog
	id, _ := NewIdentity()
	plain := FormatKeyFile(KeyRing{id})
	protected, _ := FormatKeyFileWithPassphrase(KeyRing{id}, "pw", testScryptLog)
	f.Add(plain)
	f.Add(protected)
	f.Fuzz(func(t *testing.T, data []byte) {
		ring, err := ParseKeyFile(data, "pw")
		if err != nil && !typed(err) {
			t.Fatalf("untyped error %v", err)
		}
		if err == nil && len(ring) == 0 {
			t.Fatal("a key file without keys")
		}
	})
}

func FuzzParseKEKFile(f *testing.F) {
	f.Add(FormatKEKFile(NewKEK()))
	f.Add(FormatProtectedKEKFile(bytes.Repeat([]byte{7}, 200)))
	f.Add([]byte("fieldbench-key-v1:\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kek, err := ParseKEKFile(data)
		if err != nil && !typed(err) {
			t.Fatalf("untyped error %v", err)
		}
		if err == nil && len(kek) != kekSize {
			t.Fatalf("a key of %d bytes", len(kek))
		}
	})
}

// Merge of any masked data and sealed part fails with ErrDamaged or
// gives JSON.
func FuzzMerge(f *testing.F) {
	tf := sampleForms(f)[0]
	for _, x := range tf.records[:3] {
		masked, part, _ := Split(tf.form, x)
		f.Add(masked, part)
	}
	f.Add([]byte(`{"a":[1,{"b":"c"}]}`), []byte(`{"/a/1/b":"d","/a/0":2}`))
	f.Add([]byte(`{"a~/b":"x"}`), []byte(`{"/a~0~1b":"y"}`))
	f.Fuzz(func(t *testing.T, masked, sealed []byte) {
		out, err := Merge(masked, sealed)
		if err != nil {
			if !typed(err) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(sealed) > 0 && canonjson.NewReader(out).Skip() != nil {
			t.Fatalf("Merge gave %q", out)
		}
	})
}

// Split of any record: Merge gives it back (canonical, members in its
// order), and its masked data holds no ID number that passes the check.
func FuzzSplit(f *testing.F) {
	tf := sampleForms(f)[0]
	sp := NewSplitter(tf.form)
	for _, x := range tf.records[:3] {
		f.Add(x)
	}
	f.Add([]byte(`{"head_id":["110105196805140036"],"members":[{"m_id":null},"x"],"k110105196805140036":{"k13811062547":1}}`))
	f.Add([]byte(`{"note 13811062547":"a","note 138****2547":"b","head_phone":13811062547}`))
	f.Fuzz(func(t *testing.T, x []byte) {
		obj, err := forms.DecodeRecord(x)
		if err != nil {
			return
		}
		masked, part, err := sp.Split(x)
		if err != nil {
			t.Fatalf("Split: %v", err)
		}
		y, err := Merge(masked, part)
		if err != nil {
			t.Fatalf("Merge: %v\nmasked %s\nsealed %s", err, masked, part)
		}
		back, err := forms.DecodeRecord(y)
		if err != nil || !reflect.DeepEqual(back, obj) {
			t.Fatalf("Merge(Split(x)) = %s, %v; x = %s", y, err, x)
		}
		m2, p2, err := sp.Split(y)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := Merge(m2, p2); err != nil || !bytes.Equal(again, y) {
			t.Fatalf("canonical %s comes back as %s, %v", y, again, err)
		}
		if found := piitest.ClearIDs(masked, nil); len(found) > 0 {
			t.Fatalf("masked %s holds %s", masked, found[0])
		}
		// The record as the form fills it splits alike from the instance.
		in, _ := tf.form.ValidateRecord(obj, forms.Options{})
		clear, _ := in.MarshalJSON()
		wantMasked, wantSealed, _ := sp.Split(clear)
		if m, p, err := sp.SplitInstance(in); err != nil || !bytes.Equal(m, wantMasked) || !bytes.Equal(p, wantSealed) {
			t.Fatalf("SplitInstance of %s gives\n%s\n%s\nSplit gives\n%s\n%s", clear, m, p, wantMasked, wantSealed)
		}
	})
}

func FuzzParseRecipients(f *testing.F) {
	id, _ := NewIdentity()
	f.Add([]byte("# the office\n" + id.Recipient() + "\r\n\n"))
	f.Add([]byte("age1notakey\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ParseRecipients(data)
		if err != nil {
			if !typed(err) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(rs) == 0 {
			t.Fatal("a recipients file without recipients")
		}
		if _, err := EncryptTo(io.Discard, rs...); err != nil {
			t.Fatalf("a recipient read that does not encrypt: %v", err)
		}
	})
}

// FuzzOpenEntity: an entity's sealed part, whatever JSON it holds once
// opened, gives a typed error or a label and properties; and what
// SealEntity seals of a clear entity against its masked form opens back
// to the clear entity.
func FuzzOpenEntity(f *testing.F) {
	dk, _ := DataKeyFromBytes(bytes.Repeat([]byte{5}, 32))
	ad := AD("catalogue-entity", "households", "e1", "1")
	f.Add([]byte(`{"label":"张三家","properties":{"phone":"13811062547"}}`), "张*家", "138****2547")
	f.Add([]byte(`{"properties":null}`), "", "")
	f.Add([]byte(`[1,2]`), "x", "y")
	f.Fuzz(func(t *testing.T, plain []byte, label, phone string) {
		gotLabel, props := label, map[string]string{"phone": phone}
		if err := OpenEntity(dk.Seal(plain, ad), ad, Keys(dk), &gotLabel, props); err != nil && !typed(err) {
			t.Fatalf("untyped error %v", err)
		}
		if !utf8.Valid(plain) {
			return // entities are UTF-8 text (checked before they are stored); JSON would change the bytes
		}
		clear := map[string]string{"phone": string(plain), "size": "3"}
		masked := map[string]string{"phone": phone, "size": "3"}
		blob := SealEntity(dk, ad, string(plain), label, clear, masked)
		if blob == nil {
			if string(plain) != label || string(plain) != phone {
				t.Fatal("nothing sealed of an entity whose masked form differs")
			}
			return
		}
		gotLabel, got := label, map[string]string{"phone": phone, "size": "3"}
		if err := OpenEntity(blob, ad, Keys(dk), &gotLabel, got); err != nil || gotLabel != string(plain) || !reflect.DeepEqual(got, clear) {
			t.Fatalf("opened %q %v %v, want %q %v", gotLabel, got, err, plain, clear)
		}
	})
}
