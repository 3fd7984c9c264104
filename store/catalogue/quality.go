package catalogue

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// TownshipQuality is the data quality of one township's records of a
// dataset, as of a time.
type TownshipQuality struct {
	Township   string
	Report     *quality.Report
	ComputedAt time.Time
}

// Quality measures a form's records township by township: each record as
// the catalogue holds it (its head version), validated again against the
// form version it was made with. One township's records are in memory at
// a time (their identifiers, for duplicates), never the whole dataset's;
// duplicates are therefore found within a township.
func (db *DB) Quality(ctx context.Context, formID string, opts quality.Options) ([]TownshipQuality, error) {
	latest, earlier, err := db.FormVersionsOf(ctx, formID)
	if err != nil {
		return nil, err
	}
	versions := map[string]*forms.Form{latest.Version: latest}
	for _, f := range earlier {
		versions[f.Version] = f
	}
	townships, err := db.townshipsOf(ctx, formID)
	if err != nil {
		return nil, err
	}
	out := make([]TownshipQuality, 0, len(townships))
	for _, t := range townships {
		acc := quality.New(latest, opts)
		err := sqlitedb.Each(ctx, db.reads(), qQualityRecords, []any{formID, t}, func(row sqlitedb.Scanner) error {
			var id, version, collector, created, verdict, pseudonyms string
			var conflict, sealed int
			var data []byte
			if err := row.Scan(&id, &version, &conflict, &collector, &created, &data, &sealed, &verdict, &pseudonyms); err != nil {
				return err
			}
			obj, err := forms.DecodeStoredRecord(data)
			if err != nil {
				return fmt.Errorf("record %s is not a JSON object: %w", id, err)
			}
			state := "accepted"
			if conflict == 1 {
				state = "conflict"
			}
			rec := quality.Record{ID: id, Form: versions[version], Data: obj, Collector: collector, Day: when.CollectorDay(created), State: state}
			if sealed == 1 {
				// Masked answers fail their own checks and look alike: the
				// verdict and the pseudonyms kept at ingest stand in.
				if err := sealedQuality(&rec, verdict, pseudonyms); err != nil {
					return fmt.Errorf("record %s: %w", id, err)
				}
			}
			acc.Add(rec)
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, TownshipQuality{Township: t, Report: acc.Report(), ComputedAt: db.now().UTC()})
	}
	return out, nil
}

// sealedQuality gives a sealed record its kept verdict and its ID
// numbers' pseudonyms (Tags) from their stored JSON.
func sealedQuality(rec *quality.Record, verdict, pseudonyms string) error {
	return rec.SetKept(verdict, pseudonyms)
}

// townshipsOf lists the townships that sent records of a form.
func (db *DB) townshipsOf(ctx context.Context, formID string) ([]string, error) {
	return sqlitedb.QueryAll(ctx, db.reads(), sqlitedb.Value[string], qQualityTownships, formID)
}

// RefreshQuality measures a form's records again and keeps the reports,
// replacing the earlier ones in one transaction. The batch sequence is
// read first, so records arriving meanwhile leave the reports stale.
func (db *DB) RefreshQuality(ctx context.Context, formID string, opts quality.Options) ([]TownshipQuality, error) {
	var seq int64
	if err := db.queryRow(ctx, qLastBatchSeq).Scan(&seq); err != nil {
		return nil, err
	}
	reports, err := db.Quality(ctx, formID, opts)
	if err != nil {
		return nil, err
	}
	err = db.tx(ctx, func(tx txn) error {
		if _, err := tx.ExecContext(ctx, qQualityDelete, formID); err != nil {
			return err
		}
		for _, r := range reports {
			// The page needs the number of duplicated values, not each
			// of thousands of them: the kept copy lists the first few.
			kept := *r.Report
			kept.Duplicates = kept.Duplicates[:min(len(kept.Duplicates), keptDuplicates)]
			js, err := json.Marshal(&kept)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, qQualityInsert, formID, r.Township, string(js), seq, when.Stored(r.ComputedAt)); err != nil {
				return err
			}
		}
		return nil
	})
	return reports, err
}

// keptDuplicates is how many duplicated values a kept report lists.
const keptDuplicates = 100

// KeptQuality returns the reports kept for every form, by form id. A
// kept report has no form attached (Report.Form and Field.Field are nil):
// its fields are named by their keys, and it lists at most
// keptDuplicates duplicated values (Report.DuplicateGroups counts them
// all). Reports are decoded once and remembered by the time they were
// made, so the catalogue page does not decode them on every request;
// the caller must not change them.
func (db *DB) KeptQuality(ctx context.Context) (map[string][]TownshipQuality, error) {
	out := map[string][]TownshipQuality{}
	type key struct{ form, township string }
	var missing []key
	err := sqlitedb.Each(ctx, db.reads(), qQualityKeptTimes, nil, func(row sqlitedb.Scanner) error {
		var k key
		var t time.Time
		if err := row.Scan(&k.form, &k.township, when.Column(&t)); err != nil {
			return err
		}
		db.mu.Lock()
		c, ok := db.quality[k.form+"\x00"+k.township]
		db.mu.Unlock()
		if !ok || !c.ComputedAt.Equal(t) {
			missing = append(missing, k)
			return nil
		}
		out[k.form] = append(out[k.form], c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, k := range missing {
		var js string
		var t time.Time
		err := db.queryRow(ctx, qQualityKeptOne, k.form, k.township).Scan(&js, when.Column(&t))
		if err == sql.ErrNoRows {
			continue // measured again and replaced meanwhile: next time
		}
		if err != nil {
			return nil, err
		}
		r := &quality.Report{}
		if err := json.Unmarshal([]byte(js), r); err != nil {
			return nil, fmt.Errorf("quality of %s in %s: %w", k.form, k.township, err)
		}
		c := TownshipQuality{Township: k.township, Report: r, ComputedAt: t}
		db.mu.Lock()
		if db.quality == nil {
			db.quality = map[string]TownshipQuality{}
		}
		db.quality[k.form+"\x00"+k.township] = c
		db.mu.Unlock()
		out[k.form] = append(out[k.form], c)
	}
	for form := range out {
		slices.SortFunc(out[form], func(a, b TownshipQuality) int { return strings.Compare(a.Township, b.Township) })
	}
	return out, nil
}

// StaleQuality lists the published forms whose kept reports miss records:
// never measured, or a batch since brought versions of them.
func (db *DB) StaleQuality(ctx context.Context) ([]string, error) {
	entries, err := db.Entries(ctx)
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, e := range entries {
		var through sql.NullInt64
		if err := db.queryRow(ctx, qQualityThrough, e.FormID).Scan(&through); err != nil {
			return nil, err
		}
		var n int
		err := db.queryRow(ctx, qQualityNewer, through.Int64, e.FormID).Scan(&n)
		if err != nil && err != sql.ErrNoRows {
			return nil, err
		}
		if n > 0 {
			stale = append(stale, e.FormID)
		}
	}
	return stale, nil
}

// KeepQualityFresh measures again, every interval, the datasets that
// received records since they were last measured (StaleQuality), so the
// catalogue page shows figures at most one interval old without measuring
// on a request. It runs until ctx ends, one dataset at a time; `fieldbench
// serve` runs it in the background, and logf reports each measure and
// any error.
func (db *DB) KeepQualityFresh(ctx context.Context, every time.Duration, logf func(format string, args ...any)) {
	for {
		stale, err := db.StaleQuality(ctx)
		if err != nil && ctx.Err() == nil {
			logf("quality: %v", err)
		}
		for _, formID := range stale {
			start := time.Now()
			reports, err := db.RefreshQuality(ctx, formID, quality.Options{})
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				logf("quality of %s: %v", formID, err)
				continue
			}
			logf("quality of %s measured again: %d townships in %v", formID, len(reports), time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// Quality's statements.
const (
	qQualityTownships = `SELECT DISTINCT township FROM records WHERE form_id = ? ORDER BY township`
	qQualityRecords   = `SELECT r.record_id, r.form_version, r.conflict, v.collector, v.created_at, v.data,
			CASE WHEN v.sealed IS NULL THEN 0 ELSE 1 END, coalesce(v.verdict, ''), coalesce(v.pseudonyms, '')
		FROM records r JOIN versions v ON v.version_id = r.head_version
		WHERE r.form_id = ? AND r.township = ? ORDER BY r.first_seq, r.first_pos`
	qLastBatchSeq     = `SELECT coalesce(max(server_seq), 0) FROM batches`
	qQualityDelete    = `DELETE FROM dataset_quality WHERE form_id = ?`
	qQualityInsert    = `INSERT INTO dataset_quality (form_id, township, report, through_seq, computed_at) VALUES (?, ?, ?, ?, ?)`
	qQualityKeptTimes = `SELECT form_id, township, computed_at FROM dataset_quality`
	qQualityKeptOne   = `SELECT report, computed_at FROM dataset_quality WHERE form_id = ? AND township = ?`
	// A form never measured has no row: max() gives NULL, read as 0.
	qQualityThrough = `SELECT max(through_seq) FROM dataset_quality WHERE form_id = ?`
	// The batches after through_seq (by their unique sequence), their
	// versions (by batch), and whether any is of the form.
	qQualityNewer = `SELECT count(*) FROM (SELECT 1 FROM batches b
		JOIN versions v ON v.device_id = b.device_id AND v.batch_id = b.batch_id
		JOIN records r ON r.record_id = v.record_id
		WHERE b.server_seq > ? AND r.form_id = ? LIMIT 1) AS x`
)

// DatasetQuality is a dataset's quality as the catalogue page shows it:
// the kept reports of its townships, summed.
type DatasetQuality struct {
	ComputedAt                                    time.Time // of the oldest report: the figures are at least this recent
	Records, WithErrors, WithWarnings, Duplicates int
	Townships                                     []TownshipFigures
	Fields                                        []FieldFigures // in form order
}

// TownshipFigures is one township's line of a DatasetQuality.
type TownshipFigures struct {
	Township                                      string
	Records, WithErrors, WithWarnings, Duplicates int
}

// FieldFigures is one question's figures summed over the townships.
type FieldFigures struct {
	Key, Label                         string
	Relevant, Answered, Failed, Warned int
}

// Complete is the share of relevant places answered, in percent; -1 when
// the question never applied.
func (f FieldFigures) Complete() int {
	if f.Relevant == 0 {
		return -1
	}
	return f.Answered * 100 / f.Relevant
}

// summarise sums a dataset's township reports; labels names the fields
// by their keys. nil when the dataset was never measured.
func summarise(reports []TownshipQuality, labels map[string]string) *DatasetQuality {
	if len(reports) == 0 {
		return nil
	}
	q := &DatasetQuality{}
	at := map[string]int{}
	for _, t := range reports {
		r := t.Report
		if q.ComputedAt.IsZero() || t.ComputedAt.Before(q.ComputedAt) {
			q.ComputedAt = t.ComputedAt
		}
		q.Records += r.Records
		q.WithErrors += r.WithErrors
		q.WithWarnings += r.WithWarnings
		q.Duplicates += r.DuplicateGroups
		q.Townships = append(q.Townships, TownshipFigures{Township: t.Township, Records: r.Records,
			WithErrors: r.WithErrors, WithWarnings: r.WithWarnings, Duplicates: r.DuplicateGroups})
		for _, f := range r.Fields {
			key := f.Key
			if f.Repeat != "" {
				key = f.Repeat + "/" + f.Key
			}
			i, ok := at[key]
			if !ok {
				i = len(q.Fields)
				at[key] = i
				label := labels[key]
				if label == "" {
					label = key
				}
				q.Fields = append(q.Fields, FieldFigures{Key: key, Label: label})
			}
			g := &q.Fields[i]
			g.Relevant += f.Relevant
			g.Answered += f.Answered
			g.Failed += f.Failed
			g.Warned += f.Warned
		}
	}
	return q
}
