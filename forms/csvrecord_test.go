package forms

import (
	"errors"
	"io"
	"strings"
	"testing"
)

const flatMD = `
| survey |
| | type | name | label | required |
| | text | name | Name | yes |
| | integer | age | Age | |
`

func readAllCSV(t *testing.T, f *Form, in string) ([]int, []map[string]any, error) {
	t.Helper()
	c, err := NewCSVRecords(f, strings.NewReader(in))
	if err != nil {
		return nil, nil, err
	}
	var lines []int
	var recs []map[string]any
	for {
		line, obj, err := c.Next()
		if errors.Is(err, io.EOF) {
			return lines, recs, nil
		}
		if err != nil {
			return lines, recs, err
		}
		lines = append(lines, line)
		recs = append(recs, obj)
	}
}

func TestCSVRecords(t *testing.T) {
	f := mustLoadMD(t, flatMD)
	lines, recs, err := readAllCSV(t, f, "\ufeffname,age\n王建国,52\n\n\"李, 秀英\",\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || lines[0] != 2 || lines[1] != 4 {
		t.Fatalf("lines %v records %v", lines, recs)
	}
	if recs[1]["name"] != "李, 秀英" || recs[1]["age"] != nil {
		t.Errorf("record 2 = %v (a blank cell is no answer)", recs[1])
	}
	_, res := f.ValidateRecord(recs[0], Options{Now: fixedNow})
	if !res.OK() {
		t.Errorf("CSV record should validate: %+v", res.Errors)
	}
}

func TestCSVRecordsErrors(t *testing.T) {
	f := mustLoadMD(t, flatMD)
	cases := map[string]string{
		"":                            "empty",
		"name,,age\n":                 "column 2: blank header",
		"name,name\n":                 "columns 1 and 2",
		"name,age\nA,1,extra\n":       "line 2: 3 values for 2 columns",
		"name,age\nA,1\n\"B,2\nC,3\n": "line 3",
	}
	for in, want := range cases {
		_, _, err := readAllCSV(t, f, in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one containing %q", in, err, want)
		}
	}
	rep := mustLoadMD(t, householdMD)
	if _, err := NewCSVRecords(rep, strings.NewReader("hh_size\n1\n")); err == nil || !strings.Contains(err.Error(), "JSONL") {
		t.Errorf("a form with repeats should point to JSONL, got %v", err)
	}
}

func FuzzCSVRecords(f *testing.F) {
	form, err := Load("flat.md", []byte(flatMD))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"name,age\nA,1\n", "name\n\"x\ny\"\n", "\ufeffname,age\n,\n", "a,b\n\"\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := NewCSVRecords(form, strings.NewReader(in))
		if err != nil {
			checkRecordErrorWords(t, err)
			return
		}
		for i := 0; i < 10000; i++ {
			_, obj, err := c.Next()
			if err != nil {
				if err != io.EOF {
					checkRecordErrorWords(t, err)
				}
				return
			}
			form.ValidateRecord(obj, Options{Now: fixedNow})
		}
	})
}

func checkRecordErrorWords(t *testing.T, err error) {
	t.Helper()
	var re *RecordError
	if !errors.As(err, &re) {
		t.Fatalf("error is %T %v, want *RecordError", err, err)
	}
	checkWords(t, err.Error(), re.Localized, err.Error())
}
