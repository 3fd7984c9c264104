package store

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
)

// registerForm registers a household entity; visitForm, the follow-up,
// picks one from the list and updates its size.
var (
	registerForm = mustRead("../testdata/forms/register_households.md")
	visitForm    = mustRead("../testdata/forms/followup_households.md")
)

func mustRead(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return b
}

func finalizeDraft(t *testing.T, db *DB, formID, data string) (string, error) {
	t.Helper()
	ctx := context.Background()
	id, err := db.NewDraft(ctx, formID, "1")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDraft(ctx, id, []byte(data), nil); err != nil {
		t.Fatal(err)
	}
	_, err = db.Finalize(ctx, id)
	return id, err
}

// Registering a household on the laptop creates its entity at once, so
// the next follow-up on the same laptop can pick it before any sync; the
// follow-up updates the laptop's copy.
func TestFinalizeRegistersAndFollowsUp(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	if _, err := db.AddForm(ctx, "register.md", registerForm); err != nil {
		t.Fatal(err)
	}
	// No household yet: the follow-up form gets the list's header alone.
	if _, err := db.AddForm(ctx, "visit.md", visitForm); err != nil {
		t.Fatal(err)
	}
	regID, err := finalizeDraft(t, db, "register", `{"head":"王建国","size":"3","phone":"13800000000"}`)
	if err != nil {
		t.Fatal(err)
	}
	ents, err := db.Entities(ctx, "households")
	if err != nil || len(ents) != 1 {
		t.Fatalf("%+v %v", ents, err)
	}
	hh := ents[0]
	if hh.Label != "王建国" || hh.Version != 1 || hh.Properties["size"] != "3" || !hh.Local || hh.LastVisit.IsZero() {
		t.Fatalf("registered: %+v", hh)
	}
	rec, _ := db.Record(ctx, regID)
	stored, err := forms.RecordEntityChanges(rec.Data)
	if err != nil || len(stored) != 1 || !stored[0].Create || stored[0].ID != hh.ID {
		t.Fatalf("the record does not carry its change: %s", rec.Data)
	}

	// The follow-up: whatever the draft says under __entities, what is
	// stored is what its answers make.
	forged := `,"` + forms.EntitiesKey + `":[{"list":"households","id":"` + hh.ID + `","properties":{"phone":""}}]`
	visitID, err := finalizeDraft(t, db, "visit", `{"hh":"`+hh.ID+`","size":"5"`+forged+`}`)
	if err != nil {
		t.Fatal(err)
	}
	ents, _ = db.Entities(ctx, "households")
	if e := ents[0]; e.Version != 2 || e.Properties["size"] != "5" || e.Properties["phone"] != "13800000000" || e.Label != "王建国" {
		t.Fatalf("followed up: %+v", e)
	}
	rec, _ = db.Record(ctx, visitID)
	if ch, _ := forms.RecordEntityChanges(rec.Data); len(ch) != 1 || ch[0].Create || ch[0].BaseVersion != 1 {
		t.Fatalf("the follow-up's change: %s", rec.Data)
	}

	// An edit to the same answers stores nothing and changes nothing; a
	// real edit is one more version.
	if _, err := db.Edit(ctx, visitID, []byte(`{"hh":"`+hh.ID+`","size":"5"}`)); err != nil {
		t.Fatal(err)
	}
	if ents, _ = db.Entities(ctx, "households"); ents[0].Version != 2 {
		t.Fatalf("an unchanged edit moved the entity: %+v", ents[0])
	}
	if _, err := db.Edit(ctx, visitID, []byte(`{"hh":"`+hh.ID+`","size":"6"}`)); err != nil {
		t.Fatal(err)
	}
	if ents, _ = db.Entities(ctx, "households"); ents[0].Version != 3 || ents[0].Properties["size"] != "6" {
		t.Fatalf("after the edit: %+v", ents[0])
	}
}

// A record refused stores no entity change.
func TestRefusedRecordChangesNoEntity(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	if _, err := db.AddForm(ctx, "register.md", registerForm); err != nil {
		t.Fatal(err)
	}
	var ve *ValidationError
	if _, err := finalizeDraft(t, db, "register", `{"head":"王建国","size":"many"}`); !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	if ents, _ := db.Entities(ctx, "households"); len(ents) != 0 {
		t.Fatalf("a refused record created %+v", ents)
	}
	if lists, _ := db.EntityLists(ctx); len(lists) != 0 {
		t.Fatalf("lists %+v", lists)
	}
}

// A finalized record's entities are visited when the record says (its
// end time), which the workbench stamps as the collector finalizes; a
// record that was finalized later (say, resumed the next day) still says
// when it was collected.
func TestFinalizedEntityVisitedWhenTheRecordSays(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	if _, err := db.AddForm(ctx, "register_timed.md", mustRead("../testdata/forms/register_timed.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := finalizeDraft(t, db, "register_timed", `{"head":"王建国","start":"2026-11-20T09:00:00+08:00","end":"2026-11-20T09:40:00+08:00"}`); err != nil {
		t.Fatal(err)
	}
	ents, err := db.Entities(ctx, "households")
	if err != nil || len(ents) != 1 {
		t.Fatalf("%+v %v", ents, err)
	}
	if want := time.Date(2026, 11, 20, 1, 40, 0, 0, time.UTC); !ents[0].LastVisit.Equal(want) {
		t.Errorf("last visit %v, want %v", ents[0].LastVisit, want)
	}
}
