// Package entry is a record being entered on the laptop: the form
// engine's instance of one record and the draft (or the edit of a
// finalized record) in the local store that holds every accepted answer.
// Both of tui's interfaces, the full screen and the plain prompts, drive
// an entry.Session, so they accept, refuse and store answers in exactly
// the same way. It draws nothing: no terminal package belongs here.
package entry

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

// Session is one record being filled: the form engine's instance, and the
// draft in the database that holds every accepted answer. The full-screen
// interface and the plain prompts both drive a Session, so they accept,
// refuse and store answers in exactly the same way.
type Session struct {
	DB       *store.DB
	Form     *forms.Form
	FormID   string
	Version  string
	RecordID string
	Inst     *forms.Instance
	Lang     string // interface language: the language of messages
	// Editing is true for a finalized record being corrected: every
	// accepted answer is stored in the record's edit in progress
	// (store.SaveEdit), beside the finalized version, which stays what
	// sync sends until Finish makes the new version.
	Editing bool
	// EditKept is true once the edit has answers stored to come back to:
	// resumed from an earlier sitting, or saved in this one.
	EditKept bool
	// ReturnNote is what the reviewer said of a returned record being
	// corrected (who, when, the comment), cleaned, in the interface
	// language; "" otherwise.
	ReturnNote string
	// Resumed is true for a draft carried on from an earlier sitting.
	Resumed bool
	// Cleared lists the answers the last accepted answer took away: the
	// ones their choice_filter no longer offers (see forms.ClearFiltered).
	Cleared []forms.Cleared
	// Visit is the entity a follow-up record updates (see Pick); nil
	// for other records and before the pick.
	Visit *Visit
	// now stamps the record's start, today and end: the clock of the
	// interface that opened the session, so a test fixes one clock for
	// the screens and the records alike.
	now func() time.Time
}

// orNow is clock, or time.Now when there is none.
func orNow(clock func() time.Time) func() time.Time {
	if clock == nil {
		return time.Now
	}
	return clock
}

// New starts a new record of a registered form version and fills in what
// the device knows (start, today, device id, collector), reading the time
// from clock (time.Now when nil). The draft is stored with the first
// accepted answer, not here: a form opened and left at once must not
// leave an empty, nameless draft behind.
func New(ctx context.Context, db *store.DB, formID, version, lang string, clock func() time.Time) (*Session, error) {
	form, err := db.Form(ctx, formID, version)
	if err != nil {
		return nil, err
	}
	s := &Session{DB: db, Form: form, FormID: formID, Version: version, Lang: lang, now: orNow(clock)}
	last, err := lastSaved(ctx, db, form, formID, "")
	if err != nil {
		return nil, err
	}
	s.Inst = form.NewInstance(forms.Options{Language: lang, Defaults: true, Now: s.now, LastSaved: last})
	collector, _ := db.Collector(ctx)
	s.setMeta(map[forms.Type]string{
		forms.TypeStart:    s.now().Format(time.RFC3339),
		forms.TypeToday:    s.now().Format(time.DateOnly),
		forms.TypeDeviceID: "fieldbench:" + shortDevice(db.DeviceID()),
		forms.TypeUsername: collector,
	})
	s.Inst.FitRepeats()
	return s, nil
}

// Resume carries on with a draft.
func Resume(ctx context.Context, db *store.DB, rec store.Record, lang string, clock func() time.Time) (*Session, error) {
	data, err := db.Resume(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	s, err := open(ctx, db, rec, data, lang, false, clock)
	if s != nil {
		s.Resumed = true
	}
	return s, err
}

// Edit opens a finalized record for correction, carrying on with its
// edit in progress if it has one (one left by a crash, say); Finish
// stores the result as a new version.
// A record that keeps only its masked data here is refused with a
// *store.MaskedOnlyError, an edit in progress included (one made before
// a key reset): what it would save is masked values, not answers.
func Edit(ctx context.Context, db *store.DB, rec store.Record, lang string, clock func() time.Time) (*Session, error) {
	full, err := db.RecordToEdit(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	pending, err := db.ResumeEdit(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	if pending != nil {
		s, err := open(ctx, db, rec, pending.Data, lang, true, clock)
		if s != nil {
			s.EditKept = true
		}
		return s, err
	}
	return open(ctx, db, rec, full.Data, lang, true, clock)
}

// DiscardEdit drops the edit in progress: the record stays as it was
// finalized.
func (s *Session) DiscardEdit(ctx context.Context) error {
	if err := s.DB.DiscardEdit(ctx, s.RecordID); err != nil {
		return err
	}
	s.EditKept = false
	return nil
}

func open(ctx context.Context, db *store.DB, rec store.Record, data []byte, lang string, editing bool, clock func() time.Time) (*Session, error) {
	form, err := db.Form(ctx, rec.FormID, rec.FormVersion)
	if err != nil {
		return nil, err
	}
	obj, err := forms.DecodeRecord(data)
	if err != nil {
		return nil, err
	}
	s := &Session{DB: db, Form: form, FormID: rec.FormID, Version: rec.FormVersion, RecordID: rec.ID,
		Lang: lang, Editing: editing, now: orNow(clock)}
	last, err := lastSaved(ctx, db, form, rec.FormID, rec.ID)
	if err != nil {
		return nil, err
	}
	s.Inst, _ = form.Fill(obj, forms.Options{Language: lang, Now: s.now, LastSaved: last, InstanceID: forms.InstanceIDOf(rec.ID)})
	return s, nil
}

// lastSaved is the record ${last-saved#name} reads while record id (""
// for a new one) is filled: the one of the form saved last on this
// laptop, the record itself left out, as the store reads it again when
// the record is finalized. Forms that never read it cost no query.
func lastSaved(ctx context.Context, db *store.DB, form *forms.Form, formID, id string) (map[string]any, error) {
	if !form.UsesLastSaved() {
		return nil, nil
	}
	return db.LastSaved(ctx, formID, id)
}

// setMeta answers the metadata questions the form has.
func (s *Session) setMeta(values map[forms.Type]string) {
	for _, fd := range s.Form.Fields {
		if v, ok := values[fd.Type]; ok && fd.Repeat == nil {
			s.Inst.Set(fd.Key, v)
		}
	}
}

// shortDevice is the part of the device id shown in records: the random
// tail of the UUIDv7, without dashes.
func shortDevice(id string) string {
	h := strings.ReplaceAll(id, "-", "")
	if len(h) > 16 {
		h = h[len(h)-16:]
	}
	return h
}

// Answer offers an answer to the question at path. An answer the form
// refuses (wrong type, not a choice, required, constraint, validate tag)
// comes back as problems and changes nothing; an accepted one is stored in
// the draft at once, with the old and new value in the audit trail.
//
// An accepted answer may still trip a warning (a soft check): see
// AnswerWarned, Pending and Confirm.
func (s *Session) Answer(ctx context.Context, path, value string) ([]forms.Problem, error) {
	errs, _, err := s.AnswerWarned(ctx, path, value)
	return errs, err
}

// AnswerWarned is Answer that also returns, for an accepted answer, the
// warnings about it that wait for the collector's confirmation: what
// Pending would say, from the same check of the record.
func (s *Session) AnswerWarned(ctx context.Context, path, value string) (errs, pending []forms.Problem, err error) {
	old := s.Inst.Answer(path)
	confirmed := s.Inst.Confirmed()
	if err := s.Inst.Set(path, value); err != nil {
		return nil, nil, err
	}
	errs, warnings := s.Inst.ProblemsAt(path, s.Lang)
	if len(errs) > 0 {
		s.Inst.Set(path, old)
		s.Inst.SetConfirmed(confirmed) // putting the old answer back puts back its confirmation
		return errs, nil, nil
	}
	pending = s.unconfirmed(warnings)
	s.Cleared = s.Inst.ClearFiltered()
	s.Inst.FitRepeats()
	now := s.Inst.Answer(path)
	if now == old && len(s.Cleared) == 0 {
		return nil, pending, nil
	}
	changes := []*store.AnswerChange{{Path: path, Old: old, New: now}}
	for _, c := range s.Cleared {
		changes = append(changes, &store.AnswerChange{Path: c.Path, Old: c.Old, New: c.New})
	}
	return nil, pending, s.save(ctx, changes...)
}

// AddRepeat adds an instance to the repeat at path and returns its number.
func (s *Session) AddRepeat(ctx context.Context, path string) (int, error) {
	n, err := s.Inst.AddRepeat(path)
	if err != nil {
		return 0, err
	}
	return n, s.save(ctx, nil)
}

// RemoveRepeat removes a repeat instance ("members[2]") and its answers.
func (s *Session) RemoveRepeat(ctx context.Context, path string) error {
	if err := s.Inst.RemoveRepeat(path); err != nil {
		return err
	}
	return s.save(ctx, nil)
}

// Missing is what stands between the record and finalizing: every error
// the form engine finds in it now, in form order.
func (s *Session) Missing() []forms.Problem {
	return s.Inst.Validate(s.Lang).Errors
}

// Pending lists the warnings about the answer at path that wait for the
// collector to confirm them.
func (s *Session) Pending(path string) []forms.Problem {
	_, ws := s.Inst.ProblemsAt(path, s.Lang)
	return s.unconfirmed(ws)
}

// Unconfirmed lists every warning of the record that waits for the
// collector to confirm it, in form order: finalizing waits for them.
func (s *Session) Unconfirmed() []forms.Problem {
	return s.unconfirmed(s.Inst.Validate(s.Lang).Warnings)
}

func (s *Session) unconfirmed(ws []forms.Problem) []forms.Problem {
	var out []forms.Problem
	for _, p := range ws {
		if p.NeedsConfirmation() && !s.Inst.IsConfirmed(p) {
			out = append(out, p)
		}
	}
	return out
}

// Confirm records that the collector looked at warning p and says the
// answer is right: the record keeps the warning (under
// forms.WarningsKey) and the audit trail the confirmation, with the answer
// and the message as shown.
func (s *Session) Confirm(ctx context.Context, p forms.Problem) error {
	if s.Inst.IsConfirmed(p) {
		return nil
	}
	before := s.Inst.Confirmed()
	s.Inst.Confirm(p)
	data, err := s.marshal()
	if err != nil {
		s.Inst.SetConfirmed(before)
		return err
	}
	if err := s.ensureDraft(ctx); err != nil {
		s.Inst.SetConfirmed(before)
		return err
	}
	w := store.WarningConfirmation{Field: p.Field, Path: p.Path, Rule: p.Rule, Value: s.Inst.Answer(p.Path), Message: p.Message}
	if err := s.DB.ConfirmWarning(ctx, s.RecordID, data, s.Inst.Name(), w); err != nil {
		s.Inst.SetConfirmed(before)
		return err
	}
	s.EditKept = s.Editing
	return nil
}

// ErrNotReady is returned by Finish when the record still has errors.
var ErrNotReady = errors.New("the record is not complete")

// ErrUnconfirmed is returned by Finish when warnings wait for the
// collector's confirmation.
var ErrUnconfirmed = errors.New("warnings wait for the collector's confirmation")

// Finish finalizes a draft (after stamping the end time), or stores an
// edited record as a new version. The record is validated again in full
// by the store, whatever the screens checked.
func (s *Session) Finish(ctx context.Context) error {
	if len(s.Missing()) > 0 {
		return ErrNotReady
	}
	if len(s.Unconfirmed()) > 0 {
		return ErrUnconfirmed
	}
	if s.Editing {
		data, err := s.marshal()
		if err != nil {
			return err
		}
		if _, err = s.DB.Edit(ctx, s.RecordID, data); err == nil {
			s.EditKept = false
		}
		return err
	}
	s.setMeta(map[forms.Type]string{forms.TypeEnd: s.now().Format(time.RFC3339)})
	if err := s.save(ctx, nil); err != nil {
		return err
	}
	_, err := s.DB.Finalize(ctx, s.RecordID)
	return err
}

// save writes the draft, or the edit in progress of a finalized record.
func (s *Session) save(ctx context.Context, changes ...*store.AnswerChange) error {
	if s.Editing {
		data, err := s.marshal()
		if err != nil {
			return err
		}
		if err := s.DB.SaveEdit(ctx, s.RecordID, data, s.Inst.Name(), changes...); err != nil {
			return err
		}
		s.EditKept = true
		return nil
	}
	if err := s.ensureDraft(ctx); err != nil {
		return err
	}
	data, err := s.marshal()
	if err != nil {
		return err
	}
	return s.DB.SaveDraftNamed(ctx, s.RecordID, data, s.Inst.Name(), changes...)
}

// ensureDraft stores the new record's draft the first time there is
// something to keep in it.
func (s *Session) ensureDraft(ctx context.Context) error {
	if s.RecordID != "" || s.Editing {
		return nil
	}
	id, err := s.DB.NewDraft(ctx, s.FormID, s.Version)
	if err != nil {
		return err
	}
	s.RecordID = id
	s.Inst.SetInstanceID(forms.InstanceIDOf(id))
	return nil
}

// marshal writes the record as stored, keeping only the confirmations of
// warnings that still arise: an answer changed elsewhere may have made a
// confirmed warning moot, and the record must not claim it.
func (s *Session) marshal() ([]byte, error) {
	if len(s.Inst.Confirmed()) > 0 {
		s.Inst.KeepConfirmed(s.Inst.Validate(s.Lang).Warnings)
	}
	return s.Inst.MarshalJSON()
}
