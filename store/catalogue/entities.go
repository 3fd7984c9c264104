package catalogue

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/canonjson"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
	"github.com/google/uuid"
)

// Entity lists (ODK Entities): a finalized record carries the entities it
// creates and updates under forms.EntitiesKey, and StoreBatch applies them
// in the batch's transaction, in batch order, for every version it keeps.
//
//   - A create makes version 1 in the device's township. A create of an
//     entity the catalogue holds (the record sent again) changes nothing.
//   - An update based on the entity's current version makes the next one.
//     An update based on any other version is applied all the same (its
//     properties over the current ones) and opens a conflict for a
//     reviewer, as ODK Central does: no update is silently lost.
//   - An update of an entity the catalogue does not hold keeps its record
//     and changes no entity; the catalogue notes it in entity_errors, as
//     Central keeps the submission and logs an entity error.
//   - A device creates entities only in its own township and updates only
//     its township's: a record that would do otherwise is rejected whole.
//
// entity_versions is the audit trail of every entity: each create, update,
// resolution and import is a row there, never updated or deleted, with
// who made it (the device and record version, or the user) and when.

// entitiesDDL is step 11 on both backends: plain columns only. seq is the
// catalogue's entity change sequence, handed out by entity_counter: its
// row lock (SQLite: the write lock) makes transactions that change
// entities take numbers in the order they commit, so a laptop that has
// downloaded up to seq N never misses a change numbered below N later.
// The primary key of entity_versions is what keeps two PostgreSQL servers
// from both applying an update to one entity read before the other
// committed: the second's version number is taken, its insert fails, and
// the batch is tried again (pgRetryable), reading the first's.
const entitiesDDL = `
CREATE TABLE entity_lists (
	name         TEXT PRIMARY KEY,
	form_id      TEXT NOT NULL,
	form_version TEXT NOT NULL,
	properties   TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);
CREATE TABLE entities (
	list        TEXT NOT NULL,
	entity_id   TEXT NOT NULL,
	label       TEXT NOT NULL,
	version     BIGINT NOT NULL,
	township    TEXT NOT NULL,
	properties  TEXT NOT NULL,
	conflict    INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1)),
	assigned_to TEXT NOT NULL DEFAULT '',
	seq         BIGINT NOT NULL,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	PRIMARY KEY (list, entity_id)
);
CREATE INDEX entities_id ON entities (entity_id);
CREATE INDEX entities_township_seq ON entities (township, seq);
CREATE TABLE entity_versions (
	list         TEXT NOT NULL,
	entity_id    TEXT NOT NULL,
	version      BIGINT NOT NULL,
	base_version BIGINT NOT NULL,
	kind         TEXT NOT NULL CHECK (kind IN ('create', 'update', 'resolve', 'import')),
	label        TEXT NOT NULL,
	properties   TEXT NOT NULL,
	record_version TEXT NOT NULL DEFAULT '',
	device_id    TEXT NOT NULL DEFAULT '',
	user_id      TEXT NOT NULL DEFAULT '',
	conflict     INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1)),
	at           TEXT NOT NULL,
	PRIMARY KEY (list, entity_id, version)
);
CREATE TABLE entity_conflicts (
	id               TEXT PRIMARY KEY,
	list             TEXT NOT NULL,
	entity_id        TEXT NOT NULL,
	township         TEXT NOT NULL,
	version          BIGINT NOT NULL,
	base_version     BIGINT NOT NULL,
	previous_version BIGINT NOT NULL,
	record_version   TEXT NOT NULL,
	device_id        TEXT NOT NULL,
	opened_at        TEXT NOT NULL,
	resolved_at      TEXT,
	resolved_by      TEXT NOT NULL DEFAULT '',
	resolution       TEXT NOT NULL DEFAULT '',
	resolved_version BIGINT
);
CREATE INDEX entity_conflicts_entity ON entity_conflicts (list, entity_id);
CREATE INDEX entity_conflicts_township ON entity_conflicts (township, opened_at);
CREATE TABLE entity_errors (
	record_version TEXT NOT NULL,
	device_id      TEXT NOT NULL,
	list           TEXT NOT NULL,
	entity_id      TEXT NOT NULL,
	reason         TEXT NOT NULL,
	at             TEXT NOT NULL
);
CREATE TABLE entity_counter (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	value BIGINT NOT NULL
);
INSERT INTO entity_counter (id, value) VALUES (1, 0);
`

// maxEntityName bounds a list's and a property's name: both are XML names
// in the form.
const maxEntityName = 128

// entityKey names one entity: its list and its id.
type entityKey struct{ list, id string }

// entityState is an entity as the batch sees it: as the catalogue held it,
// then as the batch's earlier records changed it.
type entityState struct {
	entityKey
	label, township string
	assignedTo      string // a preloaded entity's collector (entities_import.go)
	lastVisit       string // set when a record of the batch visits it (recordVisit)
	version         int64
	props           map[string]string
	conflict        int
	touched         bool // changed by this batch
}

// entityVersionRow is one row of entity_versions.
type entityVersionRow struct {
	entityKey
	version, base int64
	kind, label   string
	props         map[string]string
	recordVersion string
	deviceID      string
	userID        string
	conflict      int
}

// entityConflictRow is a conflict a stale update opens.
type entityConflictRow struct {
	entityKey
	township                string
	version, base, previous int64
	recordVersion           string
}

// entityErrorRow is an update of an entity the catalogue does not hold.
type entityErrorRow struct {
	entityKey
	recordVersion, reason string
}

// listNote is what a batch learns of a list: the form that creates its
// entities and the properties it saw.
type listNote struct {
	formID, formVersion string
	props               []string
}

// entityBatch is what one attempt at storing a batch does to entities.
type entityBatch struct {
	changes   map[int][]forms.EntityChange // by record position
	visited   map[int]string               // by record position: recordVisit
	states    map[entityKey]*entityState
	order     []*entityState // touched, in the order first touched
	versions  []entityVersionRow
	conflicts []entityConflictRow
	errors    []entityErrorRow
	lists     map[string]*listNote
}

var entitiesMember = []byte(`"` + forms.EntitiesKey + `"`)

// readEntityChanges reads the entity changes of a record's data, with the
// record's members that are strings (what recordVisit reads): none when
// it has no EntitiesKey, or a reason to reject the record when they do not
// read or name what cannot be stored. The record is read a member at a
// time, as encoding/json would read it into a map (a member named twice
// counts as its last), without copying the members it does not keep:
// decoding every record whole was the most of a batch's entity work.
func readEntityChanges(data []byte) ([]forms.EntityChange, map[string]string, string) {
	if !bytes.Contains(data, entitiesMember) {
		return nil, nil, ""
	}
	r := canonjson.NewReader(data)
	if r.Enter('{') != nil {
		return nil, nil, "" // precheck refuses data that is not an object
	}
	var raw []byte
	strs := map[string]string{}
	for first := true; ; first = false {
		more, err := r.More('}', first)
		if err != nil {
			return nil, nil, ""
		}
		if !more {
			break
		}
		key, _, err := r.Key()
		if err != nil {
			return nil, nil, ""
		}
		switch {
		case string(key) == forms.EntitiesKey:
			if raw, err = r.Raw(); err != nil {
				return nil, nil, ""
			}
		case r.Peek() == '"':
			text, _, err := r.String()
			if err != nil {
				return nil, nil, ""
			}
			strs[string(key)] = string(text)
		default:
			delete(strs, string(key))
			if err := r.Skip(); err != nil {
				return nil, nil, ""
			}
		}
	}
	if r.End() != nil {
		return nil, nil, ""
	}
	if raw == nil {
		return nil, nil, ""
	}
	var changes []forms.EntityChange
	if err := json.Unmarshal(raw, &changes); err != nil {
		return nil, nil, fmt.Sprintf("the record's entity changes (%s) do not read: %v", forms.EntitiesKey, err)
	}
	for i, c := range changes {
		if reason := checkEntityChange(c); reason != "" {
			return nil, nil, fmt.Sprintf("entity change %d of the record: %s", i+1, reason)
		}
	}
	return changes, strs, ""
}

// recordVisit is when a record was collected, as the catalogue keeps it
// for the entities the record visits: what the record says
// (forms.Form.VisitTime of its members: its end, else its start time),
// else when its laptop stored the version (created_at, the device's
// clock: a record finalized in the workbench is stored as the collector
// finishes); never when the catalogue received it, which may be weeks
// later. "" when neither reads as a time. f is nil for a form the
// catalogue could not read.
func recordVisit(f *forms.Form, members map[string]string, createdAt string) string {
	if f != nil {
		t := f.VisitTime(func(key string) string { return members[key] })
		if !t.IsZero() {
			return when.Stored(t)
		}
	}
	if t, ok := when.Parse(createdAt); ok {
		return when.Stored(t)
	}
	return ""
}

// visitForms reads the forms of a batch's records that carry entity
// changes, for recordVisit; before the batch's transaction, since forms
// never change once published. A form that cannot be read is left out:
// its records fall back to their created_at (or are rejected, unpublished).
func (db *DB) visitForms(ctx context.Context, recs []wire.Record) (map[[2]string]*forms.Form, error) {
	out := map[[2]string]*forms.Form{}
	for i := range recs {
		r := &recs[i]
		k := [2]string{r.FormID, r.FormVersion}
		if _, done := out[k]; done || !bytes.Contains(r.Data, entitiesMember) {
			continue
		}
		f, err := db.FormDefinition(ctx, r.FormID, r.FormVersion)
		if err != nil && !errors.Is(err, wire.ErrNotFound) {
			return nil, err
		}
		out[k] = f
	}
	return out, nil
}

// checkEntityChange is a reason to refuse a change, or "".
func checkEntityChange(c forms.EntityChange) string {
	switch {
	case !storableName(c.List, maxEntityName):
		return fmt.Sprintf("the list name must be 1 to %d bytes of text without control characters", maxEntityName)
	case !storableName(c.ID, wire.MaxIDLen):
		return fmt.Sprintf("the entity id must be 1 to %d bytes of text without control characters", wire.MaxIDLen)
	case c.BaseVersion < 0:
		return "the base version is negative"
	case !storableText(c.Label):
		return "the label holds a NUL character or is not UTF-8"
	}
	for k, v := range c.Properties {
		if !storableName(k, maxEntityName) || !storableText(v) {
			return fmt.Sprintf("property %q: a name of 1 to %d bytes, and values of UTF-8 text without NUL", forms.Sanitize(k, false), maxEntityName)
		}
	}
	return ""
}

func storableName(s string, max int) bool {
	if s == "" || len(s) > max || !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// storableText: PostgreSQL's text takes no NUL and only valid UTF-8.
func storableText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// noteEntityChanges reads the entity changes of record pos for the batch,
// and when the record was collected: a reason to reject the record when
// they cannot be stored, or "".
func (s *batchTx) noteEntityChanges(pos int, r *wire.Record) string {
	if s.ent == nil {
		s.ent = &entityBatch{changes: map[int][]forms.EntityChange{}, visited: map[int]string{},
			states: map[entityKey]*entityState{}, lists: map[string]*listNote{}}
	}
	read := s.ing.entityChanges(pos)
	if read.reason == "" && len(read.changes) > 0 {
		s.ent.changes[pos] = read.changes
		s.ent.visited[pos] = recordVisit(s.visitForms[[2]string{r.FormID, r.FormVersion}], read.members, r.CreatedAt)
	}
	return read.reason
}

// loadEntities reads the entities the batch's changes name, in one query.
func (s *batchTx) loadEntities() error {
	eb := s.ent
	if eb == nil || len(eb.changes) == 0 {
		return nil
	}
	var ids []string
	seen := map[string]bool{}
	for _, changes := range eb.changes {
		for _, c := range changes {
			if !seen[c.ID] {
				seen[c.ID] = true
				ids = append(ids, c.ID)
			}
		}
	}
	var seals []entitySeal
	var loaded []*entityState
	err := s.each(fmt.Sprintf(qEntitiesIn, s.d.jsonRows), ids, func(row sqlitedb.Scanner) error {
		e, sealed, err := scanEntityState(row)
		if err == nil {
			eb.states[e.entityKey] = e
			loaded, seals = append(loaded, e), append(seals, sealed)
		}
		return err
	})
	for i := 0; err == nil && i < len(loaded); i++ {
		err = s.ing.sl.openState(s.ctx, loaded[i], seals[i])
	}
	return err
}

// authorizeEntities is the reason to reject record pos for what it does to
// entities (one of another township), or "".
func (s *batchTx) authorizeEntities(pos int) string {
	if s.ent == nil {
		return ""
	}
	for _, c := range s.ent.changes[pos] {
		e := s.ent.states[entityKey{c.List, c.ID}]
		if e == nil || e.township == s.dev.Township {
			continue
		}
		if c.Create {
			return fmt.Sprintf("entity %s of list %s is held by another township; a device creates entities only in its own township (%s)", c.ID, c.List, s.dev.Township)
		}
		return fmt.Sprintf("entity %s of list %s is not of township %s; a device updates only its own township's entities", c.ID, c.List, s.dev.Township)
	}
	return ""
}

// applyEntities applies the entity changes of record pos, which the batch
// keeps, in order.
func (s *batchTx) applyEntities(pos int, r *wire.Record) {
	eb := s.ent
	if eb == nil {
		return
	}
	for _, c := range eb.changes[pos] {
		k := entityKey{c.List, c.ID}
		e := eb.states[k]
		switch {
		case c.Create && e != nil:
			continue // the record sent again, or created already: idempotent
		case c.Create:
			e = &entityState{entityKey: k, label: c.Label, township: s.dev.Township, version: 1, props: map[string]string{},
				lastVisit: eb.visited[pos]}
			maps.Copy(e.props, c.Properties)
			eb.states[k] = e
			eb.noteList(c, r, true)
			eb.touch(e)
			eb.versions = append(eb.versions, entityVersionRow{entityKey: k, version: 1, kind: "create", label: e.label,
				props: e.props, recordVersion: r.VersionID, deviceID: s.dev.ID})
		case e == nil:
			eb.errors = append(eb.errors, entityErrorRow{entityKey: k, recordVersion: r.VersionID,
				reason: fmt.Sprintf(unknownEntityReason, c.BaseVersion)})
		default:
			previous := e.version
			props := make(map[string]string, len(e.props)+len(c.Properties))
			maps.Copy(props, e.props)
			maps.Copy(props, c.Properties)
			e.props, e.version, e.lastVisit = props, e.version+1, eb.visited[pos]
			if c.Label != "" {
				e.label = c.Label
			}
			stale := 0
			if c.BaseVersion != previous {
				stale, e.conflict = 1, 1
				eb.conflicts = append(eb.conflicts, entityConflictRow{entityKey: k, township: e.township, version: e.version,
					base: c.BaseVersion, previous: previous, recordVersion: r.VersionID})
			}
			eb.noteList(c, r, false)
			eb.touch(e)
			eb.versions = append(eb.versions, entityVersionRow{entityKey: k, version: e.version, base: c.BaseVersion, kind: "update",
				label: e.label, props: props, recordVersion: r.VersionID, deviceID: s.dev.ID, conflict: stale})
		}
	}
}

func (eb *entityBatch) touch(e *entityState) {
	if !e.touched {
		e.touched = true
		eb.order = append(eb.order, e)
	}
}

// noteList keeps the form that creates a list's entities (the latest to)
// and the properties seen.
func (eb *entityBatch) noteList(c forms.EntityChange, r *wire.Record, create bool) {
	n := eb.lists[c.List]
	if n == nil {
		n = &listNote{}
		eb.lists[c.List] = n
	}
	if create {
		n.formID, n.formVersion = r.FormID, r.FormVersion
	}
	// In name order: a change's properties are a map, and the list's
	// order must not depend on how Go walks one.
	for _, p := range slices.Sorted(maps.Keys(c.Properties)) {
		if !slices.Contains(n.props, p) {
			n.props = append(n.props, p)
		}
	}
}

// writeEntities stores what the batch did to entities.
func (s *batchTx) writeEntities() error {
	eb := s.ent
	if eb == nil {
		return nil
	}
	if len(eb.order) > 0 {
		first, err := takeEntitySeqs(s.ctx, s.tx, len(eb.order))
		if err != nil {
			return err
		}
		if err := upsertEntities(s.ctx, s.tx, s.ing.sl, eb.order, first, s.receivedAt); err != nil {
			return err
		}
		if err := insertEntityVersions(s.ctx, s.tx, s.ing.sl, eb.versions, s.receivedAt); err != nil {
			return err
		}
	}
	if err := s.noteLists(); err != nil {
		return err
	}
	for _, c := range eb.conflicts {
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		if _, err := s.tx.ExecContext(s.ctx, qEntityConflictInsert, id.String(), c.list, c.id, c.township, c.version, c.base,
			c.previous, c.recordVersion, s.dev.ID, s.receivedAt); err != nil {
			return err
		}
	}
	for _, e := range eb.errors {
		if _, err := s.tx.ExecContext(s.ctx, qEntityErrorInsert, e.recordVersion, s.dev.ID, e.list, e.id, e.reason, s.receivedAt); err != nil {
			return err
		}
	}
	return nil
}

// noteLists records each list the batch touched with its defining form
// and the union of the properties seen.
func (s *batchTx) noteLists() error {
	names := make([]string, 0, len(s.ent.lists))
	for name := range s.ent.lists {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		n := s.ent.lists[name]
		var formID, formVersion, props string
		err := s.tx.QueryRowContext(s.ctx, qEntityListGet, name).Scan(&formID, &formVersion, &props)
		var known []string
		switch {
		case err == nil:
			if err := json.Unmarshal([]byte(props), &known); err != nil {
				return fmt.Errorf("entity list %s: stored properties: %w", name, err)
			}
		case !isNoRows(err):
			return err
		}
		if n.formID != "" {
			formID, formVersion = n.formID, n.formVersion
		}
		for _, p := range n.props {
			if !slices.Contains(known, p) {
				known = append(known, p)
			}
		}
		if known == nil {
			known = []string{}
		}
		list, _ := json.Marshal(known)
		if _, err := s.tx.ExecContext(s.ctx, qEntityListUpsert, name, formID, formVersion, string(list), s.receivedAt, s.receivedAt); err != nil {
			return err
		}
	}
	return nil
}
