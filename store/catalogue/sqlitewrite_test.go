package catalogue

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// The records a batch brings reach the database file itself shortly after
// the commit, copied by the background checkpointer: no request paid for
// it (the log is far below walBacklog) and nothing was closed.
func TestCheckpointsInBackground(t *testing.T) {
	dir := t.TempDir()
	db, dev := newDB(t, where{dir: dir})
	path := filepath.Join(dir, FileName)
	// Whatever opening and enrolling left in the log goes into the file
	// first, so that what follows is the batch's alone.
	waitCopied(t, db)
	before := fileSize(t, path)
	recs := make([]wire.Record, 200)
	for i := range recs {
		id := fmt.Sprintf("0194a000-%04x-7000-8000-000000000000", i)
		recs[i] = rec(id, id+"v", "", fmt.Sprintf("户主%d", i))
	}
	send(t, db, dev, batch("b1", dev, recs...))
	deadline := time.Now().Add(10 * time.Second)
	for fileSize(t, path) <= before {
		if time.Now().After(deadline) {
			t.Fatalf("the database file is still %d bytes 10 s after the commit: the log was not checkpointed", before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := query[int](t, db, `SELECT count(*) FROM versions`); n != len(recs) {
		t.Fatalf("%d versions stored, want %d", n, len(recs))
	}
}

// waitCopied waits until a checkpoint finds nothing left to copy.
func waitCopied(t *testing.T, db *DB) {
	t.Helper()
	for range 500 {
		var busy, log, copied int
		if err := db.sql.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &copied); err != nil {
			t.Fatal(err)
		}
		if busy == 0 && log == copied {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the log was never fully checkpointed")
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// Writers of one process queue for the one write connection: batches
// stored from many goroutines at once all succeed, each exactly once, and
// a writer whose context ends while it waits gives up without storing.
func TestWritersQueue(t *testing.T) {
	db, dev := newDB(t, where{dir: t.TempDir()})
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 5 {
				id := fmt.Sprintf("0194b%03x-%04x-7000-8000-000000000000", g, k)
				b := batch(fmt.Sprintf("b-%d-%d", g, k), dev, rec(id, id+"v", "", "户主"))
				if _, err := db.StoreBatch(ctx, dev, b, "fp-"+b.BatchID, nil); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := query[int](t, db, `SELECT count(*) FROM versions`); n != 80 {
		t.Fatalf("%d versions stored, want 80", n)
	}

	// Hold the write turn as a long transaction would, and send a batch
	// whose context runs out meanwhile.
	db.writer.turn <- struct{}{}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	id := "0194c000-0000-7000-8000-000000000000"
	_, err := db.StoreBatch(short, dev, batch("late", dev, rec(id, id+"v", "", "户主")), "fp-late", nil)
	<-db.writer.turn
	if err == nil {
		t.Fatal("a batch stored while another transaction held the write turn")
	}
	if n := query[int](t, db, `SELECT count(*) FROM versions WHERE version_id = ?`, id+"v"); n != 0 {
		t.Fatalf("the abandoned batch stored %d versions", n)
	}
}

// The writer's connection keeps a page cache large enough for a batch's
// entity index pages (writerCachePragma); the pool's keep SQLite's
// default.
func TestWriterCache(t *testing.T) {
	db := openDB(t, where{dir: t.TempDir()})
	ctx := context.Background()
	var writer, pool int
	if err := db.tx(ctx, func(tx txn) error {
		return tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&writer)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.sql.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&pool); err != nil {
		t.Fatal(err)
	}
	if writer != -32000 || pool == writer {
		t.Fatalf("cache_size: writer %d, pool %d", writer, pool)
	}
}
