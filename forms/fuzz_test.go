package forms

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzValidateRecord feeds arbitrary lines to record validation against
// the household sample form. It must never panic, and a record it accepts
// must, once written back out, be accepted again unchanged: what the store
// keeps is what validation approved.
func FuzzValidateRecord(f *testing.F) {
	form, err := LoadFile(filepath.Join("samples", "household_visit.xlsx"))
	if err != nil {
		f.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join("..", "testdata", "forms", "household_visit.jsonl")); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if line != "" {
				f.Add([]byte(line))
			}
		}
	}
	f.Add([]byte(`{"members":[{"members":[]}],"hh_size":1e400}`))
	f.Add([]byte(`{"m_name":"x","members":"y","consent":{"a":1}}`))
	f.Add([]byte(`{"hh_size":12,"__warnings":[{"field":"hh_size","path":"hh_size","rule":"warning","message":"户人数超过10人，请核实"}]}`))
	f.Add([]byte(`{"__warnings":[{"field":"a","path":"b","rule":"c","message":"\u0000"},{"field":1}]}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		obj, err := DecodeRecord(line)
		if err != nil {
			return
		}
		in, res := form.ValidateRecord(obj, Options{Now: fixedNow, Language: LangEn})
		for _, p := range append(res.Errors, res.Warnings...) {
			if p.Rule == "" || p.Message == "" || p.Path == "" {
				t.Fatalf("incomplete problem %+v", p)
			}
		}
		out, err := in.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK() {
			return
		}
		again, err := DecodeRecord(out)
		if err != nil {
			t.Fatalf("written record does not decode: %v\n%s", err, out)
		}
		in2, res2 := form.ValidateRecord(again, Options{Now: fixedNow, Language: LangEn})
		if !res2.OK() {
			t.Fatalf("accepted record rejected once written back: %+v\n%s", res2.Errors, out)
		}
		if out2, _ := in2.MarshalJSON(); string(out2) != string(out) {
			t.Fatalf("record changed on the second pass:\n%s\n%s", out, out2)
		}
	})
}
