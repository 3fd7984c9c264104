package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// Quality measures the data quality of a form's records on this laptop:
// every version and every state (drafts included, so what is still being
// collected shows), each record as it stands now (a draft's answers, else
// its latest version). Records stream from one query into the accumulator,
// so memory does not grow with their number. The day of a record is the
// local date it was created; its collector the one written on it. The
// report lists states in States order unless opts says otherwise.
func (db *DB) Quality(ctx context.Context, formID string, opts quality.Options) (*quality.Report, error) {
	list, err := db.FormVersions(ctx)
	if err != nil {
		return nil, err
	}
	versions := map[string]*forms.Form{}
	var newest *forms.Form
	for _, fv := range list { // oldest first within a form: the last is the newest
		if fv.FormID != formID {
			continue
		}
		f, err := db.Form(ctx, fv.FormID, fv.Version)
		if err != nil {
			return nil, err
		}
		versions[fv.Version], newest = f, f
	}
	if newest == nil {
		return nil, &ErrUnknownForm{FormID: formID}
	}
	if opts.States == nil {
		for _, s := range States {
			opts.States = append(opts.States, string(s))
		}
	}
	acc := quality.New(newest, opts)
	// A record with a kept verdict is measured by it and its blind-index
	// tags, key or no key: the same report either way, and neither its
	// sealed part nor a second validation is needed. Only records stored
	// before verdicts were kept open their sealed part. The unary + keeps
	// SQLite off the records_form index: read in rowid order, the rows
	// need no sort (which copied every record's data through the sorter).
	err = sqlitedb.Each(ctx, db.sql, `SELECT r.id, r.form_version, r.state, r.collector, r.created_at,
		CASE WHEN r.head IS NULL THEN r.draft ELSE v.data END, coalesce(r.head, ''), coalesce(v.sha256, ''),
		CASE WHEN k.verdict IS NULL THEN (CASE WHEN r.head IS NULL THEN r.draft_sealed
			ELSE (SELECT blob FROM sealed_versions s WHERE s.version_id = r.head) END) END, k.verdict,
		k.tags
		FROM records r LEFT JOIN record_versions v ON v.version_id = r.head
		LEFT JOIN kept_verdicts k ON k.version_id = coalesce(r.head, r.id)
		WHERE +r.form_id = ? ORDER BY r.rowid`, []any{formID}, func(row sqlitedb.Scanner) error {
		var id, version, state, collector, head, sha string
		var created time.Time
		var data, blob []byte
		var verdict, tags sql.NullString
		if err := row.Scan(&id, &version, &state, &collector, when.Column(&created), &data, &head, &sha, &blob, &verdict, &tags); err != nil {
			return err
		}
		rec := quality.Record{ID: id, Form: versions[version], Collector: collector, Day: when.Date(created), State: state}
		switch {
		case verdict.Valid:
			// The masked data with the verdict and the blind index kept
			// when it was stored.
			if err := rec.SetKept(verdict.String, tags.String); err != nil {
				return fmt.Errorf("record %s: %w", id, err)
			}
		case blob != nil && db.key != nil:
			// Stored before verdicts were kept: the clear record,
			// validated afresh.
			opened, err := db.openStored(id, head, sha, data, blob)
			switch {
			case err == nil:
				data = opened
			case errors.Is(err, ErrMaskedOnly):
				// Its masked answers would fail their own checks; it
				// passed them when it was finalized, which a version must.
				rec.Verdict = &quality.Verdict{}
			default:
				return err
			}
		case blob != nil:
			return fmt.Errorf("record %s was stored before this version kept what quality needs of it; open the database once with its key to build that: %w", id, db.keyErr)
		}
		obj, err := forms.DecodeRecord(data)
		if err != nil {
			return fmt.Errorf("record %s is not a JSON object: %w", id, err)
		}
		rec.Data = obj
		acc.Add(rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return acc.Report(), nil
}
