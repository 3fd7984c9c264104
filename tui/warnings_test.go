package tui

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// softMD has two soft checks: one on its own answer (over ten people),
// one that a later answer trips (more than three people a room).
const softMD = `| survey |
| | type | name | label | constraint | warning | warning_message |
| | integer | n | People | . >= 1 | . <= 10 and (${rooms} = '' or . <= ${rooms} * 3) | Over ten, or over three a room: check |
| | integer | rooms | Rooms | . >= 1 | | |
| | text | note | Note | | | |
| settings |
| | form_id | version | form_title |
| | soft | 1 | Soft checks |
`

// warningEvents lists the warning_confirmed events of the audit trail.
func warningEvents(t *testing.T, db *store.DB) []store.WarningConfirmation {
	t.Helper()
	rows, err := db.Audit(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.WarningConfirmation
	for _, r := range rows {
		if r.Event == store.EventWarningConfirmed {
			var w store.WarningConfirmation
			if err := json.Unmarshal([]byte(r.Detail), &w); err != nil {
				t.Fatal(err)
			}
			out = append(out, w)
		}
	}
	return out
}

func confirmedIn(t *testing.T, db *store.DB, id string) []forms.Problem {
	t.Helper()
	rec, err := db.Record(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := forms.DecodeRecord(rec.Data)
	if err != nil {
		t.Fatal(err)
	}
	var out []forms.Problem
	b, _ := json.Marshal(obj[forms.WarningsKey])
	json.Unmarshal(b, &out)
	return out
}

// On the household sample: twelve people is accepted but warned about
// under the question; Enter again confirms it into the draft and the audit
// trail and moves on; changing the answer checks it afresh.
func TestFillWarningConfirmed(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "zh-Hans")
	s, err := entry.New(ctx, db, "household_visit", samples.HouseholdVisitVersion, "zh-Hans", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, openFillMsg{s: s})
	m.fill.jumpTo("hh_size")
	m = send(t, m, keys("12", "enter")...)
	screen := screenText(m)
	if !strings.Contains(screen, "提醒：户人数超过10人，请核实") || !strings.Contains(screen, "答案无误请再按 Enter 确认") {
		t.Fatalf("no warning under the question:\n%s", screen)
	}
	if st := m.fill.steps[m.fill.focus]; st.Path != "hh_size" || s.Inst.Answer("hh_size") != "12" {
		t.Fatalf("the warned answer should be kept and stay in focus: at %s, answer %q", st.Path, s.Inst.Answer("hh_size"))
	}
	if len(confirmedIn(t, db, s.RecordID)) != 0 || len(warningEvents(t, db)) != 0 {
		t.Fatal("confirmed before the second Enter")
	}
	golden(t, "fill-warning-zh-Hans", m)

	m = send(t, m, keys("enter")...)
	if st := m.fill.steps[m.fill.focus]; st.Path == "hh_size" || !strings.Contains(screenText(m), "已确认提醒") {
		t.Fatalf("the second Enter should confirm and move on:\n%s", screenText(m))
	}
	got := confirmedIn(t, db, s.RecordID)
	if len(got) != 1 || got[0] != (forms.Problem{Field: "hh_size", Path: "hh_size", Rule: "warning", Message: "户人数超过10人，请核实"}) {
		t.Fatalf("draft's __warnings: %+v", got)
	}
	ev := warningEvents(t, db)
	if len(ev) != 1 || ev[0] != (store.WarningConfirmation{Field: "hh_size", Path: "hh_size", Rule: "warning", Value: "12", Message: "户人数超过10人，请核实"}) {
		t.Fatalf("audit: %+v", ev)
	}

	// Another answer is checked afresh: warned again, the old
	// confirmation gone from the draft.
	m.fill.jumpTo("hh_size")
	m = send(t, m, keys("bs", "bs", "13", "enter")...)
	if !strings.Contains(screenText(m), "户人数超过10人") || len(confirmedIn(t, db, s.RecordID)) != 0 {
		t.Fatalf("a changed answer keeps its old confirmation:\n%s", screenText(m))
	}
	// Moving away (Up) leaves it unconfirmed; it waits for the check
	// before finalizing.
	m = send(t, m, keys("up")...)
	if st := m.fill.steps[m.fill.focus]; st.Path == "hh_size" || len(s.Unconfirmed()) != 1 {
		t.Fatalf("Up should move on and leave the warning pending: %s, %+v", st.Path, s.Unconfirmed())
	}
}

// A warning an answer elsewhere tripped waits in the check before
// finalizing: it is listed, e goes to its question, Enter confirms it,
// and only then does Enter finalize. The finalized record keeps it.
func TestFillSummaryConfirmsWarnings(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	if _, err := db.AddForm(ctx, "soft.md", []byte(softMD)); err != nil {
		t.Fatal(err)
	}
	s, err := entry.New(ctx, db, "soft", "1", "en", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, openFillMsg{s: s})
	m = send(t, m, keys("9", "enter", "2", "enter", "ctrl+f")...)
	screen := screenText(m)
	if !strings.Contains(screen, "Confirm 1 warnings") || !strings.Contains(screen, "People: Over ten, or over three a room: check") {
		t.Fatalf("summary:\n%s", screen)
	}
	m = send(t, m, keys("e")...)
	if m.fill.mode != modeAnswer || m.fill.steps[m.fill.focus].Path != "n" {
		t.Fatalf("e should go to the question: mode %d at %s", m.fill.mode, m.fill.steps[m.fill.focus].Path)
	}
	m = send(t, m, keys("ctrl+f", "enter")...)
	if !strings.Contains(screenText(m), "Everything is answered") {
		t.Fatalf("after confirming:\n%s", screenText(m))
	}
	m = send(t, m, keys("enter")...)
	if m.screen != screenHome {
		t.Fatalf("not finalized:\n%s", screenText(m))
	}
	rec, _ := db.Record(ctx, s.RecordID)
	if rec.State != store.Finalized || !strings.Contains(string(rec.Data), `"__warnings":[{"field":"n","path":"n","rule":"warning"`) {
		t.Fatalf("finalized record: %s %s", rec.State, rec.Data)
	}
	if ev := warningEvents(t, db); len(ev) != 1 || ev[0].Value != "9" {
		t.Fatalf("audit: %+v", ev)
	}
}

// Finish refuses while a warning waits; a refused answer does not lose the
// confirmation of the answer it would have replaced.
func TestSessionWarnings(t *testing.T) {
	ctx := context.Background()
	db := sampleDB(t)
	if _, err := db.AddForm(ctx, "soft.md", []byte(softMD)); err != nil {
		t.Fatal(err)
	}
	s, _ := entry.New(ctx, db, "soft", "1", "en", fixedClock)
	s.Answer(ctx, "n", "11")
	s.Answer(ctx, "rooms", "4")
	if err := s.Finish(ctx); err != entry.ErrUnconfirmed {
		t.Fatalf("Finish with a warning waiting: %v", err)
	}
	p := s.Pending("n")
	if len(p) != 1 {
		t.Fatalf("pending %+v", p)
	}
	if err := s.Confirm(ctx, p[0]); err != nil {
		t.Fatal(err)
	}
	if errs, _ := s.Answer(ctx, "n", "0"); len(errs) != 1 || !s.Inst.IsConfirmed(p[0]) {
		t.Fatalf("refused answer: %v, confirmed %+v", errs, s.Inst.Confirmed())
	}
	// Fewer rooms would now also be over three a room: the same warning,
	// still confirmed. More rooms does not matter to it.
	s.Answer(ctx, "rooms", "5")
	if len(s.Unconfirmed()) != 0 {
		t.Fatalf("unconfirmed %+v", s.Unconfirmed())
	}
	if err := s.Finish(ctx); err != nil {
		t.Fatal(err)
	}
}

// The plain path: a warned answer asks whether it is right; n asks the
// question again, y confirms; a warning tripped by a later answer is asked
// before finalizing.
func TestPlainWarnings(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.AddForm(context.Background(), "soft.md", []byte(softMD)); err != nil {
		t.Fatal(err)
	}
	out := runPlain(t, db, "en",
		"1",       // the form
		"12", "n", // warned; not right: asked again
		"11", "y", // warned; confirmed
		"1", // one room: now three a room is exceeded too, but n's warning is already confirmed
		"",  // note left blank
		"y", // finalize
	)
	for _, want := range []string{"  ? Warning: Over ten, or over three a room: check",
		"Is the answer right? (y confirms / n changes it)", "Confirmed: kept in the record and the audit trail.", "Finalized"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "Warning:") != 2 {
		t.Errorf("two warnings expected (12, then 11):\n%s", out)
	}
	_, obj := recordData(t, db, store.Finalized)
	wantAnswers(t, obj, map[string]string{"n": "11", "rooms": "1"})
	if ev := warningEvents(t, db); len(ev) != 1 || ev[0].Value != "11" {
		t.Errorf("audit: %+v", ev)
	}

	// A later answer trips the first question's warning: asked at the end.
	out = runPlain(t, db, "en", "1", "9", "2", "", "y", "y")
	if !strings.Contains(out, "Warnings to confirm before finalizing (1):") || !strings.Contains(out, "  ? n: Over ten") {
		t.Errorf("the review did not ask:\n%s", out)
	}
	recs, _ := db.Records(context.Background(), store.Filter{State: store.Finalized})
	if len(recs) != 2 || len(warningEvents(t, db)) != 2 {
		t.Errorf("finalized %d, events %d", len(recs), len(warningEvents(t, db)))
	}
}
