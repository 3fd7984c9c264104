package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fieldbench/fieldbench/store/seal"
)

// The laptop's data key seals the personal part of every record it holds
// (store/seal). It is made at the database's first open and kept in meta
// only wrapped: by the key of a key file beside the database
// (KeyFilePath), or by a key derived from the collector's passphrase.
// A copy of the database alone (a backup, a stolen file) reads as masked
// data; the key file or the passphrase is needed for the rest.

// metaDataKey is the meta row holding the wrapped data key.
const metaDataKey = "data_key"

// EventKeyChanged: the data key's protection changed (a passphrase set,
// changed or removed) or the key was replaced by a reset.
const EventKeyChanged Event = "key_changed"

// ErrLocked is data that needs the data key when the database was opened
// without it: no passphrase given, or the key file is missing.
var ErrLocked = errors.New("the personal data is locked")

// LockedError says why the data key is not at hand: Err is
// seal.ErrPassphraseNeeded, seal.ErrWrongPassphrase or ErrKeyFileMissing.
type LockedError struct {
	Path    string // the database
	KeyFile string // the key file it wants, when wrapped by one
	Err     error
}

// ErrKeyFileMissing: the data key is wrapped by a key file that is not
// where it should be.
var ErrKeyFileMissing = errors.New("the key file is missing")

func (e *LockedError) Error() string {
	msg := e.Path + ": " + ErrLocked.Error() + " (" + e.Err.Error() + ")"
	if e.KeyFile != "" {
		msg += "; the key file is " + e.KeyFile
	}
	return msg
}

func (e *LockedError) Unwrap() []error { return []error{ErrLocked, e.Err} }

// WithPassphrase gives the passphrase when the data key needs one: ask is
// called at Open only then. "" opens the database locked: masked data
// reads, lists and backups work, and what needs the clear data returns a
// *LockedError. A wrong passphrase fails Open.
func WithPassphrase(ask func() (string, error)) Option {
	return func(o *options) { o.passphrase = ask }
}

// WithArgon2 sets the cost of deriving a key from a passphrase, for tests:
// the default costs about half a second a derivation.
func WithArgon2(p seal.Argon2Params) Option { return func(o *options) { o.argon2 = p } }

// KeyFilePath is the key file of the database at dbPath: beside it, with
// the database's name and ".key" (fieldbench.db: fieldbench.key), so two
// databases in one directory never share one.
func KeyFilePath(dbPath string) string {
	ext := filepath.Ext(dbPath)
	if ext == ".key" {
		return dbPath + ".key"
	}
	return strings.TrimSuffix(dbPath, ext) + ".key"
}

// PassphraseSet reports whether the data key is wrapped by a passphrase.
func (db *DB) PassphraseSet(ctx context.Context) (bool, error) {
	wrapped, err := db.wrappedKey(ctx, db.sql)
	if err != nil || wrapped == nil {
		return false, err
	}
	method, _, err := seal.WrappedMethod(wrapped)
	return method == seal.MethodPassphrase, err
}

// Locked is why the data key is not at hand (a *LockedError), nil when it is.
func (db *DB) Locked() error { return db.keyErr }

// dataKey is the data key, or the reason it is not at hand.
func (db *DB) dataKey() (*seal.DataKey, error) {
	if db.key == nil {
		return nil, db.keyErr
	}
	return db.key, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (db *DB) wrappedKey(ctx context.Context, q querier) ([]byte, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaDataKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return []byte(v), err
}

// unlock finds the data key at Open, making it (and its key file) when the
// database has none yet.
func (db *DB) unlock(ctx context.Context, o *options) error {
	wrapped, err := db.wrappedKey(ctx, db.sql)
	if err != nil {
		return err
	}
	if wrapped == nil {
		return db.makeKey(ctx)
	}
	method, _, err := seal.WrappedMethod(wrapped)
	if err != nil {
		return err
	}
	if method == seal.MethodPassphrase {
		pass := ""
		if o.passphrase != nil {
			if pass, err = o.passphrase(); err != nil {
				return err
			}
		}
		if pass == "" {
			db.keyErr = &LockedError{Path: db.path, Err: seal.ErrPassphraseNeeded}
			return nil
		}
		return db.unwrapPassphrase(wrapped, pass)
	}
	kek, err := readKeyFile(KeyFilePath(db.path))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		db.keyErr = &LockedError{Path: db.path, KeyFile: KeyFilePath(db.path), Err: ErrKeyFileMissing}
		return nil
	case errors.Is(err, seal.ErrKEKProtected):
		// A copy on another computer or account: masked work goes on.
		db.keyErr = &LockedError{Path: db.path, KeyFile: KeyFilePath(db.path), Err: err}
		return nil
	case err != nil:
		return err
	}
	dk, err := seal.UnwrapWithKeyFile(wrapped, kek)
	if err != nil {
		db.keyErr = &LockedError{Path: db.path, KeyFile: KeyFilePath(db.path), Err: err}
		return nil
	}
	db.key = dk
	return nil
}

// unwrapPassphrase unlocks the data key wrapped by a passphrase; a wrong
// one is a *LockedError and leaves the database as locked as it was.
func (db *DB) unwrapPassphrase(wrapped []byte, pass string) error {
	dk, err := seal.UnwrapWithPassphrase(wrapped, pass)
	if err != nil {
		return &LockedError{Path: db.path, Err: err}
	}
	db.key, db.keyErr = dk, nil
	return nil
}

// Unlock unlocks a database opened locked because its data key needs a
// passphrase (the workbench asks for it on its own screen, and may ask
// again). A wrong passphrase is a *LockedError wrapping
// seal.ErrWrongPassphrase; nil when the key is at hand already.
func (db *DB) Unlock(ctx context.Context, pass string) error {
	if db.key != nil {
		return nil
	}
	var le *LockedError
	if !errors.As(db.keyErr, &le) || !errors.Is(le.Err, seal.ErrPassphraseNeeded) {
		return db.keyErr // a missing key file: no passphrase helps
	}
	if pass == "" {
		return db.keyErr
	}
	wrapped, err := db.wrappedKey(ctx, db.sql)
	if err != nil {
		return err
	}
	return db.unwrapPassphrase(wrapped, pass)
}

func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return seal.ParseKEKFileWith(b, unprotectKEK)
}

// keyFileContent is what a key file holding kek says: the key protected
// by the operating system for this user where it can (DPAPI on Windows).
func keyFileContent(kek []byte) ([]byte, error) {
	if protectKEK == nil {
		return seal.FormatKEKFile(kek), nil
	}
	p, err := protectKEK(kek)
	if err != nil {
		return nil, fmt.Errorf("protecting the key file: %w", err)
	}
	return seal.FormatProtectedKEKFile(p), nil
}

// makeKey makes the data key of a new database (or one from before
// sealing) and its key file. Two processes opening a new database at once
// meet at the key file: the second reads the one the first wrote, and at
// the meta row, which only the first transaction inserts.
func (db *DB) makeKey(ctx context.Context) error {
	path := KeyFilePath(db.path)
	kek, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		kek = seal.NewKEK()
		var content []byte
		if content, err = keyFileContent(kek); err == nil {
			err = writeNewFile(path, content)
		}
		if errors.Is(err, fs.ErrExist) {
			kek, err = readKeyFile(path)
		}
	}
	if err != nil {
		return err
	}
	dk := seal.NewDataKey()
	wrapped, err := seal.WrapWithKeyFile(dk, kek)
	if err != nil {
		return err
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)`, metaDataKey, string(wrapped))
		return err
	})
	if err != nil {
		return err
	}
	// Whichever insert won, the row now holds the key to use.
	var o options
	return db.unlock(ctx, &o)
}

// writeNewFile writes a private file that must not exist yet, synced, so
// a key file is either whole or absent.
func writeNewFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, PrivateFile)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// SetPassphrase protects the data key with pass instead of the key file
// (or a passphrase set before), and removes the key file: from now on
// the passphrase alone unlocks the personal data.
func (db *DB) SetPassphrase(ctx context.Context, pass string) error {
	if pass == "" {
		return errors.New("an empty passphrase protects nothing")
	}
	dk, err := db.dataKey()
	if err != nil {
		return err
	}
	wrapped, err := seal.WrapWithPassphrase(dk, pass, db.argon2)
	if err != nil {
		return err
	}
	if err := db.storeWrapped(ctx, wrapped, "passphrase_set"); err != nil {
		return err
	}
	err = os.Remove(KeyFilePath(db.path))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// RemovePassphrase protects the data key with a new key file again.
func (db *DB) RemovePassphrase(ctx context.Context) error {
	dk, err := db.dataKey()
	if err != nil {
		return err
	}
	kek, err := db.freshKeyFile()
	if err != nil {
		return err
	}
	wrapped, err := seal.WrapWithKeyFile(dk, kek)
	if err != nil {
		return err
	}
	return db.storeWrapped(ctx, wrapped, "passphrase_removed")
}

// freshKeyFile writes a new key file in place of any old one: written
// beside it first and renamed, so a crash leaves one or the other.
func (db *DB) freshKeyFile() ([]byte, error) {
	path := KeyFilePath(db.path)
	kek := seal.NewKEK()
	tmp := path + ".new"
	os.Remove(tmp)
	content, err := keyFileContent(kek)
	if err != nil {
		return nil, err
	}
	if err := writeNewFile(tmp, content); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	return kek, nil
}

func (db *DB) storeWrapped(ctx context.Context, wrapped []byte, what string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = ?`, string(wrapped), metaDataKey); err != nil {
			return err
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		return c.add(ctx, EventKeyChanged, "", map[string]string{"what": what})
	})
}

// ResetReport says what a reset dropped.
type ResetReport struct {
	Dropped int // sealed parts no key at hand could open any more
}

// ResetKey replaces a data key that cannot be unlocked (a lost
// passphrase, a lost key file) with a new one, protected by pass ("": a
// new key file). The personal parts sealed under the old key cannot be
// read by anyone any more and are dropped: those records keep their
// masked data, and what was sent is whole at the catalogue. Audited with
// the count.
func (db *DB) ResetKey(ctx context.Context, pass string) (*ResetReport, error) {
	dk := seal.NewDataKey()
	var wrapped []byte
	var err error
	if pass != "" {
		wrapped, err = seal.WrapWithPassphrase(dk, pass, db.argon2)
	} else {
		var kek []byte
		if kek, err = db.freshKeyFile(); err == nil {
			wrapped, err = seal.WrapWithKeyFile(dk, kek)
		}
	}
	if err != nil {
		return nil, err
	}
	rep := &ResetReport{}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		n, err := dropSealed(ctx, tx)
		if err != nil {
			return err
		}
		rep.Dropped = n
		if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = ?`, string(wrapped), metaDataKey); err != nil {
			return err
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		return c.add(ctx, EventKeyChanged, "", map[string]any{"what": "reset", "dropped": n})
	})
	if err != nil {
		return nil, err
	}
	if pass != "" {
		if err := os.Remove(KeyFilePath(db.path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return rep, err
		}
	}
	db.key, db.keyErr = dk, nil
	return rep, nil
}

// dropSealed drops every sealed part (versions', drafts', edits' in
// progress, entities'): after a reset no key opens them. The masked data
// stays, which is what reads back now; versions keep the mark
// (retention.go) so that theirs is not taken for their answers.
func dropSealed(ctx context.Context, tx *sql.Tx) (int, error) {
	total := 0
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE sealed_versions SET blob = ?1 WHERE blob <> ?1`, []any{maskedOnlyMark}},
		{`UPDATE records SET draft_sealed = NULL WHERE draft_sealed IS NOT NULL`, nil},
		{`UPDATE pending_edits SET sealed = NULL WHERE sealed IS NOT NULL`, nil},
		{`UPDATE entities SET sealed = NULL WHERE sealed IS NOT NULL`, nil},
	} {
		res, err := tx.ExecContext(ctx, q.sql, q.args...)
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		total += int(n)
	}
	return total, nil
}
