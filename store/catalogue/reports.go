package catalogue

import (
	"context"

	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// Count is the number of records of one form version in one township and
// state. State is "accepted", or "conflict" for a record with any version
// in conflict, until a person resolves it.
type Count struct {
	Township, FormID, Version, State string
	N                                int
}

// RecordCounts counts records by township, form version and state; formID
// "" counts every form. A record counts under the township of the device
// that first sent it and the form version of its latest accepted version.
func (db *DB) RecordCounts(ctx context.Context, formID string) ([]Count, error) {
	q, args := qRecordCountsAll, []any{}
	if formID != "" {
		q, args = qRecordCountsForm, []any{formID}
	}
	return listed(sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (Count, error) {
		var c Count
		var conflict int
		if err := row.Scan(&c.Township, &c.FormID, &c.Version, &conflict, &c.N); err != nil {
			return c, err
		}
		c.State = "accepted"
		if conflict != 0 {
			c.State = "conflict"
		}
		return c, nil
	}, q, args...))
}

// Records calls yield with every record of a form (of all its versions;
// formID "" for every form) and the data of the record's latest version, in
// the order the records first arrived. Rows are streamed, so an export of
// any size holds one record in memory; yield's error stops the walk and is
// returned. The read is one snapshot: batches stored meanwhile are not seen.
func (db *DB) Records(ctx context.Context, formID string, clear bool, yield func(recordID string, data []byte) error) error {
	if formID == "" {
		return db.eachRecord(ctx, qRecordHeadsAll, nil, clear, yield)
	}
	return db.eachRecord(ctx, qRecordHeadsForm, []any{formID}, clear, yield)
}

// eachRecord streams the (record id, data) rows of a query to yield: the
// masked data as stored, or with clear the clear data (the caller audits
// it).
func (db *DB) eachRecord(ctx context.Context, q string, args []any, clear bool, yield func(recordID string, data []byte) error) error {
	return db.eachVersion(ctx, q, args, clear, func(v sealedVersion, data []byte) error { return yield(v.recordID, data) })
}

// eachVersion is eachRecord giving each version's sealing columns too.
func (db *DB) eachVersion(ctx context.Context, q string, args []any, clear bool, yield func(v sealedVersion, data []byte) error) error {
	var u *unsealer
	if clear {
		u = db.unsealer()
	}
	return sqlitedb.Each(ctx, db.reads(), q, args, func(row sqlitedb.Scanner) error {
		var v sealedVersion
		var data []byte
		if err := row.Scan(&v.recordID, &data, &v.versionID, &v.sha, &v.sealed, &v.keyID, &v.pseudonyms); err != nil {
			return err
		}
		if u != nil {
			var err error
			if data, err = u.clear(ctx, v, data); err != nil {
				return err
			}
		}
		return yield(v, data)
	})
}
