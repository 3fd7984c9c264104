package store

import (
	"context"
	"errors"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
)

func TestAddForm(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t) // household version 1 is registered

	again, err := db.AddForm(ctx, "other-name.md", testForm("1"))
	if err != nil || !again.AlreadyPresent || again.FileName != "household.md" {
		t.Fatalf("same bytes again: %+v %v; want the existing row, already present", again, err)
	}

	changed := []byte(string(testForm("1")) + "\n") // same form, other bytes
	_, err = db.AddForm(ctx, "household.md", changed)
	var conflict *ErrFormVersionConflict
	if !errors.As(err, &conflict) || conflict.FormID != "household" || conflict.Version != "1" {
		t.Fatalf("same pair, other content: %v", err)
	}

	v2, err := db.AddForm(ctx, "household.md", testForm("2"))
	if err != nil || v2.AlreadyPresent || v2.Version != "2" || v2.Title != "Household visit" || len(v2.SHA256) != 64 {
		t.Fatalf("version 2: %+v %v", v2, err)
	}

	_, err = db.AddForm(ctx, "broken.md", []byte("| survey |\n| | type | name |\n| | nonsense | a |\n"))
	var le forms.LoadErrors
	if !errors.As(err, &le) || len(le) == 0 {
		t.Fatalf("broken form: got %T %v, want forms.LoadErrors", err, err)
	}

	id, _ := db.NewDraft(ctx, "household", "1")
	db.InsertFinalized(ctx, "household", "2", "k1", household("a", 1))
	list, err := db.Forms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Version != "1" || list[0].Counts[Draft] != 1 || list[1].Counts[Finalized] != 1 {
		t.Fatalf("Forms: %+v (draft %s)", list, id)
	}

	f, err := db.Form(ctx, "household", "2")
	if err != nil || f.ID != "household" || f.Version != "2" {
		t.Fatalf("Form: %v %v", f, err)
	}
	// Parsed once per definition: a fresh handle loads from the bytes,
	// then serves from the cache.
	f2, _ := db.Form(ctx, "household", "2")
	if f2 != f {
		t.Error("Form parsed the definition again")
	}
	var unknown *ErrUnknownForm
	if _, err := db.Form(ctx, "household", "9"); !errors.As(err, &unknown) {
		t.Errorf("unknown version: %v", err)
	}
	if _, err := db.NewDraft(ctx, "nope", "1"); !errors.As(err, &unknown) {
		t.Errorf("NewDraft on an unknown form: %v", err)
	}
}

func TestFormLoadsFromDatabase(t *testing.T) {
	ctx := context.Background()
	_, path := newDB(t)
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f, err := db.Form(ctx, "household", "1")
	if err != nil || f.Title != "Household visit" {
		t.Fatalf("%v %v", f, err)
	}
}
