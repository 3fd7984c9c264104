package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store"
)

const rankForm = "| survey |\n| | type | name | label | required |\n" +
	"| | rank crops | priority | Order the crops | yes |\n" +
	"| choices |\n| | list_name | name | label |\n| | crops | maize | Maize |\n| | crops | wheat | Wheat |\n| | crops | rice | Rice |\n" +
	"| settings |\n| | form_id | version |\n| | ranking | 1 |\n"

// The rank widget: Space picks up the choice under the cursor, Up and Down
// carry it, Space puts it down, Enter stores the whole order.
func TestRankWidget(t *testing.T) {
	ctx := context.Background()
	m, db := newRecordOf(t, "ranking", rankForm)
	s := m.fill.s
	screen := screenText(m)
	if !strings.Contains(screen, " 1. Maize") || !strings.Contains(screen, " 3. Rice") || !strings.Contains(screen, "pick up/put down") {
		t.Fatalf("a new rank shows the list's order and its keys:\n%s", screen)
	}
	m = send(t, m, keys("down", "down", " ", "up")...) // pick up Rice, carry it up one
	if screen = screenText(m); !strings.Contains(screen, " 2. Rice  (moving") {
		t.Fatalf("Rice carried up:\n%s", screen)
	}
	m = send(t, m, keys("up", " ", "down")...) // to the top, put down, cursor on Maize
	if s.Inst.Answer("priority") != "" {
		t.Fatalf("moving stored %q before Enter", s.Inst.Answer("priority"))
	}
	m = send(t, m, keys("enter")...)
	if got := s.Inst.Answer("priority"); got != "rice maize wheat" {
		t.Fatalf("stored %q\n%s", got, screenText(m))
	}
	m = send(t, m, keys("ctrl+f", "enter")...)
	if recs, _ := db.Records(ctx, store.Filter{State: store.Finalized}); len(recs) != 1 {
		t.Fatalf("not finalized:\n%s", screenText(m))
	}
}

// The plain prompts take the order as numbers, and refuse a partial one.
func TestPlainRank(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddForm(context.Background(), "ranking.md", []byte(rankForm)); err != nil {
		t.Fatal(err)
	}
	out := runPlain(t, db, "en", "1", "3 1", "3, 1 2", "y")
	for _, want := range []string{"most important first", "! rank all 3 choices (2 are ranked)", "Finalized"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	_, obj := recordData(t, db, store.Finalized)
	wantAnswers(t, obj, map[string]string{"priority": "rice maize wheat"})
}
