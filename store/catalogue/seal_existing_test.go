package catalogue

import (
	"context"
	"reflect"
	"testing"

	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// A catalogue an older release left at step 13, holding households,
// registrations' entities (with a conflict resolved by setting a phone)
// and a reviewer's comment in clear, migrated to step 14 and given its
// key: SealExisting seals it all, in chunks, with progress; then no file
// (SQLite and WAL, pg_dump) holds a generated ID or mobile number in
// clear, every clear path gives back what was stored, and a second run
// does nothing.
func TestSealExisting(t *testing.T) {
	const n = 60
	records, secret := households(t, n)
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w) // no key: everything stored clear, as before sealing
		dev2 := enrol(t, db, township, "laptop-2")
		if _, err := db.Publish(ctx, "hh_register.xlsx", clearForm(t), []string{township}); err != nil {
			t.Fatal(err)
		}
		var recs []wire.Record
		for i, data := range records {
			recs = append(recs, clearRecord(i, data))
		}
		send(t, db, dev, batch("households", dev, recs...))
		batches, numbers, want := registrations(t, dev, dev2, 30)
		for _, b := range batches {
			send(t, db, deviceOf(b, dev, dev2), b)
		}
		for s := range numbers {
			secret[s] = true
		}
		u, _, err := db.AddUser(ctx, "李审核", wire.RoleReviewer, "110105", true)
		if err != nil {
			t.Fatal(err)
		}
		conflicts, err := db.EntityConflicts(ctx, u, wire.ReviewView{Clear: true})
		if err != nil || len(conflicts) != 1 {
			t.Fatalf("conflicts %+v %v", conflicts, err)
		}
		set := "13600136000"
		secret[set] = true
		if _, err := db.ResolveEntityConflict(ctx, u, conflicts[0].ID, wire.EntityResolution{Keep: wire.KeepSet, Properties: map[string]string{"head_phone": set}}); err != nil {
			t.Fatal(err)
		}
		want[conflicts[0].EntityID]["head_phone"] = set
		phone := "13700137000"
		secret[phone] = true
		if _, err := db.sql.ExecContext(ctx, db.d.bind(`INSERT INTO reviews (version_id, record_id, review_id, state, comment, reviewer_id, reviewed_at)
			VALUES (?, ?, 'old-review', 'has_issues', ?, ?, '2026-01-01T00:00:00Z')`), recs[0].VersionID, recs[0].RecordID, "请核对电话 "+phone, u.ID); err != nil {
			t.Fatal(err)
		}
		clearBefore := map[string][]byte{}
		if err := db.Records(ctx, formID, true, func(id string, data []byte) error { clearBefore[id] = data; return nil }); err != nil {
			t.Fatal(err)
		}
		if found := clearNumbers(t, w, secret); len(found) == 0 {
			t.Fatal("the control found no number in clear before sealing")
		}
		db.Close()

		// Back to step 13, as the older release left it.
		old := openDB(t, w)
		for _, undo := range []string{`ALTER TABLE entities DROP COLUMN sealed`, `ALTER TABLE entities DROP COLUMN sealed_key`,
			`ALTER TABLE entities DROP COLUMN pseudonyms`, `ALTER TABLE entity_versions DROP COLUMN sealed`,
			`ALTER TABLE entity_versions DROP COLUMN sealed_key`} {
			if _, err := old.sql.ExecContext(ctx, undo); err != nil {
				t.Fatal(err)
			}
		}
		setSchemaVersion(t, old, w, len(migrations)-1)
		old.Close()

		db = openDB(t, w)
		id, err := seal.NewIdentity()
		if err != nil {
			t.Fatal(err)
		}
		if err := db.UseKeys(ctx, seal.KeyRing{id}); err != nil {
			t.Fatal(err)
		}
		var told [][2]int
		sealed, err := db.SealExisting(ctx, 25, func(done, total int) { told = append(told, [2]int{done, total}) })
		if err != nil {
			t.Fatal(err)
		}
		if sealed == 0 || len(told) < 4 || told[len(told)-1][0] != told[len(told)-1][1] {
			t.Fatalf("sealed %d rows, progress %v", sealed, told)
		}
		if found := clearNumbers(t, w, secret); len(found) > 0 {
			t.Fatalf("%d numbers in clear after sealing: %v", len(found), found)
		}
		if k := query[int](t, db, `SELECT count(*) FROM versions WHERE sealed IS NULL`); k != 0 {
			t.Fatalf("%d versions left clear", k)
		}
		clearAfter := map[string][]byte{}
		if err := db.Records(ctx, formID, true, func(id string, data []byte) error { clearAfter[id] = data; return nil }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(clearAfter, clearBefore) {
			t.Fatal("the clearance export changed with the sealing")
		}
		list, err := db.ListEntities(ctx, "households", true, "test")
		if err != nil || len(list) != len(want) {
			t.Fatalf("clear listing: %d %v", len(list), err)
		}
		for _, e := range list {
			if !reflect.DeepEqual(e.Properties, want[e.ID]) {
				t.Fatalf("%s: clear %v, want %v", e.ID, e.Properties, want[e.ID])
			}
		}
		if again, err := db.SealExisting(ctx, 25, nil); err != nil || again != 0 {
			t.Fatalf("a second run sealed %d: %v", again, err)
		}
	})
}
