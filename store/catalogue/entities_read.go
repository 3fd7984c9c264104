package catalogue

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/canonjson"
	"github.com/fieldbench/fieldbench/forms/expr"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// What leaves the catalogue of an entity follows the masking of the form
// that defines its list (the form whose records create its entities): a
// property saved by a question with a sensitivity class (its `sensitive`
// column, a cn_id or cn_mobile check, a phonenumber) is masked by that
// class, any other has the ID and mobile numbers in it masked, and so has
// the label. A laptop gets a property in clear only when the defining
// form names it in the settings column entities_clear (names separated by
// spaces or commas): a follow-up form that compares an ID number asks for
// it there. A catalogue user sees every property in clear only with
// clearance, when asking for it, and that view is audited.

// EntitiesClearSetting is the settings column of a form that names the
// properties of its entity lists laptops receive in clear.
const EntitiesClearSetting = "entities_clear"

// entityMasker masks the entities of one list.
type entityMasker struct {
	fields map[string]*forms.Field // property -> the question saving it
	clear  map[string]bool         // properties laptops get in clear
}

// maskerFor reads the defining form of list. A list whose form cannot be
// read masks every property as free text: never clear by accident.
func (db *DB) maskerFor(ctx context.Context, list string) (*entityMasker, error) {
	m := &entityMasker{fields: map[string]*forms.Field{}, clear: map[string]bool{}}
	var formID, formVersion, props string
	err := db.queryRow(ctx, qEntityListGet, list).Scan(&formID, &formVersion, &props)
	if isNoRows(err) || formID == "" {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := db.FormDefinition(ctx, formID, formVersion)
	if errors.Is(err, wire.ErrNotFound) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	if err := json.Unmarshal([]byte(props), &names); err != nil {
		return nil, fmt.Errorf("entity list %s: stored properties: %w", list, err)
	}
	return maskerOfForm(f, list, names), nil
}

// maskerOfForm is the masker of list defined by f, whose properties known
// so far are names.
func maskerOfForm(f *forms.Form, list string, names []string) *entityMasker {
	m := &entityMasker{fields: savingFields(f, list), clear: map[string]bool{}}
	for _, p := range names {
		if fd := f.Field(p); fd != nil && m.fields[p] == nil {
			m.fields[p] = fd // a list an older form defined: its question by the property's name
		}
	}
	for _, p := range strings.FieldsFunc(f.Settings[EntitiesClearSetting], func(r rune) bool { return r == ',' || r == ' ' }) {
		m.clear[p] = true
	}
	return m
}

// savingFields maps each property of list that f declares (save_to) to
// the question that saves it.
func savingFields(f *forms.Form, list string) map[string]*forms.Field {
	out := map[string]*forms.Field{}
	for _, d := range f.EntityDecls() {
		if d.List != list {
			continue
		}
		for _, fd := range f.Fields {
			if prop, ok := d.Saves[fd.Key]; ok && fd.SaveTo == prop && out[prop] == nil {
				out[prop] = fd
			}
		}
	}
	return out
}

// mask masks e in place; forLaptop lets the properties the form asks for
// in clear through.
func (m *entityMasker) mask(e *wire.Entity, forLaptop bool) {
	e.Label, e.Properties = m.masked(e.Label, e.Properties, forLaptop)
}

// masked are a label and properties masked; props is left as it is.
func (m *entityMasker) masked(label string, props map[string]string, forLaptop bool) (string, map[string]string) {
	out := make(map[string]string, len(props))
	for k, v := range props {
		if forLaptop && m.clear[k] {
			out[k] = v
			continue
		}
		out[k] = forms.MaskAnswer(m.fields[k], v)
	}
	return forms.MaskEmbeddedIDs(label), out
}

// pseudonyms are the pseudonyms of the ID numbers among clear properties
// (those saved by a question forms.HoldsIDNumber says holds one), by
// property, as JSON; "" when there are none.
func (m *entityMasker) pseudonyms(props map[string]string, ps *forms.Pseudonymizer) string {
	var out map[string]string
	for p, v := range props {
		if fd := m.fields[p]; v != "" && fd != nil && forms.HoldsIDNumber(fd) {
			if out == nil {
				out = map[string]string{}
			}
			out[p] = ps.Of(v)
		}
	}
	if out == nil {
		return ""
	}
	return string(canonjson.AppendStringMap(nil, out))
}

// maskers caches one masker per list for one answer.
type maskers struct {
	db   *DB
	byID map[string]*entityMasker
}

func (ms *maskers) of(ctx context.Context, list string) (*entityMasker, error) {
	m := ms.byID[list]
	if m == nil {
		var err error
		if m, err = ms.db.maskerFor(ctx, list); err != nil {
			return nil, err
		}
		ms.byID[list] = m
	}
	return m, nil
}

func (ms *maskers) mask(ctx context.Context, e *wire.Entity, forLaptop bool) error {
	m, err := ms.of(ctx, e.List)
	if err == nil {
		m.mask(e, forLaptop)
	}
	return err
}

// EntitiesSince is a page of the entities of townships changed after
// since, oldest change first, masked for a laptop; see wire.EntitiesPath.
// A list other than "" limits it to that list's entities (a laptop
// downloading one list again). limit is capped at wire.MaxEntityPage.
func (db *DB) EntitiesSince(ctx context.Context, townships []string, list string, since int64, limit int) (wire.EntityPage, error) {
	if limit <= 0 || limit > wire.MaxEntityPage {
		limit = wire.MaxEntityPage
	}
	page := wire.EntityPage{Entities: []wire.Entity{}, Next: since}
	if len(townships) == 0 {
		return page, nil
	}
	arg, err := json.Marshal(townships)
	if err != nil {
		return page, err
	}
	q, args := fmt.Sprintf(qEntitiesSince, db.d.jsonRows), []any{string(arg), since, limit + 1}
	if list != "" {
		q, args = fmt.Sprintf(qEntitiesOfListSince, db.d.jsonRows), []any{string(arg), list, since, limit + 1}
	}
	rows, err := sqlitedb.QueryAll(ctx, db.reads(), scanEntity, q, args...)
	if err != nil {
		return page, err
	}
	ents := make([]wire.Entity, len(rows))
	for i := range rows {
		ents[i] = rows[i].Entity
	}
	if len(ents) > limit {
		ents, page.More = ents[:limit], true
	}
	// Read after the entities: a form published in between is in the
	// sets, and the laptop downloads its lists again (wire.EntityPage).
	reads, err := db.propertiesRead(ctx, townships)
	if err != nil {
		return page, err
	}
	lists := []string{list}
	if list == "" {
		// Every list a laptop may hold: those the catalogue holds, and
		// those a form reads that it does not hold yet.
		if lists, err = sqlitedb.QueryAll(ctx, db.reads(), sqlitedb.Value[string], qEntityListNames); err != nil {
			return page, err
		}
		lists = append(lists, slices.Collect(maps.Keys(reads))...)
	}
	ms := &maskers{db: db, byID: map[string]*entityMasker{}}
	if page.PropertySets, err = reads.fingerprints(lists, func(list string) (map[string]bool, error) {
		m, err := ms.of(ctx, list)
		if err != nil {
			return nil, err
		}
		return m.clear, nil
	}); err != nil {
		return page, err
	}
	us := db.unsealer()
	opened := map[string]bool{}
	for i := range ents {
		m, err := ms.of(ctx, ents[i].List)
		if err != nil {
			return page, err
		}
		m.mask(&ents[i], true) // stored masked; masked again for a row stored before step 14
		reads.keep(&ents[i])
		// The properties the form asks laptops to receive in clear.
		wanted := func(p string) bool { _, read := ents[i].Properties[p]; return read && m.clear[p] }
		if len(m.clear) > 0 && len(rows[i].seal.sealed) > 0 {
			if err := us.clearEntity(ctx, &ents[i], rows[i].seal, wanted); err != nil {
				return page, err
			}
			opened[ents[i].List] = true
		}
	}
	for _, list := range slices.Sorted(maps.Keys(opened)) {
		if err := db.recordEntitiesView(ctx, list, "", "", entitiesDownloadCommand, ""); err != nil {
			return page, fmt.Errorf("the download could not be recorded, so it is not given: %w", err)
		}
	}
	if len(ents) > 0 {
		page.Entities, page.Next = ents, ents[len(ents)-1].Seq
	}
	return page, nil
}

// propertiesRead are the properties of each entity list that the forms
// published to townships read (forms.Form.EntityPropertiesRead), by
// list; a list with expr.AllColumns among them keeps every property.
type propertiesRead map[string]map[string]bool

// propertiesRead collects what every form version published to
// townships reads: a laptop receives only those properties of its
// entities, with their name and label.
func (db *DB) propertiesRead(ctx context.Context, townships []string) (propertiesRead, error) {
	reads := propertiesRead{}
	for _, township := range townships {
		published, err := db.Forms(ctx, township)
		if err != nil {
			return nil, err
		}
		for _, fi := range published {
			f, err := db.FormDefinition(ctx, fi.FormID, fi.Version)
			if err != nil {
				return nil, err
			}
			for list, props := range f.EntityPropertiesRead() {
				if reads[list] == nil {
					reads[list] = map[string]bool{}
				}
				for _, p := range props {
					reads[list][p] = true
				}
			}
		}
	}
	return reads, nil
}

// fingerprints are wire.EntityPage.PropertySets: for each of lists, a
// digest of the properties a laptop receives of its entities and of those
// it receives in clear (clearOf), which changes when a form published
// later reads more (or fewer) of them, or its defining form asks for
// other properties in clear (entities_clear): the copies a laptop holds
// would otherwise keep the older shape.
func (r propertiesRead) fingerprints(lists []string, clearOf func(list string) (map[string]bool, error)) (map[string]string, error) {
	out := make(map[string]string, len(lists))
	for _, list := range lists {
		if _, done := out[list]; done {
			continue
		}
		props := slices.Sorted(maps.Keys(r[list]))
		if r[list][expr.AllColumns] {
			props = []string{expr.AllColumns} // every property, whatever else is named
		}
		clear, err := clearOf(list)
		if err != nil {
			return nil, err
		}
		text := strings.Join(props, "\n")
		if len(clear) > 0 { // absent before entities_clear counted: existing sets keep their digest
			text += "\n\x00" + strings.Join(slices.Sorted(maps.Keys(clear)), "\n")
		}
		sum := sha256.Sum256([]byte(text))
		out[list] = hex.EncodeToString(sum[:8])
	}
	return out, nil
}

// keep drops the properties of e no form reads.
func (r propertiesRead) keep(e *wire.Entity) {
	read := r[e.List]
	if read[expr.AllColumns] {
		return
	}
	for p := range e.Properties {
		if !read[p] {
			delete(e.Properties, p)
		}
	}
}

// ListEntities is every entity of a list, oldest first; masked unless
// clear. A clear listing is recorded in the audit of exports (format
// "entities", the list in file) before anything is returned; command
// names who asked, as for an administrator's export.
func (db *DB) ListEntities(ctx context.Context, list string, clear bool, command string) ([]wire.Entity, error) {
	var formID string
	err := db.queryRow(ctx, `SELECT form_id FROM entity_lists WHERE name = ?`, list).Scan(&formID)
	if isNoRows(err) {
		return nil, fmt.Errorf("entity list %s: %w", list, wire.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if clear {
		if err := db.recordEntitiesView(ctx, list, formID, "", command, ""); err != nil {
			return nil, fmt.Errorf("the listing could not be recorded, so it is not given in clear: %w", err)
		}
	}
	rows, err := sqlitedb.QueryAll(ctx, db.reads(), scanEntity, qEntitiesOfList, list)
	if err != nil {
		return nil, err
	}
	out := make([]wire.Entity, len(rows))
	us := db.unsealer()
	ms := &maskers{db: db, byID: map[string]*entityMasker{}}
	for i := range rows {
		out[i] = rows[i].Entity
		if clear {
			err = us.clearEntity(ctx, &out[i], rows[i].seal, nil)
		} else {
			err = ms.mask(ctx, &out[i], false)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// entitiesFormat is the format of a clear view of entities in export_events.
const entitiesFormat = "entities"

// recordEntitiesView writes a clear view of a list (or of one conflict,
// what) to export_events.
func (db *DB) recordEntitiesView(ctx context.Context, list, formID, userID, command, remote string) error {
	sharing := ""
	if formID != "" {
		entry, err := db.Entry(ctx, formID)
		if err != nil {
			return err
		}
		sharing = entry.Metadata.EffectiveSharing()
	}
	id, err := randomID("entities-")
	if err != nil {
		return err
	}
	at := db.stamp()
	return db.tx(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, qEntitiesViewInsert, id, at, at, userID, forms.Sanitize(command, false), formID,
			entitiesFormat, list, sharing, remote)
		return err
	})
}

// storedEntityRow is an entity as read, masked, with its sealed part.
type storedEntityRow struct {
	wire.Entity
	seal entitySeal
}

func scanEntity(row sqlitedb.Scanner) (storedEntityRow, error) {
	var r storedEntityRow
	e := &r.Entity
	var props, lastVisit string
	var conflict int
	if err := row.Scan(append([]any{&e.List, &e.ID, &e.Label, &e.Version, &e.Township, &props, &conflict, &e.AssignedTo, &lastVisit, &e.Seq},
		r.seal.dest()...)...); err != nil {
		return r, err
	}
	e.Conflict = conflict != 0
	// A laptop's clock wrote it (entityLastVisitDDL): text that is no
	// time is no visit, not a failed download.
	if t, ok := when.Parse(lastVisit); ok {
		e.LastVisit = t.UTC()
	}
	if err := json.Unmarshal([]byte(props), &e.Properties); err != nil {
		return r, fmt.Errorf("entity %s of list %s: stored properties: %w", e.ID, e.List, err)
	}
	return r, nil
}

const (
	entitySelect = `SELECT list, entity_id, label, version, township, properties, conflict, assigned_to, last_visit, seq, ` +
		entitySealCols + ` FROM entities `

	// entitiesDownloadCommand is how export_events names a download that
	// carried properties in clear (entities_clear).
	entitiesDownloadCommand = "GET " + wire.EntitiesPath + " (entities_clear)"

	// %s is the dialect's JSON array function.
	qEntitiesSince = entitySelect + `WHERE township IN (SELECT value FROM %s) AND seq > ? ORDER BY seq LIMIT ?`

	// %s is the dialect's JSON array function.
	qEntitiesOfListSince = entitySelect + `WHERE township IN (SELECT value FROM %s) AND list = ? AND seq > ? ORDER BY seq LIMIT ?`

	qEntityListNames = `SELECT name FROM entity_lists ORDER BY name`

	qEntitiesOfList = entitySelect + `WHERE list = ? ORDER BY created_at, seq`

	qEntitiesViewInsert = `INSERT INTO export_events
		(id, started_at, finished_at, user_id, command, form_id, format, file, sharing, masked, records, remote, failure)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, '')`
)

// randomID is prefix and 16 random hex digits.
func randomID(prefix string) (string, error) {
	raw := make([]byte, 8)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return prefix + hex.EncodeToString(raw), nil
}
