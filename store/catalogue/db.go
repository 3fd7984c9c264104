// Package catalogue is the central catalogue's database: the forms
// published to each township, the enrolled devices and every record version
// the laptops have sent. It implements sync.Catalogue for the sync server
// and adds the administration the `fieldbench catalogue` commands use.
//
// This file set is the SQLite backend. The SQL is kept portable (plain
// types, ON CONFLICT, RETURNING, no INSERT OR ...) and every statement lives
// in queries.go, so that a PostgreSQL backend can reuse it after rewriting
// the ? placeholders; what must happen once (a batch, a record version) is
// guaranteed by primary keys, not by this process's memory.
package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	stdsync "sync"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var _ sync.Catalogue = (*DB)(nil)

// FileName is the database's name inside the directory OpenSQLite is given.
const FileName = "catalogue.db"

// applicationID marks the file as a fieldbench catalogue in the SQLite
// header ("FDBC"), distinct from a laptop's database ("FDBN"), so pointing
// the server at a laptop's file (or the reverse) is refused before any write.
const applicationID = 0x46444243

// busyTimeout is how long a statement waits for another connection's write
// lock. Batch transactions are short, so ten seconds means something is stuck.
const busyTimeout = 10000

// lockPatience bounds the retries of a whole transaction beyond SQLite's
// own busy timeout (see tx).
const lockPatience = 2 * time.Minute

// timeFormat is RFC 3339 in UTC with fixed-width nanoseconds, so stored
// times sort correctly as text; the laptop's store uses the same.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// ErrNotCatalogue is returned by OpenSQLite for a file that is an SQLite
// database but not a catalogue (a laptop's database, say); the file is
// left untouched.
var ErrNotCatalogue = errors.New("not a fieldbench catalogue database")

// DB is an open catalogue. It is safe for concurrent use, and several DBs,
// in one process or many, may share one file.
type DB struct {
	sql  *sql.DB
	path string
	now  func() time.Time // the server's clock; replaced in tests

	mu    stdsync.Mutex
	forms map[string]*forms.Form // parsed definitions by sha256 of their bytes
}

// OpenSQLite opens (creating if needed) the catalogue database in dir,
// dir/catalogue.db, in WAL mode, and brings its schema up to date.
func OpenSQLite(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, FileName)
	// Look before writing: journal_mode=WAL alone rewrites the header,
	// which must not happen to a file that is not ours.
	if err := probe(path); err != nil {
		return nil, err
	}
	sdb, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	db := &DB{sql: sdb, path: path, now: time.Now, forms: map[string]*forms.Form{}}
	if err := db.migrate(context.Background()); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return db, nil
}

// Close closes the database; the last connection checkpoints the WAL.
func (db *DB) Close() error { return db.sql.Close() }

// Path is the database file.
func (db *DB) Path() string { return db.path }

// dsn builds a file: URI (safe for any path, Windows drives included).
// synchronous=FULL: the server answers a batch only after committing it,
// and the laptop then considers the records delivered, so a commit must
// survive a power cut, not only a crash. foreign_keys and _txlock=immediate
// as in the laptop's store: every transaction takes the write lock at
// BEGIN, so the busy timeout applies and no lock upgrade fails half-way.
func dsn(path string, readOnly bool) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path: file:/C:/...
	}
	u := url.URL{Scheme: "file", OmitHost: true, Path: p}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout))
	if readOnly {
		q.Set("mode", "ro")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Set("_txlock", "immediate")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// probe refuses an existing file that is not a catalogue this program can
// run, reading it read-only.
func probe(path string) error {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && st.Size() == 0) {
		return nil // a new database
	}
	if err != nil {
		return err
	}
	if st.IsDir() {
		return fmt.Errorf("%s: %w (it is a directory)", path, ErrNotCatalogue)
	}
	sdb, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer sdb.Close()
	var appID, version, tables int
	err = sdb.QueryRow(`SELECT
		(SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_schema)`).Scan(&appID, &version, &tables)
	if err != nil {
		return fmt.Errorf("%s: %w (%v)", path, ErrNotCatalogue, err)
	}
	switch {
	case appID == 0 && version == 0 && tables == 0:
		return nil // created but never migrated
	case appID != applicationID:
		return fmt.Errorf("%s: %w; it was left untouched", path, ErrNotCatalogue)
	case version > len(migrations):
		return newerSchema(path, version)
	}
	return nil
}

func newerSchema(path string, have int) error {
	return fmt.Errorf("%s: written by a newer fieldbench (catalogue schema version %d, this one knows up to %d); update fieldbench, the file was not changed",
		path, have, len(migrations))
}

// migrate brings the schema up to date in one transaction: a crash
// mid-way leaves the previous version, and two servers starting at once
// cannot both migrate (BEGIN IMMEDIATE serialises them).
func (db *DB) migrate(ctx context.Context) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var version int
		if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
			return err
		}
		if version > len(migrations) {
			return newerSchema(db.path, version) // again: probe ran before the lock
		}
		if version == len(migrations) {
			return nil
		}
		for i := version; i < len(migrations); i++ {
			if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
				return fmt.Errorf("schema step %d: %w", i+1, err)
			}
		}
		if version == 0 {
			if _, err := tx.ExecContext(ctx, qInitMeta, db.stamp()); err != nil {
				return err
			}
		}
		// PRAGMA takes no parameters; the values are our own integers.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, len(migrations))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID))
		return err
	})
}

// tx runs fn in one write transaction. SQLite's busy handler polls, so a
// stream of other writers can outlast the busy timeout; then the whole
// transaction runs again until lockPatience has passed. fn must therefore
// be safe to repeat: everything it wrote is rolled back before a retry.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	deadline := time.Now().Add(lockPatience)
	for {
		err := db.tryTx(ctx, fn)
		if !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(1+rand.IntN(20)) * time.Millisecond):
		}
	}
}

func (db *DB) tryTx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	// Deferred, so that a panic in fn (in a caller's check function, say)
	// does not leave the write lock held by an abandoned transaction.
	committed := false
	defer func() {
		if !committed {
			tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	committed = true
	return tx.Commit()
}

func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED)
}

func (db *DB) stamp() string { return db.now().UTC().Format(timeFormat) }
