package wire

import "strings"

// AnswerDiff lays a record's versions side by side, answer by answer, as
// a reviewer compares them: Add each version oldest first, then read
// Rows. The zero value is ready.
type AnswerDiff struct {
	order   []string            // every answer path of every version
	answers []map[string]string // by version: path → value
	named   map[string]bool     // the paths the catalogue says changed
	unnamed bool                // a version came without Changed
}

// AnswerRow is one answer path across the versions.
type AnswerRow struct {
	Path    string
	Values  []string // by version, oldest first; "" where a version has no such answer
	Changed bool
}

// Add reads the next version's answers (AnswerPaths); an error says its
// data is no record, and adds nothing.
func (d *AnswerDiff) Add(v VersionReview) error {
	keys, vals, err := AnswerPaths(v.Data)
	if err != nil {
		return err
	}
	if v.Changed == nil {
		d.unnamed = true
	}
	if d.named == nil {
		d.named = map[string]bool{}
	}
	for _, p := range v.Changed {
		d.named[p] = true
	}
	d.answers = append(d.answers, vals)
	d.order = mergeOrder(d.order, keys)
	return nil
}

// Rows are the answer paths in the versions' order, a path new in a later
// version after the one it follows there. An answer is changed when the
// catalogue names it (found on the clear data, so a change hidden by the
// masking counts); when a version came from a catalogue that names none,
// when it differs from the version before, in value or in being there.
func (d *AnswerDiff) Rows() []AnswerRow {
	catalogueSays := len(d.answers) > 0 && !d.unnamed
	rows := make([]AnswerRow, 0, len(d.order))
	for _, p := range d.order {
		row := AnswerRow{Path: p, Changed: catalogueSays && d.named[p]}
		for i, vals := range d.answers {
			v, ok := vals[p]
			if i > 0 && !catalogueSays {
				prev, had := d.answers[i-1][p]
				if v != prev || ok != had {
					row.Changed = true
				}
			}
			row.Values = append(row.Values, v)
		}
		rows = append(rows, row)
	}
	return rows
}

// mergeOrder adds the keys of one more version to the order of the ones
// before: a key new in this version goes after the key it follows here.
func mergeOrder(order, keys []string) []string {
	at := map[string]int{}
	for i, k := range order {
		at[k] = i
	}
	last := -1
	for _, k := range keys {
		if i, ok := at[k]; ok {
			last = i
			continue
		}
		order = append(order[:last+1], append([]string{k}, order[last+1:]...)...)
		last++
		for i, k := range order {
			at[k] = i
		}
	}
	return order
}

// QuestionLabel is the label of the question an answer path names
// ("members[2]/m_name" is m_name's), on one line; "" when the catalogue
// sent none.
func (r *RecordVersions) QuestionLabel(path string) string {
	return strings.Join(strings.Fields(r.Labels[answerKey(path)]), " ")
}

// ChoiceText is answer v at path with each choice name it holds shown by
// its label when the catalogue sent one (户主 for head); v as it is else.
func (r *RecordVersions) ChoiceText(path, v string) string {
	labels := r.Choices[answerKey(path)]
	if labels == nil {
		return v
	}
	names := strings.Fields(v)
	for i, n := range names {
		if l := labels[n]; l != "" {
			names[i] = l
		}
	}
	return strings.Join(names, " ")
}

// answerKey is the question's name in an answer path.
func answerKey(path string) string { return path[strings.LastIndexByte(path, '/')+1:] }
