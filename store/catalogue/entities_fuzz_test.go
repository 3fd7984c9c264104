package catalogue

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadEntityChanges: any record data either gives changes that can be
// stored (names and ids within bounds, text without NUL, valid UTF-8) or
// a reason; it never panics.
//
//	go test ./store/catalogue -run NONE -fuzz FuzzReadEntityChanges -fuzztime 30s
func FuzzReadEntityChanges(f *testing.F) {
	f.Add([]byte(`{"a":"b"}`))
	f.Add([]byte(`{"__entities":[{"list":"households","id":"x","create":true,"label":"张三家","properties":{"size":"3"}}]}`))
	f.Add([]byte(`{"__entities":[{"list":"","id":"x"}]}`))
	f.Add([]byte(`{"__entities":{"list":"households"}}`))
	f.Add([]byte(`{"__entities":[{"list":"h","id":"x","base_version":-1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		changes, _, reason := readEntityChanges(data)
		if reason != "" && changes != nil {
			t.Fatalf("both changes and a reason (%s)", reason)
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
