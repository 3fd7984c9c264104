// Package catalogue is the central catalogue's database: the forms
// published to each township, the enrolled devices and every record version
// the laptops have sent. It implements api.Catalogue for the sync server
// and adds the administration the `fieldbench catalogue` commands use.
//
// Two backends share every statement (queries.go) and all the logic:
// SQLite in a directory (OpenSQLite, this file), the embedded default,
// and PostgreSQL (OpenPostgres, postgres.go). What differs between them is
// in dialect.go. What must happen once (a batch, a record version) is
// guaranteed by primary keys, not by this process's memory.
package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// FileName is the database's name inside the directory OpenSQLite is given.
const FileName = "catalogue.db"

// applicationID marks the file as a fieldbench catalogue in the SQLite
// header ("FDBC"), distinct from a laptop's database ("FDBN"), so pointing
// the server at a laptop's file (or the reverse) is refused before any write.
const applicationID = 0x46444243

// ErrNotCatalogue is returned by OpenSQLite for a file that is an SQLite
// database but not a catalogue (a laptop's database, say); the file is
// left untouched.
var ErrNotCatalogue = errors.New("not a fieldbench catalogue database")

// DB is an open catalogue. It is safe for concurrent use, and several DBs,
// in one process or many, may share one file.
type DB struct {
	sql  *sql.DB
	d    *dialect
	path string           // the file, or PostgreSQL's address without a password
	now  func() time.Time // the server's clock; replaced in tests

	mu      sync.Mutex
	forms   map[string]*forms.Form     // parsed definitions by sha256 of their bytes
	quality map[string]TownshipQuality // kept quality reports, decoded, by form and township
	// splitters are the published form versions' splitters, by form.
	splitters sync.Map
	keys      seal.KeyRing // the key file's keys (UseKeys); nil: records are stored as they arrive

	// SQLite only: the one connection that writes, and the checkpoints
	// taken off the request path (sqlitewrite.go).
	writer *writer
	ckpt   *checkpointer
}

// OpenSQLite opens (creating if needed) the catalogue database in dir,
// dir/catalogue.db, in WAL mode, and brings its schema up to date.
func OpenSQLite(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, sqlitedb.PrivateDir); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, FileName)
	// Look before writing: journal_mode=WAL alone rewrites the header,
	// which must not happen to a file that is not ours.
	if err := probe(path); err != nil {
		return nil, err
	}
	// Made here, empty and private, rather than by SQLite (0644): the
	// WAL and shared-memory files take the database's mode, and they
	// hold the pseudonym key and every record as much as it does.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, sqlitedb.PrivateFile); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sdb, err := sql.Open("sqlite", dsn(path, false, walPragma))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	w := newWriter(sdb)
	db := &DB{sql: sdb, d: sqliteDialect(w), path: path, now: time.Now, forms: map[string]*forms.Form{}, writer: w}
	if err := db.migrate(context.Background()); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	db.ckpt = startCheckpointer(sdb)
	return db, nil
}

// Close closes the database; the last connection checkpoints the WAL.
func (db *DB) Close() error {
	db.ckpt.close()
	if db.writer != nil {
		db.writer.close()
	}
	return db.sql.Close()
}

// Path is the database file, or for PostgreSQL its address without the
// password.
func (db *DB) Path() string { return db.path }

// Backend names the database behind the catalogue: SQLite or PostgreSQL.
func (db *DB) Backend() string { return db.d.name }

func sqliteDialect(w *writer) *dialect {
	return &dialect{
		name:       "SQLite",
		jsonRows:   "json_each(?)",
		nextSeq:    qNextSeq,
		rowAtATime: true,
		// BEGIN IMMEDIATE (the DSN's _txlock) takes the write lock at
		// once, so a batch's look-up and its insert cannot be split by
		// another writer; InTx waits out a lock held by another process.
		tx: func(ctx context.Context, _ *sql.DB, fn func(*sql.Tx, *sql.Conn) error) error {
			return w.tx(ctx, func(tx *sql.Tx) error { return fn(tx, nil) })
		},
	}
}

// dsn is fieldbench's SQLite connection string: synchronous=FULL because
// the server answers a batch only after committing it and the laptop then
// considers the records delivered, so a commit must survive a power cut.
func dsn(path string, readOnly bool, pragmas ...string) string {
	return sqlitedb.DSN(path, readOnly, pragmas...)
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
		return newerSchema(path, version, len(migrations))
	}
	return nil
}

func newerSchema(where string, have, know int) error {
	return fmt.Errorf("%s: written by a newer fieldbench (catalogue schema version %d, this one knows up to %d); update fieldbench, the database was not changed",
		where, have, know)
}

// migrate brings the schema up to date in one transaction: a crash
// mid-way leaves the previous version, and two servers starting at once
// cannot both migrate (BEGIN IMMEDIATE serialises them).
func (db *DB) migrate(ctx context.Context) error {
	return db.tx(ctx, func(tx txn) error {
		var version int
		if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
			return err
		}
		if version > len(migrations) {
			return newerSchema(db.path, version, len(migrations)) // again: probe ran before the lock
		}
		if version == len(migrations) {
			return nil
		}
		if err := sqlitedb.ApplySteps(ctx, tx, migrations, version); err != nil {
			return err
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

func (db *DB) stamp() string { return when.Stored(db.now()) }
