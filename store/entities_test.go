package store

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
)

// withChanges is a household record carrying entity changes, as a
// finalized record of a form with an entities sheet stores them.
func withChanges(t testing.TB, name string, changes ...forms.EntityChange) []byte {
	t.Helper()
	rec := map[string]any{"head_name": name, "hh_size": 1, "members": []any{map[string]any{"m_name": name}}}
	rec[forms.EntitiesKey] = changes
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func entityOf(t testing.TB, db *DB, list, id string) *Entity {
	t.Helper()
	all, err := db.Entities(context.Background(), list)
	if err != nil {
		t.Fatal(err)
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i]
		}
	}
	return nil
}

func TestImportAppliesEntityChanges(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
	db, err := Open(filepath.Join(t.TempDir(), "fb.db"), WithCollector("王芳"), WithClock(func() time.Time { return at }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddForm(ctx, "household.md", testForm("1")); err != nil {
		t.Fatal(err)
	}
	create := forms.EntityChange{List: "households", ID: "e1", Create: true, Label: "王家",
		Properties: map[string]string{"size": "3", "phone": "13800000000", "dibao": ""}}
	if _, _, err := db.InsertFinalized(ctx, "household", "1", "k1", withChanges(t, "王", create)); err != nil {
		t.Fatal(err)
	}
	e := entityOf(t, db, "households", "e1")
	want := &Entity{List: "households", ID: "e1", Label: "王家", Version: 1, Local: true, LastVisit: at,
		Properties: map[string]string{"size": "3", "phone": "13800000000"}}
	if !reflect.DeepEqual(e, want) {
		t.Fatalf("after the create:\n got %+v\nwant %+v", e, want)
	}
	// An update: the label stays, a property changes, a blank clears one.
	update := forms.EntityChange{List: "households", ID: "e1", BaseVersion: 1,
		Properties: map[string]string{"size": "4", "phone": ""}}
	if _, _, err := db.InsertFinalized(ctx, "household", "1", "k2", withChanges(t, "王", update)); err != nil {
		t.Fatal(err)
	}
	want.Version, want.Properties = 2, map[string]string{"size": "4"}
	if e := entityOf(t, db, "households", "e1"); !reflect.DeepEqual(e, want) {
		t.Fatalf("after the update:\n got %+v\nwant %+v", e, want)
	}
	// The same records again change nothing.
	for _, k := range []string{"k1", "k2"} {
		if _, inserted, err := db.InsertFinalized(ctx, "household", "1", k, withChanges(t, "王", update)); err != nil || inserted {
			t.Fatalf("re-import of %s: inserted %v, %v", k, inserted, err)
		}
	}
	if e := entityOf(t, db, "households", "e1"); !reflect.DeepEqual(e, want) {
		t.Fatalf("after the re-import:\n got %+v\nwant %+v", e, want)
	}
	lists, err := db.EntityLists(ctx)
	if err != nil || !reflect.DeepEqual(lists, []EntityListSummary{{List: "households", Count: 1}}) {
		t.Fatalf("EntityLists = %+v, %v", lists, err)
	}
}

func TestEntityChangeErrorStoresNothing(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	good := withChanges(t, "李", forms.EntityChange{List: "households", ID: "e1", Create: true, Label: "李家"})
	bad := []byte(`{"head_name":"赵","hh_size":1,"` + forms.EntitiesKey + `":"not a list"}`)
	_, err := db.InsertFinalizedBatch(ctx, []ImportItem{
		{FormID: "household", Version: "1", Key: "a", Data: good},
		{FormID: "household", Version: "1", Key: "b", Data: bad},
	})
	if err == nil {
		t.Fatal("a record with unreadable entity changes was stored")
	}
	recs, _ := db.Records(ctx, Filter{})
	ents, _ := db.Entities(ctx, "households")
	if len(recs) != 0 || len(ents) != 0 {
		t.Fatalf("half stored: %d records, %d entities", len(recs), len(ents))
	}
}

func TestEntitiesOrderedByLabel(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	var items []ImportItem
	for i, label := range []string{"丙", "甲", "乙"} {
		items = append(items, ImportItem{FormID: "household", Version: "1", Key: label,
			Data: withChanges(t, label, forms.EntityChange{List: "households", ID: fmt.Sprint("e", i), Create: true, Label: label})})
	}
	if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	ents, err := db.Entities(ctx, "households")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Label)
	}
	// Ordered by the labels' bytes: 丙 U+4E19 < 乙 U+4E59 < 甲 U+7532.
	if want := []string{"丙", "乙", "甲"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("labels %v, want %v", got, want)
	}
}

// TestApplyDownloaded checks each rule of replacing the laptop's copy
// with the catalogue's, and the cursor.
func TestApplyDownloaded(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	local := func(key, id string, base int64, size string) {
		t.Helper()
		ch := forms.EntityChange{List: "households", ID: id, Create: base == 0, Label: "本地" + id, BaseVersion: base,
			Properties: map[string]string{"size": size}}
		if _, _, err := db.InsertFinalized(ctx, "household", "1", key, withChanges(t, id, ch)); err != nil {
			t.Fatal(err)
		}
	}
	local("a", "newer", 0, "1")     // local v1; the catalogue sends v2
	local("b", "stale", 0, "1")     // local v1, then v2; the catalogue sends v1
	local("c", "stale", 1, "2")     //
	local("d", "confirmed", 0, "5") // local v1; the catalogue sends the same v1
	local("e", "differs", 0, "6")   // local v1; the catalogue sends another v1
	down := func(id string, version int64, label, size string, seq int64) Entity {
		return Entity{List: "households", ID: id, Label: label, Version: version, Township: "420106001",
			Properties: map[string]string{"size": size}, Seq: seq}
	}
	page := []Entity{
		down("newer", 2, "中心", "9", 1),
		down("stale", 1, "中心", "1", 2),
		down("confirmed", 1, "本地confirmed", "5", 3),
		down("differs", 1, "别人", "7", 4),
		down("fresh", 3, "新户", "2", 5),
	}
	if err := db.ApplyDownloaded(ctx, page, 5); err != nil {
		t.Fatal(err)
	}
	check := func(id string, version int64, label string, local bool, seq int64) {
		t.Helper()
		e := entityOf(t, db, "households", id)
		if e == nil || e.Version != version || e.Label != label || e.Local != local || e.Seq != seq {
			t.Errorf("%s: got %+v, want version %d label %s local %v seq %d", id, e, version, label, local, seq)
		}
	}
	check("newer", 2, "中心", false, 1)              // newer: replaces
	check("stale", 2, "本地stale", true, 0)          // older than a local change: kept
	check("confirmed", 1, "本地confirmed", false, 3) // same version, same content: confirmed
	check("differs", 1, "本地differs", true, 0)      // same version, other content: kept
	check("fresh", 3, "新户", false, 5)              // unknown here: added
	if e := entityOf(t, db, "households", "newer"); e.LastVisit.IsZero() || e.Township != "420106001" {
		t.Errorf("the local visit date or the township was lost: %+v", e)
	}
	// A row without local change takes any version the catalogue sends,
	// an older one too (a reviewer's resolution).
	if err := db.ApplyDownloaded(ctx, []Entity{down("newer", 1, "复核", "8", 6)}, 6); err != nil {
		t.Fatal(err)
	}
	check("newer", 1, "复核", false, 6)
	since, err := db.EntitiesSince(ctx)
	if err != nil || since != 6 {
		t.Fatalf("cursor %d, %v; want 6", since, err)
	}
}

func TestEntitiesSinceStartsAtZero(t *testing.T) {
	db, _ := newDB(t)
	if since, err := db.EntitiesSince(context.Background()); err != nil || since != 0 {
		t.Fatalf("cursor %d, %v", since, err)
	}
}

// One batch may register a household and visit it, and hold more
// entities than one statement writes: each change applies in order.
func TestEntityChangesInOneBatch(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	const n = 450
	var items []ImportItem
	for i := 0; i < n; i++ {
		id := fmt.Sprint("e", i)
		items = append(items,
			ImportItem{FormID: "household", Version: "1", Key: "c" + id, Data: withChanges(t, "甲", forms.EntityChange{List: "households", ID: id, Create: true,
				Label: "户" + id, Properties: map[string]string{"size": "1", "phone": "1"}})},
			ImportItem{FormID: "household", Version: "1", Key: "u" + id, Data: withChanges(t, "甲", forms.EntityChange{List: "households", ID: id, BaseVersion: 1,
				Properties: map[string]string{"size": "2", "phone": ""}})})
	}
	if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	ents, err := db.Entities(ctx, "households")
	if err != nil || len(ents) != n {
		t.Fatalf("%d entities, %v", len(ents), err)
	}
	for _, e := range ents {
		if e.Version != 2 || e.Label != "户"+e.ID || !reflect.DeepEqual(e.Properties, map[string]string{"size": "2"}) || !e.Local {
			t.Fatalf("%+v", e)
		}
	}
}

// A downloaded last visit replaces the laptop's when it is later, never
// when it is earlier (a visit of this laptop's the catalogue does not
// know yet), and a catalogue that sends none leaves the laptop's.
func TestApplyDownloadedLastVisit(t *testing.T) {
	ctx := context.Background()
	visited := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	db, err := Open(filepath.Join(t.TempDir(), "fb.db"), WithCollector("王芳"), WithClock(func() time.Time { return visited }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddForm(ctx, "household.md", testForm("1")); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"earlier", "later", "none"} {
		ch := forms.EntityChange{List: "households", ID: id, Create: true, Label: id}
		if _, _, err := db.InsertFinalized(ctx, "household", "1", id, withChanges(t, id, ch)); err != nil {
			t.Fatal(err)
		}
	}
	down := func(id string, at time.Time) Entity {
		return Entity{List: "households", ID: id, Label: id, Version: 2, LastVisit: at, Seq: 1}
	}
	later := visited.Add(48 * time.Hour)
	page := []Entity{down("earlier", visited.Add(-time.Hour)), down("later", later), down("none", time.Time{}), down("fresh", later)}
	if err := db.ApplyDownloaded(ctx, page, 1); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]time.Time{"earlier": visited, "later": later, "none": visited, "fresh": later} {
		if got := entityOf(t, db, "households", id).LastVisit; !got.Equal(want) {
			t.Errorf("%s: last visit %v, want %v", id, got, want)
		}
	}
}
