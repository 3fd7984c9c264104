package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
)

// A record over forms.MaxRecordBytes is refused at finalize and at edit
// with a *TooLargeError, and nothing of it is stored: the draft stays a
// draft, an edited record keeps its head. Before, it was finalized, and
// later held back every sync.
func TestFinalizeAndEditRefuseRecordsOverTheSizeLimit(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	long := strings.Repeat("长", forms.MaxRecordBytes/3+1)
	id, _ := db.NewDraft(ctx, "household", "1")
	if err := db.SaveDraft(ctx, id, household(long, 1), nil); err != nil {
		t.Fatal(err)
	}
	var big *TooLargeError
	if _, err := db.Finalize(ctx, id); !errors.As(err, &big) || big.RecordID != id || big.Size <= forms.MaxRecordBytes ||
		!strings.Contains(err.Error(), "over the limit of 1024 KB; shorten its longest answers") {
		t.Fatalf("finalizing %d bytes: %v", len(long), err)
	}
	if r, _ := db.Record(ctx, id); r.State != Draft || r.Head != "" {
		t.Errorf("after the refusal: %+v", r)
	}
	// Shortened, it finalizes; an edit past the limit is refused.
	if err := db.SaveDraft(ctx, id, household("李", 1), nil); err != nil {
		t.Fatal(err)
	}
	v, err := db.Finalize(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Edit(ctx, id, household(long, 1)); !errors.As(err, &big) {
		t.Fatalf("editing past the limit: %v", err)
	}
	if r, _ := db.Record(ctx, id); r.Head != v.ID || r.State != Finalized {
		t.Errorf("after the refused edit: %+v", r)
	}
	if vs, _ := db.Versions(ctx, id); len(vs) != 1 {
		t.Errorf("%d versions", len(vs))
	}
}
