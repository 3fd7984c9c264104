package forms

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// CSVRecords reads records from CSV: a header row of record keys, then one
// record per row. CSV cannot hold a repeat, so a form with repeats must be
// imported as JSONL; NewCSVRecords says so.
type CSVRecords struct {
	r      *csv.Reader
	header []string
}

// NewCSVRecords reads the header and checks it against the form. A blank
// header cell, a repeated column, or a form with repeats is refused with a
// message that says what to do.
func NewCSVRecords(f *Form, r io.Reader) (*CSVRecords, error) {
	for _, fd := range f.Fields {
		if fd.Type == TypeRepeat {
			return nil, recordError(ldCSVRepeat, f.ID, fd.Key)
		}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // short rows are reported with their line, below
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, recordErrorAtLine(1, ldCSVEmpty)
	}
	if err != nil {
		return nil, csvError(1, err)
	}
	header = append([]string(nil), header...)
	seen := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) // Excel writes a BOM
		header[i] = h
		if h == "" {
			return nil, recordError(ldCSVBlankHeader, i+1)
		}
		if j, dup := seen[h]; dup {
			return nil, recordErrorAtLine(1, ldCSVSameHeader, j+1, i+1, h)
		}
		seen[h] = i
	}
	return &CSVRecords{r: cr, header: header}, nil
}

// Next returns the next record with its line number, or io.EOF. Blank rows
// are skipped. Every value is a string, as typed; the form decides its type.
func (c *CSVRecords) Next() (int, map[string]any, error) {
	for {
		row, err := c.r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return 0, nil, io.EOF
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return pe.StartLine, nil, csvError(pe.StartLine, pe.Err)
			}
			return 0, nil, err
		}
		line, _ := c.r.FieldPos(0) // only valid after a successful Read
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		if len(row) != len(c.header) {
			return line, nil, recordErrorAtLine(line, ldCSVRowLength, len(row), len(c.header))
		}
		obj := make(map[string]any, len(row))
		for i, v := range row {
			if v != "" {
				obj[c.header[i]] = v
			}
		}
		return line, obj, nil
	}
}

// csvError is a row the CSV reader refuses, with encoding/csv's two
// quoting mistakes (the ones a hand-edited file makes) put into words.
func csvError(line int, err error) error {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return recordErrorAtLine(line, ldCSVBareQuote)
	case errors.Is(err, csv.ErrQuote):
		return recordErrorAtLine(line, ldCSVQuote)
	}
	return recordErrorAtLine(line, ldCSVOther, err)
}
