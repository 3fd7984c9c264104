package export

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/canonjson"
)

// The Masker masks spellingRecords as the JSONL export does, keeps their
// members in order, and names every node it changed by its pointer with
// its clear value; the renamed members' objects are changed whole.
func TestMaskerChanges(t *testing.T) {
	f, err := forms.Load("s.md", []byte(spellingMD))
	if err != nil {
		t.Fatal(err)
	}
	data := []byte(spellingRecords[0].data)
	var changes Changes
	masked, err := NewMasker(f).Mask(nil, data, &changes)
	if err != nil {
		t.Fatal(err)
	}
	var jsonl bytes.Buffer
	if _, err := WriteJSONL(&jsonl, f, source(spellingRecords), Options{Masked: true}); err != nil {
		t.Fatal(err)
	}
	var a, b any
	json.Unmarshal(masked, &a)
	json.Unmarshal(jsonl.Bytes(), &b)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("Masker:\n%s\nexport:\n%s", masked, jsonl.Bytes())
	}
	if !strings.HasPrefix(string(masked), `{"tel":"138******2547","remark":`) {
		t.Errorf("the members moved: %s", masked)
	}
	// Member names masking changes ("13811062547"): the record is one
	// change, whole, so that its clear names come back with it.
	canon, _ := canonjson.NewReader(data).AppendValue(nil)
	if changes.Len() != 1 || len(changes.Pointer(0)) != 0 || !bytes.Equal(changes.Clear(0), canon) {
		t.Fatalf("%d changes, the first at %q", changes.Len(), changes.Pointer(0))
	}

	// Without them, each answer masking changed.
	changes.Reset()
	data = []byte(strings.Split(string(data), `,"旧备注"`)[0] + "}")
	if _, err := NewMasker(f).Mask(nil, data, &changes); err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := range changes.Len() {
		got = append(got, string(changes.Pointer(i))+"="+string(changes.Clear(i)))
	}
	want := []string{
		`/tel="138 1106 2547"`,
		`/remark="户主身份证 110105 19680514 0036，电话 +86 138-1106-2547"`,
		`/amount="13811062547"`,
		`/members/0/m_note="１１０１０５　１９６８０５１４　００３６"`,
		"/members/1/m_note=\"1101\u200b0519\u200b6805\u200b1400\u200b36\"",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("changes:\n%s", strings.Join(got, "\n"))
	}
}

// A pointer escapes '~' and '/' in member names (RFC 6901).
func TestMaskerPointers(t *testing.T) {
	f, err := forms.Load("s.md", []byte(spellingMD))
	if err != nil {
		t.Fatal(err)
	}
	var changes Changes
	if _, err := NewMasker(f).Mask(nil, []byte(`{"a~/b":["x","13811062547"]}`), &changes); err != nil {
		t.Fatal(err)
	}
	if changes.Len() != 1 || string(changes.Pointer(0)) != "/a~0~1b/1" {
		t.Fatalf("%d changes, %s", changes.Len(), changes.Pointer(0))
	}
}
