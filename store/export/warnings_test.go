package export

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// A record's confirmed warnings (__warnings) travel in JSONL, masked or
// not, so an export re-imports whole; CSV and XLSX have one column per
// question and leave them out (the reviewer sees them in the record).
func TestConfirmedWarningsInExports(t *testing.T) {
	f := loadTestForm(t)
	warned := `{"head_name":"王建国","head_id":"11010519491231002X",` +
		`"__warnings":[{"field":"head_name","path":"head_name","rule":"warning","message":"请核实"}]}`
	recs := []struct{ id, data string }{{"uuid:w1", warned}}
	for _, masked := range []bool{false, true} {
		var out bytes.Buffer
		if _, err := WriteJSONL(&out, f, source(recs), Options{Masked: masked}); err != nil {
			t.Fatal(err)
		}
		// Masking re-encodes the members it does not know, keys sorted.
		if !strings.Contains(out.String(), `"__warnings":[{"field":"head_name",`) || !strings.Contains(out.String(), `"message":"请核实"`) {
			t.Errorf("masked %v: %s", masked, out.String())
		}
	}
	files := map[string]*bytes.Buffer{}
	open := func(name string) (io.Writer, error) {
		files[name] = &bytes.Buffer{}
		return files[name], nil
	}
	if _, err := WriteCSV(open, f, source(recs), Options{}); err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if strings.Contains(b.String(), "__warnings") || strings.Contains(b.String(), "请核实") {
			t.Errorf("%s carries the warnings:\n%s", name, b)
		}
	}
}
