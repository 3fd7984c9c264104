package catalogue

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
)

func TestStoreBatchAcceptDuplicateReplay(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		fixedClock(db)
		b1 := batch("b1", dev, rec("r1", "v1", "", "张三"), rec("r2", "v2", "", "李四"))
		rc1 := send(t, db, dev, b1)
		if got := statuses(rc1); !reflect.DeepEqual(got, []string{"accepted", "accepted"}) || rc1.ServerSeq != 1 || rc1.BatchID != "b1" {
			t.Fatalf("first batch: %+v", rc1)
		}
		if rc1.ReceivedAt.Location().String() != "UTC" || rc1.ReceivedAt.Nanosecond() != 123456789 {
			t.Fatalf("received_at %v", rc1.ReceivedAt)
		}
		if rc1.Results[0].VersionID != "v1" || rc1.Results[1].VersionID != "v2" {
			t.Fatalf("results %+v", rc1.Results)
		}

		// The same batch again (the answer was lost): the same receipt, nothing new.
		rc1b := send(t, db, dev, b1)
		if !reflect.DeepEqual(rc1, rc1b) {
			t.Fatalf("replay differs:\n%+v\n%+v", rc1, rc1b)
		}
		// Other contents under the same batch id.
		_, err := db.StoreBatch(ctx, dev, b1, "another fingerprint", nil)
		if !errors.Is(err, wire.ErrBatchMismatch) {
			t.Fatalf("other contents: %v", err)
		}
		// The same record in a new batch (the laptop lost the receipt and
		// rebuilt its outbox): a duplicate, which is success.
		// (On PostgreSQL the batch first tries as all new, fails on the
		// key and is tried again: its first sequence number is a gap.)
		rc2 := send(t, db, dev, batch("b2", dev, rec("r1", "v1", "", "张三")))
		if got := statuses(rc2); !reflect.DeepEqual(got, []string{"duplicate"}) || rc2.ServerSeq <= rc1.ServerSeq {
			t.Fatalf("resend: %+v", rc2)
		}
		if n := query[int](t, db, `SELECT count(*) FROM versions`); n != 2 {
			t.Fatalf("%d versions", n)
		}
		if n := query[int](t, db, `SELECT count(*) FROM batches`); n != 2 {
			t.Fatalf("%d batches", n)
		}
		// Batch ids are per device: another laptop may use "b1" too.
		dev2 := enrol(t, db, township, "laptop-2")
		rc3 := send(t, db, dev2, batch("b1", dev2, rec("r3", "v3", "", "王五")))
		if got := statuses(rc3); !reflect.DeepEqual(got, []string{"accepted"}) || rc3.ServerSeq <= rc2.ServerSeq {
			t.Fatalf("other device: %+v", rc3)
		}
		row := db.sql.QueryRow(`SELECT township, device_id, first_seq, first_pos, conflict FROM records WHERE record_id = 'r2'`)
		var tw, devID string
		var seq, pos, conflict int
		if err := row.Scan(&tw, &devID, &seq, &pos, &conflict); err != nil || tw != township || devID != dev.ID || seq != 1 || pos != 1 || conflict != 0 {
			t.Fatalf("record r2: %s %s %d %d %d %v", tw, devID, seq, pos, conflict, err)
		}
	})
}

func TestStoreBatchEditsAndConflicts(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev := newDB(t, w)
		send(t, db, dev, batch("b1", dev, rec("r1", "v1", "", "张三"), rec("r2", "v2", "", "李四")))

		rc := send(t, db, dev, batch("b2", dev,
			rec("r1", "v1", "", "张三 (changed)"), // same version id, other bytes
			rec("r1", "v1b", "v1", "张三丰"),       // an edit of the head
			rec("r1", "v1c", "v1", "张三峰"),       // an edit of what is no longer the head
			rec("r9", "v9b", "v9", "赵六"),        // an edit of a version never received
			rec("r2", "v2x", "", "李四"),          // a second "first" version of a known record
		))
		want := []string{"conflict", "accepted", "conflict", "conflict", "conflict"}
		if got := statuses(rc); !reflect.DeepEqual(got, want) {
			t.Fatalf("statuses %v, want %v: %+v", got, want, rc.Results)
		}
		if r := rc.Results[2].Reason; r != "edited from version v1, but the catalogue's latest is v1b" {
			t.Errorf("stale edit reason %q", r)
		}
		for _, i := range []int{0, 3, 4} {
			if rc.Results[i].Reason == "" {
				t.Errorf("result %d has no reason", i)
			}
		}
		// The conflicting bytes under v1 were not stored.
		if d := query[string](t, db, `SELECT data FROM versions WHERE version_id = 'v1'`); strings.Contains(d, "changed") {
			t.Fatal("v1 overwritten")
		}
		// r1: head moved to v1b, the stale edit kept beside it, record flagged.
		if h := query[string](t, db, `SELECT head_version FROM records WHERE record_id = 'r1'`); h != "v1b" {
			t.Fatalf("r1 head %s", h)
		}
		if n := query[int](t, db, `SELECT count(*) FROM versions WHERE record_id = 'r1'`); n != 3 {
			t.Fatalf("r1 has %d versions", n)
		}
		if s := query[string](t, db, `SELECT status FROM versions WHERE version_id = 'v1c'`); s != "conflict" {
			t.Fatalf("v1c status %s", s)
		}
		for _, id := range []string{"r1", "r2", "r9"} {
			if c := query[int](t, db, `SELECT conflict FROM records WHERE record_id = ?`, id); c != 1 {
				t.Errorf("%s not in conflict", id)
			}
		}
		if h := query[string](t, db, `SELECT head_version FROM records WHERE record_id = 'r2'`); h != "v2" {
			t.Fatalf("r2 head moved to %s", h)
		}
		if r := query[string](t, db, `SELECT replaces FROM versions WHERE version_id = 'v1b'`); r != "v1" {
			t.Fatalf("v1b replaces %q", r)
		}
	})
}

func TestStoreBatchRejects(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		if _, err := db.Publish(ctx, "f.md", mdForm("f", "1", "Head"), []string{"110105002"}); err != nil {
			t.Fatal(err)
		}
		send(t, db, dev, batch("b0", dev, rec("r0", "v0", "", "甲")))

		unpublished := rec("r1", "v1", "", "张三")
		unpublished.FormID, unpublished.FormVersion = "f", "1"
		badHash := rec("r2", "v2", "", "李四")
		badHash.Data = []byte(`{"head_name":"李四 "}`)
		checked := rec("r3", "v3", "", "王五")
		notJSON := rec("r4", "v4", "", "")
		notJSON.Data = []byte(`["x"]`)
		notJSON.SHA256 = hashHex(notJSON.Data)
		otherForm := rec("r0", "v0b", "v0", "甲")
		otherForm.FormID, otherForm.FormVersion = "f", "1"
		good := rec("r5", "v5", "", "赵六")

		calls := map[string]int{}
		var mu sync.Mutex // the check runs on every core
		check := func(r *wire.Record) (*forms.Instance, *forms.Result, error) {
			mu.Lock()
			calls[r.VersionID]++
			mu.Unlock()
			r.Data = []byte(`{}`) // a check may touch its copy; what is stored must not change
			if r.VersionID == "v3" {
				return nil, nil, errors.New("head_name: 王五 is not allowed here")
			}
			return nil, nil, nil
		}
		rc, err := db.StoreBatch(ctx, dev, batch("b1", dev, unpublished, badHash, checked, notJSON, good), "fp", check)
		if err != nil {
			t.Fatal(err)
		}
		want := []wire.Result{
			{VersionID: "v1", Status: "rejected", Reason: "form f version 1 is not published to township 110105001"},
			{VersionID: "v2", Status: "rejected", Reason: "the data does not match its hash"},
			{VersionID: "v3", Status: "rejected", Reason: "head_name: 王五 is not allowed here"},
			{VersionID: "v4", Status: "rejected", Reason: "the data is not a JSON object in UTF-8"},
			{VersionID: "v5", Status: "accepted"},
		}
		if !reflect.DeepEqual(rc.Results, want) {
			t.Fatalf("results\n%+v\nwant\n%+v", rc.Results, want)
		}
		// Checked before the transaction: every record of the right hash
		// and shape (the unpublished one's check cannot load its form,
		// and precheck refuses it first).
		if !reflect.DeepEqual(calls, map[string]int{"v1": 1, "v3": 1, "v5": 1}) {
			t.Fatalf("check called for %v", calls)
		}
		for _, id := range []string{"r1", "r2", "r3", "r4"} {
			if n := query[int](t, db, `SELECT count(*) FROM records WHERE record_id = ?`, id); n != 0 {
				t.Errorf("rejected %s stored", id)
			}
		}
		if d := query[string](t, db, `SELECT data FROM versions WHERE version_id = 'v5'`); d != string(good.Data) {
			t.Fatalf("stored %s", d)
		}

		// A record of another device: refused, and without naming its
		// form.
		dev2 := enrol(t, db, "110105002", "laptop-2")
		rc, err = db.StoreBatch(ctx, dev2, batch("b2", dev2, otherForm), "fp2", check)
		if err != nil {
			t.Fatal(err)
		}
		if rc.Results[0].Status != "rejected" || !strings.Contains(rc.Results[0].Reason, "another device") {
			t.Fatalf("another device's record: %+v", rc.Results)
		}
		// A record id of another form: refused.
		fr := rec("r7", "v7", "", "甲")
		fr.FormID, fr.FormVersion = "f", "1"
		send(t, db, dev2, batch("b2b", dev2, fr))
		hh := rec("r7", "v7b", "v7", "甲")
		rc, err = db.StoreBatch(ctx, dev, batch("b2c", dev, hh), "fp2c", check)
		if err != nil {
			t.Fatal(err)
		}
		if rc.Results[0].Status != "rejected" || !strings.Contains(rc.Results[0].Reason, "another device") {
			t.Fatalf("another device's record of another form: %+v", rc.Results)
		}
		if _, err := db.Publish(ctx, "household_visit.xlsx", household(t), []string{"110105002"}); err != nil {
			t.Fatal(err)
		}
		rc, err = db.StoreBatch(ctx, dev2, batch("b2d", dev2, hh), "fp2d", check)
		if err != nil {
			t.Fatal(err)
		}
		if rc.Results[0].Status != "rejected" || !strings.Contains(rc.Results[0].Reason, "belongs to form f") {
			t.Fatalf("other form: %+v", rc.Results)
		}
		// A duplicate is a duplicate.
		if rc := send(t, db, dev, batch("b3", dev, good)); rc.Results[0].Status != "duplicate" {
			t.Fatalf("duplicate: %+v", rc.Results)
		}
	})
}

// A batch that fails on a database error stores nothing, not even the
// records before the failure, and can be sent again.
func TestStoreBatchAllOrNothing(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		ctx2, cancel := context.WithCancel(ctx)
		check := func(r *wire.Record) (*forms.Instance, *forms.Result, error) {
			if r.VersionID == "v2" {
				cancel() // the next statement fails
			}
			return nil, nil, nil
		}
		b := batch("b1", dev, rec("r1", "v1", "", "张三"), rec("r2", "v2", "", "李四"), rec("r3", "v3", "", "王五"))
		if _, err := db.StoreBatch(ctx2, dev, b, "fp", check); err == nil {
			t.Fatal("no error from a cancelled transaction")
		}
		if n := query[int](t, db, `SELECT count(*) FROM versions`); n != 0 {
			t.Fatalf("%d versions stored", n)
		}
		rc, err := db.StoreBatch(ctx, dev, b, "fp", nil)
		if err != nil || !reflect.DeepEqual(statuses(rc), []string{"accepted", "accepted", "accepted"}) {
			t.Fatalf("resend: %+v %v", rc, err)
		}
	})
}

// A batch of records that look new but are not all new: on PostgreSQL it
// is first stored without looking its ids up, the keys refuse it, and the
// careful retry gives each record the answer it would have had.
func TestStoreBatchNewLookingRecordsThatAreNot(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev := newDB(t, w)
		send(t, db, dev, batch("b1", dev, rec("r1", "v1", "", "张三"), rec("r2", "v2", "", "李四")))
		rc := send(t, db, dev, batch("b2", dev, rec("r2", "v2", "", "李四"), rec("r4", "v4", "", "赵六"), rec("r1", "v1x", "", "张三")))
		if got := statuses(rc); !reflect.DeepEqual(got, []string{"duplicate", "accepted", "conflict"}) {
			t.Fatalf("statuses %v: %+v", got, rc)
		}
		if n := query[int](t, db, `SELECT count(*) FROM versions`); n != 4 {
			t.Fatalf("%d versions, want v1, v2, v4 and the conflicting v1x", n)
		}
		if n := query[int](t, db, `SELECT count(*) FROM records`); n != 3 {
			t.Fatalf("%d records", n)
		}
		if n := query[int](t, db, `SELECT conflict FROM records WHERE record_id = 'r1'`); n != 1 {
			t.Fatal("r1 should be flagged as in conflict")
		}
	})
}
