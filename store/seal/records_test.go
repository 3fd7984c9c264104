package seal

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/canonjson"
	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/forms/samples"
)

// testForm is a form and records of it, as stored.
type testForm struct {
	name    string
	form    *forms.Form
	records [][]byte
}

// sampleForms are the sample forms with records: the household visit's
// from the sample answers and from piitest (numbers typed everywhere),
// with their entity changes; the business census's sample answers; the
// follow-up's, generated.
func sampleForms(t testing.TB) []testForm {
	t.Helper()
	root := piitest.ModuleRoot(t)
	load := func(name string, files ...forms.File) *forms.Form {
		def, err := samples.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := forms.Load(name, def, files...)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	household := load("household_visit.xlsx")
	households, _, _ := piitest.HouseholdsWithNumbers(t, 40)
	out := []testForm{
		{"household_visit", household, stored(t, household, append(answerLines(t, filepath.Join(root, "testdata", "forms", "household_visit.jsonl")), households...))},
	}
	census := load("business_census.xlsx")
	out = append(out, testForm{"business_census", census, stored(t, census, answerLines(t, filepath.Join(root, "testdata", "forms", "business_census.jsonl")))})
	list := "name,label,__version,size,phone,dibao,last_visit,township,village\n" +
		"0b0c8d2e-6f1a-4c3b-9d2e-7a1b2c3d4e5f,张建国（花家地北里社区）,1,4,13811062547,no,2026-11-27,110105026,花家地北里社区\n"
	followup := load("household_followup.xlsx", forms.File{Name: "households.csv", Data: []byte(list)})
	out = append(out, testForm{"household_followup", followup, stored(t, followup, generated(followup))})
	return out
}

// corpusForms are the forms of testdata/xlsform that load, with records
// generated for them and, where testdata/oracle has answer sets for the
// form, those records too.
func corpusForms(t testing.TB) []testForm {
	t.Helper()
	root := piitest.ModuleRoot(t)
	paths, err := filepath.Glob(filepath.Join(root, "testdata", "xlsform", "*.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	var out []testForm
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".xlsx")
		media, _ := filepath.Glob(filepath.Join(root, "testdata", "xlsform", name+"-media", "*"))
		f, err := forms.LoadFile(p, media...)
		if err != nil {
			continue // the corpus has forms that are meant not to load
		}
		lines := generated(f)
		if answers := filepath.Join(root, "testdata", "oracle", name+".jsonl"); fileExists(answers) {
			lines = append(lines, answerLines(t, answers)...)
		}
		out = append(out, testForm{name, f, stored(t, f, lines)})
	}
	if len(out) < 25 {
		t.Fatalf("only %d corpus forms load", len(out))
	}
	return out
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func answerLines(t testing.TB, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	for l := range bytes.Lines(data) {
		if l = bytes.TrimSpace(l); len(l) > 0 {
			lines = append(lines, l)
		}
	}
	return lines
}

// stored is each line as the store keeps it: filled into the form and
// written by the instance (answers in form order, entity changes last),
// and, for a line that is a record, the line itself made canonical (keys
// sorted, numbers kept): a catalogue holds records of both shapes.
func stored(t testing.TB, f *forms.Form, lines [][]byte) [][]byte {
	t.Helper()
	var out [][]byte
	for i, line := range lines {
		obj, err := forms.DecodeRecord(line)
		if err != nil {
			continue // an answer set's deliberately broken line
		}
		if canon, err := canonjson.Marshal(obj); err == nil {
			out = append(out, canon)
		}
		in, _ := f.ValidateRecord(obj, forms.Options{})
		if changes, err := in.EntityChanges("rec-" + strconv.Itoa(i)); err == nil {
			in.SetEntityChanges(changes)
		}
		data, err := in.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// generated makes records of f with an answer of its type for every
// question, in three variants, the text ones holding names, ID numbers
// and mobile numbers, and a repeat's items two: enough to pass every
// question through masking and the record's structure through the split.
func generated(f *forms.Form) [][]byte {
	texts := []string{"张建国", "户主身份证 110105 19680514 0036，电话138-1106-2547", "note ~/ \"quoted\" <&> \u2028 end"}
	var fill func(fields []*forms.Field, obj map[string]any, variant int)
	fill = func(fields []*forms.Field, obj map[string]any, variant int) {
		for _, fd := range fields {
			switch {
			case fd.Type == forms.TypeGroup:
				fill(fd.Children, obj, variant)
			case fd.Type == forms.TypeRepeat:
				var items []any
				for k := range 2 {
					item := map[string]any{}
					fill(fd.Children, item, variant+k)
					items = append(items, item)
				}
				obj[fd.Key] = items
			case fd.Type.HasAnswer():
				obj[fd.Key] = answerFor(f, fd, variant, texts)
			}
		}
	}
	var out [][]byte
	for variant := range 3 {
		obj := map[string]any{}
		fill(f.Root.Children, obj, variant)
		data, err := canonjson.Marshal(obj)
		if err == nil {
			out = append(out, data)
		}
	}
	return out
}

func answerFor(f *forms.Form, fd *forms.Field, variant int, texts []string) string {
	switch fd.Type {
	case forms.TypeInteger:
		return []string{"42", "13811062547", "-7"}[variant%3]
	case forms.TypeDecimal:
		return []string{"3.5", "110105196805140036", "0"}[variant%3]
	case forms.TypeDate, forms.TypeToday:
		return "2026-11-27"
	case forms.TypeTime:
		return "13:45:00"
	case forms.TypeDateTime, forms.TypeStart, forms.TypeEnd:
		return "2026-11-27T13:45:12.345+08:00"
	case forms.TypeGeopoint:
		return "30.1 120.2 0 0"
	case forms.TypeSelectOne, forms.TypeSelectMultiple:
		if l := f.Lists[fd.ListName]; l != nil && len(l.Choices) > 0 {
			names := []string{l.Choices[variant%len(l.Choices)].Name}
			if fd.Type == forms.TypeSelectMultiple && len(l.Choices) > 1 {
				names = append(names, l.Choices[(variant+1)%len(l.Choices)].Name)
			}
			return strings.Join(names, " ")
		}
	}
	return texts[variant%len(texts)]
}
