package entry

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store"
)

// stamped is a form with every time the session fills in itself.
const stamped = "| survey |\n| | type | name | label |\n" +
	"| | start | start | |\n| | end | end | |\n| | today | today | |\n" +
	"| | text | q | Q |\n" +
	"| settings |\n| | form_id | version |\n| | stamped | 1 |\n"

func stampedDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.AddForm(context.Background(), "stamped.md", []byte(stamped)); err != nil {
		t.Fatal(err)
	}
	return db
}

// The record's start, today and end come from the clock the session was
// given, not from a package variable a test has to overwrite: a test
// fixes one clock for screens and records alike.
func TestSessionStampsWithItsClock(t *testing.T) {
	ctx := context.Background()
	db := stampedDB(t)
	at := time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC)
	s, err := New(ctx, db, "stamped", "1", "en", func() time.Time { return at })
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Inst.Answer("start"); !strings.HasPrefix(got, "2026-11-27T01:30:00") {
		t.Errorf("start %q", got)
	}
	if got := s.Inst.Answer("today"); got != "2026-11-27" {
		t.Errorf("today %q", got)
	}
	if _, err := s.Answer(ctx, "q", "x"); err != nil {
		t.Fatal(err)
	}
	at = at.Add(time.Hour)
	resumed, err := Resume(ctx, db, store.Record{ID: s.RecordID, FormID: "stamped", FormVersion: "1"}, "en", func() time.Time { return at })
	if err != nil || !resumed.Resumed {
		t.Fatalf("resume: %v", err)
	}
	if err := resumed.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	rec, err := db.Record(ctx, s.RecordID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rec.Data), `"end":"2026-11-27T02:30:00`) || !strings.Contains(string(rec.Data), `"start":"2026-11-27T01:30:00`) {
		t.Fatalf("record: %s", rec.Data)
	}
}

// entry is the domain of a record being entered; drawing is tui's. A
// terminal package imported here would make it one more screen.
func TestEntryDrawsNothing(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/charmbracelet/") || strings.HasPrefix(dep, "github.com/fieldbench/fieldbench/tui") && dep != "github.com/fieldbench/fieldbench/tui/entry" {
			t.Errorf("entry imports %s", dep)
		}
	}
}
