// Package store is fieldbench's local database: one SQLite file holding the
// form registry, drafts, finalized record versions and a hash-chained audit
// trail. Every write is one short BEGIN IMMEDIATE transaction, so a crash or
// a second process never sees half a change and never gets "database is
// locked".
package store

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
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// applicationID marks the file as fieldbench's in the SQLite header
// (bytes 68-71), so another program's database is recognised without
// reading a single table. It spells "FDBN".
const applicationID = 0x4644424e

// Errors Open returns; each leaves the file exactly as it was.
var (
	ErrNotDatabase   = errors.New("not an SQLite database")
	ErrNotFieldbench = errors.New("an SQLite database, but not a fieldbench one")
	ErrCorrupt       = errors.New("the database file is damaged")
	ErrReadOnly      = errors.New("the database cannot be written")
	ErrNoDirectory   = errors.New("the database's directory does not exist")
	ErrNoDatabase    = errors.New("there is no database here")
)

// OpenError says which file Open refused and why; errors.Is matches the
// Err* value in Kind.
type OpenError struct {
	Path string
	Kind error
	Err  error // the underlying cause, if any
}

func (e *OpenError) Error() string {
	msg := e.Path + ": " + e.Kind.Error()
	switch e.Kind {
	case ErrNotDatabase, ErrNotFieldbench:
		msg += "; fieldbench left it untouched. Use --db to name another file"
	case ErrCorrupt:
		msg += "; restore it from a backup (fieldbench backup) or move it aside"
	case ErrReadOnly:
		msg += "; check the permissions of the file and its directory, or use --db"
	case ErrNoDirectory:
		msg += "; create it or use --db"
	case ErrNoDatabase:
		msg += "; check the path (--db or FIELDBENCH_DB), nothing was created"
	}
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

func (e *OpenError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// ErrNewerSchema is returned when the file was written by a newer
// fieldbench: migrating backwards could lose what the newer one stored.
type ErrNewerSchema struct {
	Path  string
	Have  int // the file's schema version
	Known int // the newest this program knows
}

func (e *ErrNewerSchema) Error() string {
	return fmt.Sprintf("%s: written by a newer fieldbench (schema version %d, this one knows up to %d); update fieldbench, the file was not changed",
		e.Path, e.Have, e.Known)
}

// DB is an open fieldbench database. It is safe for concurrent use, and
// several DBs, in one process or many, may share one file.
type DB struct {
	sql       *sql.DB
	path      string
	now       func() time.Time
	deviceID  string
	collector string // set by WithCollector; "" means the stored setting

	// key seals records' personal parts (keys.go); nil when locked,
	// and keyErr says why.
	key       *seal.DataKey
	keyErr    error
	argon2    seal.Argon2Params
	splitters map[*forms.Form]*seal.Splitter // sealing.go, under mu

	mu       sync.Mutex
	forms    map[string]*forms.Form // parsed definitions by sha256
	formKeys map[[2]string]string   // the key of each form version's parse in forms
}

// Option changes how Open behaves.
type Option func(*options)

type options struct {
	createDir bool
	existing  bool
	now       func() time.Time
	collector string
	// passphrase and argon2: keys.go.
	passphrase func() (string, error)
	argon2     seal.Argon2Params
}

// CreateDir makes the database's directory when it is missing, as the
// default location needs on first run. Without it a missing directory is
// ErrNoDirectory: a mistyped --db should not grow new directories.
func CreateDir() Option { return func(o *options) { o.createDir = true } }

// Existing refuses to open anything but an existing fieldbench database:
// no file, an empty one, or an SQLite file never made by fieldbench is
// ErrNoDatabase, ErrNotDatabase or ErrNotFieldbench, and nothing is
// created. audit verify needs it: verifying a mistyped path (or a backup
// killed before it wrote anything) must not report a new, empty trail as
// sound.
func Existing() Option { return func(o *options) { o.existing = true } }

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithCollector names the collector for this session (--collector),
// overriding the stored setting without changing it.
func WithCollector(name string) Option { return func(o *options) { o.collector = name } }

// Open opens the database at path, creating it when the file does not
// exist, and brings its schema up to date.
func Open(path string, opts ...Option) (*DB, error) {
	o := options{now: time.Now, argon2: seal.DefaultArgon2}
	for _, opt := range opts {
		opt(&o)
	}
	if err := prepareFile(path, o.createDir && !o.existing, o.existing); err != nil {
		return nil, err
	}
	// Look before writing anything: journal_mode=WAL alone rewrites the
	// header, which must not happen to a file that is not ours.
	if err := probe(path, o.existing); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, &OpenError{Path: path, Kind: ErrCorrupt, Err: err}
	}
	d := &DB{sql: db, path: path, now: o.now, collector: o.collector, argon2: o.argon2, forms: map[string]*forms.Form{}, formKeys: map[[2]string]string{}}
	if err := d.migrate(context.Background()); err != nil {
		db.Close()
		return nil, classify(path, err)
	}
	if err := db.QueryRow(`SELECT value FROM meta WHERE key = 'device_id'`).Scan(&d.deviceID); err != nil {
		db.Close()
		return nil, classify(path, err)
	}
	if err := d.unlock(context.Background(), &o); err != nil {
		db.Close()
		return nil, err
	}
	if err := d.sealExisting(context.Background()); err != nil {
		db.Close()
		return nil, classify(path, err)
	}
	if err := d.buildIndex(context.Background()); err != nil {
		db.Close()
		return nil, classify(path, err)
	}
	return d, nil
}

// Close closes the database. The last connection to close checkpoints the
// WAL into the main file.
func (db *DB) Close() error { return db.sql.Close() }

// Path is the file the database was opened from.
func (db *DB) Path() string { return db.path }

// dsn builds a file: URI, which carries any path safely (spaces, '?',
// '#', Windows drive letters) and lets SQLite apply mode=ro.
//
// Durability: synchronous=FULL in WAL mode fsyncs the WAL on every commit.
// NORMAL would survive a crash or SIGKILL just as well, but a power cut
// (the common failure on these laptops) could lose the last commits, and
// the promise is that a saved answer or a finalized record is never lost.
// One fsync per draft save is far below typing speed, and imports commit in
// batches, so FULL costs little where it matters.
func dsn(path string, readOnly bool) string {
	// 32 MB of page cache per connection keeps the indexes of a large
	// import in memory; the default 2 MB thrashes past ~100k records.
	// Statement journals (every multi-row INSERT has one) stay in memory,
	// not in a temporary file per statement.
	// secure_delete zeroes what a write frees, so a page that held a
	// record before it was sealed, or a deleted sealed part, keeps no
	// bytes of it in the file.
	return sqlitedb.DSN(path, readOnly, "cache_size(-32000)", "temp_store(MEMORY)", "secure_delete(ON)")
}

// prepareFile checks the directory and the file with plain system calls, so
// the common mistakes get a clear error rather than SQLite's "unable to
// open database file".
func prepareFile(path string, createDir, existing bool) error {
	if _, err := os.Stat(path); existing && errors.Is(err, fs.ErrNotExist) {
		return &OpenError{Path: path, Kind: ErrNoDatabase}
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) && createDir {
		if err := os.MkdirAll(dir, PrivateDir); err != nil {
			return fileError(path, err)
		}
		st, err = os.Stat(dir)
	}
	if err != nil {
		return fileError(path, err)
	}
	if !st.IsDir() {
		return &OpenError{Path: path, Kind: ErrNoDirectory, Err: fmt.Errorf("%s is not a directory", dir)}
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// The file is made here, empty and private, rather than by
		// SQLite (0644): SQLite gives the WAL, shared-memory and journal
		// files the database's own mode, so they are private too. The
		// directory must take new files for them as well.
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, PrivateFile)
		if errors.Is(err, fs.ErrExist) {
			return nil // another process made it first: probe reads it
		}
		if err != nil {
			return fileError(path, err)
		}
		return f.Close()
	case err != nil:
		return fileError(path, err)
	case fi.IsDir():
		return &OpenError{Path: path, Kind: ErrNotDatabase, Err: errors.New("it is a directory")}
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fileError(path, err)
	}
	return f.Close()
}

func fileError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &OpenError{Path: path, Kind: ErrNoDirectory, Err: err}
	}
	// Permission denied, a read-only file system, a file locked by
	// another program on Windows: all mean this file cannot be written.
	return &OpenError{Path: path, Kind: ErrReadOnly, Err: err}
}

// probe reads an existing file read-only and refuses anything that is not
// a fieldbench database this program can run.
func probe(path string, existing bool) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		if existing {
			return &OpenError{Path: path, Kind: ErrNoDatabase}
		}
		return nil // a new database
	}
	if err != nil {
		return fileError(path, err)
	}
	head := make([]byte, 100)
	n, _ := f.Read(head)
	f.Close()
	if n == 0 {
		if existing {
			return &OpenError{Path: path, Kind: ErrNotDatabase, Err: errors.New("the file is empty")}
		}
		return nil // an empty file is an empty database: SQLite starts it afresh
	}
	if n < 100 || string(head[:16]) != "SQLite format 3\x00" {
		return &OpenError{Path: path, Kind: ErrNotDatabase}
	}
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return &OpenError{Path: path, Kind: ErrCorrupt, Err: err}
	}
	defer db.Close()
	// One connection, so the pragmas and the schema are read through the
	// same view of the WAL.
	conn, err := db.Conn(context.Background())
	if err != nil {
		return classify(path, err)
	}
	defer conn.Close()
	var appID, version, tables int
	row := conn.QueryRowContext(context.Background(), `SELECT
		(SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_schema)`)
	if err := row.Scan(&appID, &version, &tables); err != nil {
		return classify(path, err)
	}
	if appID == 0 && version == 0 && tables == 0 && !existing {
		return nil // created but never migrated, e.g. killed on first run
	}
	if appID != applicationID {
		return &OpenError{Path: path, Kind: ErrNotFieldbench}
	}
	if version > len(migrations) {
		return &ErrNewerSchema{Path: path, Have: version, Known: len(migrations)}
	}
	var marker string
	err = conn.QueryRowContext(context.Background(), `SELECT value FROM meta WHERE key = 'application'`).Scan(&marker)
	if err != nil || marker != "fieldbench" {
		return &OpenError{Path: path, Kind: ErrNotFieldbench, Err: err}
	}
	return nil
}

// classify turns SQLite's result codes into the errors a person can act on.
func classify(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT:
			return &OpenError{Path: path, Kind: ErrCorrupt, Err: err}
		case sqlite3.SQLITE_NOTADB:
			return &OpenError{Path: path, Kind: ErrNotDatabase, Err: err}
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
			return &OpenError{Path: path, Kind: ErrReadOnly, Err: err}
		}
	}
	var oe *OpenError
	var ns *ErrNewerSchema
	if errors.As(err, &oe) || errors.As(err, &ns) {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}

// tx runs fn in one write transaction (BEGIN IMMEDIATE, from the DSN):
// taking the write lock up front means the busy timeout applies and no
// transaction fails half-way on a lock upgrade. SQLite's busy handler polls
// at up to 100 ms, so a writer committing batch after batch (an import in
// another process) can outlast it; then the whole transaction is run again
// for up to two minutes (sqlitedb.InTx), so "database is locked" does not
// reach a person typing while an import runs. fn must therefore be safe to repeat:
// everything it writes is rolled back before a retry.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return sqlitedb.InTx(ctx, db.sql, fn)
}

func (db *DB) stamp() string { return when.Stored(db.now()) }

// QuickCheck reads the whole file for damage (SQLite's quick_check), which
// Open does not: Open checks only the header and schema, so that a large
// database still opens in milliseconds. audit verify runs it. A damaged
// file gives an *OpenError of kind ErrCorrupt naming the first problem.
func (db *DB) QuickCheck(ctx context.Context) error {
	rows, err := db.sql.QueryContext(ctx, `PRAGMA quick_check(1)`)
	if err != nil {
		return &OpenError{Path: db.path, Kind: ErrCorrupt, Err: err}
	}
	defer rows.Close()
	var first string
	if rows.Next() {
		rows.Scan(&first)
	}
	if err := rows.Err(); err != nil {
		return &OpenError{Path: db.path, Kind: ErrCorrupt, Err: err}
	}
	if first != "ok" {
		return &OpenError{Path: db.path, Kind: ErrCorrupt, Err: errors.New(first)}
	}
	return nil
}
