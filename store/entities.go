package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms/canonjson"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// entitySinceKey is the meta row holding the download's cursor: the
// catalogue's change sequence up to which this laptop has every entity.
const entitySinceKey = "entities.since"

const entityColumns = `list, id, label, version, township, properties, conflict, assigned_to, last_visit, to_visit, seq, local`

// entityReadColumns are entityColumns and the entity's sealed part.
const entityReadColumns = entityColumns + `, sealed`

// scanEntity reads a row of entityReadColumns: the entity as stored
// (masked) and its sealed part (entity_seal.go).
func scanEntity(row sqlitedb.Scanner) (Entity, []byte, error) {
	var e Entity
	var props string
	var blob []byte
	err := row.Scan(&e.List, &e.ID, &e.Label, &e.Version, &e.Township, &props, &e.Conflict, &e.AssignedTo,
		when.Column(&e.LastVisit), &e.ToVisit, &e.Seq, &e.Local, &blob)
	if err != nil {
		return e, nil, err
	}
	e.Properties, err = decodeProperties(props)
	return e, blob, err
}

// decodeProperties reads the properties column; the store wrote it, so
// anything but a JSON object of strings is damage.
func decodeProperties(text string) (map[string]string, error) {
	if text == "" || text == "{}" {
		return map[string]string{}, nil
	}
	if m, ok := plainProperties(text); ok {
		return m, nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		return nil, fmt.Errorf("an entity's stored properties are damaged: %w", err)
	}
	if m == nil {
		m = map[string]string{}
	}
	return m, nil
}

// encodeProperties writes the properties column: canonical JSON, so the
// same properties are always the same text.
func encodeProperties(m map[string]string) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := canonjson.Marshal(m)
	return string(b), err
}

// Entities is all of a list's entities on this laptop, ordered by label
// (then id, so that equal labels keep one order); nil for a list it does
// not hold.
func (db *DB) Entities(ctx context.Context, list string) ([]Entity, error) {
	// Sized first: a township's list is 100,000 rows, and growing the
	// slice as they came was a third of the time.
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM entities WHERE list = ?`, list).Scan(&n); err != nil || n == 0 {
		return nil, err
	}
	out := make([]Entity, 0, n)
	dk := db.readKey()
	err := sqlitedb.Each(ctx, db.sql, `SELECT `+entityReadColumns+` FROM entities WHERE list = ?`, []any{list},
		func(row sqlitedb.Scanner) error {
			e, blob, err := scanEntity(row)
			if err == nil {
				err = openEntity(dk, &e, blob)
			}
			out = append(out, e)
			return err
		})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Entity) int { return byLabel(a.Label, a.ID, b.Label, b.ID) })
	return out, nil
}

// byLabel orders entities by label, then id: SQLite's BINARY order, in
// which the rows are read in key order and sorted here, since reading
// them through an index on the label looked each row up again, which
// was most of loading a township's list.
func byLabel(labelA, idA, labelB, idB string) int {
	if c := strings.Compare(labelA, labelB); c != 0 {
		return c
	}
	return strings.Compare(idA, idB)
}

// EntityLists counts the entities of each list this laptop holds, by
// list name.
func (db *DB) EntityLists(ctx context.Context) ([]EntityListSummary, error) {
	return sqlitedb.QueryAll(ctx, db.sql, func(row sqlitedb.Scanner) (EntityListSummary, error) {
		var s EntityListSummary
		err := row.Scan(&s.List, &s.Count, &s.ToVisit)
		return s, err
	}, `SELECT list, count(*), coalesce(sum(to_visit), 0) FROM entities GROUP BY list ORDER BY list`)
}

// HasEntityList reports whether this laptop holds any entity of list, or
// has ever changed it.
func (db *DB) HasEntityList(ctx context.Context, list string) (bool, error) {
	return holdsList(ctx, db.sql, list)
}

// EntitiesSince is the download's cursor: the catalogue's change sequence
// this laptop has every entity up to (0 before the first download).
func (db *DB) EntitiesSince(ctx context.Context) (int64, error) {
	var v string
	err := db.sql.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, entitySinceKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// ApplyDownloaded stores one page of entities downloaded from the
// catalogue and moves the cursor to next, in one transaction, so a
// download cut short resumes after the last page stored. A downloaded
// version replaces the laptop's row when it is newer, or when the row
// has no change of this laptop's the catalogue has not confirmed yet;
// the same version with the same label and properties confirms the
// laptop's change. Otherwise the laptop's own, newer change stands until
// the catalogue sends a version past it.
func (db *DB) ApplyDownloaded(ctx context.Context, ents []Entity, next int64) error {
	dk, err := db.dataKey()
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := applyDownloaded(ctx, tx, dk, ents); err != nil {
			return err
		}
		return setMeta(ctx, tx, entitySinceKey, strconv.FormatInt(next, 10))
	})
}

// applyDownloaded stores downloaded entities by ApplyDownloaded's rules.
// A laptop's change is confirmed by the same label and properties, clear
// (its sealed part opened with dk) or masked, as the catalogue may send
// either. What is stored is masked by the free-text rule, its clear part
// sealed with dk (sealFreeText): the catalogue sends clear the properties
// its sharing rules let the laptop see, and these are as personal here as
// the laptop's own answers.
func applyDownloaded(ctx context.Context, tx *sql.Tx, dk *seal.DataKey, ents []Entity) error {
	get, err := tx.PrepareContext(ctx, `SELECT version, label, properties, local, last_visit, sealed FROM entities WHERE list = ? AND id = ?`)
	if err != nil {
		return err
	}
	defer get.Close()
	put, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO entities (`+entityColumns+`, sealed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`)
	if err != nil {
		return err
	}
	defer put.Close()
	changed := map[string]bool{}
	for _, e := range ents {
		props, err := encodeProperties(e.Properties)
		if err != nil {
			return err
		}
		var have struct {
			version    int64
			label      string
			props      string
			local      bool
			lastVisit  string
			sealed     []byte
			notPresent bool
		}
		err = get.QueryRowContext(ctx, e.List, e.ID).Scan(&have.version, &have.label, &have.props, &have.local, &have.lastVisit, &have.sealed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			have.notPresent = true
		case err != nil:
			return err
		}
		same := e.Label == have.label && props == have.props
		if !same && have.sealed != nil && !have.notPresent && have.local {
			if same, err = sameAsClear(dk, e, props, have.label, have.props, have.sealed); err != nil {
				return err
			}
		}
		if !have.notPresent && have.local && !downloadedWins(e.Version, have.version, same) {
			continue
		}
		// A visit this laptop made after the one the catalogue knows
		// (not yet sent, or sent after this version) stays; and a
		// catalogue before last visits sends none.
		lastVisit := when.Stored(e.LastVisit)
		if lastVisit < have.lastVisit {
			lastVisit = have.lastVisit
		}
		m, blob, err := sealFreeText(dk, &e)
		if err != nil {
			return err
		}
		if props, err = encodeProperties(m.Properties); err != nil {
			return err
		}
		if _, err := put.ExecContext(ctx, e.List, e.ID, m.Label, e.Version, e.Township, props, e.Conflict,
			e.AssignedTo, lastVisit, e.ToVisit, e.Seq, blob); err != nil {
			return err
		}
		changed[e.List] = true
	}
	return bumpLists(ctx, tx, changed)
}

// setMeta writes one meta row.
func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// downloadedWins decides between the catalogue's version of an entity
// and a change of this laptop's it has not confirmed: a newer version
// has seen that change (or overruled it, as a reviewer resolving a
// conflict does); the same version confirms it when it holds the same
// label and properties.
func downloadedWins(downloaded, local int64, same bool) bool {
	return downloaded > local || downloaded == local && same
}

// bumpLists counts one more change of each list named, which tells the
// forms reading those lists that their CSV is out of date.
func bumpLists(ctx context.Context, tx *sql.Tx, lists map[string]bool) error {
	for list := range lists {
		if _, err := tx.ExecContext(ctx, `INSERT INTO entity_lists (list, generation) VALUES (?, 1)
			ON CONFLICT (list) DO UPDATE SET generation = generation + 1`, list); err != nil {
			return err
		}
	}
	return nil
}
