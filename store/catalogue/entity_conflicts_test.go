package catalogue

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// staleConflict leaves household hh1 in conflict: version 2 set size 4,
// version 3 (based on 1) set size 5 over it.
func staleConflict(t *testing.T, db *DB, dev *wire.Device) {
	t.Helper()
	dev2 := enrol(t, db, township, "laptop-2")
	send(t, db, dev, batch("b1", dev, entRec("r1", "v1", create(hh1, "张三家", map[string]string{"size": "3", "phone": "13811062547"}))))
	send(t, db, dev, batch("b2", dev, entRec("r2", "v2", update(hh1, 1, map[string]string{"size": "4"}))))
	send(t, db, dev2, batch("b1", dev2, entRec("r3", "v3", update(hh1, 1, map[string]string{"size": "5"}))))
}

func TestEntityConflictResolved(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		staleConflict(t, db, dev)
		mine, _, err := db.AddUser(ctx, "李审核", wire.RoleReviewer, "110105", false)
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := db.AddUser(ctx, "外县", wire.RoleReviewer, "110106", true)
		if err != nil {
			t.Fatal(err)
		}
		reader, _, err := db.AddUser(ctx, "读者", wire.RoleReader, "110105", true)
		if err != nil {
			t.Fatal(err)
		}
		list, err := db.EntityConflicts(ctx, mine, wire.ReviewView{})
		if err != nil || len(list) != 1 {
			t.Fatalf("conflicts %+v %v", list, err)
		}
		c := list[0]
		if c.EntityID != hh1 || c.Version != 3 || c.BaseVersion != 1 || c.Previous != 2 || c.Current["size"] != "5" ||
			c.Before["size"] != "4" || c.Before["phone"] != "138****2547" || !c.Masked || c.DeviceID != "laptop-2" {
			t.Fatalf("conflict %+v", c)
		}
		if _, err := db.EntityConflicts(ctx, mine, wire.ReviewView{Clear: true}); !errors.Is(err, wire.ErrForbidden) {
			t.Fatalf("clear without clearance: %v", err)
		}
		if got, err := db.EntityConflicts(ctx, other, wire.ReviewView{}); err != nil || len(got) != 0 {
			t.Fatalf("another county sees %+v %v", got, err)
		}
		// Refused: another county's reviewer, a reader, no resolution.
		if _, err := db.ResolveEntityConflict(ctx, other, c.ID, wire.EntityResolution{Keep: wire.KeepPrevious}); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("another county resolves: %v", err)
		}
		if _, err := db.ResolveEntityConflict(ctx, reader, c.ID, wire.EntityResolution{Keep: wire.KeepPrevious}); !errors.Is(err, wire.ErrForbidden) {
			t.Fatalf("a reader resolves: %v", err)
		}
		for _, bad := range []wire.EntityResolution{{Keep: "mine"}, {Keep: wire.KeepSet}, {Keep: wire.KeepCurrent, Properties: map[string]string{"a": "b"}}} {
			if _, err := db.ResolveEntityConflict(ctx, mine, c.ID, bad); !errors.Is(err, wire.ErrInvalid) {
				t.Fatalf("%+v: %v", bad, err)
			}
		}
		seen, err := db.EntitiesSince(ctx, []string{township}, "", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		e, err := db.ResolveEntityConflict(ctx, mine, c.ID, wire.EntityResolution{Keep: wire.KeepPrevious})
		if err != nil || e.Version != 4 || e.Conflict || e.Properties["size"] != "4" {
			t.Fatalf("resolved %+v %v", e, err)
		}
		// The laptops download the resolution.
		inc, err := db.EntitiesSince(ctx, []string{township}, "", seen.Next, 0)
		if err != nil || len(inc.Entities) != 1 || inc.Entities[0].Version != 4 || inc.Entities[0].Conflict {
			t.Fatalf("download after resolution %+v %v", inc, err)
		}
		if list, err := db.EntityConflicts(ctx, mine, wire.ReviewView{}); err != nil || len(list) != 0 {
			t.Fatalf("still open %+v %v", list, err)
		}
		if _, err := db.ResolveEntityConflict(ctx, mine, c.ID, wire.EntityResolution{Keep: wire.KeepCurrent}); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("resolved twice: %v", err)
		}
		if got := query[string](t, db, `SELECT kind || ':' || user_id FROM entity_versions WHERE version = 4`); got != "resolve:"+mine.ID {
			t.Fatalf("audit %q", got)
		}
		if got := query[string](t, db, `SELECT resolved_by FROM entity_conflicts WHERE id = ?`, c.ID); got != mine.ID {
			t.Fatalf("resolved by %q", got)
		}
	})
}

func TestEntityConflictSetAndStillOpen(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		staleConflict(t, db, dev)
		// A second stale update: two conflicts on one entity.
		send(t, db, dev, batch("b3", dev, entRec("r4", "v4", update(hh1, 2, map[string]string{"dibao": "yes"}))))
		u, _, err := db.AddUser(ctx, "李审核", wire.RoleReviewer, "110105", true)
		if err != nil {
			t.Fatal(err)
		}
		list, err := db.EntityConflicts(ctx, u, wire.ReviewView{Clear: true})
		if err != nil || len(list) != 2 || list[0].Masked || list[0].Before["phone"] != "13811062547" {
			t.Fatalf("conflicts %+v %v", list, err)
		}
		if n := query[int](t, db, `SELECT count(*) FROM export_events WHERE format = 'entities' AND user_id = ?`, u.ID); n != 1 {
			t.Fatalf("clear view recorded %d times", n)
		}
		e, err := db.ResolveEntityConflict(ctx, u, list[0].ID, wire.EntityResolution{Keep: wire.KeepSet, Properties: map[string]string{"size": "6"}})
		want := map[string]string{"size": "6", "phone": "13811062547", "dibao": "yes"}
		if err != nil || e.Version != 5 || !e.Conflict || !reflect.DeepEqual(e.Properties, want) {
			t.Fatalf("first resolution %+v %v", e, err)
		}
		e, err = db.ResolveEntityConflict(ctx, u, list[1].ID, wire.EntityResolution{Keep: wire.KeepCurrent})
		if err != nil || e.Version != 6 || e.Conflict || !reflect.DeepEqual(e.Properties, want) {
			t.Fatalf("second resolution %+v %v", e, err)
		}
	})
}
