package entry

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

// visits reads the last saved record and the record's own id.
const visits = "| survey |\n| | type | name | label | default | calculation | constraint |\n" +
	"| | text | village | Village | ${last-saved#village} | | |\n" +
	"| | integer | visit | Visit | | | ${last-saved#visit} = '' or . > ${last-saved#visit} |\n" +
	"| | calculate | before | | | concat('after ', ${last-saved#visit}) | |\n" +
	"| | calculate | ref | | | ${instanceID} | |\n" +
	"| settings |\n| | form_id | version |\n| | visits | 1 |\n"

func visitsDB(t *testing.T) (*store.DB, *time.Time) {
	t.Helper()
	at := time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC)
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"),
		store.WithClock(func() time.Time { return at }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.AddForm(context.Background(), "visits.md", []byte(visits)); err != nil {
		t.Fatal(err)
	}
	return db, &at
}

func fillVisit(t *testing.T, db *store.DB, at *time.Time, visit string, finish bool) *Session {
	t.Helper()
	ctx := context.Background()
	s, err := New(ctx, db, "visits", "1", "en", func() time.Time { return *at })
	if err != nil {
		t.Fatal(err)
	}
	if s.Inst.Answer("village") == "" {
		if errs, err := s.Answer(ctx, "village", "大王庄"); err != nil || len(errs) > 0 {
			t.Fatalf("village: %v %v", errs, err)
		}
	}
	if errs, err := s.Answer(ctx, "visit", visit); err != nil || len(errs) > 0 {
		t.Fatalf("visit %s: %v %v", visit, errs, err)
	}
	if finish {
		if err := s.Finish(ctx); err != nil {
			t.Fatal(err)
		}
	}
	*at = at.Add(time.Minute)
	return s
}

// A new record reads the record saved last (a draft as it stands, a
// finalized one as finalized), and what it stores when finalized is what
// the screen showed: the store checks it again against the same last
// saved record, with the record's own ${instanceID}.
func TestLastSavedAndInstanceIDFromTheStore(t *testing.T) {
	ctx := context.Background()
	db, at := visitsDB(t)
	first := fillVisit(t, db, at, "1", true)
	rec, err := db.Record(ctx, first.RecordID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rec.Data), `"before":"after "`) || !strings.Contains(string(rec.Data), `"ref":"uuid:`+first.RecordID+`"`) {
		t.Fatalf("first record: %s", rec.Data)
	}

	second, err := New(ctx, db, "visits", "1", "en", func() time.Time { return *at })
	if err != nil {
		t.Fatal(err)
	}
	if got := second.Inst.Answer("village"); got != "大王庄" {
		t.Errorf("the default from the last saved record: %q", got)
	}
	if errs, _ := second.Answer(ctx, "visit", "1"); len(errs) != 1 {
		t.Errorf("visit 1 after a saved visit 1: %v", errs)
	}
	if errs, err := second.Answer(ctx, "visit", "2"); err != nil || len(errs) > 0 {
		t.Fatalf("visit 2: %v %v", errs, err)
	}
	*at = at.Add(time.Minute)
	// A third record left as a draft meanwhile is the last saved record
	// when the second is resumed, not for itself.
	third := fillVisit(t, db, at, "7", false)
	if last, err := db.LastSaved(ctx, "visits", third.RecordID); err != nil || last["visit"] != "2" {
		t.Errorf("LastSaved leaving the third out: %v %v", last, err)
	}
	if last, err := db.LastSaved(ctx, "visits", ""); err != nil || last["visit"] != "7" {
		t.Errorf("LastSaved of the form: %v %v", last, err)
	}
	resume := func() *Session {
		r, _ := db.Record(ctx, second.RecordID)
		s, err := Resume(ctx, db, *r, "en", func() time.Time { return *at })
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if missing := resume().Missing(); len(missing) != 1 || missing[0].Path != "visit" {
		t.Errorf("the second record resumed after the third's visit 7: %v", missing)
	}
	if err := db.DiscardDraft(ctx, third.RecordID); err != nil {
		t.Fatal(err)
	}
	second = resume()
	if err := second.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	rec, _ = db.Record(ctx, second.RecordID)
	if !strings.Contains(string(rec.Data), `"before":"after 1"`) || !strings.Contains(string(rec.Data), `"ref":"uuid:`+second.RecordID+`"`) {
		t.Fatalf("second record: %s", rec.Data)
	}
	resumed, err := Edit(ctx, db, *rec, "en", func() time.Time { return *at })
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := resumed.Inst.Value("ref"); v != forms.InstanceIDOf(second.RecordID) {
		t.Errorf("an edit reads the record's own id: %q", v)
	}
}
