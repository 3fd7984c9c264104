package main

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// table lays out rows in columns measured in terminal cells, so Chinese
// text (two cells a character) lines up; text/tabwriter counts characters.
type table struct {
	rows [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) {
	for _, l := range t.lines() {
		fmt.Fprintln(w, l)
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
