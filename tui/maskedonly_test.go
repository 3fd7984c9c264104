package tui

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store"
)

// movingClock is a database clock a test moves on by whole days.
type movingClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movingClock) time() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *movingClock) advance(days int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Duration(days) * 24 * time.Hour)
}

// sendAccepted queues the finalized records and applies the catalogue's
// receipt accepting each, as a sync does.
func sendAccepted(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	var queued []store.QueuedVersion
	if _, err := db.QueueBatch(ctx, 100, func(vs []store.QueuedVersion) (string, []byte, error) {
		queued = vs
		return "b1", []byte("{}"), nil
	}); err != nil {
		t.Fatal(err)
	}
	var results []map[string]string
	var outcomes []store.Outcome
	for _, q := range queued {
		results = append(results, map[string]string{"version_id": q.VersionID, "status": "accepted"})
		outcomes = append(outcomes, store.Outcome{VersionID: q.VersionID, State: store.Sent, OnServer: true})
	}
	receipt, _ := json.Marshal(map[string]any{"results": results})
	if err := db.ApplyReceipt(ctx, "b1", receipt, outcomes); err != nil {
		t.Fatal(err)
	}
}

// unchanged fails the test if the record has more than one version or
// an edit in progress.
func unchanged(t *testing.T, db *store.DB, id string) {
	t.Helper()
	ctx := context.Background()
	if vs, _ := db.Versions(ctx, id); len(vs) != 1 {
		t.Errorf("the refused edit made a version: %d versions", len(vs))
	}
	if e, _ := db.PendingEdits(ctx); len(e) != 0 {
		t.Errorf("the refused edit was kept in progress: %+v", e)
	}
}

// A sent record whose clear answers retention removed cannot be opened to
// edit from the records screen: the status line says so, and the
// record's view says why and what to do, in the interface language; no
// edit starts.
func TestMaskedOnlyEditRefusedOnScreen(t *testing.T) {
	ctx := context.Background()
	clock := &movingClock{now: fixedClock()}
	m, db := testAppAt(t, "zh-Hans", clock.time)
	id := knownFinalized(t, db)
	sendAccepted(t, db)
	clock.advance(31)
	if n, err := db.DropExpiredSealed(ctx, 30); err != nil || n != 1 {
		t.Fatalf("retention: %d %v", n, err)
	}
	m = send(t, m, keys("r", "e")...)
	if m.screen == screenFill {
		t.Fatal("e opened the masked-only record to edit")
	}
	s := screenText(m)
	for _, want := range []string{"不能在本机修改：只保留了遮蔽后的内容", "完整记录保存在中心目录", "请联系中心目录的管理员"} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen lacks %q:\n%s", want, s)
		}
	}
	unchanged(t, db, id)
}

// The line prompts refuse it too, through the same check: an edit in
// progress of a record whose key was reset is not resumed, the reason
// printed in full; the edit can still be discarded.
func TestMaskedOnlyEditRefusedInPlain(t *testing.T) {
	ctx := context.Background()
	db := sampleDB(t)
	id, _ := keptEdit(t, db)
	if _, err := db.ResetKey(ctx, ""); err != nil {
		t.Fatal(err)
	}
	out := runPlain(t, db, "en", "3", "", "q")
	if !strings.Contains(out, "This record keeps only its masked data on this laptop") ||
		!strings.Contains(out, "the full record is at the catalogue") || strings.Contains(out, "every answer is kept on this laptop; saving makes a new version") {
		t.Fatalf("plain output:\n%s", out)
	}
	if vs, _ := db.Versions(ctx, id); len(vs) != 1 {
		t.Fatalf("%d versions", len(vs))
	}
	out = runPlain(t, db, "en", "3", "d", "y", "q")
	if !strings.Contains(out, "Edit discarded") {
		t.Fatalf("discarding:\n%s", out)
	}
	unchanged(t, db, id)
}

// The workbench applies the retention period the last sync kept as it
// starts, with no catalogue at hand, and audits it.
func TestWorkbenchStartAppliesRetention(t *testing.T) {
	ctx := context.Background()
	clock := &movingClock{now: fixedClock()}
	db := sampleDB(t, store.WithClock(clock.time))
	id := knownFinalized(t, db)
	sendAccepted(t, db)
	if n, err := db.DropExpiredSealed(ctx, 30); err != nil || n != 0 {
		t.Fatalf("sync: %d %v", n, err)
	}
	clock.advance(31)
	var out strings.Builder
	if err := Run(ctx, Deps{DB: db, In: strings.NewReader("q\n"), Out: &out, Getenv: func(string) string { return "" }, Lang: "en", NotTerminal: true}); err != nil {
		t.Fatal(err)
	}
	if r, err := db.Record(ctx, id); err != nil || !r.MaskedOnly {
		t.Fatalf("after the start the record is not masked only: %v", err)
	}
	rows, _ := db.Audit(ctx, 0)
	if last := rows[len(rows)-1]; last.Event != store.EventSealedExpired || !strings.Contains(last.Detail, `"versions":1`) {
		t.Fatalf("last audit row: %+v", last)
	}
}
