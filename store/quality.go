package store

import (
	"context"
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
	err = sqlitedb.Each(ctx, db.sql, `SELECT r.id, r.form_version, r.state, r.collector, r.created_at,
		CASE WHEN r.head IS NULL THEN r.draft ELSE v.data END, coalesce(r.head, ''), coalesce(v.sha256, ''),
		CASE WHEN r.head IS NULL THEN r.draft_sealed ELSE s.blob END
		FROM records r LEFT JOIN record_versions v ON v.version_id = r.head
		LEFT JOIN sealed_versions s ON s.version_id = r.head
		WHERE r.form_id = ? ORDER BY r.rowid`, []any{formID}, func(row sqlitedb.Scanner) error {
		var id, version, state, collector, head, sha string
		var created time.Time
		var data, blob []byte
		if err := row.Scan(&id, &version, &state, &collector, when.Column(&created), &data, &head, &sha, &blob); err != nil {
			return err
		}
		// The clear record, for now: kept verdicts and blind-index tags
		// (forms/quality.Record) will let this run on masked data.
		data, err := db.openStored(id, head, sha, data, blob)
		var verdict *quality.Verdict
		if errors.Is(err, ErrMaskedOnly) {
			// Its masked answers would fail their own checks; it passed
			// them when it was finalized, which a version must.
			verdict, err = &quality.Verdict{}, nil
		}
		if err != nil {
			return err
		}
		obj, err := forms.DecodeRecord(data)
		if err != nil {
			return fmt.Errorf("record %s is not a JSON object: %w", id, err)
		}
		acc.Add(quality.Record{ID: id, Form: versions[version], Data: obj, Collector: collector,
			Day: when.Date(created), State: state, Verdict: verdict})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return acc.Report(), nil
}
