package catalogue

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// A device writes its own records only. A laptop of another township (and
// one of the same township) that sends a version of a record it did not
// bring, or reuses a version id it did not send, gets that record rejected
// with a reason that names neither the other device nor its township; the
// record is left as it was (head, conflict flag, versions, counts) and the
// rest of the batch is stored as usual. Both paths of PostgreSQL are
// taken: a batch with an edit looks its ids up first; one without edits
// is first tried as all new and refused by the primary keys.
func TestStoreBatchOnlyOwnRecords(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, owner := newDB(t, w)
		const far = "110105026"
		if _, err := db.Publish(ctx, "household_visit.xlsx", household(t), []string{far}); err != nil {
			t.Fatal(err)
		}
		intruder := enrol(t, db, far, "laptop-far")
		neighbour := enrol(t, db, township, "laptop-2")
		send(t, db, owner, batch("b1", owner, rec("r1", "v1", "", "张三"), rec("r2", "v2", "", "李四")))
		before := snapshot(t, db)

		for _, dev := range []*wire.Device{intruder, neighbour} {
			for i, b := range []*wire.Batch{
				// An edit of the head: the hole as reported.
				batch("e-"+dev.ID, dev, rec("r1", "x1-"+dev.ID, "v1", "改")),
				// A "first" version of a known record (would have been
				// kept as a conflict and flagged r1), and an edit of a
				// version that is not the head: no look-up on
				// PostgreSQL's first try for the first.
				batch("n-"+dev.ID, dev, rec("r1", "x2-"+dev.ID, "", "改")),
				batch("s-"+dev.ID, dev, rec("r2", "x3-"+dev.ID, "v-old", "改")),
				// Another device's version id, under its record, under
				// a record of this device's own, and byte for byte.
				batch("v-"+dev.ID, dev, rec("r1", "v1", "v1", "改"), rec("mine-"+dev.ID, "v2", "", "李四"), rec("r1", "v1", "", "张三")),
				// The same without an edit: PostgreSQL's first try stores
				// the new record and fails on the version's key.
				batch("w-"+dev.ID, dev, rec("mine2-"+dev.ID, "v2", "", "李四")),
			} {
				rc := send(t, db, dev, b)
				for j, res := range rc.Results {
					if res.Status != wire.StatusRejected || !strings.Contains(res.Reason, "another device") {
						t.Errorf("%s batch %d record %d: %+v", dev.ID, i, j, res)
					}
					for _, leak := range []string{township, owner.ID, "household_visit"} {
						if strings.Contains(res.Reason, leak) {
							t.Errorf("the reason names %q: %s", leak, res.Reason)
						}
					}
				}
			}
			if got := snapshot(t, db); !reflect.DeepEqual(got, before) {
				t.Fatalf("after %s's batches the owner's records changed:\n%+v\nwas\n%+v", dev.ID, got, before)
			}
		}

		// One record of a batch refused leaves the others of it alone: a
		// new record is stored, in the sender's township.
		rc := send(t, db, intruder, batch("mixed", intruder, rec("r1", "x4", "v1", "改"), rec("r3", "v3", "", "王五")))
		if got := statuses(rc); !reflect.DeepEqual(got, []string{"rejected", "accepted"}) {
			t.Fatalf("mixed batch: %+v", rc.Results)
		}
		if tw := query[string](t, db, `SELECT township FROM records WHERE record_id = 'r3'`); tw != far {
			t.Fatalf("r3 stored in township %s", tw)
		}
		// The owner still edits its record, and the intruder its own.
		if rc := send(t, db, owner, batch("b2", owner, rec("r1", "v1b", "v1", "张三丰"))); statuses(rc)[0] != "accepted" {
			t.Fatalf("owner's edit: %+v", rc.Results)
		}
		if rc := send(t, db, intruder, batch("own", intruder, rec("r3", "v3b", "v3", "王五六"))); statuses(rc)[0] != "accepted" {
			t.Fatalf("intruder's own edit: %+v", rc.Results)
		}
	})
}

// recordState is what a batch could change of a record.
type recordState struct {
	Head, Township, Device string
	Conflict, Versions     int
}

// snapshot reads every record's state and the records counted per
// township.
func snapshot(t *testing.T, db *DB) map[string]any {
	t.Helper()
	out := map[string]any{}
	rows, err := db.query(context.Background(), `SELECT record_id, head_version, township, device_id, conflict,
		(SELECT count(*) FROM versions v WHERE v.record_id = r.record_id) FROM records r ORDER BY record_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var s recordState
		if err := rows.Scan(&id, &s.Head, &s.Township, &s.Device, &s.Conflict, &s.Versions); err != nil {
			t.Fatal(err)
		}
		out[id] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	out["versions"] = query[int](t, db, `SELECT count(*) FROM versions`)
	out["counted"] = query[int](t, db, `SELECT coalesce(CAST(sum(records) AS INTEGER), 0) FROM dataset_counts`)
	return out
}

// Ids longer than a laptop would ever make are refused record by record,
// with the reason; nothing of such a record is stored.
func TestStoreBatchBoundsIDs(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev := newDB(t, w)
		long := strings.Repeat("a", wire.MaxIDLen+1)
		longForm := rec("r4", "v4", "", "赵六")
		longForm.FormID = strings.Repeat("f", wire.MaxFormIDLen+1)
		longVersion := rec("r5", "v5", "", "钱七")
		longVersion.FormVersion = strings.Repeat("9", wire.MaxFormIDLen+1)
		rc := send(t, db, dev, batch("b1", dev,
			rec(long, "v1", "", "张三"),
			rec("r2", long, "", "李四"),
			rec("r3", "v3", long, "王五"),
			longForm, longVersion,
			rec(strings.Repeat("b", wire.MaxIDLen), strings.Repeat("c", wire.MaxIDLen), "", "孙八"),
		))
		want := []string{"rejected", "rejected", "rejected", "rejected", "rejected", "accepted"}
		if got := statuses(rc); !reflect.DeepEqual(got, want) {
			t.Fatalf("statuses %v: %+v", got, rc.Results)
		}
		for _, res := range rc.Results[:5] {
			if !strings.Contains(res.Reason, "longer than") {
				t.Errorf("reason %q", res.Reason)
			}
		}
		if n := query[int](t, db, `SELECT count(*) FROM versions`); n != 1 {
			t.Fatalf("%d versions stored", n)
		}
	})
}

// A comment is blank when nothing readable is left once invisible
// characters are out.
func TestBlankComments(t *testing.T) {
	for _, s := range []string{"", " \t\n", "\u200b", "\u3000\u00a0\u2007\u202f", "\ufeff\u200c\u200d\u2060", "\u00ad",
		"\u200e\u200f\u202a\u202e\u2066\u2069", "\u3164\u115f\u1160\uffa0", "\ufe0f\u034f\u180e", "\u2800",
		"\x00\x01\x7f\u0085", "\U000e0020\U000e007f", "\u2028\u2029"} {
		if !blank(s) {
			t.Errorf("%+q is not blank", s)
		}
	}
	for _, s := range []string{"请核实", "x\u200b", "0", "。", "\u200b住址\u200b", "\u3000门牌号缺"} {
		if blank(s) {
			t.Errorf("%+q is blank", s)
		}
	}
}
