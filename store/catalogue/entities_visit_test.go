package catalogue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// visitRec is entRec of a record whose end metadata (the sample household
// form's "end") says when it was collected.
func visitRec(recordID, end string, changes ...forms.EntityChange) wire.Record {
	r := entRec(recordID, recordID+"v")
	data, _ := json.Marshal(map[string]any{"head_name": "张三", "end": end, forms.EntitiesKey: changes})
	sum := sha256.Sum256(data)
	r.Data, r.SHA256 = data, hex.EncodeToString(sum[:])
	return r
}

func utc(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

// An entity's last visit is when the record that last created or updated
// it says it was collected (its end time; else its laptop's clock when the
// version was stored), never when the catalogue received it; a preloaded
// entity has none until visited, and a resolution is no visit. Laptops
// download it.
func TestEntitiesLastVisit(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		fixedClock(db)
		send(t, db, dev, batch("b1", dev, visitRec("r1", "2026-02-28T10:15:00+08:00", create(hh1, "张三家", map[string]string{"size": "3"}))))
		if got := entity(t, db, hh1).LastVisit; !got.Equal(utc(t, "2026-02-28T02:15:00Z")) {
			t.Fatalf("after the registration: last visit %v, want its end time", got)
		}
		// A record without an end time: when its laptop stored it.
		send(t, db, dev, batch("b2", dev, entRec("r2", "r2v", update(hh1, 1, map[string]string{"size": "4"}))))
		if got := entity(t, db, hh1).LastVisit; !got.Equal(utc(t, "2026-03-01T08:00:00Z")) {
			t.Fatalf("after a record without an end time: last visit %v, want its created_at", got)
		}

		imp := EntityImport{List: "households", TownshipCol: "township", Lang: "en", Who: "admin"}
		if _, problems, err := db.ImportEntities(ctx, imp, [][]string{{"name", "label", "township"}, {hh2, "李四家", township}}); err != nil || problems != nil {
			t.Fatalf("import: %+v %v", problems, err)
		}
		if got := entity(t, db, hh2).LastVisit; !got.IsZero() {
			t.Fatalf("a preloaded entity no record visited has last visit %v", got)
		}

		// Two visits from version 2: the later one opens a conflict; its
		// resolution keeps the last visit.
		send(t, db, dev, batch("b3", dev, visitRec("r3", "2026-03-05T09:00:00+08:00", update(hh1, 2, map[string]string{"size": "5"}))))
		send(t, db, dev, batch("b4", dev, visitRec("r4", "2026-03-04T16:30:00+08:00", update(hh1, 2, map[string]string{"size": "6"}))))
		u, _, err := db.AddUser(ctx, "李审核", wire.RoleReviewer, "110105", false)
		if err != nil {
			t.Fatal(err)
		}
		conflicts, err := db.EntityConflicts(ctx, u, wire.ReviewView{})
		if err != nil || len(conflicts) != 1 {
			t.Fatalf("conflicts %+v %v", conflicts, err)
		}
		if _, err := db.ResolveEntityConflict(ctx, u, conflicts[0].ID, wire.EntityResolution{Keep: wire.KeepPrevious}); err != nil {
			t.Fatal(err)
		}
		want := utc(t, "2026-03-04T08:30:00Z") // the update applied last, though collected earlier
		page, err := db.EntitiesSince(ctx, []string{township}, "", 0, 0)
		if err != nil || len(page.Entities) != 2 {
			t.Fatalf("download %+v %v", page, err)
		}
		for _, e := range page.Entities {
			if e.ID == hh1 && !e.LastVisit.Equal(want) || e.ID == hh2 && !e.LastVisit.IsZero() {
				t.Errorf("downloaded %s with last visit %v", e.ID, e.LastVisit)
			}
		}
		// And on the wire: a time, or nothing at all.
		b, _ := json.Marshal(page.Entities)
		var raw []map[string]any
		json.Unmarshal(b, &raw)
		for _, e := range raw {
			if _, has := e["last_visit"]; has != (e["id"] == hh1) {
				t.Errorf("on the wire: %v", e)
			}
		}
	})
}

// The schema step that adds last visits fills them for the entities held
// before it from the latest create or update's version, as its laptop
// stored it.
func TestEntitiesLastVisitBackfilled(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		late := entRec("r2", "r2v", update(hh1, 1, map[string]string{"size": "4"}))
		late.CreatedAt = "2026-03-02T07:30:00+08:00"
		bad := entRec("r3", "r3v", create(hh2, "李四家", nil))
		bad.CreatedAt = "not a time"
		send(t, db, dev, batch("b1", dev, entRec("r1", "r1v", create(hh1, "张三家", nil)), late, bad))
		if _, problems, err := db.ImportEntities(ctx, EntityImport{List: "households", TownshipCol: "township", Lang: "en", Who: "admin"},
			[][]string{{"name", "label", "township"}, {hh3, "王五家", township}}); err != nil || problems != nil {
			t.Fatalf("import: %+v %v", problems, err)
		}
		db.Close()

		// Back to the step before, as an older release left it.
		old := openDB(t, w)
		undoSealingStep(t, old)
		if _, err := old.sql.ExecContext(ctx, `ALTER TABLE entities DROP COLUMN last_visit`); err != nil {
			t.Fatal(err)
		}
		if migrations[len(migrations)-3] != entityLastVisitDDL || pgMigrations[len(pgMigrations)-3] != entityLastVisitDDL {
			t.Fatal("the last visits are no longer the step before the sealing steps: take the database back to before them here")
		}
		setSchemaVersion(t, old, w, len(migrations)-3)
		old.Close()

		db = openDB(t, w)
		for id, want := range map[string]time.Time{hh1: utc(t, "2026-03-01T23:30:00Z"), hh2: {}, hh3: {}} {
			if got := entity(t, db, id).LastVisit; !got.Equal(want) {
				t.Errorf("%s: backfilled last visit %v, want %v", id, got, want)
			}
		}
	})
}
