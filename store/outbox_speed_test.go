package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tickingDB opens a fresh database whose clock moves a second at every
// reading, so records sort by when they were stored.
func tickingDB(t testing.TB) *DB {
	t.Helper()
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	db, err := Open(filepath.Join(t.TempDir(), "fb.db"), WithCollector("王芳"), WithClock(func() time.Time {
		now = now.Add(time.Second)
		return now
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.AddForm(context.Background(), "household.md", testForm("1")); err != nil {
		t.Fatal(err)
	}
	return db
}

// finalized stores n finalized records, each in its own transaction.
func finalized(t testing.TB, db *DB, n int) []string {
	t.Helper()
	var ids []string
	for i := 0; i < n; i++ {
		id, _, err := db.InsertFinalized(context.Background(), "household", "1", "", household(fmt.Sprint("户主", i), 1+i%3))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// queue runs QueueBatch with a build that names the batch id and keeps
// what it was given.
func queue(t testing.TB, db *DB, id string, max int) (*OutboxBatch, []QueuedVersion) {
	t.Helper()
	var got []QueuedVersion
	b, err := db.QueueBatch(context.Background(), max, func(vs []QueuedVersion) (string, []byte, error) {
		got = vs
		return id, []byte(`{"batch_id":"` + id + `"}`), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b, got
}

// syncRow is what sync keeps on a record.
type syncRow struct {
	State                                 State
	Head, ServerHead, SyncNote, UpdatedAt string
}

func syncRowOf(t testing.TB, db *DB, id string) syncRow {
	t.Helper()
	var r syncRow
	if err := db.sql.QueryRow(`SELECT state, head, server_head, sync_note, updated_at FROM records WHERE id = ?`, id).
		Scan(&r.State, &r.Head, &r.ServerHead, &r.SyncNote, &r.UpdatedAt); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestQueueBatchTakesTheOldestFinalizedFirst(t *testing.T) {
	ctx := context.Background()
	db := tickingDB(t)
	ids := finalized(t, db, 5)
	// Stored in one transaction, two records share updated_at: storage
	// order decides between them.
	res, err := db.InsertFinalizedBatch(ctx, []ImportItem{
		{FormID: "household", Version: "1", Key: "a", Data: household("甲", 1)},
		{FormID: "household", Version: "1", Key: "b", Data: household("乙", 2)},
	})
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, res[0].ID, res[1].ID)
	if _, err := db.NewDraft(ctx, "household", "1"); err != nil {
		t.Fatal(err)
	}

	b, vs := queue(t, db, "b1", 4)
	if b == nil || b.ID != "b1" || b.N != 4 || string(b.Body) != `{"batch_id":"b1"}` {
		t.Fatalf("first batch %+v", b)
	}
	for i, v := range vs {
		rec, err := db.Record(ctx, ids[i])
		if err != nil {
			t.Fatal(err)
		}
		versions, _ := db.Versions(ctx, ids[i])
		if v.RecordID != ids[i] || v.VersionID != rec.Head || v.SHA256 != versions[0].SHA256 || string(v.Data) != string(versions[0].Data) ||
			v.FormID != "household" || v.FormVersion != "1" || v.Collector != "王芳" || v.ServerHead != "" {
			t.Errorf("version %d: %+v, want record %s head %s", i, v, ids[i], rec.Head)
		}
		if rec.State != Queued {
			t.Errorf("record %d is %s, want queued", i, rec.State)
		}
	}
	items := batchItems(t, db, "b1")
	if len(items) != 4 {
		t.Fatalf("outbox items %v", items)
	}
	for _, v := range vs {
		if items[v.VersionID] != v.RecordID {
			t.Errorf("item %s names record %q, want %s", v.VersionID, items[v.VersionID], v.RecordID)
		}
	}
	if rec, _ := db.Record(ctx, ids[4]); rec.State != Finalized {
		t.Errorf("record 4 is %s before its turn", rec.State)
	}

	b, vs = queue(t, db, "b2", 4)
	if b == nil || b.N != 3 || vs[0].RecordID != ids[4] || vs[1].RecordID != ids[5] || vs[2].RecordID != ids[6] {
		t.Fatalf("second batch %+v %+v", b, vs)
	}
	if b, _ := queue(t, db, "b3", 4); b != nil {
		t.Fatalf("a batch with nothing to send: %+v", b)
	}
	pending, err := db.PendingBatches(ctx)
	if err != nil || len(pending) != 2 || pending[0].ID != "b1" || pending[0].N != 4 || pending[1].ID != "b2" || pending[1].N != 3 {
		t.Fatalf("pending %+v %v", pending, err)
	}
}

func batchItems(t testing.TB, db *DB, batchID string) map[string]string {
	t.Helper()
	rows, err := db.sql.Query(`SELECT version_id, record_id FROM outbox_items WHERE batch_id = ?`, batchID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var v, r string
		rows.Scan(&v, &r)
		out[v] = r
	}
	return out
}

// TestApplyReceiptOutcomes answers one batch with every kind of outcome,
// then again: the second answer changes nothing.
func TestApplyReceiptOutcomes(t *testing.T) {
	ctx := context.Background()
	db := tickingDB(t)
	ids := finalized(t, db, 6)
	_, vs := queue(t, db, "b1", 10)
	// Record 5 gets a new version while the batch is out (Edit refuses
	// queued records; a future sync rule might not): its head is no longer
	// the version sent.
	if _, err := db.sql.Exec(`UPDATE records SET state = 'finalized' WHERE id = ?`, ids[5]); err != nil {
		t.Fatal(err)
	}
	edited, err := db.Edit(ctx, ids[5], household("改过", 2))
	if err != nil {
		t.Fatal(err)
	}
	outcomes := []Outcome{
		{VersionID: vs[0].VersionID, State: Sent, OnServer: true},
		{VersionID: vs[1].VersionID, State: Sent, OnServer: true}, // a duplicate: success
		{VersionID: vs[2].VersionID, State: Conflict, Note: "edited from version A, but the catalogue's latest is B"},
		{VersionID: vs[3].VersionID, State: Rejected, Note: "fails the form's checks: <hh_size> & \"more\""},
		{VersionID: vs[4].VersionID, State: Conflict, Note: "another reason 其他"},
		{VersionID: vs[5].VersionID, State: Sent, OnServer: true},
		{VersionID: "not-in-the-batch", State: Rejected, Note: "ignored"},
	}
	receipt := []byte(`{"batch_id":"b1","results":[]}`)
	if err := db.ApplyReceipt(ctx, "b1", receipt, outcomes); err != nil {
		t.Fatal(err)
	}
	var at string
	var got sql.NullString
	if err := db.sql.QueryRow(`SELECT sent_at, receipt FROM outbox WHERE batch_id = 'b1'`).Scan(&at, &got); err != nil || got.String != string(receipt) {
		t.Fatalf("outbox row: %q %q %v", at, got.String, err)
	}
	want := []syncRow{
		{State: Sent, Head: vs[0].VersionID, ServerHead: vs[0].VersionID},
		{State: Sent, Head: vs[1].VersionID, ServerHead: vs[1].VersionID},
		{State: Conflict, Head: vs[2].VersionID, SyncNote: outcomes[2].Note},
		{State: Rejected, Head: vs[3].VersionID, SyncNote: outcomes[3].Note},
		{State: Conflict, Head: vs[4].VersionID, SyncNote: outcomes[4].Note},
		// Not the head any more: stays finalized, to go in the next batch,
		// but the catalogue's latest is the version sent.
		{State: Finalized, Head: edited.ID, ServerHead: vs[5].VersionID},
	}
	for i, id := range ids {
		w := want[i]
		w.UpdatedAt = at
		if r := syncRowOf(t, db, id); r != w {
			t.Errorf("record %d: %+v\nwant      %+v", i, r, w)
		}
	}
	if b, vs := queue(t, db, "b2", 10); b == nil || b.N != 1 || vs[0].VersionID != edited.ID || vs[0].ServerHead != outcomes[5].VersionID {
		t.Errorf("the edit's batch: %+v %+v", b, vs)
	}
	trail, _ := db.Audit(ctx, 0)
	last := trail[len(trail)-1]
	var detail map[string]any
	json.Unmarshal([]byte(last.Detail), &detail)
	if last.Event != EventSynced || detail["batch_id"] != "b1" || detail["sent"] != 3.0 || detail["conflicts"] != 2.0 || detail["rejected"] != 1.0 {
		t.Errorf("last audit row %+v", last)
	}
	if n, p, err := db.VerifyAudit(ctx); p != nil || err != nil || n != len(trail) {
		t.Errorf("audit: %d %v %v", n, p, err)
	}

	// The same answer fetched twice, or another one: nothing changes.
	snapshot := map[string]syncRow{}
	for _, id := range ids {
		snapshot[id] = syncRowOf(t, db, id)
	}
	again := make([]Outcome, len(outcomes))
	for i, o := range outcomes {
		again[i] = Outcome{VersionID: o.VersionID, State: Rejected, Note: "second answer"}
	}
	if err := db.ApplyReceipt(ctx, "b1", []byte(`{}`), again); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if r := syncRowOf(t, db, id); r != snapshot[id] {
			t.Errorf("record %d changed on a second answer: %+v, was %+v", i, r, snapshot[id])
		}
	}
	if after, _ := db.Audit(ctx, 0); len(after) != len(trail) {
		t.Errorf("a second answer added %d audit rows", len(after)-len(trail))
	}
	var stored string
	db.sql.QueryRow(`SELECT receipt FROM outbox WHERE batch_id = 'b1'`).Scan(&stored)
	if stored != string(receipt) {
		t.Errorf("the stored receipt became %q", stored)
	}
}

func TestApplyReceiptNeedsEveryVersion(t *testing.T) {
	ctx := context.Background()
	db := tickingDB(t)
	ids := finalized(t, db, 3)
	_, vs := queue(t, db, "b1", 10)
	trail, _ := db.Audit(ctx, 0)
	err := db.ApplyReceipt(ctx, "b1", []byte(`{}`), []Outcome{
		{VersionID: vs[0].VersionID, State: Sent, OnServer: true},
		{VersionID: vs[2].VersionID, State: Sent, OnServer: true},
	})
	if err == nil || !strings.Contains(err.Error(), vs[1].VersionID) {
		t.Fatalf("a receipt missing a version: %v", err)
	}
	for i, id := range ids {
		if r := syncRowOf(t, db, id); r.State != Queued || r.ServerHead != "" {
			t.Errorf("record %d after a refused receipt: %+v", i, r)
		}
	}
	if pending, _ := db.PendingBatches(ctx); len(pending) != 1 {
		t.Errorf("%d batches pending, want 1", len(pending))
	}
	if after, _ := db.Audit(ctx, 0); len(after) != len(trail) {
		t.Errorf("a refused receipt added %d audit rows", len(after)-len(trail))
	}
	if err := db.ApplyReceipt(ctx, "nonesuch", []byte(`{}`), nil); err == nil {
		t.Error("a receipt for an unknown batch was taken")
	}
}

// A batch naming two versions of one record (QueueBatch never makes one)
// takes their outcomes in item order, as one UPDATE per item did.
func TestApplyReceiptRecordTwice(t *testing.T) {
	ctx := context.Background()
	// twice queues a batch holding both versions of a record edited once,
	// and another record; it returns the record's ids and versions.
	twice := func(t *testing.T) (db *DB, ids []string, first, edit, other string) {
		db = tickingDB(t)
		ids = finalized(t, db, 2)
		rec, _ := db.Record(ctx, ids[0])
		edited, err := db.Edit(ctx, ids[0], household("改过", 2))
		if err != nil {
			t.Fatal(err)
		}
		_, vs := queue(t, db, "b1", 10)
		// The edit made record 0 the latest changed: it goes second.
		if len(vs) != 2 || vs[1].VersionID != edited.ID {
			t.Fatalf("queued %+v", vs)
		}
		if _, err := db.sql.Exec(`INSERT INTO outbox_items (batch_id, version_id, record_id) VALUES ('b1', ?, ?)`, rec.Head, ids[0]); err != nil {
			t.Fatal(err)
		}
		// Items go in version order: the first version, then the edit.
		if rec.Head > edited.ID {
			t.Fatalf("version ids out of order: %s %s", rec.Head, edited.ID)
		}
		return db, ids, rec.Head, edited.ID, vs[0].VersionID
	}
	t.Run("both stored", func(t *testing.T) {
		db, ids, first, edit, other := twice(t)
		err := db.ApplyReceipt(ctx, "b1", []byte(`{}`), []Outcome{
			{VersionID: edit, State: Sent, OnServer: true},
			{VersionID: first, State: Sent, OnServer: true},
			{VersionID: other, State: Sent, OnServer: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := syncRowOf(t, db, ids[0]); r.State != Sent || r.ServerHead != edit {
			t.Errorf("record named twice: %+v, want sent with server head %s", r, edit)
		}
		if r := syncRowOf(t, db, ids[1]); r.State != Sent || r.ServerHead != other {
			t.Errorf("the other record: %+v", r)
		}
	})
	t.Run("edit in conflict", func(t *testing.T) {
		// The first version went in, the edit came back a conflict: the
		// record takes the conflict and keeps the first as the
		// catalogue's.
		db, ids, first, edit, other := twice(t)
		err := db.ApplyReceipt(ctx, "b1", []byte(`{}`), []Outcome{
			{VersionID: first, State: Sent, OnServer: true},
			{VersionID: edit, State: Conflict, Note: "edited from an old version"},
			{VersionID: other, State: Conflict, Note: "n"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := syncRowOf(t, db, ids[0]); r.State != Conflict || r.SyncNote != "edited from an old version" || r.ServerHead != first {
			t.Errorf("record named twice: %+v, want a conflict with server head %s", r, first)
		}
		if r := syncRowOf(t, db, ids[1]); r.State != Conflict || r.SyncNote != "n" || r.ServerHead != "" {
			t.Errorf("the other record: %+v", r)
		}
	})
}

// The outbox's statements find their rows through indexes: a scan of
// records would cost a sync time in proportion to everything ever stored.
func TestOutboxStatementsUseIndexes(t *testing.T) {
	db := tickingDB(t)
	finalized(t, db, 3)
	for name, q := range map[string]struct {
		sql  string
		args []any
	}{
		"queueSelect": {queueSelect, []any{10}},
		"queueItems":  {queueItems, []any{"b", "[1,2]"}},
		"queueMark":   {queueMark, []any{"[1,2]"}},
		"queueCheck":  {queueCheck, []any{`[[1,"v"],[2,"w"]]`}},
		"applyKind":   {applyKind, []any{"sent", "", true, "t", "b", `["v"]`}},
		"applyOne":    {applyOne, []any{"sent", "", true, "t", "b", "v"}},
	} {
		rows, err := db.sql.Query(`EXPLAIN QUERY PLAN `+q.sql, q.args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			if (strings.HasPrefix(step, "SCAN") && !strings.Contains(step, "json_each")) || strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("%s: %s\n%s", name, step, strings.Join(plan, "\n"))
			}
		}
	}
}

// BenchmarkQueueAndApply queues and answers 20,000 finalized records in
// batches of 2,000, as a sync does, and reports the time of each side.
func BenchmarkQueueAndApply(b *testing.B) {
	const n, batch = 20000, 2000
	ctx := context.Background()
	var queue, apply time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "fb.db")
		fillDB(b, path, n)
		db, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for k := 0; ; k++ {
			start := time.Now()
			ob, err := db.QueueBatch(ctx, batch, func(vs []QueuedVersion) (string, []byte, error) {
				// About what the sync engine stores: the batch's JSON,
				// gzipped.
				size := 0
				for _, v := range vs {
					size += (len(v.Data) + 300) / 8
				}
				body := make([]byte, size)
				rand.Read(body)
				return fmt.Sprint("batch-", k), body, nil
			})
			if err != nil {
				b.Fatal(err)
			}
			queue += time.Since(start)
			if ob == nil {
				break
			}
			var ids []string
			rows, _ := db.sql.Query(`SELECT version_id FROM outbox_items WHERE batch_id = ?`, ob.ID)
			for rows.Next() {
				var v string
				rows.Scan(&v)
				ids = append(ids, v)
			}
			rows.Close()
			outcomes := make([]Outcome, len(ids))
			for j, v := range ids {
				outcomes[j] = Outcome{VersionID: v, State: Sent, OnServer: true}
			}
			start = time.Now()
			if err := db.ApplyReceipt(ctx, ob.ID, make([]byte, 70*len(ids)), outcomes); err != nil {
				b.Fatal(err)
			}
			apply += time.Since(start)
		}
		db.Close()
	}
	b.ReportMetric(float64(queue.Microseconds())/float64(b.N*n), "queue-µs/record")
	b.ReportMetric(float64(apply.Microseconds())/float64(b.N*n), "apply-µs/record")
}

// A record saved again while its batch is being built (outside the write
// transaction) is not sent at the version the batch was built with:
// nothing of that plan is written, and the batch is built again from the
// records as they are now, carrying the new version once.
func TestQueueBuildsAgainWhenARecordMoves(t *testing.T) {
	ctx := context.Background()
	db := tickingDB(t)
	ids := finalized(t, db, 3)
	plans := 0
	q, err := db.QueuePlanned(ctx, 10, func(vs []QueuedVersion) (BatchPlan, error) {
		plans++
		if plans == 1 {
			if _, err := db.Edit(ctx, ids[1], household("改过的户主", 2)); err != nil {
				return BatchPlan{}, err
			}
		}
		use := make([]int, len(vs))
		for i := range use {
			use[i] = i
		}
		return BatchPlan{ID: fmt.Sprint("b", plans), Body: []byte("{}"), Use: use}, nil
	})
	if err != nil || q == nil || q.Batch == nil {
		t.Fatalf("QueuePlanned: %+v %v", q, err)
	}
	if plans != 2 || q.Batch.ID != "b2" || q.Batch.N != 3 {
		t.Fatalf("%d plans, batch %+v", plans, q.Batch)
	}
	items := batchItems(t, db, "b2")
	head := syncRowOf(t, db, ids[1]).Head
	if len(items) != 3 || items[head] != ids[1] {
		t.Fatalf("the batch does not carry the edited record's new version %s: %v", head, items)
	}
	if n := len(batchItems(t, db, "b1")); n != 0 {
		t.Fatalf("the stale plan wrote %d items", n)
	}
	for _, id := range ids {
		if st := syncRowOf(t, db, id).State; st != Queued {
			t.Errorf("record %s is %s", id, st)
		}
	}
}
