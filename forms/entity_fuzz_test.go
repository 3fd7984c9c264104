package forms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/canonjson"
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
	f.Add([]byte(" { \"b\" : [ 1 , {\"x\":\"\\u00e9\\u2028\"} ] , \"__entities\" : [] , \"a\":true } "))
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
		if ref, err := withEntityChangesByDecoder(record, changes); err != nil || string(ref) != string(out) {
			t.Fatalf("the scanner wrote\n%s\nencoding/json's Decoder\n%s (%v)", out, ref, err)
		}
	})
}

// FuzzEntityPlacement builds surveys of nested groups and repeats whose
// questions save properties of two lists, from a layout string (g, r:
// begin group or repeat; e: end; a, b: a question saving a property of
// list a or b; q: a question the labels read), and checks that placing the
// declarations never panics and that a form it accepts works its entity
// changes out.
func FuzzEntityPlacement(f *testing.F) {
	f.Add("aqrbqe")
	f.Add("grageqe")
	f.Add("rgaegbee")
	f.Add("abq")
	f.Fuzz(func(t *testing.T, layout string) {
		if len(layout) > 40 {
			return
		}
		var b strings.Builder
		b.WriteString("| survey |\n| | type | name | label | save_to |\n")
		var stack []string
		labelRef := "x"
		for i, c := range layout {
			name := fmt.Sprintf("n%d", i)
			switch c {
			case 'g', 'r':
				kind := map[rune]string{'g': "group", 'r': "repeat"}[c]
				stack = append(stack, kind)
				fmt.Fprintf(&b, "| | begin_%s | %s | L | |\n", kind, name)
			case 'e':
				if len(stack) == 0 {
					continue
				}
				fmt.Fprintf(&b, "| | end_%s | | | |\n", stack[len(stack)-1])
				stack = stack[:len(stack)-1]
			case 'a', 'b':
				fmt.Fprintf(&b, "| | text | %s | L | %c#p%d |\n", name, c, i)
			case 'q':
				fmt.Fprintf(&b, "| | text | %s | L | |\n", name)
				labelRef = "${" + name + "}"
			}
		}
		for j := len(stack) - 1; j >= 0; j-- {
			fmt.Fprintf(&b, "| | end_%s | | | |\n", stack[j])
		}
		b.WriteString("| entities |\n| | list_name | label |\n| | a | " + labelRef + " |\n| | b | x |\n")
		form, err := LoadForShow("fuzz.md", []byte(b.String()))
		if err != nil {
			return
		}
		for _, d := range form.entities {
			if d.container == nil {
				t.Fatalf("%s: declaration %s has no container:\n%s", layout, d.List, b.String())
			}
		}
		in := form.NewInstance(Options{})
		if _, err := in.EntityChanges("rec"); err != nil {
			t.Fatal(err)
		}
	})
}

// withEntityChangesByDecoder is WithEntityChanges written with
// encoding/json's Decoder, slower and plainly right: the fuzz target holds
// the scanner to it.
func withEntityChangesByDecoder(record []byte, changes []EntityChange) ([]byte, error) {
	if _, err := DecodeRecord(record); err != nil {
		return nil, err
	}
	for i, c := range changes {
		if c.List == "" || c.ID == "" || c.BaseVersion < 0 {
			return nil, fmt.Errorf("%s[%d]: %w", EntitiesKey, i+1, &entityShapeError{msgEntitiesItem})
		}
	}
	dec := json.NewDecoder(bytes.NewReader(record))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // the '{' DecodeRecord saw
		return nil, err
	}
	out := make([]byte, 0, len(record)+256)
	out = append(out, '{')
	first := true
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := tok.(string)
		if k == EntitiesKey {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
			continue
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(canonjson.AppendString(out, k), ':')
		if out, err = appendInOrder(out, dec); err != nil {
			return nil, err
		}
	}
	if len(changes) > 0 {
		if !first {
			out = append(out, ',')
		}
		out = append(canonjson.AppendString(out, EntitiesKey), ':')
		var err error
		if out, err = canonjson.Append(out, changes); err != nil {
			return nil, err
		}
	}
	return append(out, '}'), nil
}

// appendInOrder copies the next JSON value from dec canonically, keeping
// the order of object members (a record's answers are in form order).
func appendInOrder(dst []byte, dec *json.Decoder) ([]byte, error) {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return dst, err
	}
	delim, isDelim := tok.(json.Delim)
	if !isDelim {
		return canonjson.Append(dst, tok)
	}
	closing := byte(']')
	if delim == '{' {
		closing = '}'
	}
	dst = append(dst, byte(delim))
	for i := 0; dec.More(); i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		if delim == '{' {
			k, err := dec.Token()
			if err != nil {
				return dst, err
			}
			s, _ := k.(string)
			dst = append(canonjson.AppendString(dst, s), ':')
		}
		if dst, err = appendInOrder(dst, dec); err != nil {
			return dst, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return dst, err
	}
	return append(dst, closing), nil
}
