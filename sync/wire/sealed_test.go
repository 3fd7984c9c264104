package wire

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// sealedBatch is sampleBatch with a data key and sealed parts.
func sealedBatch() *Batch {
	b := sampleBatch(3)
	b.Keys = []SealedKey{{ID: "0123456789abcdef", CatalogueKey: "fedcba9876543210", Wrapped: []byte("age-encryption.org/v1\n-> X25519 x\n")}}
	b.Records[0].Sealed = []byte("fbs1\x00\x01\xff sealed bytes")
	b.Records[2].Sealed = []byte{0}
	return b
}

// A batch without sealing is written byte for byte as before the fields
// existed: an outbox resends its batches as they are.
func TestBatchWithoutSealingIsUnchanged(t *testing.T) {
	b := &Batch{BatchID: "b1", DeviceID: "d1", Records: []Record{{RecordID: "r1", VersionID: "v1", FormID: "f", FormVersion: "1",
		SHA256: "abc", Data: RecordData(`{"a":"1"}`), Collector: "王芳", CreatedAt: "2026-11-27T08:00:00Z"}}}
	want := `{"batch_id":"b1","device_id":"d1","records":[{"record_id":"r1","version_id":"v1","form_id":"f","form_version":"1",` +
		`"sha256":"abc","data":{"a":"1"},"collector":"王芳","created_at":"2026-11-27T08:00:00Z"}]}`
	if got := encodeBatch(b); string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	for _, v := range []any{EnrolResponse{Token: "t"}, Info{Protocol: "1"}} {
		out, _ := json.Marshal(v)
		if bytes.Contains(out, []byte("catalogue_key")) || bytes.Contains(out, []byte("retention_days")) {
			t.Errorf("%s", out)
		}
	}
}

// The keys and sealed parts go as base64 and read back the same by the
// fast path and by encoding/json, and json.Marshal's form reads too.
func TestSealingFieldsRoundTrip(t *testing.T) {
	want := sealedBatch()
	body := encodeBatch(want)
	if !bytes.Contains(body, []byte(`"keys":[{"id":"0123456789abcdef","catalogue_key":"fedcba9876543210","wrapped":"`)) ||
		!bytes.Contains(body, []byte(`,"sealed":"`)) {
		t.Fatalf("body %s", body)
	}
	var fast, std, marshalled Batch
	if !DecodeBatch(body, &fast) || !reflect.DeepEqual(&fast, want) {
		t.Fatalf("DecodeBatch:\n got %+v\nwant %+v", fast, want)
	}
	if err := json.Unmarshal(body, &std); err != nil || !reflect.DeepEqual(&std, want) {
		t.Fatalf("encoding/json: %v\n got %+v", err, std)
	}
	viaJSON, _ := json.Marshal(want)
	if err := json.Unmarshal(viaJSON, &marshalled); err != nil || !reflect.DeepEqual(&marshalled, want) {
		t.Fatalf("json.Marshal's form: %v", err)
	}
	if err := CheckSealing(want); err != nil {
		t.Fatal(err)
	}
}

func TestCheckSealing(t *testing.T) {
	for name, edit := range map[string]func(b *Batch){
		"too many keys":       func(b *Batch) { b.Keys = append(b.Keys, b.Keys[0], b.Keys[0], b.Keys[0], b.Keys[0]) },
		"a key twice":         func(b *Batch) { b.Keys = append(b.Keys, b.Keys[0]) },
		"a key without an id": func(b *Batch) { b.Keys[0].ID = "" },
		"a long id":           func(b *Batch) { b.Keys[0].CatalogueKey = strings.Repeat("k", MaxIDLen+1) },
		"a huge wrapped key":  func(b *Batch) { b.Keys[0].Wrapped = make([]byte, MaxWrappedKeyBytes+1) },
		"no wrapped key":      func(b *Batch) { b.Keys[0].Wrapped = nil },
		"a huge sealed part":  func(b *Batch) { b.Records[1].Sealed = make([]byte, MaxSealedBytes+1) },
		"sealed without keys": func(b *Batch) { b.Keys = nil },
	} {
		b := sealedBatch()
		edit(b)
		if err := CheckSealing(b); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := CheckSealing(sampleBatch(2)); err != nil {
		t.Errorf("a batch without sealing: %v", err)
	}
}

// A batch id always comes with the same content: a sealed part or a key
// changed under the same records is another fingerprint, and a batch
// without them keeps the fingerprint it had before sealing existed.
func TestFingerprintCoversSealing(t *testing.T) {
	plain := &Batch{BatchID: "b", Records: []Record{{RecordID: "r", VersionID: "v", FormID: "f", FormVersion: "1", SHA256: "ab"}}}
	before := fingerprintBeforeSealing(plain)
	if Fingerprint(plain) != before {
		t.Fatal("a batch without sealing changed its fingerprint")
	}
	sealed := *plain
	sealed.Records = []Record{plain.Records[0]}
	sealed.Records[0].Sealed = []byte("part one")
	sealed.Keys = []SealedKey{{ID: "k", CatalogueKey: "c", Wrapped: []byte("w")}}
	a := Fingerprint(&sealed)
	if a == before {
		t.Fatal("a sealed part does not count")
	}
	sealed.Records[0].Sealed = []byte("part two")
	if b := Fingerprint(&sealed); b == a {
		t.Fatal("another sealed part under the same records has the same fingerprint")
	}
	sealed.Records[0].Sealed = []byte("part one")
	sealed.Keys[0].Wrapped = []byte("w2")
	if c := Fingerprint(&sealed); c == a {
		t.Fatal("another wrapped key has the same fingerprint")
	}
}

// fingerprintBeforeSealing is Fingerprint as it was before batches
// carried sealed parts.
func fingerprintBeforeSealing(b *Batch) string {
	h := sha256.New()
	for _, r := range b.Records {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\n", r.RecordID, r.VersionID, r.Replaces, r.FormID, r.FormVersion, r.SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))
}
