package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/fieldbench/fieldbench/store/seal"
)

// The catalogue's public key, pinned on the laptop: each batch's data key
// is wrapped to it, so only the catalogue opens what a batch seals. It is
// pinned at enrolment, or at the first sync of a laptop enrolled before
// keys existed, and replaced when the catalogue announces a rotation;
// every change is an audit row.

// EventCatalogueKeyPinned: the laptop pinned a catalogue key (first, or
// replacing the one it had: a rotation at the catalogue).
const EventCatalogueKeyPinned Event = "catalogue_key_pinned"

const (
	metaCatalogueKeyID        = "catalogue_key_id"
	metaCatalogueKeyRecipient = "catalogue_key_recipient"
)

// CatalogueKey is a catalogue's public key as the laptop pins it.
type CatalogueKey struct {
	ID        string // seal.KeyIDOf(Recipient)
	Recipient string // age X25519 recipient
}

// PinnedCatalogueKey is the catalogue key pinned, or nil when none is.
func (db *DB) PinnedCatalogueKey(ctx context.Context) (*CatalogueKey, error) {
	var k CatalogueKey
	err := db.sql.QueryRowContext(ctx, `SELECT i.value, r.value FROM meta i JOIN meta r ON r.key = ? WHERE i.key = ?`,
		metaCatalogueKeyRecipient, metaCatalogueKeyID).Scan(&k.ID, &k.Recipient)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// PinCatalogueKey pins k, after checking that its id is its recipient's,
// and writes an audit row naming it and the key it replaces. Pinning the
// key already pinned changes nothing and reports false.
func (db *DB) PinCatalogueKey(ctx context.Context, k CatalogueKey) (changed bool, err error) {
	id, err := seal.KeyIDOf(k.Recipient)
	if err != nil {
		return false, fmt.Errorf("the catalogue's key: %w", err)
	}
	if id != k.ID {
		return false, fmt.Errorf("the catalogue's key %s is announced with id %s, not its own", id, k.ID)
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		var prev string
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaCatalogueKeyID).Scan(&prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if prev == k.ID {
			return nil
		}
		for key, value := range map[string]string{metaCatalogueKeyID: k.ID, metaCatalogueKeyRecipient: k.Recipient} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
				return err
			}
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		changed = true
		return c.add(ctx, EventCatalogueKeyPinned, "", map[string]string{"key_id": k.ID, "replaces": prev})
	})
	return changed, err
}
