package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Rows yields the rows of a flat table (no repeats), one call a row.
type Rows func(yield func(cells []string) error) error

// WriteTableCSV writes a flat table as the record export writes its CSV
// files: a BOM for Excel, formula-like cells defused. It returns the
// number of rows after the header.
func WriteTableCSV(w io.Writer, header []string, rows Rows) (n int, err error) {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	if _, err := bw.WriteString(bom); err != nil {
		return 0, err
	}
	if err := cw.Write(header); err != nil {
		return 0, err
	}
	err = rows(func(cells []string) error {
		for i, c := range cells {
			cells[i] = defuseFormula(c)
		}
		n++
		return cw.Write(cells)
	})
	if err != nil {
		return n, err
	}
	if cw.Flush(); cw.Error() != nil {
		return n, cw.Error()
	}
	return n, bw.Flush()
}

// WriteTableXLSX writes a flat table to one sheet with excelize's
// StreamWriter, as WriteXLSX does, every cell as text (an ID number as a
// number would lose digits). It returns the number of rows after the
// header.
func WriteTableXLSX(w io.Writer, sheet string, header []string, rows Rows) (n int, err error) {
	book := excelize.NewFile()
	defer func() {
		if cerr := book.Close(); err == nil {
			err = cerr
		}
	}()
	name := truncate(sheetName(sheet), maxSheetName)
	if err := book.SetSheetName(book.GetSheetName(0), name); err != nil {
		return 0, err
	}
	sw, err := book.NewStreamWriter(name)
	if err != nil {
		return 0, err
	}
	next := 1
	write := func(cells []string) error {
		row := make([]any, len(cells))
		for i, c := range cells {
			if k := utf8.RuneCountInString(c); k > maxCellRunes {
				return fmt.Errorf("row %d: %s has %d characters, more than an Excel cell holds (%d); export as csv or jsonl instead",
					next-1, header[i], k, maxCellRunes)
			}
			row[i] = c
		}
		cell, err := excelize.CoordinatesToCellName(1, next)
		if err != nil {
			return err
		}
		next++
		return sw.SetRow(cell, row)
	}
	if err := write(header); err != nil {
		return 0, err
	}
	err = rows(func(cells []string) error {
		if err := write(cells); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	if err := sw.Flush(); err != nil {
		return n, err
	}
	return n, book.Write(w)
}
