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

// FuzzFeatureRecords validates arbitrary records against the feature
// forms of testdata/features (numbers, geotraces, ranks, triggers,
// choices from earlier answers, node paths...): never a panic, and what
// is accepted comes back the same once written out and read again.
func FuzzFeatureRecords(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "features", "*.md"))
	var forms []*Form
	for _, p := range paths {
		form, err := LoadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		forms = append(forms, form)
	}
	for _, seed := range []string{
		`{"my_int":"+5","my_dec":"1e1","t":"+5"}`,
		`{"path":" 30.5  114.3 ; 30.6 114.4 ;","field_edge":"1 2;3 4;5 6;1 2"}`,
		`{"priority":"rice maize wheat","region":"north","local_priority":"wheat maize"}`,
		`{"members":[{"name":"Ann","age":"40"},{"name":"Bob","age":"12"}],"min_age":"18","head":"Bob","children":"Bob"}`,
		`{"a":"hello","a_changed":"2020-01-01T00:00:00Z","rep":[{"one":"z"}]}`,
		`{"a":1,"b":2}`,
		`{"main_crop":"rice","plots":[{"crop":"maize","variety":"m1"}]}`,
		`{"households":[{"people":[{"pname":"A1"}]}],"members":[{"name":"x","age":"+1e1"}]}`,
	} {
		f.Add(uint8(0), []byte(seed))
	}
	f.Fuzz(func(t *testing.T, which uint8, line []byte) {
		form := forms[int(which)%len(forms)]
		obj, err := DecodeRecord(line)
		if err != nil {
			return
		}
		opts := Options{Now: fixedNow, Language: LangEn, InstanceID: "uuid:x", LastSaved: obj}
		in, res := form.ValidateRecord(obj, opts)
		out, _ := in.MarshalJSON()
		if !res.OK() {
			return
		}
		again, err := DecodeRecord(out)
		if err != nil {
			t.Fatalf("%s: written record does not decode: %v\n%s", form.ID, err, out)
		}
		in2, res2 := form.ValidateRecord(again, opts)
		if !res2.OK() {
			t.Fatalf("%s: accepted record rejected once written back: %+v\n%s", form.ID, res2.Errors, out)
		}
		if out2, _ := in2.MarshalJSON(); string(out2) != string(out) {
			t.Fatalf("%s: record changed on the second pass:\n%s\n%s", form.ID, out, out2)
		}
	})
}
