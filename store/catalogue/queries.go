package catalogue

// Every statement the catalogue runs, one place per operation, for both
// backends: dialect.bind rewrites the ? placeholders to $1, $2, ... for
// PostgreSQL. Nothing here is SQLite-only; what differs is in dialect.

// Opening.
const (
	qInitMeta = `INSERT INTO meta (key, value) VALUES ('application', 'fieldbench-catalogue'), ('created_at', ?)`

	// PostgreSQL only: it has no user_version.
	qSchemaVersionSet = `INSERT INTO meta (key, value) VALUES ('schema_version', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`
)

// Forms.
const (
	qFormGet = `SELECT title, file_name, sha256 FROM forms WHERE form_id = ? AND version = ?`

	qFormInsert = `INSERT INTO forms (form_id, version, title, file_name, sha256, definition, published_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`

	qFormTownshipAdd = `INSERT INTO form_townships (form_id, version, township, published_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (form_id, version, township) DO NOTHING`

	// The three arguments after form_id and version are the device's
	// township and its ancestors (see scopes): a form published to a
	// county reaches every township in it.
	qFormPublishedTo = `SELECT count(*) FROM form_townships
		WHERE form_id = ? AND version = ? AND township IN (?, ?, ?)`

	qFormsFor = `SELECT f.form_id, f.version, f.title, f.file_name, f.sha256 FROM forms f
		WHERE EXISTS (SELECT 1 FROM form_townships t
			WHERE t.form_id = f.form_id AND t.version = f.version AND t.township IN (?, ?, ?))
		ORDER BY f.form_id, f.published_at, f.version`

	qFormFileFor = `SELECT f.title, f.file_name, f.sha256, f.definition FROM forms f
		WHERE f.form_id = ? AND f.version = ? AND EXISTS (SELECT 1 FROM form_townships t
			WHERE t.form_id = f.form_id AND t.version = f.version AND t.township IN (?, ?, ?))`

	qFormDefinition = `SELECT file_name, sha256, definition FROM forms WHERE form_id = ? AND version = ?`

	qFormVersions = `SELECT version FROM forms WHERE form_id = ? ORDER BY published_at DESC, version DESC`

	qAttachmentInsert = `INSERT INTO form_attachments (form_id, version, name, sha256, size, data) VALUES (?, ?, ?, ?, ?, ?)`

	qAttachmentsOf = `SELECT name, size, sha256 FROM form_attachments WHERE form_id = ? AND version = ? ORDER BY name`

	qAttachmentFiles = `SELECT name, data FROM form_attachments WHERE form_id = ? AND version = ?`

	// An attachment reaches a device only through a form published to its
	// township (the three scopes, as in qFormFileFor).
	qAttachmentInfoFor = `SELECT a.size, a.sha256 FROM form_attachments a
		WHERE a.form_id = ? AND a.version = ? AND a.name = ? AND EXISTS (SELECT 1 FROM form_townships t
			WHERE t.form_id = a.form_id AND t.version = a.version AND t.township IN (?, ?, ?))`

	qAttachmentData = `SELECT data FROM form_attachments WHERE form_id = ? AND version = ? AND name = ?`
)

// Devices and enrolment.
const (
	qCodeInsert = `INSERT INTO enrol_codes (code_hash, township, created_at, replaces) VALUES (?, ?, ?, ?)`

	// Using the code and reading what it is for is one statement, so two
	// laptops racing with one code cannot both get through: the second
	// waits for the first's row lock, then finds the code used.
	qCodeUse = `UPDATE enrol_codes SET used_at = ?, device_id = ?
		WHERE code_hash = ? AND used_at IS NULL RETURNING township, replaces`

	// An ordinary code makes a device and never changes one.
	qDeviceInsert = `INSERT INTO devices (id, township, token_hash, enrolled_at, revoked_at)
		VALUES (?, ?, ?, ?, NULL) ON CONFLICT (id) DO NOTHING`

	// A code made for a device gives it a new token and lifts a
	// revocation; its township stays (ReplaceDevice checked it).
	qDeviceReenrol = `UPDATE devices SET token_hash = ?, enrolled_at = ?, revoked_at = NULL
		WHERE id = ? AND township = ?`

	qDeviceTownship = `SELECT township FROM devices WHERE id = ?`

	qDeviceByToken = `SELECT id, township FROM devices WHERE token_hash = ? AND revoked_at IS NULL`

	qDeviceRevoke = `UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`

	qDeviceExists = `SELECT count(*) FROM devices WHERE id = ?`

	qDevices = `SELECT id, township, enrolled_at, coalesce(revoked_at, '') FROM devices ORDER BY township, id`
)

// Batches.
const (
	qBatchGet = `SELECT fingerprint, receipt FROM batches WHERE device_id = ? AND batch_id = ?`

	qNextSeq = `UPDATE counters SET value = value + 1 WHERE name = 'server_seq' RETURNING value`

	qBatchInsert = `INSERT INTO batches (device_id, batch_id, fingerprint, receipt, server_seq, received_at)
		VALUES (?, ?, ?, ?, ?, ?)`

	// %s is the dialect's JSON array function: the ids come as one
	// argument, so a batch is looked up in one statement.
	qVersionsIn = `SELECT version_id, record_id, sha256, device_id FROM versions
		WHERE version_id IN (SELECT value FROM %s)`

	qRecordsIn = `SELECT record_id, form_id, form_version, head_version, conflict, device_id FROM records
		WHERE record_id IN (SELECT value FROM %s)`

	// Followed by as many rows of placeholders as the chunk has.
	qRecordsInsert = `INSERT INTO records (record_id, form_id, form_version, township, device_id, head_version, conflict, first_seq, first_pos)
		VALUES `

	qVersionsInsert = `INSERT INTO versions (version_id, record_id, replaces, form_version, sha256, data, collector,
			created_at, received_at, server_seq, device_id, batch_id, status, sealed, sealed_key, pseudonyms, verdict)
		VALUES `

	qRecordUpdate = `UPDATE records SET head_version = ?, form_version = ?, conflict = ? WHERE record_id = ?`

	// The versions of one batch whose record, record's head version,
	// record's form or batch is missing: read by the batch's index and
	// primary keys, a few milliseconds for a thousand versions.
	qBatchBroken = `SELECT count(*) FROM versions v
		LEFT JOIN records r ON r.record_id = v.record_id
		LEFT JOIN versions h ON h.version_id = r.head_version
		LEFT JOIN forms f ON f.form_id = r.form_id AND f.version = r.form_version
		LEFT JOIN batches b ON b.device_id = v.device_id AND b.batch_id = v.batch_id
		WHERE v.device_id = ? AND v.batch_id = ?
			AND (r.record_id IS NULL OR h.version_id IS NULL OR f.form_id IS NULL OR b.batch_id IS NULL)`
)

// Reports. Each comes for one form and for all: the form's index then
// serves the common case, where an OR on an empty argument would not.
const (
	qRecordCountsForm = `SELECT township, form_id, form_version, conflict, count(*) FROM records
		WHERE form_id = ?
		GROUP BY township, form_id, form_version, conflict
		ORDER BY township, form_id, form_version, conflict`

	qRecordCountsAll = `SELECT township, form_id, form_version, conflict, count(*) FROM records
		GROUP BY township, form_id, form_version, conflict
		ORDER BY township, form_id, form_version, conflict`

	qRecordHeadsForm = `SELECT r.record_id, v.data, ` + sealedCols + ` FROM records r JOIN versions v ON v.version_id = r.head_version
		WHERE r.form_id = ?
		ORDER BY r.first_seq, r.first_pos`

	qRecordHeadsAll = `SELECT r.record_id, v.data, ` + sealedCols + ` FROM records r JOIN versions v ON v.version_id = r.head_version
		ORDER BY r.first_seq, r.first_pos`
)

// Catalogue entries (resource.go).
const (
	qElementGet = `SELECT value FROM dataset_elements WHERE form_id = ? AND key = ?`

	qElementSet = `INSERT INTO dataset_elements (form_id, key, value, source, set_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (form_id, key) DO UPDATE SET value = excluded.value, source = excluded.source, set_at = excluded.set_at`

	qElementClear = `DELETE FROM dataset_elements WHERE form_id = ? AND key = ?`

	qElementHistory = `INSERT INTO dataset_history (form_id, key, value, source, set_at) VALUES (?, ?, ?, ?, ?)`

	qElements = `SELECT key, value, source, set_at FROM dataset_elements WHERE form_id = ? ORDER BY key`

	qFormLatest = `SELECT version, title FROM forms WHERE form_id = ? ORDER BY published_at DESC, version DESC LIMIT 1`

	qFormIDs = `SELECT DISTINCT form_id FROM forms ORDER BY form_id`
)

// The resource catalogue's figures: record counts per dataset (counts.go,
// datasets.go).
const (
	// %s is the dialect's JSON array function, as in qRecordsIn.
	qRecordsCountedIn = `SELECT record_id, form_version, township FROM records
		WHERE record_id IN (SELECT value FROM %s)`

	// Followed by as many rows of placeholders as the chunk has.
	qCountsInsert = `INSERT INTO dataset_counts (server_seq, form_id, form_version, township, records) VALUES `

	qCountsSum = `SELECT form_id, form_version, township, CAST(sum(records) AS BIGINT) FROM dataset_counts
		GROUP BY form_id, form_version, township`

	qCountsSize = `SELECT (SELECT count(*) FROM dataset_counts),
		(SELECT count(*) FROM (SELECT 1 FROM dataset_counts GROUP BY form_id, form_version, township) k)`

	qCountsTake = `DELETE FROM dataset_counts RETURNING server_seq, form_id, form_version, township, records`

	// When a record of each published form last arrived, '' if none has:
	// the newest first_seq of the form from the records_form index, then
	// that batch's time.
	qFormsLastArrival = `SELECT f.form_id, coalesce((SELECT b.received_at FROM batches b WHERE b.server_seq =
			(SELECT max(c.server_seq) FROM dataset_counts c WHERE c.form_id = f.form_id)), '')
		FROM (SELECT DISTINCT form_id FROM forms) f`
)
