package forms

import (
	"os"
	"path/filepath"
	"strings"
)

// sheet is one worksheet as text: Rows[i] is spreadsheet row i+1, cells
// trimmed of nothing (the builder decides what to trim).
type sheet struct {
	Name string // as written in the workbook
	Rows [][]string
}

// workbook is every sheet of a definition, keyed by lower-cased sheet name.
type workbook struct {
	File   string
	Sheets map[string]*sheet
	Order  []string // lower-cased names in workbook order
}

// LoadFile reads a form definition from disk: .xlsx, or .md (pyxform's
// markdown-table form). Errors name the file by the path given, so a
// person can open it from the message.
func LoadFile(path string) (*Form, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data)
}

// Load builds a Form from a definition's bytes. name is used for messages and
// to pick the format (.md is a markdown-table form, anything else .xlsx). The
// error, when not nil, is LoadErrors: every located problem found.
func Load(name string, data []byte) (*Form, error) {
	var wb *workbook
	var err error
	if strings.EqualFold(filepath.Ext(name), ".md") {
		wb, err = readMarkdown(name, data)
	} else {
		wb, err = readXLSX(name, data)
	}
	if err != nil {
		return nil, err
	}
	f, errs := buildForm(wb)
	if len(errs) > 0 {
		return nil, errs
	}
	if errs := compile(f); len(errs) > 0 {
		return nil, errs
	}
	return f, nil
}
