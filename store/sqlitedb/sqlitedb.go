// Package sqlitedb holds what the laptop's database (store) and the
// catalogue's (store/catalogue) do alike with their files: the connection
// string of a fieldbench SQLite file, write transactions that wait out
// another writer, the one way a schema's steps are applied, reading a
// query's rows (rows.go), and the modes of the private files and
// directories they live in.
//
// It is the only code the two sides share below the protocol: the
// catalogue must never import the laptop's store (see deps_test.go at the
// module root), and the laptop has no use for the catalogue's.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Every file fieldbench writes holds personal data (records, the
// pseudonym key, exports), so each is private to the user who runs it:
// files 0600, directories 0700. Windows has no such bits; its files
// inherit the ACL of their directory (the user's profile is private).
const (
	PrivateFile = 0o600
	PrivateDir  = 0o700
)

// busyTimeout is how long a statement waits for another connection's write
// lock before failing. An import commits in batches well under a second, so
// ten seconds means "database is locked" only if something is truly stuck.
const busyTimeout = 10000

// DSN is the connection string of a fieldbench SQLite file: WAL,
// synchronous=FULL, foreign keys, a busy timeout and BEGIN IMMEDIATE, plus
// the extra pragmas given; read-only opens with mode=ro. It is a file: URI,
// which carries any path safely (spaces, '?', '#', Windows drive letters)
// and lets SQLite apply mode=ro.
func DSN(path string, readOnly bool, pragmas ...string) string {
	// A file: URI has no relative form: "fb.db" would become /fb.db at the
	// root of the file system, not the file in the working directory.
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
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
		for _, p := range pragmas {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", "immediate")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// InTx runs fn in one write transaction on a *sql.DB or *sql.Conn,
// retrying the whole transaction while another writer holds the lock.
//
// On a database opened with DSN, BEGIN IMMEDIATE takes the write lock up
// front, so the busy timeout applies and no transaction fails half-way
// on a lock upgrade. SQLite's busy handler polls at up to 100 ms, so a
// writer committing batch after batch (an import in another process) can
// outlast it; then the whole transaction is run again until lockPatience
// has passed, so "database is locked" does not reach a person typing
// while an import runs. fn must therefore be safe to repeat: everything
// it writes is rolled back before a retry. On PostgreSQL nothing is
// SQLite-busy, so fn runs once.
func InTx(ctx context.Context, on Beginner, fn func(*sql.Tx) error) error {
	deadline := time.Now().Add(lockPatience)
	for {
		err := tryTx(ctx, on, fn)
		if !IsBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(1+rand.IntN(20)) * time.Millisecond):
		}
	}
}

// lockPatience bounds the waiting for another writer, beyond SQLite's
// own busy timeout.
const lockPatience = 2 * time.Minute

// Beginner is a *sql.DB or a *sql.Conn: where a transaction runs.
type Beginner interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}

func tryTx(ctx context.Context, on Beginner, fn func(*sql.Tx) error) error {
	tx, err := on.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	// Deferred, so that a panic in fn (a caller's check function, say)
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

// IsBusy reports whether err is SQLite's "database is locked" (busy or
// locked): another connection holds what was needed.
func IsBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED)
}

// Execer runs a statement: a *sql.Tx, or a transaction wrapped to speak a
// dialect.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// ApplySteps runs the schema steps a database at version have lacks,
// steps[have:], in order, in the caller's transaction tx. Step i (from 1)
// that fails is reported as "schema step i". Every migration history of
// fieldbench (the laptop's store, the catalogue on SQLite and on
// PostgreSQL) is a list of steps applied by this one function; where the
// version is kept, and what else a first step writes, is each caller's.
func ApplySteps(ctx context.Context, tx Execer, steps []string, have int) error {
	for i := have; i < len(steps); i++ {
		if _, err := tx.ExecContext(ctx, steps[i]); err != nil {
			return fmt.Errorf("schema step %d: %w", i+1, err)
		}
	}
	return nil
}
