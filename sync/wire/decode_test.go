package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// sampleBatch is a batch like the laptop's, with n household records.
func sampleBatch(n int) *Batch {
	b := &Batch{BatchID: "0193a1b2-0000-7000-8000-000000000001", DeviceID: "laptop-1"}
	for i := range n {
		data := fmt.Sprintf(`{"head_name":"张建国%d","head_id":"110105196805140036","hh_size":%d,"village":"花家地北里社区","members":[{"m_name":"张宇航","m_birth":"2010-06-08"},{"m_name":"李秀梅","m_rel":"spouse"}],"income":186000.5,"note":"<b>1 & 2</b>\n"}`, i, i%9+1)
		b.Records = append(b.Records, Record{RecordID: fmt.Sprintf("rec-%06d", i), VersionID: fmt.Sprintf("ver-%06d", i),
			FormID: "household_visit", FormVersion: "2026120701", SHA256: hashOf([]byte(data)), Data: RecordData(data),
			Collector: "王芳", CreatedAt: "2026-11-27T08:00:00Z"})
	}
	b.Records[0].Replaces = "ver-old"
	return b
}

// The fast path reads what the laptop writes, and gives up (for
// encoding/json to decide) on every other shape.
func TestDecodeBatch(t *testing.T) {
	want := sampleBatch(3)
	var got Batch
	if !DecodeBatch(encodeBatch(want), &got) || !reflect.DeepEqual(&got, want) {
		t.Fatalf("DecodeBatch of encodeBatch:\n got %+v\nwant %+v", got, want)
	}
	for _, body := range []string{
		`{"batch_id":"a\u0062"}`,          // an escape
		`{"Batch_ID":"x"}`,                // encoding/json matches keys in any case
		`{"batch_id":"x","batch_id":"y"}`, // a key twice
		`{"records":[{"data":"e30="}]}`,   // base64 data from an older laptop
		`{"records":[{"data":null}]}`,     // null
		`{"records":[{"hash":"x"}]}`,      // an unknown key
		`{"batch_id":"x"} x`,              // trailing bytes
		"{\"batch_id\":\"\xff\"}",         // invalid UTF-8 (encoding/json replaces it)
		`null`,
	} {
		var b Batch
		if DecodeBatch([]byte(body), &b) {
			t.Errorf("DecodeBatch took %s", body)
		}
	}
}

// Whatever the fast path takes, encoding/json takes too and reads the same.
func FuzzDecodeBatch(f *testing.F) {
	f.Add(encodeBatch(sampleBatch(2)))
	f.Add([]byte(`{"batch_id":"x","records":[]}`))
	f.Add([]byte(`{ "records" : [ { "data" : { "a" : [ 1 ] } , "record_id" : "r" } ] , "device_id" : "d" }`))
	f.Add([]byte(`{}`))
	f.Add(encodeBatch(sealedBatch()))
	f.Add([]byte(`{"keys":[{"id":"k","catalogue_key":"c","wrapped":"AA=="}],"records":[{"sealed":"","data":{}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var got Batch
		if !DecodeBatch(body, &got) {
			return
		}
		CheckSealing(&got) // must not panic on whatever decodes
		var want Batch
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("DecodeBatch took %q, which encoding/json refuses: %v", body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got %+v\nwant %+v", body, got, want)
		}
	})
}

// BenchmarkDecodeBatch compares the fast path with encoding/json on a
// batch of 1,000 household records.
func BenchmarkDecodeBatch(b *testing.B) {
	body := encodeBatch(sampleBatch(1000))
	b.Run("DecodeBatch", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var batch Batch
			if !DecodeBatch(body, &batch) {
				b.Fatal("refused")
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var batch Batch
			if err := json.Unmarshal(body, &batch); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// IsJSONObject says what json.Valid says of data starting with '{' after
// space, for valid UTF-8, at any depth.
func FuzzIsJSONObject(f *testing.F) {
	deep := strings.Repeat(`{"a":`, maxDepth+5) + "1" + strings.Repeat("}", maxDepth+5)
	for _, s := range []string{`{}`, ` {"a":[1,{"b":null}]} `, `[1]`, `{"a":}`, deep, deep + "x", "{\"a\":\"\xff\"}", `{"[[[":"}"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		trimmed := bytes.TrimLeft(data, " \t\r\n")
		want := len(trimmed) > 0 && trimmed[0] == '{' && utf8.Valid(data) && json.Valid(data)
		if got := IsJSONObject(data); got != want {
			t.Fatalf("IsJSONObject(%q) = %v, json.Valid says %v", data, got, want)
		}
	})
}
