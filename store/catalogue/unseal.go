package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/fieldbench/fieldbench/store/seal"
)

// The decrypting paths (a clearance export, a reviewer's clear view, an
// entity export in clear, the properties a form asks for in clear) read
// a version's clear data through an unsealer; every other reader takes
// the masked data as stored. Each of those paths is audited by its
// caller (export_events), before it reads.

// sealedCols are the columns of versions v a sealedVersion is read from,
// after the record id.
const sealedCols = `v.version_id, v.sha256, v.sealed, coalesce(v.sealed_key, ''), coalesce(v.pseudonyms, '')`

const qSealedKeyGet = `SELECT catalogue_key, wrapped FROM sealed_keys WHERE id = ?`

// unsealer opens versions' sealed parts with the catalogue's keys,
// unwrapping each data key once. Safe for concurrent use.
type unsealer struct {
	db   *DB
	ring seal.KeyRing
	mu   sync.Mutex
	keys map[string]*seal.DataKey
	rows rowQuerier // reads sealed_keys: the database, or a write transaction
}

func (db *DB) unsealer() *unsealer {
	return &unsealer{db: db, ring: db.keyRing(), keys: map[string]*seal.DataKey{}, rows: db.queryRow}
}

// sealedVersion is what opening a version needs: its ids and the hash of
// its masked data (the sealed part's associated data), and the part and
// the data key it is sealed with (both empty when it has none).
type sealedVersion struct {
	recordID, versionID, sha string
	sealed                   []byte
	keyID                    string
	pseudonyms               string // JSON pointer → pseudonym of each ID number, as JSON
}

// clear is a version's clear data: masked merged with its sealed part,
// or masked as it is when it has none. A part sealed to a catalogue key
// the key file lacks is a *seal.KeyError naming that key.
func (u *unsealer) clear(ctx context.Context, v sealedVersion, masked []byte) ([]byte, error) {
	if len(v.sealed) == 0 {
		return masked, nil
	}
	plain, err := u.plain(ctx, v)
	if err != nil {
		return nil, err
	}
	clear, err := seal.Merge(masked, plain)
	if err != nil {
		return nil, fmt.Errorf("version %s of record %s: %w", v.versionID, v.recordID, err)
	}
	return clear, nil
}

// plain is a version's sealed part, opened.
func (u *unsealer) plain(ctx context.Context, v sealedVersion) ([]byte, error) {
	dk, err := u.dataKey(ctx, v.keyID)
	if err == nil {
		var plain []byte
		if plain, err = seal.Open(v.sealed, seal.AD(v.recordID, v.versionID, v.sha), seal.Keys(dk)); err == nil {
			return plain, nil
		}
	}
	return nil, fmt.Errorf("version %s of record %s: %w", v.versionID, v.recordID, err)
}

// dataKey is the data key of id, unwrapped with the catalogue key it is
// wrapped to.
func (u *unsealer) dataKey(ctx context.Context, id string) (*seal.DataKey, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if dk := u.keys[id]; dk != nil {
		return dk, nil
	}
	var catKey string
	var wrapped []byte
	err := u.rows(ctx, qSealedKeyGet, id).Scan(&catKey, &wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &seal.KeyError{KeyID: id, Missing: true}
	}
	if err != nil {
		return nil, err
	}
	if u.ring.Find(catKey) == nil {
		return nil, &seal.KeyError{KeyID: catKey, Missing: true, Catalogue: true}
	}
	dk, err := seal.UnwrapBatchKey(wrapped, catKey, u.ring)
	if err != nil {
		return nil, err
	}
	u.keys[id] = dk
	return dk, nil
}
