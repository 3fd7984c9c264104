package export

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/xuri/excelize/v2"
)

// spellingMD has a mobile-number question with no sensitive column, free
// text at the root and in a repeat, and typed answers whose separators
// are not a person's number's.
const spellingMD = `
| survey |
| | type | name | label | validate |
| | text | tel | 电话 | cn_mobile |
| | text | remark | 备注 | |
| | dateTime | seen | 时间 | |
| | decimal | amount | 金额 | |
| | begin repeat | members | 成员 | |
| | text | m_note | 备注 | |
| | end repeat | | | |
| settings |
| | form_id | version |
| | s | 1 |
`

var spellingRecords = []struct{ id, data string }{
	{"uuid:s1", `{"tel":"138 1106 2547","remark":"户主身份证 110105 19680514 0036，电话 +86 138-1106-2547",` +
		`"seen":"2026-11-27T13:45:12.345+08:00","amount":"13811062547",` +
		`"members":[{"m_note":"１１０１０５　１９６８０５１４　００３６"},{"m_note":"1101\u200b0519\u200b6805\u200b1400\u200b36"}],` +
		`"旧备注":"110105\u00a019680514\u00a00036","13811062547":"x","13911062547":{"139 1106 2547":"y"}}`},
}

// The answers every masked export writes for spellingRecords, by key.
var spellingMasked = map[string]string{
	"tel":    "138******2547",
	"remark": "户主身份证 110105 ******** 0036，电话 +86 138-****-2547",
	"seen":   "2026-11-27T13:45:12.345+08:00",
	"amount": "138****2547",
	"m_note": "１１０１０５　＊＊＊＊＊＊＊＊　００３６",
}

// Every masked format hides the ID and mobile numbers of issue 13 in
// whatever spelling, in the form's answers and outside them, and leaves a
// timestamp alone.
func TestMaskedSpellings(t *testing.T) {
	f, err := forms.Load("s.md", []byte(spellingMD))
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Masked: true}

	var jsonl bytes.Buffer
	if _, err := WriteJSONL(&jsonl, f, source(spellingRecords), opts); err != nil {
		t.Fatal(err)
	}
	want := `{"tel":"138******2547","remark":"户主身份证 110105 ******** 0036，电话 +86 138-****-2547",` +
		`"seen":"2026-11-27T13:45:12.345+08:00","amount":"138****2547",` +
		`"members":[{"m_note":"１１０１０５　＊＊＊＊＊＊＊＊　００３６"},{"m_note":"` + "1101\u200b05**\u200b****\u200b**00\u200b36" + `"}],` +
		`"138****2547":"x","139****2547":{"139 **** 2547":"y"},"旧备注":"` + "110105\u00a0********\u00a00036" + `"}` + "\n"
	if jsonl.String() != want {
		t.Errorf("JSONL:\n got %s\nwant %s", jsonl.String(), want)
	}

	files := map[string]*bytes.Buffer{}
	open := func(name string) (io.Writer, error) { files[name] = &bytes.Buffer{}; return files[name], nil }
	if _, err := WriteCSV(open, f, source(spellingRecords), opts); err != nil {
		t.Fatal(err)
	}
	var xlsx bytes.Buffer
	if _, err := WriteXLSX(&xlsx, f, source(spellingRecords), opts); err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, level := range [][2]string{{"s.csv", "s"}, {"s-members.csv", "members"}} {
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(files[level[0]].String(), bom))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		sheet, err := book.GetRows(level[1])
		if err != nil {
			t.Fatal(err)
		}
		for name, table := range map[string][][]string{"csv": rows, "xlsx": sheet} {
			if len(table) < 2 {
				t.Fatalf("%s %s: %q", name, level, table)
			}
			for col, key := range table[0] {
				if w, ok := spellingMasked[key]; ok {
					checked++
					if table[1][col] != w {
						t.Errorf("%s %s %s: %q, want %q", name, level, key, table[1][col], w)
					}
				}
			}
		}
	}
	if checked != 2*len(spellingMasked) {
		t.Errorf("%d cells checked, want %d", checked, 2*len(spellingMasked))
	}
}
