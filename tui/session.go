package tui

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
	// Editing is true for a finalized record being corrected: answers
	// stay in memory until Save makes a new version, since a finalized
	// record has no draft.
	Editing bool
	// Resumed is true for a draft carried on from an earlier sitting.
	Resumed bool
	now     func() time.Time
}

// NewSession starts a new draft of a registered form version and fills in
// what the device knows (start, today, device id, collector).
func NewSession(ctx context.Context, db *store.DB, formID, version, lang string) (*Session, error) {
	form, err := db.Form(ctx, formID, version)
	if err != nil {
		return nil, err
	}
	id, err := db.NewDraft(ctx, formID, version)
	if err != nil {
		return nil, err
	}
	s := &Session{DB: db, Form: form, FormID: formID, Version: version, RecordID: id, Lang: lang, now: clock}
	s.Inst = form.NewInstance(forms.Options{Language: lang, Defaults: true, Now: s.now})
	collector, _ := db.Collector(ctx)
	s.setMeta(map[forms.Type]string{
		forms.TypeStart:    s.now().Format(time.RFC3339),
		forms.TypeToday:    s.now().Format(time.DateOnly),
		forms.TypeDeviceID: "fieldbench:" + shortDevice(db.DeviceID()),
		forms.TypeUsername: collector,
	})
	s.Inst.GrowRepeats()
	return s, s.save(ctx, nil)
}

// ResumeSession carries on with a draft.
func ResumeSession(ctx context.Context, db *store.DB, rec store.Record, lang string) (*Session, error) {
	data, err := db.Resume(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	s, err := openSession(ctx, db, rec, data, lang, false)
	if s != nil {
		s.Resumed = true
	}
	return s, err
}

// EditSession opens a finalized record for correction; Save stores the
// result as a new version.
func EditSession(ctx context.Context, db *store.DB, rec store.Record, lang string) (*Session, error) {
	full, err := db.Record(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	return openSession(ctx, db, rec, full.Data, lang, true)
}

func openSession(ctx context.Context, db *store.DB, rec store.Record, data []byte, lang string, editing bool) (*Session, error) {
	form, err := db.Form(ctx, rec.FormID, rec.FormVersion)
	if err != nil {
		return nil, err
	}
	obj, err := forms.DecodeRecord(data)
	if err != nil {
		return nil, err
	}
	s := &Session{DB: db, Form: form, FormID: rec.FormID, Version: rec.FormVersion, RecordID: rec.ID,
		Lang: lang, Editing: editing, now: clock}
	s.Inst, _ = form.Fill(obj, forms.Options{Language: lang, Now: s.now})
	return s, nil
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
func (s *Session) Answer(ctx context.Context, path, value string) ([]forms.Problem, error) {
	old := s.Inst.Answer(path)
	if err := s.Inst.Set(path, value); err != nil {
		return nil, err
	}
	if errs, _ := s.Inst.ProblemsAt(path, s.Lang); len(errs) > 0 {
		s.Inst.Set(path, old)
		return errs, nil
	}
	s.Inst.GrowRepeats()
	now := s.Inst.Answer(path)
	if now == old {
		return nil, nil
	}
	return nil, s.save(ctx, &store.AnswerChange{Path: path, Old: old, New: now})
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

// clock stamps the metadata of records; tests fix it.
var clock = time.Now

// ErrNotReady is returned by Finish when the record still has errors.
var ErrNotReady = errors.New("the record is not complete")

// Finish finalizes a draft (after stamping the end time), or stores an
// edited record as a new version. The record is validated again in full
// by the store, whatever the screens checked.
func (s *Session) Finish(ctx context.Context) error {
	if len(s.Missing()) > 0 {
		return ErrNotReady
	}
	if s.Editing {
		data, err := s.Inst.MarshalJSON()
		if err != nil {
			return err
		}
		_, err = s.DB.Edit(ctx, s.RecordID, data)
		return err
	}
	s.setMeta(map[forms.Type]string{forms.TypeEnd: s.now().Format(time.RFC3339)})
	if err := s.save(ctx, nil); err != nil {
		return err
	}
	_, err := s.DB.Finalize(ctx, s.RecordID)
	return err
}

// save writes the draft; an edit in progress stays in memory.
func (s *Session) save(ctx context.Context, change *store.AnswerChange) error {
	if s.Editing {
		return nil
	}
	data, err := s.Inst.MarshalJSON()
	if err != nil {
		return err
	}
	return s.DB.SaveDraftNamed(ctx, s.RecordID, data, s.Inst.Name(), change)
}
