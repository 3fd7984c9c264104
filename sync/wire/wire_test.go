package wire

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// The server hashes the data it decodes: whatever a record holds, the
// bytes that come out of the batch are the bytes the laptop hashed.
func TestEncodeBatchKeepsDataBytes(t *testing.T) {
	deep := strings.Repeat(`{"a":`, maxDepth+5) + "1" + strings.Repeat("}", maxDepth+5)
	cases := []struct {
		data     string
		verbatim bool
	}{
		{`{"head_name":"张建国","note":"<b>1 & 2</b> > 0","village":"花家地北里社区"}`, true},
		{"{\"raw\":\"\u2028 and \u2029\",\"escaped\":\"\\u2028\\u2029\",\"emoji\":\"😀\"}", true},
		{`{"s":"quote \" backslash \\ slash \/ \b\f\n\r\t \u00e9 \uD83D\uDE00 \u003c"}`, true},
		{`{ "a" : [ 1 , 2.5e-3 , -0 , 1E+2 , true , false , null , "" ] ,` + "\n\t" + `"b" : { } , "c" : [ ] }`, true},
		{`{}`, true},
		{`{"members":[{"m_name":"张宇航","m_birth":"2010-06-08"},{"m_name":"李秀梅"}],"hh_size":4,"income":186000.5}`, true},
		{` {"a":1}`, false},
		{"{\"a\":1}\n", false},
		{`[1,2]`, false},
		{`"a string"`, false},
		{`{"a":}`, false},
		{`{"a":1,}`, false},
		{`{"a" 1}`, false},
		{`{"a":1}{"b":2}`, false},
		{`{"a":1} }`, false},
		{`{"a":"`, false},
		{"{\"a\":\"\xff\"}", false},
		{"{\"a\":\"\x01\"}", false},
		{`{"a":01}`, false},
		{`{"a":1.}`, false},
		{`{"a":.5}`, false},
		{`{"a":+1}`, false},
		{`{"a":1e}`, false},
		{`{"a":-}`, false},
		{`{"a":tru}`, false},
		{`{"a":nulll}`, false},
		{`{"a":"\x"}`, false},
		{`{"a":"\u12"}`, false},
		{`{"a":"\u12g4"}`, false},
		{`{a:1}`, false},
		{`{"a":[1 2]}`, false},
		{`{"a":[1,]}`, false},
		{`{"a":1]`, false},
		{`}{`, false},
		{`{`, false},
		{``, false},
		{deep, false}, // valid, but deeper than the writer follows
	}
	for _, c := range cases {
		data := []byte(c.data)
		in := Batch{BatchID: "b1", DeviceID: "d1", Records: []Record{{RecordID: "r1", VersionID: "v1", FormID: "f", FormVersion: "1",
			SHA256: hashOf(data), Data: data, Collector: "王芳", CreatedAt: "2026-11-27T08:00:00Z"}}}
		body := encodeBatch(&in)
		if !json.Valid(body) {
			t.Errorf("%q: the batch is not valid JSON: %s", c.data, body)
			continue
		}
		var out Batch
		if err := json.Unmarshal(body, &out); err != nil {
			t.Errorf("%q: %v", c.data, err)
			continue
		}
		got := out.Records[0]
		if !bytes.Equal(got.Data, data) || hashOf(got.Data) != got.SHA256 {
			t.Errorf("%q came out as %q", c.data, got.Data)
		}
		sent := bytes.Contains(body, []byte(`"data":`+c.data+`,"collector"`))
		if sent != c.verbatim {
			t.Errorf("%q: sent verbatim %v, want %v: %s", c.data, sent, c.verbatim, body)
		}
		if !c.verbatim && !bytes.Contains(body, []byte(`"data":"`)) {
			t.Errorf("%q: neither verbatim nor base64: %s", c.data, body)
		}
	}
}

// Apart from the data, the hand-written batch reads back exactly as
// encoding/json's own would.
func TestEncodeBatchReadsAsJSONMarshal(t *testing.T) {
	tricky := "王芳 \"quoted\" \\ <tag> & \u2028 \x01 \t bad\xff end"
	in := Batch{BatchID: "01900000-0000-7000-8000-000000000001", DeviceID: tricky, Records: []Record{
		{RecordID: "r1", VersionID: "v1", FormID: "household_visit", FormVersion: "2026120701", SHA256: "abc",
			Data: RecordData(`{"a":1}`), Collector: tricky, CreatedAt: "2026-11-27T08:00:00Z"},
		{RecordID: tricky, VersionID: "v2", Replaces: "v0", FormID: tricky, FormVersion: tricky, SHA256: tricky,
			Data: RecordData("not json"), Collector: "", CreatedAt: tricky},
		{RecordID: "r3", VersionID: "v3", Data: nil},
	}}
	std, _ := json.Marshal(in)
	var want, got Batch
	if err := json.Unmarshal(std, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(encodeBatch(&in), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("hand-written:\n%+v\nencoding/json:\n%+v", got, want)
	}
	if got.Records[2].Data != nil || !bytes.Equal(got.Records[1].Data, []byte("not json")) {
		t.Errorf("data %q %q", got.Records[1].Data, got.Records[2].Data)
	}
	empty, _ := json.Marshal(Batch{BatchID: "b", DeviceID: "d", Records: []Record{}})
	if b := encodeBatch(&Batch{BatchID: "b", DeviceID: "d"}); !bytes.Equal(b, empty) {
		t.Errorf("an empty batch: %s, want %s", b, empty)
	}
}

// Batches queued before this version (still in outboxes, resent byte for
// byte) and json.Marshal of a Batch carry data as base64.
func TestRecordDataReadsBase64(t *testing.T) {
	data := []byte(`{"head_name":"张建国","x":"<&>"}`)
	body, _ := json.Marshal(Batch{BatchID: "b", Records: []Record{{RecordID: "r", Data: data}}})
	if !bytes.Contains(body, []byte(`"data":"eyJ`)) {
		t.Fatalf("json.Marshal no longer writes base64: %s", body)
	}
	var b Batch
	if err := json.Unmarshal(body, &b); err != nil || !bytes.Equal(b.Records[0].Data, data) {
		t.Fatalf("%q %v", b.Records[0].Data, err)
	}
	if err := json.Unmarshal([]byte(`{"records":[{"data":null}]}`), &b); err != nil || b.Records[0].Data != nil {
		t.Fatalf("null: %q %v", b.Records[0].Data, err)
	}
	if err := json.Unmarshal([]byte(`{"records":[{"data":"not base64!"}]}`), &b); err == nil {
		t.Fatal("bad base64 was taken")
	}
}

// verbatim takes exactly the objects encoding/json takes in valid UTF-8,
// short of the nesting limit.
func FuzzVerbatim(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,{"b":null}],"c":"\u00e9"}`, `{"a":1e5}`, `{"a":-0.5E-2}`, `{"a":"\ud800"}`,
		"{\"a\":\"\xe2\x80\xa8\"}", `{"a":[]}`, `{"a":{}}`, `{ }`, `{"a":1} `, `{"":""}`, `{"a":"\/"}`, "{\"a\":\"\xc0\x80\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want := len(data) >= 2 && data[0] == '{' && data[len(data)-1] == '}' && utf8.Valid(data) && json.Valid(data)
		got := verbatim(data)
		if got && !want {
			t.Fatalf("verbatim took %q, which encoding/json refuses", data)
		}
		if want && !got && depth(data) <= maxDepth {
			t.Fatalf("verbatim refused %q, which encoding/json takes", data)
		}
	})
}

// depth is how deeply valid JSON nests.
func depth(data []byte) int {
	d, deepest := 0, 0
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return deepest
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			d++
			deepest = max(deepest, d)
		case json.Delim('}'), json.Delim(']'):
			d--
		}
	}
}
