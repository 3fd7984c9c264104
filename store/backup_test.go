package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	db, path := newDB(t)
	writer, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	for i := 0; i < 50; i++ {
		writer.InsertFinalized(ctx, "household", "1", fmt.Sprint(i), household("b", 1))
	}
	done := make(chan error)
	go func() {
		for i := 50; i < 2050; i += 100 {
			var items []ImportItem
			for j := i; j < i+100; j++ {
				items = append(items, ImportItem{FormID: "household", Version: "1", Key: fmt.Sprint(j), Data: household("b", 1)})
			}
			if _, err := writer.InsertFinalizedBatch(ctx, items); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	b, err := Open(out)
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer b.Close()
	var ok string
	b.sql.QueryRow(`PRAGMA integrity_check`).Scan(&ok)
	if ok != "ok" {
		t.Fatalf("integrity_check: %s", ok)
	}
	recs, _ := b.Records(ctx, Filter{})
	if len(recs) < 50 || len(recs)%100 != 50 {
		t.Fatalf("backup holds %d records: not a whole number of batches", len(recs))
	}
	// The form's registration, one row per record inserted alone, and one
	// per batch of 100 (a bulk insert writes one row for the batch).
	wantAudit := 1 + 50 + (len(recs)-50)/100
	if n, p, err := b.VerifyAudit(ctx); p != nil || err != nil || n != wantAudit {
		t.Errorf("backup audit: %d rows (want %d for %d records) %v %v", n, wantAudit, len(recs), p, err)
	}
	if b.DeviceID() != db.DeviceID() {
		t.Error("backup has another device id")
	}

	before := fileHash(t, out)
	if err := db.Backup(ctx, out); !errors.Is(err, ErrExists) {
		t.Fatalf("backup over an existing file: %v", err)
	}
	if fileHash(t, out) != before {
		t.Fatal("the existing file changed")
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, nil, 0o600)
	if err := db.Backup(ctx, empty); !errors.Is(err, ErrExists) {
		t.Fatalf("backup over an empty file: %v", err)
	}
}
