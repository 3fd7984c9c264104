package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/xuri/excelize/v2"
)

// WriteJSONL writes one record per line in the import shape, so that
// export then import round-trips. Unmasked and without pseudonyms, the
// stored canonical JSON goes out byte for byte, less its entity changes
// (see recordJSON); otherwise the record is
// re-encoded in form order with its sensitive answers masked (such a file
// no longer passes the cn_id checks on import, by design) and pseudonym
// keys added. It returns the number of records written.
func WriteJSONL(w io.Writer, f *forms.Form, recs Records, opts Options) (int, error) {
	bw := bufio.NewWriter(w)
	root := levels(f, opts.Earlier...)[0]
	var buf bytes.Buffer
	n := 0
	err := recs(func(id string, data []byte) error {
		buf.Reset()
		if opts.Masked || opts.Pseudonyms != nil {
			obj, err := forms.DecodeStoredRecord(data)
			if err != nil {
				return fmt.Errorf("record %s: %w", id, err)
			}
			recordJSON(&buf, root, obj, opts)
		} else {
			if bytes.Contains(data, []byte(`"`+forms.EntitiesKey+`"`)) {
				// Left out, as recordJSON leaves them out.
				var err error
				if data, err = forms.WithEntityChanges(data, nil); err != nil {
					return fmt.Errorf("record %s: %w", id, err)
				}
			}
			if err := json.Compact(&buf, data); err != nil {
				// Compacting checks the data and keeps one record on one
				// line even if some writer stored it indented.
				return fmt.Errorf("record %s: %w", id, err)
			}
		}
		buf.WriteByte('\n')
		if _, err := bw.Write(buf.Bytes()); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// bom is the UTF-8 byte order mark. Excel, on a Chinese Windows, opens a
// CSV file without it as GBK and garbles every Chinese answer; with it,
// Excel reads UTF-8. Other tools (pandas, R, ODK's own) skip it.
const bom = "\uFEFF"

// CSVNames returns the file names WriteCSV will open, in order: FORMID.csv
// for the main level, then FORMID-REPEATKEY.csv per repeat, nested repeats
// included. Callers use it to refuse to overwrite files before writing.
func CSVNames(f *forms.Form, opts Options) []string {
	lvs := levels(f, opts.Earlier...)
	nameLevels(f, lvs, 0, func(s string) string { return strings.ReplaceAll(s, "/", "-") })
	names := make([]string, len(lvs))
	for i, lv := range lvs {
		names[i] = lv.name + ".csv"
	}
	return names
}

// WriteCSV writes the ODK Central shape: one file for the main level
// (KEY, then one column per answer field) and one per repeat (PARENT_KEY,
// KEY, then its fields), with a repeat row's KEY its parent's KEY plus
// "/members[2]". open is called once per file name (see CSVNames) before
// any row is written; all files stay open while the records stream, since
// one record has rows in several of them, so open must return independent
// writers (files in a directory; a zip would have to spool). Writers that
// are io.Closers are closed at the end. It returns the number of records.
func WriteCSV(open func(name string) (io.Writer, error), f *forms.Form, recs Records, opts Options) (n int, err error) {
	lvs := levels(f, opts.Earlier...)
	nameLevels(f, lvs, 0, func(s string) string { return strings.ReplaceAll(s, "/", "-") })
	type out struct {
		raw io.Writer
		buf *bufio.Writer
		csv *csv.Writer
	}
	outs := make(map[*level]*out, len(lvs))
	defer func() {
		for _, lv := range lvs {
			o := outs[lv]
			if o == nil {
				continue
			}
			if err == nil {
				o.csv.Flush()
				if err = o.csv.Error(); err == nil {
					err = o.buf.Flush()
				}
			}
			if c, ok := o.raw.(io.Closer); ok {
				if cerr := c.Close(); err == nil {
					err = cerr
				}
			}
		}
	}()
	for _, lv := range lvs {
		w, err := open(lv.name + ".csv")
		if err != nil {
			return 0, err
		}
		o := &out{raw: w, buf: bufio.NewWriter(w)}
		o.csv = csv.NewWriter(o.buf)
		outs[lv] = o
		if _, err := o.buf.WriteString(bom); err != nil {
			return 0, err
		}
		if err := o.csv.Write(lv.header(opts)); err != nil {
			return 0, err
		}
	}
	sink := func(lv *level, cells []string) error {
		for i, c := range cells {
			cells[i] = defuseFormula(c)
		}
		return outs[lv].csv.Write(cells)
	}
	root := lvs[0]
	err = recs(func(id string, data []byte) error {
		if err := flatten(root, id, data, opts, sink); err != nil {
			return err
		}
		n++
		return nil
	})
	return n, err
}

// maxSheetName is Excel's limit on a sheet name's length.
const maxSheetName = 31

// sheetName drops the characters Excel refuses in a sheet name.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			return '-'
		}
		return r
	}, s)
	s = strings.Trim(s, "'")
	if s == "" {
		s = "sheet"
	}
	return s
}

// nameLevels names the main level after the form id and each repeat
// FORMID-KEY (files) or KEY (sheets), made unique and cut to max runes.
func nameLevels(f *forms.Form, lvs []*level, max int, clean func(string) string) {
	taken := map[string]bool{}
	for _, lv := range lvs {
		switch {
		case lv.repeat == nil:
			lv.name = uniqueName(taken, clean(f.ID), max)
		case max > 0: // a sheet: the workbook already says which form
			lv.name = uniqueName(taken, clean(lv.repeat.Key), max)
		default:
			lv.name = uniqueName(taken, clean(f.ID+"-"+lv.repeat.Key), max)
		}
	}
}

// WriteXLSX writes a workbook with one sheet per level: the main sheet
// named after the form id (cut to Excel's 31 characters), one per repeat,
// with the CSV files' columns. It uses excelize's StreamWriter, which
// spills rows to temporary files rather than holding them in memory.
// Answers to integer and decimal questions are written as numbers and
// answers to date questions as dates, so that a sheet sums and sorts
// them; every other cell is text (an 18-digit ID number as a number
// would lose digits), as is any answer masking changed.
func WriteXLSX(w io.Writer, f *forms.Form, recs Records, opts Options) (n int, err error) {
	lvs := levels(f, opts.Earlier...)
	nameLevels(f, lvs, maxSheetName, sheetName)
	book := excelize.NewFile()
	defer func() {
		if cerr := book.Close(); err == nil {
			err = cerr
		}
	}()
	first := book.GetSheetName(0)
	sheets := make(map[*level]*excelize.StreamWriter, len(lvs))
	next := make(map[*level]int, len(lvs))
	for i, lv := range lvs {
		if i == 0 {
			if err := book.SetSheetName(first, lv.name); err != nil {
				return 0, err
			}
		} else if _, err := book.NewSheet(lv.name); err != nil {
			return 0, err
		}
		sw, err := book.NewStreamWriter(lv.name)
		if err != nil {
			return 0, err
		}
		sheets[lv] = sw
		next[lv] = 1
	}
	dates, err := book.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: &dateFormat})
	if err != nil {
		return 0, err
	}
	colFields := make(map[*level][]*forms.Field, len(lvs))
	for _, lv := range lvs {
		colFields[lv] = lv.fields(opts)
	}
	header := true
	row := make([]any, 0, 16)
	sink := func(lv *level, cells []string) error {
		row = row[:0]
		for i, c := range cells {
			// excelize would cut a longer string without a word: refuse
			// rather than export a record with part of an answer missing.
			if n := utf8.RuneCountInString(c); n > maxCellRunes {
				key := cells[0]
				if lv.repeat != nil {
					key = cells[1]
				}
				return fmt.Errorf("record %s: the answer to %s has %d characters, more than an Excel cell holds (%d); export as csv or jsonl instead",
					key, lv.header(opts)[i], n, maxCellRunes)
			}
			var fd *forms.Field
			if !header {
				fd = colFields[lv][i]
			}
			row = append(row, typed(fd, c, dates))
		}
		cell, err := excelize.CoordinatesToCellName(1, next[lv])
		if err != nil {
			return err
		}
		next[lv]++
		return sheets[lv].SetRow(cell, row)
	}
	for _, lv := range lvs {
		if err := sink(lv, lv.header(opts)); err != nil {
			return 0, err
		}
	}
	header = false
	root := lvs[0]
	err = recs(func(id string, data []byte) error {
		if err := flatten(root, id, data, opts, sink); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	for _, lv := range lvs {
		if err := sheets[lv].Flush(); err != nil {
			return n, err
		}
	}
	return n, book.Write(w)
}

// dateFormat shows a date cell as the form wrote it, whatever the
// spreadsheet's locale.
var dateFormat = "yyyy-mm-dd"

// maxNumberDigits is the most digits a spreadsheet number keeps exactly.
const maxNumberDigits = 15

// typed is the XLSX value of cell c of field fd (nil: a text column): a
// number for an integer or decimal answer that a spreadsheet holds
// exactly, a date cell for a date answer, else the text itself.
func typed(fd *forms.Field, c string, dates int) any {
	if fd == nil || c == "" {
		return c
	}
	switch fd.Type {
	case forms.TypeInteger, forms.TypeDecimal:
		if !plainNumber.MatchString(c) || digits(c) > maxNumberDigits {
			return c
		}
		if fd.Type == forms.TypeInteger {
			if n, err := strconv.ParseInt(c, 10, 64); err == nil {
				return n
			}
		}
		if x, err := strconv.ParseFloat(c, 64); err == nil {
			return x
		}
	case forms.TypeDate, forms.TypeToday:
		if t, err := time.Parse(time.DateOnly, c); err == nil {
			return excelize.Cell{StyleID: dates, Value: t}
		}
	}
	return c
}

// digits counts the decimal digits of a number's mantissa.
func digits(s string) int {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// maxCellRunes is the most characters an Excel cell holds.
const maxCellRunes = 32767

// plainNumber matches what a spreadsheet reads as a number, never as a
// formula, even with a leading sign.
var plainNumber = regexp.MustCompile(`^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$`)

// defuseFormula keeps a CSV cell from running as a spreadsheet formula
// when a county officer opens the export in Excel: an answer such as
// =HYPERLINK(...) or +86 138... would otherwise be evaluated. Such a cell
// gets a leading apostrophe, which Excel shows as text (OWASP's advice
// for CSV injection). Numbers, even negative ones, are left alone. XLSX
// needs no such care: its cells are written as text.
func defuseFormula(c string) string {
	if c == "" || plainNumber.MatchString(c) {
		return c
	}
	switch c[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + c
	}
	return c
}
