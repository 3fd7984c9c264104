package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// stopNoteForm has ODK's stop-check: a required note that shows while a
// and b differ, so the record cannot be finalized until they agree.
const stopNoteForm = "| survey |\n| | type | name | label | required | relevant |\n" +
	"| | integer | a | First count | | |\n| | integer | b | Second count | | |\n" +
	"| | note | stop | The two counts differ | yes | ${a} != ${b} |\n" +
	"| settings |\n| | form_id | version |\n| | stopnote | 1 |\n"

// newRecordOf is testApp in English with form md (version 1) registered
// and a new record of it open.
func newRecordOf(t *testing.T, formID, md string) (model, *store.DB) {
	t.Helper()
	m, db := testApp(t, "en")
	if _, err := db.AddForm(context.Background(), formID+".md", []byte(md)); err != nil {
		t.Fatal(err)
	}
	s, err := entry.New(context.Background(), db, formID, "1", "en", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	return send(t, m, openFillMsg{s: s}), db
}

// Enter on a required note that shows stays on it and says why; the check
// before finalizing lists it and Enter there does not finalize; once the
// answers hide it, the record finalizes.
func TestRequiredNoteBlocksFinalize(t *testing.T) {
	ctx := context.Background()
	m, db := newRecordOf(t, "stopnote", stopNoteForm)
	m = send(t, m, keys("1", "enter", "2", "enter", "enter")...)
	screen := screenText(m)
	if !strings.Contains(screen, "The two counts differ") || !strings.Contains(screen, "cannot be finalized while it shows") {
		t.Fatalf("Enter on the shown required note:\n%s", screen)
	}
	if m.fill.mode != modeAnswer {
		t.Fatalf("Enter went past the required note to the check:\n%s", screen)
	}
	m = send(t, m, keys("ctrl+f", "enter")...)
	screen = screenText(m)
	if !strings.Contains(screen, "The two counts differ") || !strings.Contains(screen, "cannot be finalized while it shows") {
		t.Fatalf("the check before finalizing does not list the note:\n%s", screen)
	}
	if recs, _ := db.Records(ctx, store.Filter{State: store.Finalized}); len(recs) != 0 {
		t.Fatalf("finalized past a required note: %v", recs)
	}
	m = send(t, m, keys("esc")...)
	m.fill.jumpTo("b")
	m = send(t, m, keys("bs", "1", "enter", "ctrl+f", "enter")...)
	if recs, _ := db.Records(ctx, store.Filter{State: store.Finalized}); len(recs) != 1 {
		t.Fatalf("with the counts equal the record finalizes:\n%s", screenText(m))
	}
}

// The plain prompts say the same under the note, and the review sends the
// person back to the answer before it rather than round to the note.
func TestPlainRequiredNote(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddForm(context.Background(), "stopnote.md", []byte(stopNoteForm)); err != nil {
		t.Fatal(err)
	}
	out := runPlain(t, db, "en", "1",
		"1", "2", // the note shows, and says it stops the record
		"1", // sent back to b by the review: make the counts agree
		"y",
	)
	for _, want := range []string{"The two counts differ\n  ! a required note", "To fix before finalizing (1):", "Finalized"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	_, obj := recordData(t, db, store.Finalized)
	wantAnswers(t, obj, map[string]string{"a": "1", "b": "1"})
}
