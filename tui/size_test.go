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
)

// A record over forms.MaxRecordBytes is not saved: the fill screen says
// so in the interface language and keeps the answers for the collector
// to shorten; the record keeps its one version. Before, the edit was
// stored, and later held back every sync.
func TestFillRefusesRecordOverTheSizeLimit(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "zh-Hans")
	line, _ := json.Marshal(knownRecord(t))
	id, _, err := db.InsertFinalized(ctx, "household_visit", samples.HouseholdVisitVersion, "", line)
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, keys("r", "right", "right", "e")...) // the finalized tab, edit
	if m.screen != screenFill || !m.fill.s.Editing {
		t.Fatalf("not editing:\n%s", screenText(m))
	}
	long := strings.Repeat("长", forms.MaxRecordBytes/3+1)
	if errs, err := m.fill.s.Answer(ctx, "address", long); err != nil || len(errs) > 0 {
		t.Fatalf("answer: %v %v", errs, err)
	}
	m = send(t, m, keys("ctrl+f", "enter")...)
	// The size said is the record's with its entity changes, which repeat
	// the address in the household's label: about twice the answer.
	if screen := screenText(m); m.screen != screenFill || !strings.Contains(screen, "记录太大（") ||
		!strings.Contains(screen, " KB，上限 1024 KB），未提交：请缩短最长的答案") {
		t.Fatalf("after finalizing:\n%s", screen)
	}
	if vs, _ := db.Versions(ctx, id); len(vs) != 1 {
		t.Errorf("%d versions", len(vs))
	}
}

// The plain prompts say the same and keep the draft.
func TestPlainRefusesRecordOverTheSizeLimit(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	form := "| survey |\n| | type | name | label |\n| | text | note | Note |\n| settings |\n| | form_id | version |\n| | notes | 1 |\n"
	if _, err := db.AddForm(context.Background(), "notes.md", []byte(form)); err != nil {
		t.Fatal(err)
	}
	out := runPlain(t, db, "en", "1", strings.Repeat("x", forms.MaxRecordBytes), "y")
	if !strings.Contains(out, "The record is too large (1025 KB, limit 1024 KB): not finalized; the draft is saved.") {
		t.Errorf("output lacks the refusal:\n%s", out[max(0, len(out)-2000):])
	}
	if drafts, _ := db.Drafts(context.Background()); len(drafts) != 1 {
		t.Errorf("%d drafts", len(drafts))
	}
	if recs, _ := db.Records(context.Background(), store.Filter{State: store.Finalized}); len(recs) != 0 {
		t.Errorf("%d finalized", len(recs))
	}
}

// A record sync set aside as too large for the catalogue's batches is
// listed on the Sync screen among those that need a person, with why.
func TestSetAsideRecordIsShown(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	if _, _, err := db.InsertFinalized(ctx, "household_visit", samples.HouseholdVisitVersion, "", []byte(`{"head_name":"张建国","village":"大路李村"}`)); err != nil {
		t.Fatal(err)
	}
	q, err := db.QueuePlanned(ctx, 10, func(vs []store.QueuedVersion) (store.BatchPlan, error) {
		return store.BatchPlan{SetAside: []store.SetAside{{Index: 0, Note: "not sent: the record's data is 40.0 MB"}}}, nil
	})
	if err != nil || q == nil || q.Batch != nil || len(q.SetAside) != 1 {
		t.Fatalf("%+v %v", q, err)
	}
	m = send(t, m, keys("y")...)
	if s := screenText(m); !strings.Contains(s, "Records that need attention: 1") || !strings.Contains(s, "rejected: not sent: the record's data is 40.0 MB") {
		t.Fatalf("sync screen:\n%s", s)
	}
}
