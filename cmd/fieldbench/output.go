package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

// Everything the command line prints for people goes through this file:
// f sanitises every argument it fills in (names, ids and messages can come
// from a form, a record or the network), and writeLine sanitises each
// whole line again, so a line no caller cleaned still cannot carry an
// escape sequence to the terminal. A test (TestPrintingGoesThroughOutput)
// holds the rest of the package to these functions. Machine outputs
// (--json, exported files) are written by their encoders, not here.

// f is t with fmt verbs filled in, each string or error argument stripped
// of escape sequences and line breaks.
func (a *App) f(key string, args ...any) string {
	for i, arg := range args {
		switch v := arg.(type) {
		case string:
			args[i] = forms.Sanitize(v, false)
		case error:
			args[i] = forms.Sanitize(v.Error(), false)
		}
	}
	return fmt.Sprintf(a.t(key), args...)
}

// writeLine writes s and a line break, stripped of escape sequences (the
// breaks inside s are kept: a message may have several lines).
func writeLine(w io.Writer, s string) {
	io.WriteString(w, forms.Sanitize(s, true)+"\n")
}

// redrawLine draws s over the line the cursor is on, and leaves the
// cursor at its end: a progress display on a terminal, stripped of escape
// sequences and line breaks.
func redrawLine(w io.Writer, s string) {
	io.WriteString(w, "\r"+forms.Sanitize(s, false))
}

// blankLine separates parts of a report.
func blankLine(w io.Writer) { io.WriteString(w, "\n") }

// say writes one line of key's text to w.
func (a *App) say(w io.Writer, key string, args ...any) { writeLine(w, a.f(key, args...)) }

// fail writes one error line, prefixed with the program's name as every
// error of the command line is, to standard error.
func (a *App) fail(key string, args ...any) {
	writeLine(a.Stderr, "fieldbench: "+a.f(key, args...))
}

// sayWrapped writes key's text wrapped to helpWidth, for the paragraphs
// of help a command prints with its usage.
func (a *App) sayWrapped(w io.Writer, key string, args ...any) {
	for _, line := range wrapCells(a.f(key, args...), helpWidth) {
		writeLine(w, line)
	}
}

// saySyntax writes the usage lines of key, each wrapped to helpWidth at
// a space outside brackets, the rest of a line under the first argument
// after the command's name, as usage lines are set.
func (a *App) saySyntax(w io.Writer, key string, args ...any) {
	for _, line := range strings.Split(a.f(key, args...), "\n") {
		body := strings.TrimLeft(line, " ")
		pieces := splitOutside(body)
		out := line[:len(line)-len(body)] + pieces[0]
		width := cells(out)
		hang := syntaxHang(line)
		for _, p := range pieces[1:] {
			if width+1+cells(p) > helpWidth && width > hang {
				writeLine(w, out)
				out, width = strings.Repeat(" ", hang)+p, hang+cells(p)
				continue
			}
			out += " " + p
			width += 1 + cells(p)
		}
		writeLine(w, out)
	}
}
