package forms

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits on an attached file. They bound what a form may make the
// laptop hold in memory and send over a township link: a list of every
// village of a province (some 50,000 rows) is a few MB.
const (
	MaxAttachmentBytes = 32 << 20
	MaxAttachments     = 64
	maxDataRows        = 1_000_000
	maxDataColumns     = 1000
)

// fileLoc points into an attached file: a line and, where known, the
// column by its name.
func fileLoc(name string, line int, column string) Location {
	return Location{File: name, Row: line, Column: column}
}

// checkText refuses data that is not UTF-8 text, naming the first line
// that is not, and says so in GBK's case: Excel on Chinese Windows saves
// CSV as GBK unless told "CSV UTF-8".
func checkText(name string, data []byte) (*LoadError, []byte) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return nil, data
	}
	line := 1
	for rest := data; len(rest) > 0; line++ {
		end := bytes.IndexByte(rest, '\n')
		if end < 0 {
			end = len(rest)
		}
		if !utf8.Valid(rest[:end]) {
			hint := loadText{}
			if looksGBK(rest[:end]) {
				hint = loadMsg(ldDataLooksGBK)
			}
			return newLoadError(fileLoc(name, line, ""), ldDataNotUTF8, hint), nil
		}
		if end == len(rest) {
			break
		}
		rest = rest[end+1:]
	}
	return newLoadError(fileLoc(name, 0, ""), ldDataNotUTF8, loadText{}), nil
}

// parseCSV reads an attached CSV as ODK does: the first row names the
// columns, each later row is an item. Blank rows are skipped; a row
// shorter than the header is padded with blanks.
func parseCSV(name string, data []byte) (*DataTable, LoadErrors) {
	lerr, data := checkText(name, data)
	if lerr != nil {
		return nil, LoadErrors{lerr}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	// Quotes are strict: a quote left open would swallow every row after
	// it into one value, silently; a located error is better.
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, LoadErrors{newLoadError(fileLoc(name, 1, ""), ldDataNoHeader)}
	}
	if err != nil {
		return nil, LoadErrors{dataCSVError(name, err)}
	}
	cols, width, errs := csvHeader(name, header)
	if errs != nil {
		return nil, errs
	}
	t := newTable("root", "item", cols)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, LoadErrors{dataCSVError(name, err)}
		}
		line, _ := r.FieldPos(0)
		if blankRow(rec) {
			continue
		}
		if len(rec) > width {
			if !blankRow(rec[width:]) {
				return nil, LoadErrors{newLoadError(fileLoc(name, line, ""), ldDataLongRow, len(rec), width)}
			}
			rec = rec[:width]
		}
		for len(rec) < width {
			rec = append(rec, "")
		}
		if t.Len() >= maxDataRows {
			return nil, LoadErrors{newLoadError(fileLoc(name, line, ""), ldDataTooManyRows, maxDataRows)}
		}
		t.addRow(line, rec)
	}
	return t, nil
}

// csvHeader reads the first row: every column with values needs a name,
// and each name is used once. Unnamed columns at the end (Excel's
// trailing commas) are dropped; width is the columns kept.
func csvHeader(name string, header []string) (cols []string, width int, errs LoadErrors) {
	width = len(header)
	for width > 0 && strings.TrimSpace(header[width-1]) == "" {
		width--
	}
	if width == 0 {
		return nil, 0, LoadErrors{newLoadError(fileLoc(name, 1, ""), ldDataNoHeader)}
	}
	if width > maxDataColumns {
		return nil, 0, LoadErrors{newLoadError(fileLoc(name, 1, ""), ldDataTooManyColumns, width, maxDataColumns)}
	}
	cols = make([]string, width)
	seen := map[string]int{}
	for i := 0; i < width; i++ {
		h := strings.TrimSpace(header[i])
		switch prev, dup := seen[h]; {
		case h == "":
			errs = append(errs, newLoadError(fileLoc(name, 1, columnName(i)), ldDataBlankHeader, columnName(i)))
		case dup:
			errs = append(errs, newLoadError(fileLoc(name, 1, h), ldDataDupHeader, quote(h), columnName(prev), columnName(i)))
		default:
			seen[h] = i
		}
		cols[i] = h
	}
	return cols, width, errs
}

func dataCSVError(name string, err error) *LoadError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return newLoadError(fileLoc(name, pe.Line, ""), ldDataCSV, pe.Err)
	}
	return newLoadError(fileLoc(name, 0, ""), ldDataCSV, err)
}
