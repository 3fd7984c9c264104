package forms

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// blankRunLimit is the XLSForm rule that data after 20 adjacent blank rows is
// ignored. Spreadsheet programs sometimes mark a million rows as used (pyxform
// issue #604); stopping at the run keeps reading proportional to the content.
const blankRunLimit = 20

// Limits on what a form workbook may unpack to. A real XLSForm is a few MB at
// most; the limits stop a zip bomb from filling memory or the disk.
const (
	xlsxUnzipLimit    = 256 << 20
	xlsxUnzipXMLLimit = 64 << 20
	boolScanLimit     = 4 << 20
)

// readXLSX reads every worksheet of an .xlsx file as text. Cells keep their
// raw stored value rather than the displayed one: a number formatted as a
// date would otherwise come back as "01-02-06", and a choice name typed as 1
// but stored as 1.0 must read "1".
func readXLSX(name string, data []byte) (wb *workbook, err error) {
	fail := func(key loadKey, err any) error {
		return LoadErrors{newLoadError(Location{File: name}, key, err)}
	}
	// excelize is a large third-party parser; a malformed file must become a
	// located error, never a crash of the whole program.
	defer func() {
		if r := recover(); r != nil {
			wb, err = nil, fail(ldXLSXDamaged, r)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    xlsxUnzipLimit,
		UnzipXMLSizeLimit: xlsxUnzipXMLLimit,
	})
	if err != nil {
		return nil, fail(ldXLSXUnreadable, err)
	}
	defer f.Close()

	wb = &workbook{File: name, Sheets: map[string]*sheet{}}
	// Scanning the sheets for boolean cells costs a pass over the XML, so it
	// is done once, and only when a 0 or 1 cell turns up.
	var boolKnown, boolFound bool
	hasBool := func() bool {
		if !boolKnown {
			boolKnown, boolFound = true, hasBoolCells(data)
		}
		return boolFound
	}
	for _, sn := range f.GetSheetList() {
		key := strings.ToLower(strings.TrimSpace(sn))
		if _, dup := wb.Sheets[key]; dup {
			continue // Excel forbids this; a hand-made file might not
		}
		rows, err := readSheetRows(f, sn, hasBool)
		if err != nil {
			return nil, LoadErrors{newLoadError(Location{File: name, Sheet: sn}, ldSheetUnreadable, err)}
		}
		wb.Sheets[key] = &sheet{Name: sn, Rows: rows}
		wb.Order = append(wb.Order, key)
	}
	return wb, nil
}

// readSheetRows streams one sheet, stopping after blankRunLimit blank rows.
func readSheetRows(f *excelize.File, sheetName string, hasBool func() bool) ([][]string, error) {
	it, err := f.Rows(sheetName)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out [][]string
	blank := 0
	for rowNo := 1; it.Next(); rowNo++ {
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		empty := true
		for i, c := range cells {
			if c == "" {
				continue
			}
			empty = false
			cells[i] = normalizeNumber(c)
			if (c == "0" || c == "1") && hasBool() {
				cells[i] = boolText(f, sheetName, i, rowNo, c)
			}
		}
		if empty {
			blank++
			if blank >= blankRunLimit {
				break
			}
			out = append(out, nil)
			continue
		}
		blank = 0
		out = append(out, cells)
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	// Trailing blank rows carry nothing.
	for len(out) > 0 && out[len(out)-1] == nil {
		out = out[:len(out)-1]
	}
	return out, nil
}

// hasBoolCells reports whether any worksheet stores a TRUE/FALSE cell. The
// raw value of such a cell is 0 or 1, which reads as a number; pyxform reads
// it as TRUE/FALSE. Few workbooks have one, so the cell type is looked up
// only in those that do.
func hasBoolCells(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	buf := make([]byte, 64<<10)
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			continue
		}
		// A form's content sits at the top of its sheets; a sheet inflated
		// to a million formatted rows is not worth reading to the end.
		found := containsStream(io.LimitReader(rc, boolScanLimit), []byte(`t="b"`), buf)
		rc.Close()
		if found {
			return true
		}
	}
	return false
}

// containsStream reports whether r holds pat, reading through buf without
// keeping the whole stream.
func containsStream(r io.Reader, pat, buf []byte) bool {
	if len(buf) < 2*len(pat) {
		buf = make([]byte, 2*len(pat)) // room for the carry-over and new bytes
	}
	keep := 0 // bytes carried over so a match across two reads is seen
	for {
		n, err := r.Read(buf[keep:])
		if bytes.Contains(buf[:keep+n], pat) {
			return true
		}
		if err != nil {
			return false
		}
		total := keep + n
		keep = min(len(pat)-1, total)
		copy(buf, buf[total-keep:total])
	}
}

// boolText returns TRUE or FALSE when the cell is a boolean, else raw.
func boolText(f *excelize.File, sheetName string, col, row int, raw string) string {
	ref, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil {
		return raw
	}
	if t, err := f.GetCellType(sheetName, ref); err != nil || t != excelize.CellTypeBool {
		return raw
	}
	if raw == "1" {
		return "TRUE"
	}
	return "FALSE"
}

// normalizeNumber rewrites a stored float the way a person typed it: whole
// numbers lose their ".0" (pyxform does the same, so `1.0` choice names and
// versions read "1"), and binary noise past Excel's 15 significant digits
// goes. Integers without a point are left alone: "007" or an 18-digit ID
// number typed as text must not change.
func normalizeNumber(s string) string {
	if !looksLikeFloat(s) {
		return s
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return s
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	v15, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(v15, 'f', -1, 64)
}

// looksLikeFloat matches -?digits.digits with an optional exponent, and
// requires a point or an exponent.
func looksLikeFloat(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits, point, exp := 0, false, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point && !exp:
			point = true
		case (c == 'e' || c == 'E') && !exp && digits > 0:
			exp = true
			if i+1 < len(s) && (s[i+1] == '+' || s[i+1] == '-') {
				i++
			}
			if i+1 >= len(s) {
				return false
			}
		default:
			return false
		}
	}
	return digits > 0 && (point || exp)
}
