package export

import (
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/divisions"
)

// title is a column's header: the field key, or with Labels its question
// label in the chosen language (the key when the form has no label).
func (lv *level) title(fd *forms.Field, opts Options) string {
	if !opts.Labels {
		return fd.Key
	}
	f := lv.owner[fd]
	lang := ""
	if f != nil {
		lang = f.MatchLanguage(opts.Language)
	}
	if l := strings.Join(strings.Fields(fd.Label.In(lang)), " "); l != "" {
		return l
	}
	return fd.Key
}

// cell is one answer as written: masked when asked (forms.MaskAnswer, the
// one masking path), then with Labels each choice code replaced by its
// label and a division code by the division's name. An answer that
// masking changed stays as masked: a label could only be looked up from
// the clear answer.
func (lv *level) cell(fd *forms.Field, v any, opts Options) string {
	s := answer(fd, v, opts)
	if !opts.Labels || s == "" || s != text(v) {
		return s
	}
	f := lv.owner[fd]
	if f == nil {
		return s
	}
	switch fd.Type {
	case forms.TypeSelectOne:
		return choiceLabel(f, fd, s, opts)
	case forms.TypeSelectMultiple, forms.TypeRank:
		names := strings.Fields(s)
		for i, n := range names {
			names[i] = choiceLabel(f, fd, n, opts)
		}
		return strings.Join(names, "; ")
	}
	if strings.Contains(fd.Validate, "cn_division") {
		if d, ok := divisions.Lookup(s); ok {
			return forms.DivisionName(d.Name, f.MatchLanguage(opts.Language))
		}
	}
	return s
}

// choiceLabel is the label of choice name in fd's list, or name itself
// when the list or the choice is unknown (an "other" answer, a code an
// older list had).
func choiceLabel(f *forms.Form, fd *forms.Field, name string, opts Options) string {
	l := f.Lists[fd.ListName]
	if l == nil {
		return name
	}
	c := l.Lookup(name)
	if c == nil {
		return name
	}
	if label := strings.Join(strings.Fields(c.LabelIn(f.MatchLanguage(opts.Language))), " "); label != "" {
		return label
	}
	return name
}

// fields is the field behind each column of the level, in header order:
// nil for the join columns and the pseudonyms, which are always text.
func (lv *level) fields(opts Options) []*forms.Field {
	var out []*forms.Field
	if lv.repeat != nil {
		out = append(out, nil)
	}
	out = append(out, nil)
	for _, fd := range lv.cols {
		out = append(out, fd)
		if p := lv.pseudonym[fd]; p != "" && opts.Pseudonyms != nil {
			out = append(out, nil)
		}
	}
	return out
}
