package forms

import (
	"io"
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
// markdown-table form), with the data files it names read from the paths
// in attach. Errors name the file by the path given, so a person can open
// it from the message.
func LoadFile(path string, attach ...string) (*Form, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	files, err := ReadFiles(attach)
	if err != nil {
		return nil, err
	}
	return Load(path, data, files...)
}

// ReadFiles reads attachments from disk, each named by its base name as
// a form names it. A file over MaxAttachmentBytes is not read whole: its
// first bytes past the limit are enough for Load to refuse it.
func ReadFiles(paths []string) ([]File, error) {
	files := make([]File, 0, len(paths))
	for _, p := range paths {
		fh, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(fh, MaxAttachmentBytes+1))
		fh.Close()
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: filepath.Base(p), Data: data})
	}
	return files, nil
}

// Load builds a Form from a definition's bytes and the data files it
// names (see Attachment). name is used for messages and to pick the
// format (.md is a markdown-table form, anything else .xlsx). A form that
// names a file not given, or is given a file it does not name, is
// refused: records cannot be checked without the data their choices and
// lookups come from. The error, when not nil, is LoadErrors: every
// located problem found.
func Load(name string, data []byte, files ...File) (*Form, error) {
	return load(name, data, files, true)
}

// LoadUnattached builds a Form without its data files, for showing it
// (forms show): Attachments lists what it names, none of them given, and
// its selects from files offer no choice. Never check records with it.
func LoadUnattached(name string, data []byte) (*Form, error) {
	return load(name, data, nil, false)
}

func load(name string, data []byte, files []File, strict bool) (*Form, error) {
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
	if errs := f.bindFiles(files, strict); len(errs) > 0 {
		return nil, errs
	}
	return f, nil
}
