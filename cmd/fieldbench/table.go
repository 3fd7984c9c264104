package main

import (
	"io"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"golang.org/x/text/width"
)

// table lays out rows in columns measured in terminal cells, so Chinese
// text (two cells a character) lines up; text/tabwriter counts characters.
type table struct {
	rows [][]string
}

// add appends a row; its cells are stripped of escape sequences and line
// breaks, which would break the columns as well as the terminal.
func (t *table) add(cells ...string) {
	row := make([]string, len(cells))
	for i, c := range cells {
		row[i] = forms.Sanitize(c, false)
	}
	t.rows = append(t.rows, row)
}

func (t *table) write(w io.Writer) {
	for _, l := range t.lines() {
		writeLine(w, l)
	}
}

// lines is the table laid out, a line a row, for a caller that puts more
// lines between the rows.
func (t *table) lines() []string {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], cells(c))
		}
	}
	out := make([]string, len(t.rows))
	for j, r := range t.rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-cells(c)+2))
			}
		}
		out[j] = b.String()
	}
	return out
}

// wrap joins items with two spaces into lines of at most width cells, each
// starting with indent; an item wider than that has a line of its own.
func wrap(items []string, indent string, width int) []string {
	var out []string
	line, n := indent, cells(indent)
	for _, it := range items {
		w := cells(it)
		if n > cells(indent) && n+2+w > width {
			out = append(out, line)
			line, n = indent, cells(indent)
		}
		if n > cells(indent) {
			line, n = line+"  ", n+2
		}
		line, n = line+it, n+w
	}
	if n > cells(indent) {
		out = append(out, line)
	}
	return out
}

// cells is the width of s on a terminal: East Asian wide and fullwidth
// characters take two cells.
func cells(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
