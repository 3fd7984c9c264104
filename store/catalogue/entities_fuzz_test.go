package catalogue

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms"
)

// FuzzReadEntityChanges: any record data either gives changes that can be
// stored (names and ids within bounds, text without NUL, valid UTF-8) or
// a reason, the same as encoding/json reading the whole record would; it
// never panics.
//
//	go test ./store/catalogue -run NONE -fuzz FuzzReadEntityChanges -fuzztime 30s
func FuzzReadEntityChanges(f *testing.F) {
	f.Add([]byte(`{"a":"b"}`))
	f.Add([]byte(`{"__entities":[{"list":"households","id":"x","create":true,"label":"张三家","properties":{"size":"3"}}]}`))
	f.Add([]byte(`{"__entities":[{"list":"","id":"x"}]}`))
	f.Add([]byte(`{"__entities":{"list":"households"}}`))
	f.Add([]byte(`{"__entities":[{"list":"h","id":"x","base_version":-1}]}`))
	f.Add([]byte(`{"start":"2026-12-07T10:00:00+08:00","__entities":null,"end":1,"end":"2026-12-07T10:30:00+08:00","__entities":[]}`))
	f.Add([]byte(`{"end":"x\u00e9\ud800","start":2,"__entities":[{"list":"h","id":"x","create":true,"label":"a"}]} `))
	f.Fuzz(func(t *testing.T, data []byte) {
		changes, members, reason := readEntityChanges(data)
		if reason != "" && changes != nil {
			t.Fatalf("both changes and a reason (%s)", reason)
		}
		// What it reads is what encoding/json reads of the record.
		wantChanges, wantMembers, wantReason := readEntityChangesJSON(data)
		if !reflect.DeepEqual(changes, wantChanges) || (reason == "") != (wantReason == "") {
			t.Fatalf("read %+v %q, encoding/json reads %+v %q", changes, reason, wantChanges, wantReason)
		}
		if changes != nil && !maps.Equal(members, wantMembers) {
			t.Fatalf("members %q, encoding/json reads %q", members, wantMembers)
		}
		for _, c := range changes {
			if reason := checkEntityChange(c); reason != "" {
				t.Fatalf("%+v passed but %s", c, reason)
			}
			if !utf8.ValidString(c.Label) || c.BaseVersion < 0 {
				t.Fatalf("%+v cannot be stored", c)
			}
			if _, err := json.Marshal(c.Properties); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzReadTable: any CSV either reads or is refused; it never panics.
//
//	go test ./store/catalogue -run NONE -fuzz FuzzReadTable -fuzztime 30s
func FuzzReadTable(f *testing.F) {
	f.Add([]byte("name,label,township\nx,张三家,110105001\n"))
	f.Add([]byte("\ufefflabel,\"a\"\"b\"\n\"unclosed\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadTable("f.csv", data)
		if err == nil && len(data) > 0 && rows == nil && len(strings.TrimSpace(string(data))) > 0 {
			t.Fatalf("no rows and no error from %q", data)
		}
		if _, err := ReadTable("f.xlsx", data); err == nil && len(data) < 22 {
			t.Fatalf("%d bytes read as a workbook", len(data))
		}
	})
}

// readEntityChangesJSON is readEntityChanges as encoding/json reads a
// record: the whole of it into a map.
func readEntityChangesJSON(data []byte) ([]forms.EntityChange, map[string]string, string) {
	if !bytes.Contains(data, entitiesMember) {
		return nil, nil, ""
	}
	var holder map[string]json.RawMessage
	if err := json.Unmarshal(data, &holder); err != nil {
		return nil, nil, ""
	}
	raw, ok := holder[forms.EntitiesKey]
	if !ok {
		return nil, nil, ""
	}
	var changes []forms.EntityChange
	if err := json.Unmarshal(raw, &changes); err != nil {
		return nil, nil, "does not read"
	}
	for _, c := range changes {
		if reason := checkEntityChange(c); reason != "" {
			return nil, nil, reason
		}
	}
	strs := map[string]string{}
	for k, v := range holder {
		var s string
		if json.Unmarshal(v, &s) == nil && len(v) > 0 && v[0] == '"' {
			strs[k] = s
		}
	}
	return changes, strs, ""
}
