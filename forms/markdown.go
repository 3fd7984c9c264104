package forms

import (
	"strings"
)

const (
	maxMarkdownLines  = 100_000
	maxMarkdownSheets = 16
)

// readMarkdown reads pyxform's markdown-table form: a row whose first cell is
// not blank starts a sheet of that name, and the other cells of every row are
// that sheet's cells:
//
//	| survey |
//	|        | type | name | label |
//	|        | text | q1   | Q1    |
//
// Rows of a sheet are placed at their line number (Rows[i] is line i+1), so
// every location in an error is the line a person sees in an editor. Lines
// that do not start with "|" are ignored, as pyxform does, which lets a form
// carry prose around its tables.
func readMarkdown(name string, data []byte) (*workbook, error) {
	// Rows sit at their line number, so every sheet costs one slot per line
	// above it; the limits keep a hostile file from costing lines × sheets.
	lines := strings.Count(string(data), "\n") + 1
	if lines > maxMarkdownLines {
		return nil, LoadErrors{newLoadError(Location{File: name}, ldMarkdownTooLong, lines, maxMarkdownLines)}
	}
	text := strings.ToValidUTF8(string(data), "\uFFFD")
	text = strings.TrimPrefix(text, "\uFEFF")
	wb := &workbook{File: name, Sheets: map[string]*sheet{}}
	var cur *sheet
	var errs LoadErrors
	firstLine := map[string]int{}
	for i, line := range strings.Split(text, "\n") {
		lineNo := i + 1
		cells, ok := markdownCells(line)
		if !ok {
			continue
		}
		if sn := cells[0]; sn != "" {
			key := strings.ToLower(sn)
			if prev, dup := firstLine[key]; dup {
				errs = append(errs, newLoadError(Location{File: name, Sheet: sn, Row: lineNo}, ldMarkdownSheetTwice, sn, prev))
				cur = nil
				continue
			}
			if len(firstLine) == maxMarkdownSheets {
				return nil, LoadErrors{newLoadError(Location{File: name, Sheet: sn, Row: lineNo}, ldMarkdownTooManySheets, maxMarkdownSheets)}
			}
			firstLine[key] = lineNo
			cur = &sheet{Name: sn}
			wb.Sheets[key] = cur
			wb.Order = append(wb.Order, key)
		}
		rest := trimTrailingBlank(cells[1:])
		if len(rest) == 0 {
			continue
		}
		if cur == nil {
			if len(firstLine) == 0 {
				errs = append(errs, newLoadError(Location{File: name, Row: lineNo}, ldMarkdownRowBeforeSheet))
			}
			continue
		}
		for len(cur.Rows) < lineNo-1 {
			cur.Rows = append(cur.Rows, nil)
		}
		cur.Rows = append(cur.Rows, rest)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return wb, nil
}

// markdownCells splits one table line into trimmed cells. ok is false for
// lines that are not table rows and for |---|---| separator rows. A `\|`
// inside a cell is a literal bar.
func markdownCells(line string) (cells []string, ok bool) {
	s := strings.TrimSpace(line)
	if !strings.HasPrefix(s, "|") {
		return nil, false
	}
	s = s[1:]
	if isSeparatorRow(s) {
		return nil, false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '|':
			b.WriteByte('|')
			i++
		case c == '|':
			cells = append(cells, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	// Text after the last bar belongs to no cell in pyxform's reading; keep
	// it as a last cell only when the row was not closed, so a forgotten
	// closing bar loses nothing.
	if last := strings.TrimSpace(b.String()); last != "" && !strings.HasSuffix(s, "|") {
		cells = append(cells, last)
	}
	if len(cells) == 0 {
		cells = []string{""}
	}
	return cells, true
}

func isSeparatorRow(s string) bool {
	dash := false
	for _, r := range s {
		switch r {
		case '-':
			dash = true
		case '|', ':', ' ', '\t':
		default:
			return false
		}
	}
	return dash
}

func trimTrailingBlank(cells []string) []string {
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	return cells
}
