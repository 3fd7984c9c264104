package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// Entities this laptop's records create or update are stored as the
// records are: the label and properties masked (the entity changes of
// the version's masked data, masked as forms.EntityMaskings says), and
// the clear value of what masking changed sealed in entities.sealed,
// bound to the list and entity id. Whoever holds the key reads the clear
// entity (the follow-up prefill, `fieldbench entities`, the list CSV a
// form reads); a locked database reads the masked one. Downloaded
// entities replace the row whole, so a stale sealed part never outlives
// the values it belonged to.

func entityAD(list, id string) []byte { return seal.AD("entity", list, id) }

// sealEntity seals what of clear differs from masked (the same entity);
// nil when nothing does.
func sealEntity(dk *seal.DataKey, clear, masked *Entity) ([]byte, error) {
	return seal.SealEntity(dk, entityAD(clear.List, clear.ID), clear.Label, masked.Label, clear.Properties, masked.Properties), nil
}

// openEntity puts the clear label and properties back into e, read
// masked with its sealed part blob. Without the key (dk nil) e stays
// masked.
func openEntity(dk *seal.DataKey, e *Entity, blob []byte) error {
	if blob == nil || dk == nil {
		return nil
	}
	if err := seal.OpenEntity(blob, entityAD(e.List, e.ID), seal.Keys(dk), &e.Label, e.Properties); err != nil {
		return fmt.Errorf("entity %s of list %s: %w", e.ID, e.List, err)
	}
	return nil
}

// readKey is the data key for reading, nil on a locked database: what
// reads entities then shows them masked rather than failing.
func (db *DB) readKey() *seal.DataKey {
	return db.key
}

// sealExistingEntities seals the entities a database from before step 11
// holds in clear. Which form question each property came from is not
// kept with the entity, so they are masked by the rule for free text
// (forms.MaskEmbeddedIDs: every ID and mobile number in them), not by
// question; entities changed from then on are masked by question.
func sealExistingEntities(ctx context.Context, tx *sql.Tx, dk *seal.DataKey) error {
	var clear []Entity
	err := sqlitedb.Each(ctx, tx, `SELECT `+entityReadColumns+` FROM entities WHERE sealed IS NULL`, nil, func(row sqlitedb.Scanner) error {
		e, _, err := scanEntity(row)
		clear = append(clear, e)
		return err
	})
	if err != nil {
		return err
	}
	for i := range clear {
		m, blob, err := sealFreeText(dk, &clear[i])
		if err != nil || blob == nil {
			if err != nil {
				return err
			}
			continue
		}
		props, err := encodeProperties(m.Properties)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE entities SET label = ?, properties = ?, sealed = ? WHERE list = ? AND id = ?`,
			m.Label, props, blob, m.List, m.ID); err != nil {
			return err
		}
	}
	return nil
}

// sealFreeText masks e by the rule for free text (forms.MaskEmbeddedIDs:
// every ID and mobile number in its label and properties), for an entity
// whose values did not come from this laptop's questions: one from before
// step 11, or downloaded from the catalogue. It returns the masked entity
// and the sealed part, nil when masking changed nothing.
func sealFreeText(dk *seal.DataKey, e *Entity) (Entity, []byte, error) {
	m := *e
	m.Label = forms.MaskEmbeddedIDs(e.Label)
	m.Properties = maps.Clone(e.Properties)
	for name, v := range m.Properties {
		m.Properties[name] = forms.MaskEmbeddedIDs(v)
	}
	blob, err := sealEntity(dk, e, &m)
	return m, blob, err
}

// sameAsClear reports whether a downloaded entity (props: its encoded
// properties) holds the clear label and properties of the laptop's row,
// stored masked with its sealed part.
func sameAsClear(dk *seal.DataKey, downloaded Entity, props, label, storedProps string, blob []byte) (bool, error) {
	have := Entity{List: downloaded.List, ID: downloaded.ID, Label: label}
	var err error
	if have.Properties, err = decodeProperties(storedProps); err != nil {
		return false, err
	}
	if err := openEntity(dk, &have, blob); err != nil {
		return false, err
	}
	clearProps, err := encodeProperties(have.Properties)
	return downloaded.Label == have.Label && props == clearProps, err
}
