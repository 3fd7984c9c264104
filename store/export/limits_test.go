package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// XLSX export must not silently cut answers: excelize truncates a string
// cell to Excel's 32,767 characters without an error.
func TestXLSXLongAnswerNotTruncated(t *testing.T) {
	f := loadTestForm(t)
	long := strings.Repeat("很长的备注", 8000) // 40,000 runes
	recs := func(yield func(id string, data []byte) error) error {
		return yield("uuid:x", []byte(`{"head_name":"王","remark":"`+long+`"}`))
	}
	var buf bytes.Buffer
	n, err := WriteXLSX(&buf, f, recs, Options{})
	if err != nil {
		return // refusing is acceptable; silently cutting is not
	}
	if n != 1 {
		t.Fatalf("n = %d", n)
	}
	book, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := book.GetRows("hh")
	if err != nil {
		t.Fatal(err)
	}
	hdr := rows[0]
	col := -1
	for i, h := range hdr {
		if h == "remark" {
			col = i
		}
	}
	got := rows[1][col]
	if got != long {
		t.Fatalf("remark written with %d runes, stored answer has %d; export reported success", len([]rune(got)), len([]rune(long)))
	}
}
