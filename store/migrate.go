package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/google/uuid"
)

// migrations are the schema's history: entry i takes the database from
// user_version i to i+1. Append only; never edit a released step, since
// databases in the field already ran it.
var migrations = []string{
	// 1: the first schema.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE forms (
	form_id    TEXT NOT NULL,
	version    TEXT NOT NULL,
	title      TEXT NOT NULL,
	file_name  TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	definition BLOB NOT NULL,
	added_at   TEXT NOT NULL,
	PRIMARY KEY (form_id, version)
);

CREATE TABLE records (
	id            TEXT PRIMARY KEY,
	form_id       TEXT NOT NULL,
	form_version  TEXT NOT NULL,
	state         TEXT NOT NULL CHECK (state IN ('draft','finalized','queued','sent','conflict','rejected')),
	instance_name TEXT NOT NULL DEFAULT '',
	collector     TEXT NOT NULL,
	device_id     TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	draft         BLOB,
	-- deferred so a record and its first version go in within one transaction in either order
	head          TEXT REFERENCES record_versions (version_id) DEFERRABLE INITIALLY DEFERRED,
	import_key    TEXT UNIQUE,
	FOREIGN KEY (form_id, form_version) REFERENCES forms (form_id, version)
);
CREATE INDEX records_state ON records (state, updated_at);
CREATE INDEX records_form ON records (form_id, form_version, state);
-- Foreign-key checks look up the child side: without these every new
-- version would scan all records.
CREATE INDEX records_head ON records (head);

CREATE TABLE record_versions (
	version_id TEXT PRIMARY KEY,
	record_id  TEXT NOT NULL REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
	replaces   TEXT REFERENCES record_versions (version_id),
	data       BLOB NOT NULL,
	sha256     TEXT NOT NULL,
	created_at TEXT NOT NULL,
	collector  TEXT NOT NULL
);
CREATE INDEX record_versions_record ON record_versions (record_id);
CREATE INDEX record_versions_replaces ON record_versions (replaces);

-- A finalized version is evidence: the database itself refuses to change it,
-- whatever program holds the file.
CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions
BEGIN SELECT RAISE(ABORT, 'record versions are immutable'); END;
CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions
BEGIN SELECT RAISE(ABORT, 'record versions are immutable'); END;

CREATE TABLE audit (
	seq       INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	collector TEXT NOT NULL,
	device_id TEXT NOT NULL,
	event     TEXT NOT NULL,
	record_id TEXT NOT NULL DEFAULT '',
	detail    TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
);
`,
	// 2: INSERT OR REPLACE deletes the old row without firing delete
	// triggers (recursive_triggers is off), so it could rewrite a finalized
	// version: refuse any insert of a version id that already exists.
	`
CREATE TRIGGER record_versions_no_replace BEFORE INSERT ON record_versions
WHEN EXISTS (SELECT 1 FROM record_versions WHERE version_id = NEW.version_id)
BEGIN SELECT RAISE(ABORT, 'record versions are immutable'); END;
`,
	// 3: the sync outbox. A batch's exact bytes are written before the
	// first send and sent unchanged on every retry; its items say which
	// record versions it carries. server_head is the version the catalogue
	// holds as the record's latest (what an edit replaces there), and
	// sync_note the catalogue's reason for a conflict or a rejection.
	// outbox_items has no foreign keys: only QueueBatch writes it, in the
	// transaction that reads the versions it names, and the checks were a
	// third of the cost of queueing.
	`
CREATE TABLE outbox (
	batch_id   TEXT PRIMARY KEY,
	created_at TEXT NOT NULL,
	body       BLOB NOT NULL,
	sent_at    TEXT,
	receipt    TEXT
);
CREATE TABLE outbox_items (
	batch_id   TEXT NOT NULL,
	version_id TEXT NOT NULL,
	record_id  TEXT NOT NULL,
	PRIMARY KEY (batch_id, version_id)
) WITHOUT ROWID;
CREATE INDEX outbox_pending ON outbox (sent_at) WHERE sent_at IS NULL;
ALTER TABLE records ADD COLUMN server_head TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN sync_note TEXT NOT NULL DEFAULT '';
`,
	// 4: review. A record a reviewer of the catalogue sent back is
	// 'returned', with the reviewer's comment as its sync_note, and each
	// return received is kept once (review_id: the catalogue's id of the
	// review), which is what makes fetching it again change nothing.
	// SQLite cannot alter a CHECK constraint, and rebuilding records
	// would mean switching foreign keys off, which cannot be done inside
	// this transaction; so the constraint's list of states is widened in
	// the stored schema itself, as SQLite documents for loosening a
	// constraint (lang_altertable.html, "other kinds of table schema
	// changes"): every existing row still satisfies it. migrate then bumps
	// schema_version, so every connection reads the new schema, and checks
	// that the change took.
	`
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''conflict'',''rejected'')', '''conflict'',''rejected'',''returned'')')
	WHERE type = 'table' AND name = 'records';
PRAGMA writable_schema = OFF;
CREATE TABLE returns (
	review_id   TEXT PRIMARY KEY,
	record_id   TEXT NOT NULL REFERENCES records (id),
	version_id  TEXT NOT NULL,
	comment     TEXT NOT NULL,
	reviewer    TEXT NOT NULL,
	reviewed_at TEXT NOT NULL,
	received_at TEXT NOT NULL
);
CREATE INDEX returns_record ON returns (record_id, received_at);
`,
	// 5: the audit trail is append-only in the database itself, as record
	// versions are: deleting or rewriting rows now takes dropping these
	// triggers first, which audit verify notices. And every trail with
	// rows has its head recorded (a trail older than the head is trusted
	// as it stands at this step), so that a head deleted together with
	// the rows after it is seen, not taken for an old trail.
	`
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
INSERT OR IGNORE INTO meta (key, value)
	SELECT 'audit_head', seq || ' ' || hash FROM audit WHERE seq = (SELECT max(seq) FROM audit);
`,
	// 6: the offset of the laptop's zone when a version was made, in
	// seconds east of UTC, sent with its created_at so the catalogue
	// counts it on the collector's day even if the laptop's zone changed
	// before it was sent. NULL for the versions made before this step:
	// they are sent in the zone of the moment, as they were.
	`
ALTER TABLE record_versions ADD COLUMN utc_offset INTEGER;
`,
	// 7: an edit of a finalized (or returned) record in progress, saved
	// per answer as drafts are, so a crash mid-edit loses at most the
	// answer being typed. It lives beside the record, never in it: the
	// finalized version stays what sync sends and exports until the edit
	// is saved as a new version. base is the version the edit started
	// from; one pending edit per record.
	`
CREATE TABLE pending_edits (
	record_id     TEXT PRIMARY KEY REFERENCES records (id),
	base          TEXT NOT NULL,
	data          BLOB NOT NULL,
	instance_name TEXT NOT NULL DEFAULT '',
	started_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);
`,
	// 8: the data files a form version names (select_one_from_file,
	// pulldata, instance lookups), each stored whole with its hash. They
	// are part of the version: added with it in one transaction, never
	// changed afterwards (a new file is a new version of the form).
	`
CREATE TABLE form_attachments (
	form_id TEXT NOT NULL,
	version TEXT NOT NULL,
	name    TEXT NOT NULL,
	sha256  TEXT NOT NULL,
	size    INTEGER NOT NULL,
	data    BLOB NOT NULL,
	PRIMARY KEY (form_id, version, name),
	FOREIGN KEY (form_id, version) REFERENCES forms (form_id, version)
);
CREATE TRIGGER form_attachments_no_update BEFORE UPDATE ON form_attachments
BEGIN SELECT RAISE(ABORT, 'form attachments are immutable'); END;
`,
	// 9: entity lists (ODK Entities). entities is the laptop's copy of
	// each list: what its own finalized records created or updated
	// (local = 1 until a download brings the catalogue's version of it)
	// and what it downloaded (seq: the catalogue's change sequence of the
	// version held, 0 if never downloaded). properties is canonical JSON.
	// entity_lists counts each list's changes (generation), which is what
	// a form reading a list is cached by: the list's CSV is made from
	// these rows whenever the form is loaded, never stored with the form
	// version, whose hash must not move when a household does.
	// form_entity_lists names the attachments of each form version that
	// are such lists. The download's cursor is meta's entities.since.
	`
CREATE TABLE entities (
	list        TEXT NOT NULL,
	id          TEXT NOT NULL,
	label       TEXT NOT NULL,
	version     INTEGER NOT NULL,
	township    TEXT NOT NULL DEFAULT '',
	properties  TEXT NOT NULL DEFAULT '{}',
	conflict    INTEGER NOT NULL DEFAULT 0,
	assigned_to TEXT NOT NULL DEFAULT '',
	last_visit  TEXT NOT NULL DEFAULT '',
	to_visit    INTEGER NOT NULL DEFAULT 0,
	seq         INTEGER NOT NULL DEFAULT 0,
	local       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (list, id)
) WITHOUT ROWID;
CREATE TABLE entity_lists (
	list       TEXT PRIMARY KEY,
	generation INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE form_entity_lists (
	form_id TEXT NOT NULL,
	version TEXT NOT NULL,
	name    TEXT NOT NULL,
	list    TEXT NOT NULL,
	PRIMARY KEY (form_id, version, name),
	FOREIGN KEY (form_id, version) REFERENCES forms (form_id, version)
) WITHOUT ROWID;
`,
	// 10: personal data sealed at rest (sealing.go). record_versions.data
	// holds the masked data from now on, and sealed_versions the clear
	// value of what masking changed, encrypted under the data key (keys.go)
	// and bound to its version. A database that already holds records is
	// marked: sealExisting, which needs the key this SQL cannot make,
	// seals them right after this step, at the same Open.
	`
CREATE TABLE sealed_versions (
	version_id TEXT PRIMARY KEY,
	blob       BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) SELECT 'seal_pending', '1' WHERE EXISTS (SELECT 1 FROM record_versions);
`,
	// 11: answers in progress sealed at rest as versions are (sealing.go):
	// records.draft and pending_edits.data hold the masked answers, and
	// these columns the sealed clear part. Drafts and edits already there
	// are sealed by sealExisting, as step 10's versions are. Entities the
	// laptop's records change from now on keep their label and properties
	// masked, the clear part in entities.sealed (entity_seal.go); those
	// already held are masked by the free-text rule (sealExistingEntities).
	`
ALTER TABLE records ADD COLUMN draft_sealed BLOB;
ALTER TABLE pending_edits ADD COLUMN sealed BLOB;
ALTER TABLE entities ADD COLUMN sealed BLOB;
INSERT OR REPLACE INTO meta (key, value) SELECT 'seal_pending', '1'
	WHERE EXISTS (SELECT 1 FROM records WHERE head IS NULL AND draft IS NOT NULL AND draft <> '{}')
	OR EXISTS (SELECT 1 FROM pending_edits) OR EXISTS (SELECT 1 FROM entities);
`,
	// 12: what the quality report and the workbench's search need of a
	// sealed record, kept so they work on a locked database
	// (blindindex.go): the blind index of each personal answer by its
	// JSON pointer, and the verdict validating the clear record gave
	// (quality.Verdict, JSON). Rows are a version's, or a draft's under
	// its record id (a draft has no version id yet; both are UUIDs, so
	// they never meet). Neither goes when a sealed part is dropped (a
	// reset, retention): the masked data alone could not give them back.
	// Records already held are indexed by buildIndex, which needs the
	// data key: at this Open, or at the first one that unlocks it.
	`
CREATE TABLE blind_index (
	version_id TEXT NOT NULL,
	path       TEXT NOT NULL,
	tag        TEXT NOT NULL,
	PRIMARY KEY (version_id, path)
);
CREATE INDEX blind_index_tag ON blind_index (tag);
CREATE TABLE kept_verdicts (
	version_id TEXT PRIMARY KEY,
	verdict    TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR REPLACE INTO meta (key, value) SELECT 'index_pending', '1' WHERE EXISTS (SELECT 1 FROM records);
`,
	// 13: sealed_versions and entities become rowid tables, their keys
	// a separate unique index. Their keys are random (version ids, entity
	// ids derived by hash), so as clustered tables every row written
	// landed on a random page of the whole table: an import of 100,000
	// households (500,000 entities, 1.1 KB of sealed part a version)
	// rewrote most of both tables at each batch. Appended rows keep the
	// random writes to the narrow index. kept_verdicts also keeps each
	// version's blind-index tags as one JSON object: the quality report
	// reads them with the verdict, not by a subquery a record.
	`
CREATE TABLE sealed_versions_rowid (
	version_id TEXT PRIMARY KEY,
	blob       BLOB NOT NULL
);
INSERT INTO sealed_versions_rowid (version_id, blob) SELECT version_id, blob FROM sealed_versions;
DROP TABLE sealed_versions;
ALTER TABLE sealed_versions_rowid RENAME TO sealed_versions;
CREATE TABLE entities_rowid (
	list        TEXT NOT NULL,
	id          TEXT NOT NULL,
	label       TEXT NOT NULL,
	version     INTEGER NOT NULL,
	township    TEXT NOT NULL DEFAULT '',
	properties  TEXT NOT NULL DEFAULT '{}',
	conflict    INTEGER NOT NULL DEFAULT 0,
	assigned_to TEXT NOT NULL DEFAULT '',
	last_visit  TEXT NOT NULL DEFAULT '',
	to_visit    INTEGER NOT NULL DEFAULT 0,
	seq         INTEGER NOT NULL DEFAULT 0,
	local       INTEGER NOT NULL DEFAULT 0,
	sealed      BLOB,
	PRIMARY KEY (list, id)
);
INSERT INTO entities_rowid SELECT list, id, label, version, township, properties, conflict, assigned_to,
	last_visit, to_visit, seq, local, sealed FROM entities ORDER BY list, id;
DROP TABLE entities;
ALTER TABLE entities_rowid RENAME TO entities;
ALTER TABLE kept_verdicts ADD COLUMN tags TEXT;
UPDATE kept_verdicts SET tags = (SELECT json_group_object(path, tag) FROM blind_index b WHERE b.version_id = kept_verdicts.version_id);
`,
}

// guards are the triggers that keep the evidence from being changed in
// place; audit verify reports any that is gone.
var guards = []string{"record_versions_no_update", "record_versions_no_delete", "record_versions_no_replace",
	"audit_no_update", "audit_no_delete"}

// returnedStep is the schema step that lets records be 'returned'.
const returnedStep = 4

// migrate brings the schema up to date in one transaction: a crash
// mid-way leaves the previous version intact, and two processes starting
// at once cannot both migrate (BEGIN IMMEDIATE serialises them).
func (db *DB) migrate(ctx context.Context) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var version int
		if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
			return err
		}
		if version > len(migrations) {
			// Checked again here: probe ran before the lock was taken.
			return &ErrNewerSchema{Path: db.path, Have: version, Known: len(migrations)}
		}
		if version == len(migrations) {
			return nil
		}
		if err := sqlitedb.ApplySteps(ctx, tx, migrations, version); err != nil {
			return err
		}
		// A step may write sqlite_schema directly (step 4), which SQLite
		// does not notice by itself: a new schema_version makes every
		// connection, this one too, read the schema again.
		var cookie int
		if err := tx.QueryRowContext(ctx, `PRAGMA schema_version`).Scan(&cookie); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA schema_version = %d`, cookie+1)); err != nil {
			return err
		}
		if version < returnedStep {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema
				WHERE type = 'table' AND name = 'records' AND sql LIKE '%''returned''%'`).Scan(&n); err != nil {
				return err
			}
			if n != 1 {
				return fmt.Errorf("schema step %d: the records table's states could not be widened", returnedStep)
			}
		}
		if version == 0 {
			if err := db.initMeta(ctx, tx); err != nil {
				return err
			}
		}
		// PRAGMA takes no parameters; the values are our own integers.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, len(migrations))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID))
		return err
	})
}

// initMeta writes what a database is born with: the marker and this
// device's id, made once and never changed, so every record and event
// says which laptop made it.
func (db *DB) initMeta(ctx context.Context, tx *sql.Tx) error {
	id, err := uuid.NewV7()
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES
		('application', 'fieldbench'), ('device_id', ?), ('created_at', ?), ('collector', '')`,
		id.String(), db.stamp())
	return err
}

// DeviceID is the id made when this database was created.
func (db *DB) DeviceID() string { return db.deviceID }

// Collector is the name written on records and events: the one given to
// WithCollector, else the stored setting ("" when never set).
func (db *DB) Collector(ctx context.Context) (string, error) {
	if db.collector != "" {
		return db.collector, nil
	}
	var name string
	err := db.sql.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'collector'`).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}

// SetCollector stores the collector's name for later sessions.
func (db *DB) SetCollector(ctx context.Context, name string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('collector', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, name)
		return err
	})
}

// collectorTx reads the collector inside a write transaction, so a record
// and its audit row name the same person.
func (db *DB) collectorTx(ctx context.Context, tx *sql.Tx) (string, error) {
	if db.collector != "" {
		return db.collector, nil
	}
	var name string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'collector'`).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}

// Setting is a stored preference of this database's user (the interface
// language, say); "" when never set.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.sql.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, "setting."+key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting stores a preference.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, "setting."+key, value)
		return err
	})
}
