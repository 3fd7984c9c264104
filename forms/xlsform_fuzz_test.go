package forms

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// checkLoadResult is what any input must give: a form, or LoadErrors whose
// every entry names the file. Never a panic, never another error type.
func checkLoadResult(t *testing.T, name string, f *Form, err error) {
	if err != nil {
		var les LoadErrors
		if !errors.As(err, &les) || len(les) == 0 {
			t.Fatalf("error is %T %v, want LoadErrors", err, err)
		}
		for _, e := range les {
			if e.Loc.File != name || e.Msg == "" {
				t.Fatalf("badly located error %#v", e)
			}
			checkLoadErrorWords(t, e)
		}
		return
	}
	for _, w := range f.Warnings {
		checkLoadErrorWords(t, w)
	}
	if f == nil || f.Root == nil {
		t.Fatal("nil form without error")
	}
	for _, fd := range f.Fields {
		if fd.Parent == nil {
			t.Fatalf("field %q has no parent", fd.Name)
		}
		if got := f.Field(fd.Name); got != nil && got != fd {
			t.Fatalf("Field(%q) returns another field", fd.Name)
		}
	}
}

func FuzzLoadMarkdown(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
	for _, p := range paths {
		if filepath.Base(p) == "SOURCES.md" {
			continue
		}
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	features, _ := filepath.Glob(filepath.Join("testdata", "features", "*.md"))
	for _, p := range features {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(householdMDSeed))
	f.Add([]byte("| survey |\n| | type | name | label | default |\n| | select_one l or_other | a | A | x'y\"z |\n| choices |\n| | list_name | name | label |\n| | l | o | O |\n"))
	f.Add([]byte("| survey |\n| | type | name |\n| | begin repeat | r |\n| | end group | |\n| | end repeat | |\n"))
	f.Add([]byte("| survey |\n| | type | name | label | hint::en | parameters |\n| | range | a | A ${a} ${ | ${b} ${} | start=1 end=9 step=2 |\n| | select_one l | b | B | | randomize=true seed=${a} |\n| choices |\n| | list_name | name | label |\n| | l | o | ${a |\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		form, err := Load("f.md", data)
		checkLoadResult(t, "f.md", form, err)
	})
}

func FuzzLoadXLSX(f *testing.F) {
	for _, n := range []string{"simple.xlsx", "group.xlsx", "space_in_header.xlsx", "xl_date_ambiguous.xlsx", "or_other.xlsx"} {
		data, err := os.ReadFile(filepath.Join(corpusDir, n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(storedZip(f, data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		form, err := Load("f.xlsx", data)
		checkLoadResult(t, "f.xlsx", form, err)
	})
}

const householdMDSeed = `
| survey |
| | type | name | label::English (en) | label::中文 (zh) | relevant | calculation | repeat_count | choice_filter | sensitive |
| | select_one prov | province | Province | 省 | | | | | |
| | select_one city | city | City | 市 | | | | province=${province} | |
| | integer | n | Size | 人数 | | | | | |
| | begin repeat | members | Members | 成员 | | | ${n} | | |
| | text | m_name | Name | 姓名 | | | | | name |
| | end repeat | | | | | | | | |
| choices |
| | list_name | name | label::English (en) | label::中文 (zh) | province |
| | prov | 11 | Beijing | 北京 | |
| | city | 1101 | Dongcheng | 东城 | 11 |
| settings |
| | form_id | version | allow_choice_duplicates |
| | hh | 1.0 | no |
`

// storedZip repacks a workbook without compression and with zero CRCs,
// which archive/zip then does not check: a byte the fuzzer changes reaches
// the XML and the form reader instead of failing the checksum.
func storedZip(f *testing.F, data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			f.Fatal(err)
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			f.Fatal(err)
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: zf.Name, Method: zip.Store,
			CompressedSize64: uint64(len(content)), UncompressedSize64: uint64(len(content))})
		if err != nil {
			f.Fatal(err)
		}
		w.Write(content)
	}
	if err := zw.Close(); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}
