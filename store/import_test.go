package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestInsertFinalizedIdempotent(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	data := household("王", 1)
	id, inserted, err := db.InsertFinalized(ctx, "household", "1", "line-1", data)
	if err != nil || !inserted {
		t.Fatalf("%s %v %v", id, inserted, err)
	}
	again, inserted, err := db.InsertFinalized(ctx, "household", "1", "line-1", data)
	if err != nil || inserted || again != id {
		t.Fatalf("re-import: %s %v %v; want %s, not inserted", again, inserted, err, id)
	}
	r, _ := db.Record(ctx, id)
	if r.State != Finalized || string(r.Data) != string(data) {
		t.Errorf("record %+v", r)
	}
	var unknown *ErrUnknownForm
	if _, _, err := db.InsertFinalized(ctx, "household", "7", "line-2", data); !errors.As(err, &unknown) {
		t.Errorf("unknown version: %v", err)
	}
	// Records without a key are never taken for one another.
	a, _, _ := db.InsertFinalized(ctx, "household", "1", "", data)
	b, _, _ := db.InsertFinalized(ctx, "household", "1", "", data)
	if a == b {
		t.Error("two keyless imports share an id")
	}
	if ev := auditEvents(t, db); ev != "form_added imported imported imported" {
		t.Errorf("audit %s", ev)
	}
}

func TestInsertFinalizedBatch(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	var items []ImportItem
	for i := 0; i < 500; i++ {
		items = append(items, ImportItem{FormID: "household", Version: "1", Key: fmt.Sprintf("k%d", i), Data: household("x", 1+i%3)})
	}
	items = append(items, items[7]) // the same line twice in one file
	res, err := db.InsertFinalizedBatch(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].Inserted || res[500].Inserted || res[500].ID != res[7].ID {
		t.Fatalf("duplicate within the batch: %+v %+v", res[7], res[500])
	}
	// Rerun after a partial earlier run: only the new lines go in.
	res, err = db.InsertFinalizedBatch(ctx, append(items[490:500], ImportItem{FormID: "household", Version: "1", Key: "new", Data: household("n", 1)}))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res[:10] {
		if r.Inserted {
			t.Fatalf("item %d inserted twice", i)
		}
	}
	if !res[10].Inserted {
		t.Fatal("new item not inserted")
	}
	recs, _ := db.Records(ctx, Filter{State: Finalized})
	if len(recs) != 501 {
		t.Fatalf("%d records, want 501", len(recs))
	}
	// A bad item rolls the whole batch back: nothing half-stored.
	bad := []ImportItem{{FormID: "household", Version: "1", Key: "b1", Data: household("b", 1)}, {FormID: "ghost", Version: "1", Key: "b2"}}
	if _, err := db.InsertFinalizedBatch(ctx, bad); err == nil {
		t.Fatal("batch with an unknown form stored")
	}
	if _, inserted, _ := db.InsertFinalized(ctx, "household", "1", "b1", household("b", 1)); !inserted {
		t.Error("the failed batch left its first item behind")
	}
	// One event per batch (form added, two batches, one single insert),
	// naming every record it stored with the hash of its data.
	if n, p, err := db.VerifyAudit(ctx); p != nil || err != nil || n != 4 {
		t.Errorf("audit after imports: %d %v %v", n, p, err)
	}
	var detail string
	db.sql.QueryRow(`SELECT detail FROM audit WHERE event = 'imported' ORDER BY seq LIMIT 1`).Scan(&detail)
	var ev struct {
		Records []struct {
			ID, Key, SHA256 string
			VersionID       string `json:"version_id"`
		}
	}
	if err := json.Unmarshal([]byte(detail), &ev); err != nil || len(ev.Records) != 500 {
		t.Fatalf("first import event: %d records (%v), want the 500 stored", len(ev.Records), err)
	}
	for _, r := range ev.Records {
		var sum, vid string
		db.sql.QueryRow(`SELECT v.sha256, v.version_id FROM records r JOIN record_versions v ON v.version_id = r.head
			WHERE r.id = ? AND r.import_key = ?`, r.ID, must(hex.DecodeString(r.Key))).Scan(&sum, &vid)
		if sum != r.SHA256 || vid != r.VersionID {
			t.Fatalf("event names %+v; stored version %s with sha256 %s", r, vid, sum)
		}
	}
}

// Two handles on one file, as the TUI and an import in two processes:
// both finish, and no "database is locked" reaches either.
func TestConcurrentHandles(t *testing.T) {
	ctx := context.Background()
	_, path := newDB(t)
	tui, err := Open(path, WithCollector("tui"))
	if err != nil {
		t.Fatal(err)
	}
	defer tui.Close()
	imp, err := Open(path, WithCollector("import"))
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Close()

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	wg.Add(3)
	go func() { // answer-by-answer drafts
		defer wg.Done()
		for i := 0; i < 30; i++ {
			id, err := tui.NewDraft(ctx, "household", "1")
			if err != nil {
				errs <- err
				return
			}
			for j := 0; j < 5; j++ {
				if err := tui.SaveDraft(ctx, id, household("t", j+1), &AnswerChange{Path: "hh_size", New: fmt.Sprint(j + 1)}); err != nil {
					errs <- err
					return
				}
			}
			if _, err := tui.Finalize(ctx, id); err != nil {
				errs <- err
				return
			}
		}
	}()
	go func() { // an import in batches
		defer wg.Done()
		for b := 0; b < 20; b++ {
			var items []ImportItem
			for i := 0; i < 250; i++ {
				items = append(items, ImportItem{FormID: "household", Version: "1", Key: fmt.Sprintf("%d-%d", b, i), Data: household("i", 2)})
			}
			if _, err := imp.InsertFinalizedBatch(ctx, items); err != nil {
				errs <- err
				return
			}
		}
	}()
	go func() { // and a backup in the middle of it all
		defer wg.Done()
		if err := imp.Backup(ctx, filepath.Join(t.TempDir(), "mid.db")); err != nil {
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
			t.Errorf("lock error reached the caller: %v", err)
		} else {
			t.Error(err)
		}
	}
	recs, _ := tui.Records(ctx, Filter{State: Finalized})
	if len(recs) != 30+20*250 {
		t.Errorf("%d finalized records, want %d", len(recs), 30+20*250)
	}
	if n, p, err := tui.VerifyAudit(ctx); p != nil || err != nil {
		t.Errorf("audit chain after concurrent writers: %d %v %v", n, p, err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
