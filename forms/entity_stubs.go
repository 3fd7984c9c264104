package forms

import (
	"bytes"
	"encoding/csv"
	"slices"
)

// EntityListHeader is the CSV of an entity list with no entity yet: ODK
// Central's columns (name, label, __version), then the properties given,
// sorted and each once.
func EntityListHeader(props ...string) []byte {
	props = slices.Clone(props)
	slices.Sort(props)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(append([]string{"name", "label", EntityVersionColumn}, slices.Compact(props)...))
	w.Flush()
	return b.Bytes()
}

// EntityListStubs are the entity lists a form declares and reads that
// files does not give, each as a list with no entity yet (its header,
// with the properties the form saves): a follow-up form is loaded so
// where no copy of the list is at hand (forms check, the catalogue, which
// serves no list file: each laptop makes its own from its entities). nil
// when there are none, or the form does not load even so.
func EntityListStubs(path string, data []byte, files []File) []File {
	f, err := LoadForShow(path, data)
	if err != nil {
		return nil
	}
	var stubs []File
	for _, name := range f.EntityListFiles() {
		if FileData(files, name) != nil {
			continue
		}
		var props []string
		for _, d := range f.EntityDecls() {
			if d.List == f.Attachment(name).Instance {
				props = append(props, d.Properties...)
			}
		}
		stubs = append(stubs, File{Name: name, Data: EntityListHeader(props...)})
	}
	return stubs
}

// EntityPicks names the questions that pick an entity from a list the
// form reads (select_one_from_file LIST.csv of an entity list it
// declares). Whether such an answer names an entity that exists is for
// whoever holds the list when the update is applied, not for a check of
// the record against the form alone: the entity may be created by a
// record of the same batch.
func (f *Form) EntityPicks() map[string]bool {
	lists := f.EntityListFiles()
	picked := map[*ChoiceList]bool{}
	for _, fc := range f.fileLists {
		if slices.Contains(lists, fc.att.Name) {
			picked[fc.list] = true
		}
	}
	out := map[string]bool{}
	for name, fd := range f.byName {
		if l := f.Lists[fd.ListName]; l != nil && picked[l] {
			out[name] = true
		}
	}
	return out
}
