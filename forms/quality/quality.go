// Package quality measures the data quality of a form's records: how
// complete each question is, which answers fail or warn a check when the
// record is validated again, which resident IDs and credit codes occur in
// more than one place, and how many records each collector made a day.
//
// It does no I/O. A caller (the laptop's store, the catalogue) feeds an
// Accumulator one record at a time and asks for the Report at the end; the
// work per record is one validation and one walk over its answers, and the
// memory held grows with the distinct questions, identifiers and
// collector-days, not with the records, so hundreds of thousands of records
// can stream through it.
package quality

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
)

// Record is one record to measure.
type Record struct {
	ID string
	// Form is the form version the record was made with; nil means the
	// Accumulator's form. Versions share a question by its place (repeat)
	// and record key.
	Form      *forms.Form
	Data      map[string]any // as forms.DecodeRecord gives it
	Collector string
	Day       string // the day it was collected, YYYY-MM-DD
	State     string // draft, finalized, sent...

	// A record whose personal answers are sealed holds their masked forms
	// in Data, and those would fail their own checks (a masked ID has no
	// valid check digit) and all look alike. Verdict, when set, is what
	// validating the clear record found, kept from when it was at hand;
	// the record is then not validated again. Tags gives, by the answer's
	// JSON pointer (forms.AnswerAt.Pointer), a keyed hash of a sealed
	// identifier (the catalogue's pseudonym, the laptop's blind index):
	// duplicates are found on it, and shown by the masked answer.
	Verdict *Verdict
	Tags    map[string]string
}

// Verdict is what validating a record found, by answer path as
// forms.Problem gives it: the answers with an error, and those with a
// warning tripped or confirmed.
type Verdict struct {
	Errors []string `json:"errors,omitempty"`
	Warned []string `json:"warned,omitempty"`
}

// VerdictOf is the verdict of a validation (forms.Form.ValidateRecord),
// to keep beside a record whose answers are then sealed.
func VerdictOf(in *forms.Instance, res *forms.Result) *Verdict {
	v := &Verdict{}
	for _, p := range res.Errors {
		v.Errors = append(v.Errors, p.Path)
	}
	for _, p := range res.Warnings {
		if p.NeedsConfirmation() {
			v.Warned = append(v.Warned, p.Path)
		}
	}
	for _, p := range in.Confirmed() {
		v.Warned = append(v.Warned, p.Path)
	}
	return v
}

// SetKept gives a sealed record the verdict and tags kept when it was
// stored, from their JSON (a Verdict; pointer to tag); "" for none.
func (r *Record) SetKept(verdict, tags string) error {
	r.Verdict, r.Tags = &Verdict{}, map[string]string{}
	if verdict != "" && verdict != "{}" { // most records: nothing found
		if err := json.Unmarshal([]byte(verdict), r.Verdict); err != nil {
			return fmt.Errorf("the kept verdict does not read: %w", err)
		}
	}
	if tags != "" {
		if err := json.Unmarshal([]byte(tags), &r.Tags); err != nil {
			return fmt.Errorf("the kept tags do not read: %w", err)
		}
	}
	return nil
}

// Options configure an Accumulator.
type Options struct {
	// Now is the clock of today() when records are validated again;
	// time.Now when nil.
	Now func() time.Time
	// States is the order the report lists record states in, the
	// caller's own words for them (this package knows no storage); states
	// not in it follow, by name.
	States []string
}

// Identifier kinds whose values are checked for duplicates: the validate
// tags that mark them.
const (
	KindResidentID = "cn_id"
	KindCreditCode = "cn_uscc"
)

// maxIDsPerGroup bounds the record ids kept for one duplicated value: a
// placeholder typed into thousands of drafts must not make the report, or
// the memory behind it, grow with them. The count stays exact.
const maxIDsPerGroup = 50

// Accumulator gathers the figures of a stream of records. It is not safe
// for concurrent use.
type Accumulator struct {
	form  *forms.Form
	opts  forms.Options
	plans map[*forms.Form]*plan

	fields []fieldStats
	byKey  map[string]int // field identity (see fieldID) -> index in fields

	records, withErrors, withWarnings int
	states                            map[string]int
	stateOrder                        []string // Options.States
	days                              map[dayKey]int

	seen    map[idKey]occurrence  // every identifier value met, by kind and value
	long    map[idLong]occurrence // the same for values too long for an idKey
	groups  []*dupGroup
	ids     []string // ids of records holding an identifier; occurrence.rec indexes it
	rec     int32    // the current record's index in ids, -1 until it needs one
	scratch []string // paths already counted for the current record
}

type fieldStats struct {
	id       string
	field    *forms.Field // from the first version that has it
	repeat   string
	relevant int
	answered int
	failed   int
	warned   int
}

// plan is what one form version needs per record, worked out once.
type plan struct {
	stat map[*forms.Field]int   // question -> index in Accumulator.fields
	kind map[*forms.Field]uint8 // identifier questions -> kind (1 resident ID, 2 credit code)
}

type dayKey struct{ collector, day string }

// idKey is an identifier value. Resident IDs and credit codes are 18
// characters, so the value is kept inline: no string per value, and a map
// without pointers for the garbage collector to scan. Longer values (typos
// in drafts) are kept as idLong.
type idKey struct {
	kind uint8
	n    uint8
	b    [18]byte
}

type idLong struct {
	kind  uint8
	value string
}

// occurrence is where a value was first met, and its duplicate group once
// it has one.
type occurrence struct {
	rec   int32
	field int32
	other int32 // another question of the same record with the value, or -1
	group int32 // index in groups, -1 while the value is unique
}

type dupGroup struct {
	kind    uint8
	value   string
	fields  []int // indexes in Accumulator.fields
	ids     []string
	records int
	lastRec int32
}

// New starts an accumulator for the records of form f (its newest version:
// the report lists questions in its order).
func New(f *forms.Form, opts Options) *Accumulator {
	a := &Accumulator{form: f, opts: forms.Options{Now: opts.Now, Language: forms.LangEn},
		plans: map[*forms.Form]*plan{}, byKey: map[string]int{}, states: map[string]int{}, stateOrder: slices.Clone(opts.States),
		days: map[dayKey]int{}, seen: map[idKey]occurrence{}, long: map[idLong]occurrence{}}
	a.planFor(f)
	return a
}

// counted reports whether a field is a question a collector answers:
// calculations, metadata and notes are the form's and the device's.
func counted(fd *forms.Field) bool {
	return fd.Type.HasAnswer() && fd.Type != forms.TypeRepeat && !fd.Type.IsMeta() && fd.Calculation == nil
}

// fieldID names a question across versions: the repeats it sits in and
// its record key ("members/m_age").
func fieldID(fd *forms.Field) (id, repeat string) {
	var reps []string
	for r := fd.Repeat; r != nil; r = r.Repeat {
		reps = append([]string{r.Key}, reps...)
	}
	repeat = strings.Join(reps, "/")
	if repeat == "" {
		return fd.Key, ""
	}
	return repeat + "/" + fd.Key, repeat
}

func (a *Accumulator) planFor(f *forms.Form) *plan {
	if p := a.plans[f]; p != nil {
		return p
	}
	p := &plan{stat: map[*forms.Field]int{}, kind: map[*forms.Field]uint8{}}
	for _, fd := range f.Fields {
		if !counted(fd) {
			continue
		}
		id, repeat := fieldID(fd)
		i, ok := a.byKey[id]
		if !ok {
			i = len(a.fields)
			a.byKey[id] = i
			a.fields = append(a.fields, fieldStats{id: id, field: fd, repeat: repeat})
		}
		p.stat[fd] = i
		if k := identifierKind(fd.Validate); k != 0 {
			p.kind[fd] = k
		}
	}
	a.plans[f] = p
	return p
}

// identifierKind reads a validate column's tags (comma-separated, | for
// alternatives) for the identifier tags.
func identifierKind(tags string) uint8 {
	for _, t := range strings.FieldsFunc(tags, func(r rune) bool { return r == ',' || r == '|' }) {
		switch strings.TrimSpace(t) {
		case KindResidentID:
			return 1
		case KindCreditCode:
			return 2
		}
	}
	return 0
}

// Add measures one record.
func (a *Accumulator) Add(r Record) {
	f := r.Form
	if f == nil {
		f = a.form
	}
	p := a.planFor(f)
	var in *forms.Instance
	verdict := r.Verdict
	if verdict == nil {
		var res *forms.Result
		in, res = f.ValidateRecord(r.Data, a.opts)
		verdict = VerdictOf(in, res)
	} else {
		in, _ = f.Fill(r.Data, a.opts)
	}
	a.records++
	a.states[r.State]++
	if len(verdict.Errors) > 0 {
		a.withErrors++
	}
	a.addDay(r.Collector, r.Day)

	a.rec = -1
	in.EachAnswerAt(func(fd *forms.Field, at forms.AnswerAt, value string, relevant bool) {
		i, ok := p.stat[fd]
		if !ok || !relevant {
			return
		}
		st := &a.fields[i]
		st.relevant++
		if value == "" {
			return
		}
		st.answered++
		if k := p.kind[fd]; k != 0 {
			key := normalizeID(value)
			if r.Tags != nil {
				if tag, ok := r.Tags[at.Pointer()]; ok {
					key = "\x00" + tag // never equal to an answer typed in clear
				}
			}
			a.identifier(k, key, value, i, r.ID)
		}
	})

	a.scratch = a.scratch[:0]
	for _, path := range verdict.Errors {
		if i, ok := a.place(f, p, path); ok {
			a.fields[i].failed++
		}
	}
	a.scratch = a.scratch[:0]
	warned := false
	for _, path := range verdict.Warned {
		warned = a.warn(f, p, path) || warned
	}
	if warned {
		a.withWarnings++
	}
}

func (a *Accumulator) warn(f *forms.Form, p *plan, path string) bool {
	if i, ok := a.place(f, p, path); ok {
		a.fields[i].warned++
		return true
	}
	return false
}

// place finds the question of a problem's path, once per path and record:
// two problems with one answer count it once.
func (a *Accumulator) place(f *forms.Form, p *plan, path string) (int, bool) {
	for _, seen := range a.scratch {
		if seen == path {
			return 0, false
		}
	}
	a.scratch = append(a.scratch, path)
	fd := f.FieldAt(path)
	if fd == nil {
		return 0, false
	}
	i, ok := p.stat[fd]
	return i, ok
}

func (a *Accumulator) addDay(collector, day string) {
	k := dayKey{collector, day}
	if n, ok := a.days[k]; ok {
		a.days[k] = n + 1
		return
	}
	// Kept keys are copies: the caller's strings may share a buffer
	// (a database row) that should not stay alive with them.
	a.days[dayKey{strings.Clone(collector), strings.Clone(day)}] = 1
}

// normalizeID brings an identifier to one spelling: no spaces, upper case
// (a resident ID's x is X; credit codes are upper case).
func normalizeID(v string) string {
	v = strings.TrimSpace(v)
	if strings.ContainsAny(v, " \t") {
		v = strings.Join(strings.Fields(v), "")
	}
	return strings.ToUpper(v)
}

// identifier notes one identifier answer. A value met again in another
// record, or twice in one question of a record (two members with one ID),
// makes a duplicate group; the same value in two questions of one record
// (the head of household is also member 1) is one person, not a duplicate.
func (a *Accumulator) identifier(kind uint8, v, shown string, field int, id string) {
	first, ok := a.occurrence(kind, v)
	if !ok {
		a.setOccurrence(kind, v, occurrence{rec: a.recordIndex(id), field: int32(field), other: -1, group: -1})
		return
	}
	rec := a.recordIndex(id)
	if first.group < 0 {
		if first.rec == rec && first.field != int32(field) {
			if first.other < 0 { // remembered for the list of questions, should it turn up again
				first.other = int32(field)
				a.setOccurrence(kind, v, first)
			}
			return
		}
		g := &dupGroup{kind: kind, value: strings.Clone(normalizeID(shown)), fields: []int{int(first.field)}, lastRec: first.rec, records: 1}
		if first.other >= 0 {
			g.fields = append(g.fields, int(first.other))
		}
		g.ids = append(g.ids, a.ids[first.rec])
		first.group = int32(len(a.groups))
		a.groups = append(a.groups, g)
		a.setOccurrence(kind, v, first)
	}
	g := a.groups[first.group]
	if !containsInt(g.fields, field) {
		g.fields = append(g.fields, field)
	}
	if g.lastRec != rec {
		g.lastRec = rec
		g.records++
		if len(g.ids) < maxIDsPerGroup {
			g.ids = append(g.ids, a.ids[rec])
		}
	}
}

// occurrence looks a value up: inline for the usual 18 characters.
func (a *Accumulator) occurrence(kind uint8, v string) (occurrence, bool) {
	if len(v) <= len(idKey{}.b) {
		k := idKey{kind: kind, n: uint8(len(v))}
		copy(k.b[:], v)
		o, ok := a.seen[k]
		return o, ok
	}
	o, ok := a.long[idLong{kind, v}]
	return o, ok
}

func (a *Accumulator) setOccurrence(kind uint8, v string, o occurrence) {
	if len(v) <= len(idKey{}.b) {
		k := idKey{kind: kind, n: uint8(len(v))}
		copy(k.b[:], v)
		a.seen[k] = o
		return
	}
	a.long[idLong{kind, strings.Clone(v)}] = o // a copy: the caller's may share a bigger buffer
}

// recordIndex interns the current record's id the first time one of its
// identifiers needs it.
func (a *Accumulator) recordIndex(id string) int32 {
	if a.rec < 0 {
		a.rec = int32(len(a.ids))
		a.ids = append(a.ids, strings.Clone(id))
	}
	return a.rec
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
