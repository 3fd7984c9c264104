package forms

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzEntitiesSheet loads forms whose entities sheet and save_to cells
// are arbitrary: the loader refuses or accepts, never panics, and a form
// it accepts works its entity changes out for a blank record and one
// with answers.
func FuzzEntitiesSheet(f *testing.F) {
	f.Add("households", "${q}", "", "", "", "size")
	f.Add("households", "${q}", "${q} != ''", "true()", "${q}", "households#size")
	f.Add("a.b", "", "", "x", "", "#")
	f.Add("__x", "concat(", "", "", "${nope}", "name")
	f.Fuzz(func(t *testing.T, list, label, createIf, updateIf, entityID, saveTo string) {
		cell := func(s string) string {
			return strings.NewReplacer("|", " ", "\n", " ", "\r", " ").Replace(s)
		}
		md := "| survey |\n| | type | name | label | save_to |\n" +
			"| | csv-external | " + cell(list) + " | | |\n" +
			"| | text | q | Q | " + cell(saveTo) + " |\n" +
			"| | begin_repeat | r | R | |\n| | text | p | P | " + cell(saveTo) + "2 |\n| | end_repeat | | | |\n" +
			"| entities |\n| | list_name | label | create_if | update_if | entity_id |\n" +
			"| | " + cell(list) + " | " + cell(label) + " | " + cell(createIf) + " | " + cell(updateIf) + " | " + cell(entityID) + " |\n"
		form, err := LoadForShow("fuzz.md", []byte(md))
		if err != nil {
			return
		}
		decls := form.EntityDecls()
		if len(decls) != 1 {
			t.Fatalf("a form with one entities row has %d declarations", len(decls))
		}
		for _, rec := range []string{`{}`, `{"q":"x","r":[{"p":"y"},{}]}`} {
			obj, _ := DecodeRecord([]byte(rec))
			in, _ := form.Fill(obj, Options{})
			changes, err := in.EntityChanges("rec")
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range changes {
				if c.List != decls[0].List || c.ID == "" {
					t.Fatalf("change %+v of a form declaring %+v", c, decls[0])
				}
			}
		}
	})
}

// FuzzRecordEntityChanges reads arbitrary records' __entities: whatever
// it accepts, writing it back and reading it again gives the same changes.
func FuzzRecordEntityChanges(f *testing.F) {
	f.Add([]byte(`{"a":"1","__entities":[{"list":"households","id":"h-1","base_version":3,"properties":{"size":"6"}}]}`))
	f.Add([]byte(`{"__entities":[{"list":"l","id":"i","create":true,"label":"王","path":"m[1]"}]}`))
	f.Add([]byte(`{"__entities":null}`))
	f.Add([]byte(`{"__entities":[{"list":"l","id":"i","properties":{}}]}`))
	f.Add([]byte(`{"__entities":[{"list":"l"}]}`))
	f.Fuzz(func(t *testing.T, record []byte) {
		changes, err := RecordEntityChanges(record)
		if err != nil {
			return
		}
		out, err := WithEntityChanges(record, changes)
		if err != nil {
			t.Fatalf("WithEntityChanges refused what RecordEntityChanges read: %v", err)
		}
		again, err := RecordEntityChanges(out)
		if err != nil {
			t.Fatalf("reading back %s: %v", out, err)
		}
		if len(changes) == 0 {
			changes = nil
		}
		if !reflect.DeepEqual(again, changes) {
			t.Fatalf("read back other changes:\n%+v\n%+v", again, changes)
		}
		if twice, _ := WithEntityChanges(out, changes); string(twice) != string(out) {
			t.Fatalf("not canonical: %s then %s", out, twice)
		}
	})
}
