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
	return load(name, data, files, bindStrict)
}

// LoadAmong is Load for a form given with others and one set of data files
// for them all (forms add a.xlsx b.xlsx --attach ...): the files it does
// not name are left for the others. Every file it names must be there.
func LoadAmong(name string, data []byte, files []File) (*Form, error) {
	return load(name, data, files, bindAmong)
}

// LoadForShow builds a Form for showing it (forms show) with whichever of
// its data files are given: Attachments lists every file it names, the
// missing ones not Given, whose selects offer no choice. Never check
// records with a form loaded so.
func LoadForShow(name string, data []byte, files ...File) (*Form, error) {
	return load(name, data, files, bindLenient)
}

// How bindFiles treats a file the form names that is not given, and a
// given file the form does not name.
type bindMode int

const (
	bindStrict  bindMode = iota // both are errors
	bindAmong                   // a missing file is an error; another's is left alone
	bindLenient                 // a missing file is listed; another's is an error
)

func load(name string, data []byte, files []File, mode bindMode) (*Form, error) {
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
	if errs := f.bindFiles(files, mode); len(errs) > 0 {
		return nil, errs
	}
	return f, nil
}
