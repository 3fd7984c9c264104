package catalogue

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/canonjson"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// Entities at the catalogue are kept as versions are: the label and
// properties as a masked listing shows them (entityMasker, by the
// defining form's questions), the clear value of what masking changed in
// a sealed part (store/seal.SealEntity) under a data key wrapped to the
// catalogue's current key, bound to the list, the entity id and the
// version, and the pseudonym of each ID-number property beside them, so
// that masked listings, downloads and exports need no key. The clear
// paths (a clearance listing or export, a conflict shown in clear, the
// properties a form asks laptops to receive in clear, a resolution,
// applying an update) open the sealed part. A catalogue without keys
// stores entities clear (the tests' control), as before step 14.

// entitySealingDDL is step 14 on both backends, with BYTES the backend's
// byte type: the sealed part of each entity and entity version, its data
// key (sealed_keys) and the pseudonyms of the entity's ID-number
// properties (property → hex, JSON). Rows stored before the step are
// sealed by SealExisting.
const entitySealingDDL = `
ALTER TABLE entities ADD COLUMN sealed BYTES;
ALTER TABLE entities ADD COLUMN sealed_key TEXT;
ALTER TABLE entities ADD COLUMN pseudonyms TEXT;
ALTER TABLE entity_versions ADD COLUMN sealed BYTES;
ALTER TABLE entity_versions ADD COLUMN sealed_key TEXT;
`

// entityAD binds an entity's sealed part to its list, id and version.
func entityAD(list, id string, version int64) []byte {
	return seal.AD("catalogue-entity", list, id, strconv.FormatInt(version, 10))
}

// rowQuerier reads one row, inside a transaction or outside.
type rowQuerier func(ctx context.Context, q string, args ...any) *sql.Row

// entitySealer seals the entity rows of one write (a batch, a
// resolution, an import). Its maskers are read before the write
// transaction (prepareList), which then reads nothing outside itself.
type entitySealer struct {
	db      *DB
	fresh   *freshKey
	keyRow  bool // the fresh key's sealed_keys row is written
	ps      *forms.Pseudonymizer
	u       *unsealer
	maskers map[string]*entityMasker
	sealed  map[entityVersionKey]sealedEntity
}

// newEntitySealer is nil on a catalogue without keys: entities are then
// stored clear.
func (db *DB) newEntitySealer(ctx context.Context) (*entitySealer, error) {
	ring := db.keyRing()
	if ring == nil {
		return nil, nil
	}
	key, err := db.PseudonymKey(ctx)
	if err != nil {
		return nil, err
	}
	return &entitySealer{db: db, fresh: &freshKey{to: ring.Current()}, ps: forms.NewPseudonymizer(key), u: db.unsealer(),
		maskers: map[string]*entityMasker{}, sealed: map[entityVersionKey]sealedEntity{}}, nil
}

// prepareList reads the masker of list: by the form f that creates its
// entities in this write when f is not nil (props: the properties the
// write gives them), else by its defining form.
func (sl *entitySealer) prepareList(ctx context.Context, list string, f *forms.Form, props []string) error {
	if sl == nil {
		return nil
	}
	if f != nil {
		sl.maskers[list] = maskerOfForm(f, list, props)
		return nil
	}
	if _, done := sl.maskers[list]; done {
		return nil
	}
	m, err := sl.db.maskerFor(ctx, list)
	if err == nil {
		sl.maskers[list] = m
	}
	return err
}

// masker is list's masker as prepareList read it; one that masks every
// property as free text (never clear by accident) for a list not read.
func (sl *entitySealer) masker(list string) *entityMasker {
	if m := sl.maskers[list]; m != nil {
		return m
	}
	return &entityMasker{fields: map[string]*forms.Field{}}
}

// in makes the sealer read and write inside tx (a new attempt of it).
func (sl *entitySealer) in(tx txn) {
	if sl != nil {
		sl.keyRow = false
		sl.u.rows = tx.QueryRowContext
	}
}

// storedEntity is an entity's label and properties as a row holds them.
type storedEntity struct {
	label, props string
	sealed       []byte
	keyID        any // sealed_key: NULL when nothing is sealed
	pseudonyms   any // NULL when none
}

// seal is the row of an entity at version whose clear label and
// properties are given, masked and sealed; clear on a catalogue without
// keys (sl nil). An entity's row and its newest history row hold the same
// version: the second is the first's seal again, not a second sealing.
func (sl *entitySealer) seal(ctx context.Context, tx txn, k entityKey, version int64, label string, props map[string]string) (storedEntity, error) {
	if sl == nil {
		return storedEntity{label: label, props: string(canonjson.AppendStringMap(nil, props))}, nil
	}
	v := entityVersionKey{k, version}
	done, ok := sl.sealed[v]
	if !ok || done.label != label || !maps.Equal(done.props, props) {
		out, err := sl.sealNew(k, version, label, props)
		if err != nil {
			return out, err
		}
		done = sealedEntity{label: label, props: maps.Clone(props), row: out}
		sl.sealed[v] = done
	}
	if done.row.sealed != nil && !sl.keyRow {
		r := sl.fresh.row
		if _, err := tx.ExecContext(ctx, qSealedKeyInsert, r.id, r.catalogueKey, r.wrapped); err != nil {
			return done.row, err
		}
		sl.keyRow = true
	}
	return done.row, nil
}

// entityVersionKey names an entity at one version.
type entityVersionKey struct {
	entityKey
	version int64
}

// sealedEntity is an entity version as seal was given it and the row it
// made of it.
type sealedEntity struct {
	label string
	props map[string]string
	row   storedEntity
}

// sealNew masks and seals an entity version.
func (sl *entitySealer) sealNew(k entityKey, version int64, label string, props map[string]string) (storedEntity, error) {
	m := sl.masker(k.list)
	maskedLabel, maskedProps := m.masked(label, props, false)
	out := storedEntity{label: maskedLabel, props: string(canonjson.AppendStringMap(nil, maskedProps))}
	if ps := m.pseudonyms(props, sl.ps); ps != "" {
		out.pseudonyms = ps
	}
	dk, err := sl.fresh.key()
	if err != nil {
		return out, err
	}
	if out.sealed = seal.SealEntity(dk, entityAD(k.list, k.id, version), label, maskedLabel, props, maskedProps); out.sealed != nil {
		out.keyID = dk.ID()
	}
	return out, nil
}

// open puts the clear label and properties of an entity's version back
// into label and props, read masked with its sealed part.
func (u *unsealer) openEntity(ctx context.Context, k entityKey, version int64, sealed []byte, keyID string, label *string, props map[string]string) error {
	if len(sealed) == 0 {
		return nil
	}
	dk, err := u.dataKey(ctx, keyID)
	if err == nil {
		err = seal.OpenEntity(sealed, entityAD(k.list, k.id, version), seal.Keys(dk), label, props)
	}
	if err != nil {
		return fmt.Errorf("entity %s of list %s, version %d: %w", k.id, k.list, version, err)
	}
	return nil
}

// entitySealCols are the sealing columns of an entity row, read after
// its other columns.
const entitySealCols = `sealed, coalesce(sealed_key, ''), coalesce(pseudonyms, '')`

// entitySeal is what a read entity row holds of its sealing.
type entitySeal struct {
	sealed            []byte
	keyID, pseudonyms string
}

func (s *entitySeal) dest() []any { return []any{&s.sealed, &s.keyID, &s.pseudonyms} }

// clear puts e's clear label and properties back (all of them, or those
// only the keep says yes to).
func (u *unsealer) clearEntity(ctx context.Context, e *wire.Entity, s entitySeal, keep func(prop string) bool) error {
	if len(s.sealed) == 0 {
		return nil
	}
	label, props := e.Label, maps.Clone(e.Properties)
	if props == nil {
		props = map[string]string{}
	}
	if err := u.openEntity(ctx, entityKey{e.List, e.ID}, e.Version, s.sealed, s.keyID, &label, props); err != nil {
		return err
	}
	if keep == nil {
		e.Label, e.Properties = label, props
		return nil
	}
	for p, v := range props {
		if keep(p) {
			e.Properties[p] = v
		}
	}
	return nil
}

// scanEntityState reads an entity as a write applies changes to it,
// with its sealed part, which openState then opens (after the rows are
// read: PostgreSQL runs one statement at a time on a transaction).
func scanEntityState(row sqlitedb.Scanner) (*entityState, entitySeal, error) {
	e := &entityState{}
	var props string
	var sealed entitySeal
	if err := row.Scan(append([]any{&e.list, &e.id, &e.label, &e.township, &e.version, &props, &e.conflict}, sealed.dest()...)...); err != nil {
		return nil, sealed, err
	}
	if err := json.Unmarshal([]byte(props), &e.props); err != nil {
		return nil, sealed, fmt.Errorf("entity %s of list %s: stored properties: %w", e.id, e.list, err)
	}
	if e.props == nil {
		e.props = map[string]string{}
	}
	return e, sealed, nil
}

// openState puts an entity's clear label and properties back, opened
// with sl's keys. A sealed entity on a catalogue without keys cannot be
// changed: its clear properties would be lost.
func (sl *entitySealer) openState(ctx context.Context, e *entityState, sealed entitySeal) error {
	if len(sealed.sealed) == 0 {
		return nil
	}
	if sl == nil {
		return fmt.Errorf("entity %s of list %s is sealed, and this catalogue has no key to open it", e.id, e.list)
	}
	return sl.u.openEntity(ctx, e.entityKey, e.version, sealed.sealed, sealed.keyID, &e.label, e.props)
}

// prepareEntities readies sl for the entity changes of a batch's records
// (ingest.go): the masker of every list they touch, by the form of the
// last record that creates in it (the list's defining form once stored,
// noteList), else by the list's defining form.
func (db *DB) prepareEntities(ctx context.Context, in *ingest) error {
	if in.sl == nil {
		return nil
	}
	type listUse struct {
		creator *forms.Form
		props   []string
	}
	uses := map[string]*listUse{}
	var order []string
	for i := range in.recs {
		read := in.entityChanges(i)
		if read.reason != "" {
			continue // the record is refused
		}
		for _, c := range read.changes {
			u := uses[c.List]
			if u == nil {
				u = &listUse{}
				uses[c.List] = u
				order = append(order, c.List)
			}
			if c.Create {
				if f, err := in.forms.get(in.recs[i].FormID, in.recs[i].FormVersion); err == nil {
					u.creator = f
				} // unpublished: the record is refused
			}
			for p := range c.Properties {
				u.props = append(u.props, p)
			}
		}
	}
	for _, list := range order {
		if err := in.sl.prepareList(ctx, list, uses[list].creator, uses[list].props); err != nil {
			return err
		}
	}
	return nil
}

// maskedResolution is a resolution as entity_conflicts keeps it: the
// properties it sets masked (their clear values are in the sealed part
// of the version it made).
func (sl *entitySealer) maskedResolution(list string, res wire.EntityResolution) wire.EntityResolution {
	if sl == nil || len(res.Properties) == 0 {
		return res
	}
	_, res.Properties = sl.masker(list).masked("", res.Properties, false)
	return res
}
