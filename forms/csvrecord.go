package forms

import (
	"encoding/csv"
	"errors"
	"fmt"
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
			return nil, fmt.Errorf("form %s has a repeat (%s): CSV holds one row per record and cannot carry repeats; import JSONL instead (a repeat is a list of objects)", f.ID, fd.Key)
		}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // short rows are reported with their line, below
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("line 1: the file is empty; the first row must name the fields")
	}
	if err != nil {
		return nil, fmt.Errorf("line 1: %v", err)
	}
	header = append([]string(nil), header...)
	seen := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) // Excel writes a BOM
		header[i] = h
		if h == "" {
			return nil, fmt.Errorf("line 1, column %d: blank header; every column needs a field name", i+1)
		}
		if j, dup := seen[h]; dup {
			return nil, fmt.Errorf("line 1: columns %d and %d are both %q", j+1, i+1, h)
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
				return pe.StartLine, nil, fmt.Errorf("line %d: %v", pe.StartLine, pe.Err)
			}
			return 0, nil, err
		}
		line, _ := c.r.FieldPos(0) // only valid after a successful Read
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		if len(row) != len(c.header) {
			return line, nil, fmt.Errorf("line %d: %d values for %d columns", line, len(row), len(c.header))
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
