package export

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/xuri/excelize/v2"
)

// labelsMD has what an officer reads badly as codes: a choice, a
// built-in township list, a division code typed as text, a number, a
// date, two languages.
const labelsMD = `
| survey |
| | type | name | label::中文 (zh) | label::English (en) | validate | sensitive |
| | select_one rel | rel | 与户主关系 | Relation | | |
| | select_one cn_township | township | 乡镇（街道） | Township | | |
| | text | code | 区划代码 | Division code | cn_division | |
| | integer | age | 年龄 | Age | | |
| | decimal | area | 面积 | Area | | |
| | date | born | 出生日期 | Born | | |
| | text | head_id | 身份证号 | ID | | id_number |
| choices |
| | list_name | name | label::中文 (zh) | label::English (en) |
| | rel | head | 户主 | Head |
| | rel | spouse | 配偶 | Spouse |
| settings |
| | form_id | version |
| | lb | 1 |
`

const labelsRecord = `{"rel":"head","township":"420102002","code":"420102","age":"42","area":"1.5","born":"1984-04-20","head_id":"510129198504201231"}`

func labelsBook(t *testing.T, opts Options) *excelize.File {
	t.Helper()
	f, err := forms.Load("lb.md", []byte(labelsMD))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if n, err := WriteXLSX(&buf, f, source([]struct{ id, data string }{{"uuid:1", labelsRecord}}), opts); err != nil || n != 1 {
		t.Fatalf("WriteXLSX: %d, %v", n, err)
	}
	book, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { book.Close() })
	return book
}

func TestXLSXLabels(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		want [][]string
	}{
		{"codes by default", Options{}, [][]string{
			{"KEY", "rel", "township", "code", "age", "area", "born", "head_id"},
			{"uuid:1", "head", "420102002", "420102", "42", "1.5", "1984-04-20", "510129198504201231"},
		}},
		{"labels zh", Options{Labels: true, Language: forms.LangHans}, [][]string{
			{"KEY", "与户主关系", "乡镇（街道）", "区划代码", "年龄", "面积", "出生日期", "身份证号"},
			{"uuid:1", "户主", "大智街道", "江岸区", "42", "1.5", "1984-04-20", "510129198504201231"},
		}},
		{"labels en, masked", Options{Labels: true, Language: forms.LangEn, Masked: true}, [][]string{
			{"KEY", "Relation", "Township", "Division code", "Age", "Area", "Born", "ID"},
			{"uuid:1", "Head", "Dazhi Jiedao (大智街道)", "Jiang'an Qu (江岸区)", "42", "1.5", "1984-04-20", "510129********1231"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := labelsBook(t, c.opts).GetRows("lb")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows, c.want) {
				t.Errorf("\n got %q\nwant %q", rows, c.want)
			}
		})
	}
}

// TestXLSXTypedCells: numbers and dates are typed cells a sheet can sum
// and sort; ID numbers and codes stay text.
func TestXLSXTypedCells(t *testing.T) {
	book := labelsBook(t, Options{})
	want := map[string]excelize.CellType{
		"B2": excelize.CellTypeInlineString, "C2": excelize.CellTypeInlineString,
		"E2": excelize.CellTypeUnset, "F2": excelize.CellTypeUnset, // numbers: no t attribute
		"H2": excelize.CellTypeInlineString,
	}
	for cell, typ := range want {
		got, err := book.GetCellType("lb", cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != typ {
			t.Errorf("%s: type %v, want %v", cell, got, typ)
		}
	}
	// A date is a serial number with a date format.
	raw, err := book.GetCellValue("lb", "G2", excelize.Options{RawCellValue: true})
	if err != nil || raw != "30792" {
		t.Errorf("G2 raw %q (%v), want the serial 30792 of 1984-04-20", raw, err)
	}
	if v, _ := book.GetCellValue("lb", "E2", excelize.Options{RawCellValue: true}); v != "42" {
		t.Errorf("E2 raw %q", v)
	}
}
