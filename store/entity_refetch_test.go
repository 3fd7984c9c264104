package store

import (
	"context"
	"maps"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
)

// A list downloaded again is stored page by page by ApplyDownloaded's
// rules (a change of this laptop's not yet confirmed stays), with where
// the refetch stands for its property set; the last page ends it and
// notes the set. The download's own cursor does not move.
func TestApplyRefetched(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	ch := forms.EntityChange{List: "households", ID: "mine", Create: true, Label: "本地", Properties: map[string]string{"size": "1"}}
	if _, _, err := db.InsertFinalized(ctx, "household", "1", "k", withChanges(t, "mine", ch)); err != nil {
		t.Fatal(err)
	}
	if held, err := db.HoldsDownloaded(ctx, "households"); err != nil || held {
		t.Fatalf("only a local change, yet held downloaded: %v %v", held, err)
	}
	down := func(id, label string, props map[string]string, seq int64) Entity {
		return Entity{List: "households", ID: id, Label: label, Version: 1, Properties: props, Seq: seq}
	}
	if err := db.ApplyDownloaded(ctx, []Entity{down("a", "甲", map[string]string{"size": "2"}, 3)}, 3); err != nil {
		t.Fatal(err)
	}
	if held, err := db.HoldsDownloaded(ctx, "households"); err != nil || !held {
		t.Fatalf("a downloaded entity not held: %v %v", held, err)
	}
	if err := db.SetEntityPropertySet(ctx, "households", "old"); err != nil {
		t.Fatal(err)
	}

	if err := db.ApplyRefetched(ctx, []Entity{down("a", "甲", map[string]string{"size": "2", "phone": "138****0000"}, 3)}, "households", "new", 3, false); err != nil {
		t.Fatal(err)
	}
	if e := entityOf(t, db, "households", "a"); e.Properties["phone"] != "138****0000" {
		t.Errorf("refetched: %+v", e)
	}
	for set, want := range map[string]int64{"new": 3, "other": 0} {
		if since, err := db.EntityRefetch(ctx, "households", set); err != nil || since != want {
			t.Errorf("refetch for %s stands at %d, want %d: %v", set, since, want, err)
		}
	}
	if sets, _ := db.EntityPropertySets(ctx); sets["households"] != "old" {
		t.Errorf("the set changed before the refetch ended: %v", sets)
	}

	// The last page: the laptop's unconfirmed change stays.
	if err := db.ApplyRefetched(ctx, []Entity{down("mine", "中心", map[string]string{"size": "7"}, 5)}, "households", "new", 5, true); err != nil {
		t.Fatal(err)
	}
	if e := entityOf(t, db, "households", "mine"); !e.Local || e.Label != "本地" || e.Properties["size"] != "1" {
		t.Errorf("a local change was overwritten: %+v", e)
	}
	if since, err := db.EntityRefetch(ctx, "households", "new"); err != nil || since != 0 {
		t.Errorf("the refetch did not end: %d %v", since, err)
	}
	if err := db.SetEntityPropertySet(ctx, "50%_of", "p"); err != nil {
		t.Fatal(err)
	}
	if sets, err := db.EntityPropertySets(ctx); err != nil || !maps.Equal(sets, map[string]string{"households": "new", "50%_of": "p"}) {
		t.Errorf("sets %v %v", sets, err)
	}
	if since, _ := db.EntitiesSince(ctx); since != 3 {
		t.Errorf("the download's cursor moved to %d", since)
	}
}
