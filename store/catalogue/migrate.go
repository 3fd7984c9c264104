package catalogue

import (
	"slices"
	"strings"
)

// migrations are the catalogue's schema history: entry i takes the database
// from user_version i to i+1. Append only; never edit a released step.
//
// The DDL avoids SQLite-only features (no WITHOUT ROWID, no triggers, no
// AUTOINCREMENT) so that pgMigrations, below, can follow it table for
// table. Times are TEXT as when.Stored writes them, which sorts as text in
// both databases. Record data is TEXT: it is a JSON object in UTF-8
// (StoreBatch checks), which PostgreSQL can later cast to jsonb.
var migrations = append([]string{
	// 1: the first schema.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- One row per counter; UPDATE ... RETURNING hands out the next value
-- inside the write transaction, and the row lock serialises batches on
-- PostgreSQL as BEGIN IMMEDIATE does here.
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('server_seq', 0);

-- A published (form_id, version) never changes: records point at it.
CREATE TABLE forms (
	form_id      TEXT NOT NULL,
	version      TEXT NOT NULL,
	title        TEXT NOT NULL,
	file_name    TEXT NOT NULL,
	sha256       TEXT NOT NULL,
	definition   BLOB NOT NULL,
	published_at TEXT NOT NULL,
	PRIMARY KEY (form_id, version)
);

CREATE TABLE form_townships (
	form_id      TEXT NOT NULL,
	version      TEXT NOT NULL,
	township     TEXT NOT NULL,
	published_at TEXT NOT NULL,
	PRIMARY KEY (form_id, version, township),
	FOREIGN KEY (form_id, version) REFERENCES forms (form_id, version)
);
CREATE INDEX form_townships_township ON form_townships (township);

-- Only SHA-256 hashes of tokens and codes are stored: a copy of this
-- file does not let anyone act as a device or enrol one.
CREATE TABLE devices (
	id          TEXT PRIMARY KEY,
	township    TEXT NOT NULL,
	token_hash  TEXT NOT NULL UNIQUE,
	enrolled_at TEXT NOT NULL,
	revoked_at  TEXT
);

CREATE TABLE enrol_codes (
	code_hash  TEXT PRIMARY KEY,
	township   TEXT NOT NULL,
	created_at TEXT NOT NULL,
	used_at    TEXT,
	device_id  TEXT
);

-- The primary key makes a batch once-only whatever number of servers
-- receive it; receipt is the JSON answered the first time, given back
-- unchanged on every retry.
CREATE TABLE batches (
	device_id   TEXT NOT NULL,
	batch_id    TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	receipt     TEXT NOT NULL,
	server_seq  BIGINT NOT NULL UNIQUE,
	received_at TEXT NOT NULL,
	PRIMARY KEY (device_id, batch_id)
);

-- first_seq and first_pos (the batch and the position in it that brought
-- the record) give exports the order in which records arrived.
-- head_version and versions.record_id point at each other, hence deferred.
CREATE TABLE records (
	record_id    TEXT PRIMARY KEY,
	form_id      TEXT NOT NULL,
	form_version TEXT NOT NULL,
	township     TEXT NOT NULL,
	device_id    TEXT NOT NULL,
	head_version TEXT NOT NULL REFERENCES versions (version_id) DEFERRABLE INITIALLY DEFERRED,
	conflict     INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1)),
	first_seq    BIGINT NOT NULL,
	first_pos    INTEGER NOT NULL,
	FOREIGN KEY (form_id, form_version) REFERENCES forms (form_id, version)
);
CREATE INDEX records_form ON records (form_id, first_seq, first_pos);
CREATE INDEX records_order ON records (first_seq, first_pos);
-- No query reads records by head_version, but SQLite needs this index:
-- a batch inserts records before their versions, and while that deferred
-- reference is unresolved each version inserted makes SQLite look for
-- the records pointing at it; without an index, a scan of every record.
CREATE INDEX records_head ON records (head_version);

-- Every version received and kept, accepted or in conflict. created_at is
-- the device's clock (data only); received_at is the server's.
CREATE TABLE versions (
	version_id   TEXT PRIMARY KEY,
	record_id    TEXT NOT NULL REFERENCES records (record_id) DEFERRABLE INITIALLY DEFERRED,
	replaces     TEXT NOT NULL DEFAULT '',
	form_version TEXT NOT NULL,
	sha256       TEXT NOT NULL,
	data         TEXT NOT NULL,
	collector    TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	received_at  TEXT NOT NULL,
	server_seq   BIGINT NOT NULL,
	device_id    TEXT NOT NULL,
	batch_id     TEXT NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('accepted', 'conflict')),
	FOREIGN KEY (device_id, batch_id) REFERENCES batches (device_id, batch_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX versions_record ON versions (record_id);
CREATE INDEX versions_batch ON versions (device_id, batch_id);
`,
}, append(slices.Clip(sharedSteps),
	// 8: nothing to change: SQLite checks the references of records and
	// versions itself, in-process and cheaply (see pgReferencesDDL).
	`SELECT 1`,
	// 9: codes that enrol an existing laptop again.
	enrolReplacesDDL,
	// 10: the data files of each form version.
	strings.ReplaceAll(attachmentsDDL, "BYTES", "BLOB"),
	// 11: entity lists, their entities, history and conflicts.
	entitiesDDL,
	// 12: each entity's last visit.
	entityLastVisitDDL,
	// 13: the catalogue's keys and each version's sealed part.
	strings.ReplaceAll(sealingDDL, "BYTES", "BLOB"),
	// 14: each entity's sealed part and pseudonyms.
	strings.ReplaceAll(entitySealingDDL, "BYTES", "BLOB"))...)

// pgMigrations are the same history for PostgreSQL: the same tables and
// columns, with BYTEA for BLOB, a sequence for the batch counter, and the
// circular reference between records and versions added once both exist
// (PostgreSQL checks a reference's table when it is declared).
var pgMigrations = append([]string{
	// 1: the first schema.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE SEQUENCE server_seq;

CREATE TABLE forms (
	form_id      TEXT NOT NULL,
	version      TEXT NOT NULL,
	title        TEXT NOT NULL,
	file_name    TEXT NOT NULL,
	sha256       TEXT NOT NULL,
	definition   BYTEA NOT NULL,
	published_at TEXT NOT NULL,
	PRIMARY KEY (form_id, version)
);

CREATE TABLE form_townships (
	form_id      TEXT NOT NULL,
	version      TEXT NOT NULL,
	township     TEXT NOT NULL,
	published_at TEXT NOT NULL,
	PRIMARY KEY (form_id, version, township),
	FOREIGN KEY (form_id, version) REFERENCES forms (form_id, version)
);
CREATE INDEX form_townships_township ON form_townships (township);

CREATE TABLE devices (
	id          TEXT PRIMARY KEY,
	township    TEXT NOT NULL,
	token_hash  TEXT NOT NULL UNIQUE,
	enrolled_at TEXT NOT NULL,
	revoked_at  TEXT
);

CREATE TABLE enrol_codes (
	code_hash  TEXT PRIMARY KEY,
	township   TEXT NOT NULL,
	created_at TEXT NOT NULL,
	used_at    TEXT,
	device_id  TEXT
);

CREATE TABLE batches (
	device_id   TEXT NOT NULL,
	batch_id    TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	receipt     TEXT NOT NULL,
	server_seq  BIGINT NOT NULL UNIQUE,
	received_at TEXT NOT NULL,
	PRIMARY KEY (device_id, batch_id)
);

CREATE TABLE records (
	record_id    TEXT PRIMARY KEY,
	form_id      TEXT NOT NULL,
	form_version TEXT NOT NULL,
	township     TEXT NOT NULL,
	device_id    TEXT NOT NULL,
	head_version TEXT NOT NULL,
	conflict     INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1)),
	first_seq    BIGINT NOT NULL,
	first_pos    INTEGER NOT NULL,
	FOREIGN KEY (form_id, form_version) REFERENCES forms (form_id, version)
);
CREATE INDEX records_form ON records (form_id, first_seq, first_pos);
CREATE INDEX records_order ON records (first_seq, first_pos);
CREATE INDEX records_head ON records (head_version);

CREATE TABLE versions (
	version_id   TEXT PRIMARY KEY,
	record_id    TEXT NOT NULL REFERENCES records (record_id) DEFERRABLE INITIALLY DEFERRED,
	replaces     TEXT NOT NULL DEFAULT '',
	form_version TEXT NOT NULL,
	sha256       TEXT NOT NULL,
	data         TEXT NOT NULL,
	collector    TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	received_at  TEXT NOT NULL,
	server_seq   BIGINT NOT NULL,
	device_id    TEXT NOT NULL,
	batch_id     TEXT NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('accepted', 'conflict')),
	FOREIGN KEY (device_id, batch_id) REFERENCES batches (device_id, batch_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX versions_record ON versions (record_id);
CREATE INDEX versions_batch ON versions (device_id, batch_id);

ALTER TABLE records ADD FOREIGN KEY (head_version) REFERENCES versions (version_id) DEFERRABLE INITIALLY DEFERRED;
`,
}, append(slices.Clip(sharedSteps),
	// 8: the references between records, versions, batches and forms
	// are checked once per batch, not row by row (pgReferencesDDL).
	pgReferencesDDL,
	// 9: codes that enrol an existing laptop again.
	enrolReplacesDDL,
	// 10: the data files of each form version.
	strings.ReplaceAll(attachmentsDDL, "BYTES", "BYTEA"),
	// 11: entity lists, their entities, history and conflicts.
	entitiesDDL,
	// 12: each entity's last visit.
	entityLastVisitDDL,
	// 13: the catalogue's keys and each version's sealed part.
	strings.ReplaceAll(sealingDDL, "BYTES", "BYTEA"),
	// 14: each entity's sealed part and pseudonyms.
	strings.ReplaceAll(entitySealingDDL, "BYTES", "BYTEA"))...)

// sharedSteps are steps 2 to 7: one text for both backends (plain columns
// only). Released: never edit them. Later steps follow in migrations and
// pgMigrations, one text for each backend.
var sharedSteps = []string{
	// 2: each form's entry in the resource catalogue (政务信息资源目录):
	// its elements as key and value, the latest word on each, and every
	// change to them, kept with where it came from and when.
	datasetsDDL,

	// 3: the county's people: reviewers and readers, with their tokens.
	usersDDL,

	// 4: every export of records, who had it and under which rules.
	exportEventsDDL,

	// 5: each dataset's data quality per township, worked out in the
	// background and kept for the catalogue page.
	qualityDDL,

	// 6: review: the current review of each record version and every
	// change of review, with who and when.
	reviewsDDL,

	// 7: record counts per dataset, form version and township, one row
	// per batch, for the catalogue page (counts.go).
	datasetCountsDDL,
}

// datasetsDDL is step 2 on both backends: plain text columns only.
const datasetsDDL = `
CREATE TABLE dataset_elements (
	form_id TEXT NOT NULL,
	key     TEXT NOT NULL,
	value   TEXT NOT NULL,
	source  TEXT NOT NULL,
	set_at  TEXT NOT NULL,
	PRIMARY KEY (form_id, key)
);
CREATE TABLE dataset_history (
	form_id TEXT NOT NULL,
	key     TEXT NOT NULL,
	value   TEXT NOT NULL,
	source  TEXT NOT NULL,
	set_at  TEXT NOT NULL
);
CREATE INDEX dataset_history_form ON dataset_history (form_id, set_at);
`

// usersDDL is step 3 on both backends. A user is a person of a county
// who reviews records or receives exports; as for devices, only the
// SHA-256 of the token is kept. clearance says the user may receive
// 有条件共享 data unmasked.
const usersDDL = `
CREATE TABLE users (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	role       TEXT NOT NULL CHECK (role IN ('reviewer', 'reader')),
	county     TEXT NOT NULL,
	clearance  INTEGER NOT NULL DEFAULT 0 CHECK (clearance IN (0, 1)),
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	revoked_at TEXT
);
`

// exportEventsDDL is step 4 on both backends: the audit of exports. A row
// is written before the first record goes out and completed after the
// last (finished_at, records), so an export cut off by a crash still
// leaves its row, with no count. user_id is the token holder's, command
// the administrator's command line; remote is the HTTP client's address.
const exportEventsDDL = `
CREATE TABLE export_events (
	id          TEXT PRIMARY KEY,
	started_at  TEXT NOT NULL,
	finished_at TEXT,
	user_id     TEXT NOT NULL DEFAULT '',
	command     TEXT NOT NULL DEFAULT '',
	form_id     TEXT NOT NULL,
	format      TEXT NOT NULL,
	file        TEXT NOT NULL DEFAULT '',
	sharing     TEXT NOT NULL,
	masked      INTEGER NOT NULL CHECK (masked IN (0, 1)),
	records     BIGINT,
	remote      TEXT NOT NULL DEFAULT '',
	failure     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX export_events_form ON export_events (form_id, started_at);
`

// qualityDDL is step 5 on both backends. A report is the JSON of a
// quality.Report for one township's records of a form; through_seq is the
// last batch it had seen, so a later batch of the form makes it stale.
// The index lets reports be made one township at a time, which bounds
// the memory to the largest township's identifiers.
const qualityDDL = `
CREATE TABLE dataset_quality (
	form_id     TEXT NOT NULL,
	township    TEXT NOT NULL,
	report      TEXT NOT NULL,
	through_seq BIGINT NOT NULL,
	computed_at TEXT NOT NULL,
	PRIMARY KEY (form_id, township)
);
CREATE INDEX records_form_township ON records (form_id, township);
`

// reviewsDDL is step 6 on both backends. reviews holds the current review
// of a record version (a version without a row is pending, so a new
// version starts unreviewed); review_history every change of it, never
// updated or deleted. review_id names the history row a current review
// came from: a device is told of a return by that id, so it applies each
// return once. record_id is kept beside version_id so that a record's
// reviews are read by one index. No review references versions, so that
// storing batches (many versions a statement) has no reference to check
// or look up for review; SetReview checks that the version is the
// record's, in the transaction that stores the review.
const reviewsDDL = `
CREATE TABLE reviews (
	version_id  TEXT PRIMARY KEY,
	record_id   TEXT NOT NULL,
	review_id   TEXT NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('approved', 'has_issues', 'rejected')),
	comment     TEXT NOT NULL,
	reviewer_id TEXT NOT NULL REFERENCES users (id),
	reviewed_at TEXT NOT NULL
);
CREATE INDEX reviews_record ON reviews (record_id);
CREATE INDEX reviews_state ON reviews (state, reviewed_at);
CREATE TABLE review_history (
	review_id   TEXT PRIMARY KEY,
	record_id   TEXT NOT NULL,
	version_id  TEXT NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('approved', 'has_issues', 'rejected')),
	comment     TEXT NOT NULL,
	reviewer_id TEXT NOT NULL REFERENCES users (id),
	reviewed_at TEXT NOT NULL
);
CREATE INDEX review_history_record ON review_history (record_id, reviewed_at);
`

// pgReferencesDDL is step 8 on PostgreSQL. It drops the foreign keys that
// tie a batch's rows together: a version to its record and its batch, a
// record to its head version and its form. PostgreSQL checks a foreign
// key with one query per row (four per record a batch stores, most of
// them at commit), which cost a third of its CPU in storing a batch; a
// batch now checks the same references with one query over its own rows
// before it commits (batchTx.verifyReferences), and a batch is the only
// thing that writes these rows. The index on a record's head version goes
// too: it served that foreign key, and no query looks a record up by its
// head. (SQLite keeps it: its deferred check of a version stored after
// its record looks the record up by it.) IF EXISTS: the step may run
// again on a database a test took back to an earlier step.
const pgReferencesDDL = `
ALTER TABLE versions DROP CONSTRAINT IF EXISTS versions_record_id_fkey;
ALTER TABLE versions DROP CONSTRAINT IF EXISTS versions_device_id_batch_id_fkey;
ALTER TABLE records DROP CONSTRAINT IF EXISTS records_head_version_fkey;
ALTER TABLE records DROP CONSTRAINT IF EXISTS records_form_id_form_version_fkey;
DROP INDEX IF EXISTS records_head;
`

// enrolReplacesDDL is step 9 on both backends. A code made to enrol an
// existing laptop again (a lost token, a revoked one given back) names
// that device in replaces; an ordinary code names none and enrols only a
// device id the catalogue has never seen, so enrolment can never take
// over a device.
const enrolReplacesDDL = `ALTER TABLE enrol_codes ADD COLUMN replaces TEXT NOT NULL DEFAULT ''`

// attachmentsDDL is step 10, with BYTES the backend's byte type: the data
// files a form version names (select_one_from_file, pulldata, instance
// lookups), stored whole with their hashes when the version is first
// published. Like the definition they are never changed: other data is
// another version of the form.
const attachmentsDDL = `
CREATE TABLE form_attachments (
	form_id TEXT NOT NULL,
	version TEXT NOT NULL,
	name    TEXT NOT NULL,
	sha256  TEXT NOT NULL,
	size    BIGINT NOT NULL,
	data    BYTES NOT NULL,
	PRIMARY KEY (form_id, version, name),
	FOREIGN KEY (form_id, version) REFERENCES forms (form_id, version)
);
`
