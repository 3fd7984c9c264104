package tui

import (
	"fmt"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// pickVisit asks whom a new follow-up record visits before its first
// question, as the full screen's pick does, with the same search: the
// list numbered (at most plainMaxChoices of what the search finds) and
// any other text searched. back is true when the person went back ("<")
// or the list is empty: no record is started.
func (p *plainRun) pickVisit(s *entry.Session) (back bool, err error) {
	decl := entry.FollowUp(s.Form)
	if decl == nil || p.entities == nil {
		return false, nil
	}
	ents, err := p.entities.Entities(p.ctx, decl.List)
	if err != nil {
		return false, err
	}
	p.say("\n" + fmt.Sprintf(t(p.lang, "pick_title"), clean(s.Form.Title)))
	if len(ents) == 0 {
		p.say("  " + fmt.Sprintf(t(p.lang, "pick_none"), clean(decl.List)))
		return true, nil
	}
	x := newEntityIndex(ents)
	var shown []int
	if len(ents) <= plainMaxChoices {
		shown = p.listEntities(x, x.match("", nil))
	} else {
		p.say("  " + fmt.Sprintf(p.t("pick_long"), len(ents)))
	}
	for {
		line, cmd, err := p.read("> ", "help_pick")
		if err != nil {
			return false, err
		}
		n, isNum := plainNumber(line)
		switch {
		case cmd == "<":
			return true, nil
		case line == "" || cmd != "":
			continue
		case isNum && n >= 1 && n <= len(shown):
			e := x.all[shown[n-1]]
			problems, err := s.Pick(p.ctx, *decl, e)
			if err != nil {
				return false, err
			}
			for _, pr := range problems {
				p.say("  ! " + clean(pr.Message))
			}
			if len(problems) == 0 {
				p.say("  " + fmt.Sprintf(t(p.lang, "picked"), x.labels[shown[n-1]]))
				return false, nil
			}
		default:
			if found := x.match(line, nil); len(found) > 0 {
				shown = p.listEntities(x, found)
			} else {
				p.say("  " + p.t("no_match"))
			}
		}
	}
}

// listEntities prints the matches numbered, label then last visit and
// marks, and returns the ones printed: what numbers now refer to.
func (p *plainRun) listEntities(x *entityIndex, matches []int) []int {
	if len(matches) > plainMaxChoices {
		p.say("  " + fmt.Sprintf(p.t("more_matches"), len(matches), plainMaxChoices))
		matches = matches[:plainMaxChoices]
	}
	for i, n := range matches {
		p.say(fmt.Sprintf("  %d. %s  (%s)", i+1, x.labels[n], x.detail(p.lang, n)))
	}
	p.say("  (" + p.t("pick_how") + ")")
	return matches
}

// resumeVisit finds the entity a follow-up draft picked in an earlier
// sitting, for the previous values beside its questions.
func (p *plainRun) resumeVisit(s *entry.Session) error {
	decl, id, ok := resumedPick(p.entities, s)
	if !ok {
		return nil
	}
	visit, err := resumedVisit(p.ctx, p.entities, decl, id)
	s.Visit = visit
	return err
}

// plainFirstStep is where a record's questions start: after the id
// question of a follow-up just picked, as on the full screen, else at the
// first step.
func plainFirstStep(s *entry.Session, steps []forms.Step) int {
	if s.Visit == nil || s.Resumed {
		return 0
	}
	if fd := s.Form.Field(s.Visit.Decl.IDField); fd != nil {
		return plainFind(steps, fd.Key) + 1 // 0 when it is not shown
	}
	return 0
}
