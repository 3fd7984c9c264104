package forms

import (
	"slices"

	"github.com/fieldbench/fieldbench/forms/expr"
)

// EntityPropertiesRead is, for each secondary instance the form reads
// (an entity list by its name, households for households.csv), the
// columns it reads: the step after instance('LIST')/root/item and the
// columns its predicates compare, pulldata('LIST', ...)'s value and key
// columns, the value and label columns of a select_one_from_file of it,
// and the properties its entities sheet saves to that list (an update
// form shows their previous values). expr.AllColumns stands for every
// column, where which ones cannot be told at load: a wildcard step, a
// choice filter over the file's items, a computed pulldata column. A
// server sends a laptop only the properties some form of the laptop
// reads; name and label always go.
func (f *Form) EntityPropertiesRead() map[string][]string {
	out := map[string][]string{}
	add := func(list, column string) {
		if !slices.Contains(out[list], column) {
			out[list] = append(out[list], column)
		}
	}
	for _, c := range f.columnReads {
		add(c.Instance, c.Column)
	}
	for _, fc := range f.fileLists {
		value, label := fc.value, fc.label
		if value == "" {
			value = "name"
		}
		if label == "" {
			label = "label"
		}
		add(fc.att.Instance, value)
		add(fc.att.Instance, label)
	}
	for _, fd := range f.Fields {
		l := f.Lists[fd.ListName]
		if l == nil || !l.fromFile || fd.ChoiceFilter == nil {
			continue
		}
		for _, fc := range f.fileLists {
			if fc.list == l {
				add(fc.att.Instance, expr.AllColumns) // the filter reads the items' columns by relative paths
			}
		}
	}
	for _, d := range f.EntityDecls() {
		for _, p := range d.Properties {
			add(d.List, p)
		}
	}
	for list := range out {
		slices.Sort(out[list])
	}
	return out
}
