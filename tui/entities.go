package tui

import (
	"context"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/divisions"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// entityLists is what the follow-up screens read of the laptop's copy of
// the entity lists: one list's entities, ordered by label, and the count
// of each list for Home. *store.DB has both; tests give a list in memory.
type entityLists interface {
	Entities(ctx context.Context, list string) ([]store.Entity, error)
	EntityLists(ctx context.Context) ([]store.EntityListSummary, error)
}

// The laptop's store is the follow-up's source: checked here, at build
// time, so that a change of the store's methods cannot leave the pick
// silently without a list.
var _ entityLists = (*store.DB)(nil)

// entityListsOf is the entity lists of db, nil without a store.
func entityListsOf(db *store.DB) entityLists {
	if db == nil {
		return nil
	}
	return db
}

// entityIndex is one list's entities made ready for the search of the
// pick, once, when the list is loaded: a keystroke over 100,000 entities
// is then one pass of substring tests (see forms.ChoiceFilter).
type entityIndex struct {
	all    []store.Entity
	labels []string // cleaned, as drawn; the id where the label is blank
	filter *forms.ChoiceFilter
	// mixed is true when the entities are of more than one township (a
	// laptop serving two): each then shows its township.
	mixed bool
}

// newEntityIndex prepares ents for the search. The search is the one of
// every choice list, by characters, code and pinyin: an entity is given
// to it as a choice whose code is its id and every property value (a
// phone, part of an ID number), so that any of them finds it.
func newEntityIndex(ents []store.Entity) *entityIndex {
	x := &entityIndex{all: ents, labels: make([]string, len(ents))}
	choices := make([]*forms.Choice, len(ents))
	chosen := make([]forms.Choice, len(ents))
	var codes []string
	for i, e := range ents {
		x.mixed = x.mixed || e.Township != ents[0].Township
		x.labels[i] = clean(e.Label)
		if strings.TrimSpace(x.labels[i]) == "" {
			x.labels[i] = clean(e.ID)
		}
		codes = append(codes[:0], e.ID)
		for _, v := range e.Properties {
			if v != "" {
				codes = append(codes, v)
			}
		}
		// NUL cannot be typed, so no match runs from one code into the
		// next, and their order does not matter. A Label that is not nil
		// has the filter take the pinyin of labels[i]; being shared, it
		// costs no map per entity.
		chosen[i] = forms.Choice{Name: strings.Join(codes, "\x00"), Label: labelled}
		choices[i] = &chosen[i]
	}
	x.filter = forms.NewChoiceFilter(choices, x.labels)
	return x
}

// labelled is the Label of the choices an entity index gives the filter.
var labelled = forms.Text{}

// match appends to out the indexes of the entities text finds, in list
// order; a blank text finds them all.
func (x *entityIndex) match(text string, out []int) []int { return x.filter.Match(text, out) }

// detail is what a list of entities shows after entity i's label: its
// township where the list has several, the last visit's date (in the
// viewer's zone) and the marks 待走访 and 冲突.
func (x *entityIndex) detail(lang string, i int) string {
	e := x.all[i]
	var parts []string
	if x.mixed {
		name := e.Township
		if d, ok := divisions.Lookup(e.Township); ok {
			name = forms.DivisionName(d.Name, lang)
		}
		parts = append(parts, clean(name))
	}
	if e.LastVisit.IsZero() {
		parts = append(parts, t(lang, "never_visited"))
	} else {
		parts = append(parts, t(lang, "last_visit")+" "+when.Date(e.LastVisit))
	}
	if e.ToVisit {
		parts = append(parts, t(lang, "to_visit"))
	}
	if e.Conflict {
		parts = append(parts, t(lang, "entity_conflict"))
	}
	return strings.Join(parts, "  ")
}

// previousText is what shows beside a question of a follow-up that saves
// a property of the visited entity: 上次：4, the value read as the
// question reads its answer (a choice by its label), cleaned for the
// terminal. ok is false for any other question.
func previousText(lang string, s *entry.Session, fd *forms.Field, formLang string) (string, bool) {
	v, ok := s.Previous(fd)
	if !ok {
		return "", false
	}
	switch {
	case v == "":
		v = t(lang, "previous_blank")
	case s.Form.Lists[fd.ListName] != nil:
		v = choiceLabels(s.Form.Lists[fd.ListName], v, formLang)
	}
	return t(lang, "previous") + clean(v), true
}

// resumedVisit finds the entity a follow-up draft picked in an earlier
// sitting (its id question answered id), for the previous values beside
// its questions; nil when the list no longer has it. It reads only the
// list, not the session, so it can run off the UI goroutine.
func resumedVisit(ctx context.Context, src entityLists, decl forms.EntityDecl, id string) (*entry.Visit, error) {
	ents, err := src.Entities(ctx, decl.List)
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		if e.ID == id {
			return &entry.Visit{Decl: decl, Entity: e}, nil
		}
	}
	return nil, nil
}

// resumedPick is the declaration and the entity id of a draft whose
// follow-up pick was made in an earlier sitting; ok is false for any
// other session (no follow-up, no pick yet, the visit already known).
func resumedPick(src entityLists, s *entry.Session) (decl forms.EntityDecl, id string, ok bool) {
	d := entry.FollowUp(s.Form)
	if src == nil || d == nil || s.Visit != nil {
		return forms.EntityDecl{}, "", false
	}
	id = s.PickedID(*d)
	return *d, id, id != ""
}
