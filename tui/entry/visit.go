package entry

import (
	"context"
	"fmt"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

// A follow-up visit is a new record of a form that updates an entity the
// collector picks from a list (ODK's entity_id = ${question}): the pick
// answers that question with the entity's id, and the form's own
// expressions (instance('LIST') lookups, triggers) take what they need
// from the list. Both of tui's interfaces decide here whether a form asks
// for a pick and what a pick does, so they cannot come to differ.

// FollowUp is the declaration a new record of form must pick an entity
// for before anything else; nil when the form is no follow-up.
func FollowUp(form *forms.Form) *forms.EntityDecl { return followUp(form.EntityDecls()) }

// followUp is the first of decls that updates the entity named by a
// question's answer. Declarations inside a repeat (one per member) are
// answered inside the repeat, not picked first.
func followUp(decls []forms.EntityDecl) *forms.EntityDecl {
	for i, d := range decls {
		if d.Updates && d.IDField != "" && d.Repeat == "" {
			return &decls[i]
		}
	}
	return nil
}

// Visit is the entity a follow-up record updates, as the laptop's list had
// it when the collector picked it, with the declaration it was picked for.
type Visit struct {
	Decl   forms.EntityDecl
	Entity store.Entity
}

// Pick answers the follow-up's id question with e's id. A refusal (the
// form's own list lacks the id, say) comes back as problems and changes
// nothing; once accepted, Previous shows e's values.
func (s *Session) Pick(ctx context.Context, decl forms.EntityDecl, e store.Entity) ([]forms.Problem, error) {
	fd := s.Form.Field(decl.IDField)
	if fd == nil || fd.Repeat != nil {
		return nil, fmt.Errorf("form %s: the entity id question %q is not a question outside the repeats", s.FormID, decl.IDField)
	}
	problems, err := s.Answer(ctx, fd.Key, e.ID)
	if err != nil || len(problems) > 0 {
		return problems, err
	}
	s.Visit = &Visit{Decl: decl, Entity: e}
	return nil, nil
}

// Previous is the visited entity's current value of the property the
// question fd saves (save_to), unsanitised; ok is false when there is no
// visit or fd saves no property of it.
func (s *Session) Previous(fd *forms.Field) (value string, ok bool) {
	if s.Visit == nil || fd == nil {
		return "", false
	}
	prop, saves := s.Visit.Decl.Saves[fd.Key]
	if !saves {
		return "", false
	}
	return s.Visit.Entity.Properties[prop], true
}

// PickedID is the answer of the follow-up's id question: the entity a
// resumed draft visits, "" before the pick.
func (s *Session) PickedID(decl forms.EntityDecl) string {
	if fd := s.Form.Field(decl.IDField); fd != nil && fd.Repeat == nil {
		return s.Inst.Answer(fd.Key)
	}
	return ""
}
