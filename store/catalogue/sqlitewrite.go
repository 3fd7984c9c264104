package catalogue

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// walBacklog is how many pages of log the catalogue's SQLite connections
// let pile up before a committing request copies them into the database
// file itself (SQLite's wal_autocheckpoint, 1000 by default). Normally the
// background checkpointer below keeps the log far shorter and no request
// pays for a checkpoint; this is the bound for when it cannot keep up
// (a long read holding old pages, a slow disk): 16,000 pages of 4 KiB,
// 64 MB of log at most before the old behaviour returns.
const walBacklog = 16000

// checkpointer copies the write-ahead log into the database file after
// commits, on a goroutine of its own, so the request that committed does
// not: in WAL mode a commit that takes the log past wal_autocheckpoint
// pages checkpoints before it returns, and on the sync path that was a
// sixth of storing a batch. A PASSIVE checkpoint never blocks a writer or
// a reader, and the next writer starts the log afresh once it has all
// been copied. Durability is unchanged: a commit is on disk when its log
// frames are (synchronous=FULL fsyncs the log on every commit), whether or
// not they have been copied yet.
type checkpointer struct {
	commits chan struct{} // a commit happened: worth a checkpoint
	stop    chan struct{}
	stopped chan struct{}
	once    sync.Once
}

func startCheckpointer(sdb *sql.DB) *checkpointer {
	c := &checkpointer{commits: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(c.stopped)
		// A connection of its own, out of the pool: handed to a writer
		// after a checkpoint, a pool connection's page cache is stale.
		conn, err := sdb.Conn(context.Background())
		if err != nil {
			return
		}
		defer conn.Close()
		var last time.Time
		for {
			select {
			case <-c.stop:
				return
			case <-c.commits:
			}
			// At most one checkpoint per checkpointGap: pages that every
			// batch changes (the indexes' last leaves, the counters) are
			// then copied once for several commits, not once per commit,
			// and the log stays near SQLite's own 1000-page default.
			select {
			case <-c.stop:
				return
			case <-time.After(time.Until(last.Add(checkpointGap))):
			}
			last = time.Now()
			// Busy (another process checkpointing, say) or a failure
			// only means trying after the next commit; walBacklog bounds
			// the log meanwhile.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			conn.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
			cancel()
		}
	}()
	return c
}

// committed tells the checkpointer the log has grown.
func (c *checkpointer) committed() {
	if c == nil {
		return
	}
	select {
	case c.commits <- struct{}{}:
	default: // one is pending already: it will copy this commit too
	}
}

// close stops the checkpointer, once however often it is called; the
// database's last connection to close checkpoints what is left.
func (c *checkpointer) close() {
	if c == nil {
		return
	}
	c.once.Do(func() { close(c.stop) })
	<-c.stopped
}

// checkpointGap is the least time between two background checkpoints.
const checkpointGap = 250 * time.Millisecond

// writerCachePragma sizes the writer connection's page cache: 32 MB.
const writerCachePragma = `PRAGMA cache_size = -32000`

// walPragma is the DSN pragma that sets walBacklog.
var walPragma = fmt.Sprintf("wal_autocheckpoint(%d)", walBacklog)

// writer runs the SQLite catalogue's write transactions one at a time on
// one connection kept out of the pool. SQLite lets one writer in at a
// time anyway; what this adds is a warm page cache: in WAL mode a
// connection that sees the database changed by another connection throws
// its whole cache away, so writes spread over the pool's connections kept
// reading and parsing the same index pages again. Writers of this process
// now queue here rather than in SQLite's busy handler; another process's
// writer is still waited out by sqlitedb.InTx.
type writer struct {
	sdb  *sql.DB
	turn chan struct{} // holds a token while a transaction runs
	conn *sql.Conn     // nil until the first write, or after it failed
}

func newWriter(sdb *sql.DB) *writer { return &writer{sdb: sdb, turn: make(chan struct{}, 1)} }

// tx runs fn in a write transaction on the writer's connection.
func (w *writer) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	select {
	case w.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-w.turn }()
	if w.conn == nil {
		conn, err := w.sdb.Conn(ctx)
		if err != nil {
			return err
		}
		// A batch that changes entities touches pages all over their
		// indexes (entity ids are random); in SQLite's default 2 MB cache
		// those pages were spilled to the WAL before the commit and read
		// back. A pool connection only reads and keeps the default.
		if _, err := conn.ExecContext(ctx, writerCachePragma); err != nil {
			conn.Close()
			return err
		}
		w.conn = conn
	}
	err := sqlitedb.InTx(ctx, w.conn, fn)
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) {
		// The next write starts on a fresh connection.
		w.conn.Close()
		w.conn = nil
	}
	return err
}

// close gives the connection back; a transaction still running keeps it
// until it ends.
func (w *writer) close() {
	w.turn <- struct{}{}
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
	<-w.turn
}
