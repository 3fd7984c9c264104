package catalogue

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// The catalogue's keys. Its key file holds age X25519 identities, the
// newest last (store/seal.KeyRing); the newest is the current key, the one
// laptops wrap their batches' data keys to and the catalogue seals clear
// records to. The older ones stay in the file until `catalogue rekey` has
// sealed everything again under the current one. The database holds only
// their public halves (catalogue_keys): a copy of it opens nothing.

// KeyFileName is the key file's name in the catalogue's --data directory.
const KeyFileName = "catalogue.key"

// sealingDDL is step 13, with BYTES the backend's byte type: the public
// halves of the catalogue's keys; the batches' data keys as received,
// wrapped to one of them; and beside each version its sealed part (the
// blob as received, or as the catalogue sealed it), the data key it is
// sealed with, the pseudonyms of its ID numbers (JSON pointer → hex) and
// what validating the clear record found (quality.Verdict, JSON), so that
// everything but a clear view works on the masked data without the key.
// A version without a sealed part has NULL there: it held nothing
// personal, or was stored before sealing (the data is then clear until
// the sealing step seals it).
const sealingDDL = `
CREATE TABLE catalogue_keys (
	id         TEXT PRIMARY KEY,
	recipient  TEXT NOT NULL,
	created_at TEXT NOT NULL,
	retired_at TEXT
);
CREATE TABLE sealed_keys (
	id            TEXT PRIMARY KEY,
	catalogue_key TEXT NOT NULL,
	wrapped       BYTES NOT NULL
);
ALTER TABLE versions ADD COLUMN sealed BYTES;
ALTER TABLE versions ADD COLUMN sealed_key TEXT;
ALTER TABLE versions ADD COLUMN pseudonyms TEXT;
ALTER TABLE versions ADD COLUMN verdict TEXT;
`

const (
	qCatalogueKeyInsert = `INSERT INTO catalogue_keys (id, recipient, created_at, retired_at) VALUES (?, ?, ?, NULL)
		ON CONFLICT (id) DO NOTHING`
	qCatalogueKeysRetire = `UPDATE catalogue_keys SET retired_at = ? WHERE id <> ? AND retired_at IS NULL`
	qCatalogueKeysList   = `SELECT id, recipient, created_at, coalesce(retired_at, '') FROM catalogue_keys ORDER BY created_at, id`
)

// LoadKeyFile reads the catalogue's key file at path. A missing file is
// made, with one new key, private (0600), and protected by the passphrase
// newPass gives when it gives one. pass is asked only for a protected
// file. created says the file was made now.
func LoadKeyFile(path string, pass, newPass func() (string, error)) (ring seal.KeyRing, created bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		ring, err = makeKeyFile(path, newPass)
		return ring, err == nil, err
	}
	if err != nil {
		return nil, false, err
	}
	p := ""
	if seal.KeyFileProtected(data) {
		if p, err = pass(); err != nil {
			return nil, false, err
		}
	}
	ring, err = seal.ParseKeyFile(data, p)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	if len(ring) == 0 {
		return nil, false, fmt.Errorf("%s: %w (no key in it)", path, seal.ErrDamaged)
	}
	return ring, false, nil
}

func makeKeyFile(path string, newPass func() (string, error)) (seal.KeyRing, error) {
	id, err := seal.NewIdentity()
	if err != nil {
		return nil, err
	}
	p := ""
	if newPass != nil {
		if p, err = newPass(); err != nil {
			return nil, err
		}
	}
	ring := seal.KeyRing{id}
	data, err := formatKeyFile(ring, p)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), sqlitedb.PrivateDir); err != nil {
		return nil, err
	}
	return ring, writeNewPrivate(path, data)
}

// writeNewPrivate writes data to a new file at path, private (0600) and
// synced; nothing is left there when it fails.
func writeNewPrivate(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, sqlitedb.PrivateFile)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// scryptLog is the work factor of a new passphrase-protected key file;
// tests lower it.
var scryptLog = seal.DefaultScryptLog

func formatKeyFile(ring seal.KeyRing, pass string) ([]byte, error) {
	if pass == "" {
		return seal.FormatKeyFile(ring), nil
	}
	return seal.FormatKeyFileWithPassphrase(ring, pass, scryptLog)
}

// RotateKeyFile adds a new key to the key file at path, which becomes
// the current key; the older ones stay, so everything sealed to them
// still opens. The file is replaced whole (written beside it, synced,
// renamed), protected by pass when pass is not "".
func RotateKeyFile(path string, ring seal.KeyRing, pass string) (seal.KeyRing, error) {
	id, err := seal.NewIdentity()
	if err != nil {
		return nil, err
	}
	next := append(ring[:len(ring):len(ring)], id)
	return next, ReplaceKeyFile(path, next, pass)
}

// ReplaceKeyFile writes ring to the key file at path in place of what it
// held, never leaving a half-written file under its name.
func ReplaceKeyFile(path string, ring seal.KeyRing, pass string) error {
	data, err := formatKeyFile(ring, pass)
	if err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial")
	os.Remove(tmp)
	if err := writeNewPrivate(tmp, data); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// UseKeys gives the catalogue its key ring: batches' data keys are
// unwrapped with it, and records that arrive clear are sealed to its
// current key. Its keys' public halves are recorded in catalogue_keys,
// and every other key there is marked retired from now. A catalogue
// without keys stores records as they arrive (the tests' control).
func (db *DB) UseKeys(ctx context.Context, ring seal.KeyRing) error {
	cur := ring.Current()
	if cur == nil {
		return errors.New("the catalogue's key file holds no key")
	}
	now := db.stamp()
	err := db.tx(ctx, func(tx txn) error {
		for _, id := range ring {
			if _, err := tx.ExecContext(ctx, qCatalogueKeyInsert, id.KeyID(), id.Recipient(), now); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, qCatalogueKeysRetire, now, cur.KeyID())
		return err
	})
	if err != nil {
		return fmt.Errorf("recording the catalogue's keys: %w", err)
	}
	db.mu.Lock()
	db.keys = ring
	db.mu.Unlock()
	return nil
}

// keyRing is the ring UseKeys gave; nil when sealing is off.
func (db *DB) keyRing() seal.KeyRing {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.keys
}

// CatalogueKey is the current key's public half, which laptops wrap
// their batches' data keys to; nil when the catalogue has no key.
func (db *DB) CatalogueKey() *wire.CatalogueKey {
	cur := db.keyRing().Current()
	if cur == nil {
		return nil
	}
	return &wire.CatalogueKey{ID: cur.KeyID(), Recipient: cur.Recipient()}
}

// KeyRow is one of the catalogue's keys as the database records it.
type KeyRow struct {
	ID, Recipient, CreatedAt, RetiredAt string
}

// Keys lists the keys the catalogue has used, oldest first.
func (db *DB) Keys(ctx context.Context) ([]KeyRow, error) {
	return sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (KeyRow, error) {
		var k KeyRow
		err := row.Scan(&k.ID, &k.Recipient, &k.CreatedAt, &k.RetiredAt)
		return k, err
	}, qCatalogueKeysList)
}
