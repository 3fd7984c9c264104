package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
)

// README: "a damaged one is refused with a message and left untouched".
// Damage past the schema page (here the records' pages) is not noticed by
// Open, which opens the file as sound.
func TestDamagedDataPagesFoundByQuickCheck(t *testing.T) {
	ctx := context.Background()
	db, path := newDB(t)
	var items []ImportItem
	for i := 0; i < 400; i++ {
		items = append(items, ImportItem{FormID: "household", Version: "1", Key: fmt.Sprint("k", i), Data: household(fmt.Sprint("n", i), 3)})
	}
	if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 40*4096 {
		t.Fatalf("file too small: %d", len(b))
	}
	// Overwrite pages in the middle of the file (not page 1).
	for i := len(b)/2 - 8192; i < len(b)/2+8192; i++ {
		b[i] = 0xA5
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	// Open checks the header and schema only, so that a big database opens
	// in milliseconds; QuickCheck (run by audit verify) finds the damage.
	db2, err := Open(path)
	if err != nil {
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("got %v, want ErrCorrupt", err)
		}
		return
	}
	defer db2.Close()
	if err := db2.QuickCheck(ctx); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("QuickCheck on a damaged file: %v, want ErrCorrupt", err)
	}
}
