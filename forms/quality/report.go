package quality

import (
	"cmp"
	"slices"

	"github.com/fieldbench/fieldbench/forms"
)

// Report is what an Accumulator found. Duplicate values in it are masked:
// it is made to be shown to people.
type Report struct {
	FormID       string       `json:"form_id"`
	Title        string       `json:"title"`
	Records      int          `json:"records"`
	States       []StateCount `json:"states"` // the states of the records measured, in Options.States order
	WithErrors   int          `json:"records_with_errors"`
	WithWarnings int          `json:"records_with_warnings"`
	Fields       []Field      `json:"fields"`
	Duplicates   []Duplicate  `json:"duplicates"`
	// DuplicateGroups is how many values are duplicated: len(Duplicates),
	// kept apart so that a report trimmed for storage still says it.
	DuplicateGroups int            `json:"duplicate_groups"`
	Days            []CollectorDay `json:"per_collector_day"`
	// Form is the version the report follows (New's form), for labels.
	Form *forms.Form `json:"-"`
}

// StateCount is how many records are in one state.
type StateCount struct {
	State   string `json:"state"`
	Records int    `json:"records"`
}

// Field is the quality of one question over every record and repeat entry.
type Field struct {
	Key    string `json:"field"`            // the record key
	Repeat string `json:"repeat,omitempty"` // the repeat(s) it is in, e.g. "members"
	// Relevant counts the places it applied: one per record, or per
	// repeat entry inside a repeat. Answered counts those with an answer.
	Relevant int `json:"relevant"`
	Answered int `json:"answered"`
	// Completeness is Answered/Relevant; nil when it never applied.
	Completeness *float64 `json:"completeness"`
	// Failed counts answers with an error when validated again (drafts
	// not finished, or a form version's rules); Warned those with a
	// warning, tripped now or confirmed by the collector.
	Failed int `json:"failed"`
	Warned int `json:"warned"`
	// Field is the question in the newest version that has it, for its
	// label and type.
	Field *forms.Field `json:"-"`
}

// Duplicate is one identifier value found in more than one place: flagged
// for a person to look at, never merged or dropped.
type Duplicate struct {
	Kind   string   `json:"kind"`   // KindResidentID or KindCreditCode
	Value  string   `json:"value"`  // masked by the question's sensitive class
	Fields []string `json:"fields"` // the questions it was answered in
	// Records counts the distinct records holding it (1 when one record
	// has it twice, e.g. two members with one ID); IDs lists up to 50.
	Records int      `json:"records"`
	IDs     []string `json:"record_ids"`
}

// CollectorDay is how many records one collector made on one day.
type CollectorDay struct {
	Collector string `json:"collector"`
	Day       string `json:"day"`
	Records   int    `json:"records"`
}

// Report sums up what was added so far. The Accumulator can go on
// afterwards.
func (a *Accumulator) Report() *Report {
	r := &Report{FormID: a.form.ID, Title: a.form.Title, Records: a.records, Form: a.form,
		WithErrors: a.withErrors, WithWarnings: a.withWarnings,
		States: []StateCount{}, Fields: []Field{}, Duplicates: []Duplicate{}, Days: []CollectorDay{}}
	for s, n := range a.states {
		r.States = append(r.States, StateCount{s, n})
	}
	rank := func(s string) int {
		if i := slices.Index(a.stateOrder, s); i >= 0 {
			return i
		}
		return len(a.stateOrder)
	}
	slices.SortFunc(r.States, func(x, y StateCount) int {
		return cmp.Or(cmp.Compare(rank(x.State), rank(y.State)), cmp.Compare(x.State, y.State))
	})
	for _, st := range a.fields {
		f := Field{Key: st.field.Key, Repeat: st.repeat, Relevant: st.relevant, Answered: st.answered,
			Failed: st.failed, Warned: st.warned, Field: st.field}
		if st.relevant > 0 {
			c := float64(st.answered) / float64(st.relevant)
			f.Completeness = &c
		}
		r.Fields = append(r.Fields, f)
	}
	for _, g := range a.groups {
		d := Duplicate{Kind: kindName(g.kind), Records: g.records, IDs: slices.Clone(g.ids)}
		for _, i := range g.fields {
			d.Fields = append(d.Fields, a.fields[i].field.Key)
		}
		d.Value = mask(a.fields[g.fields[0]].field, g.kind, g.value)
		r.Duplicates = append(r.Duplicates, d)
	}
	r.DuplicateGroups = len(r.Duplicates)
	// Most records first: those need a person soonest.
	slices.SortStableFunc(r.Duplicates, func(x, y Duplicate) int {
		return cmp.Or(cmp.Compare(y.Records, x.Records), cmp.Compare(x.Kind, y.Kind))
	})
	for k, n := range a.days {
		r.Days = append(r.Days, CollectorDay{k.collector, k.day, n})
	}
	slices.SortFunc(r.Days, func(x, y CollectorDay) int {
		return cmp.Or(cmp.Compare(x.Day, y.Day), cmp.Compare(x.Collector, y.Collector))
	})
	return r
}

func kindName(k uint8) string {
	if k == 2 {
		return KindCreditCode
	}
	return KindResidentID
}

// mask hides a duplicated value by its question's sensitive class. A
// resident ID is personal data whatever the form says, so one without a
// class is masked as an ID number; a credit code names a business in a
// public register and is shown as the form leaves it.
func mask(fd *forms.Field, kind uint8, value string) string {
	class := fd.Sensitive
	if class == "" && kind == 1 {
		class = forms.SensitiveIDNumber
	}
	return forms.Mask(class, value)
}
