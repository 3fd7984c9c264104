package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// Bulk stores a long run of batches (an import) faster than
// InsertFinalizedBatch alone. In WAL mode every commit that takes the log
// past wal_autocheckpoint pages copies it into the database file before
// returning, and in an import that copy was a fifth of the storing time.
// A Bulk writes on a connection of its own with automatic checkpoints off,
// and a second connection checkpoints after each commit, in parallel: a
// PASSIVE checkpoint never blocks the writer, and the writer starts the
// log afresh whenever the checkpointer has caught up.
type Bulk struct {
	db        *DB
	writer    *sql.Conn
	commits   chan struct{} // a commit happened: worth a checkpoint
	stopped   chan struct{}
	ckptError error
}

// Bulk starts a bulk run; Close ends it and must be called.
func (db *DB) Bulk(ctx context.Context) (*Bulk, error) {
	writer, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := writer.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
		writer.Close()
		return nil, err
	}
	ckpt, err := db.sql.Conn(ctx)
	if err != nil {
		writer.ExecContext(ctx, fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, walAutoCheckpoint))
		writer.Close()
		return nil, err
	}
	b := &Bulk{db: db, writer: writer, commits: make(chan struct{}, 1), stopped: make(chan struct{})}
	go func() {
		defer close(b.stopped)
		defer ckpt.Close()
		for range b.commits {
			// Busy (another checkpoint, say) only means try after the next
			// commit; a real failure is kept for Close.
			if _, err := ckpt.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`); err != nil && !sqlitedb.IsBusy(err) && b.ckptError == nil {
				b.ckptError = err
			}
		}
	}()
	return b, nil
}

// InsertFinalizedBatch is DB.InsertFinalizedBatch on the bulk connection.
func (b *Bulk) InsertFinalizedBatch(ctx context.Context, items []ImportItem) ([]ImportResult, error) {
	res, err := b.db.insertFinalizedBatch(ctx, b.writer, items)
	if err == nil {
		select {
		case b.commits <- struct{}{}:
		default: // one is pending already: it will see this commit too
		}
	}
	return res, err
}

// Close stops the checkpointer and gives the writer back to the pool with
// automatic checkpoints on again; the next commit, or closing the
// database, checkpoints what is left.
func (b *Bulk) Close() error {
	close(b.commits)
	<-b.stopped
	_, err := b.writer.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, walAutoCheckpoint))
	if cerr := b.writer.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = b.ckptError
	}
	return err
}

// walAutoCheckpoint is SQLite's default, which every other connection keeps.
const walAutoCheckpoint = 1000
