package catalogue

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// The resource catalogue's page shows every dataset's records per form
// version and per township. Grouping the records table for that costs a
// scan of every record on every request; instead each batch appends, in
// its own transaction, one row per (form, version, township) whose record
// count it changed, and the page sums those rows.
//
// Append-only on purpose: two servers storing batches into one PostgreSQL
// at once insert rows under different batch numbers and never wait on
// each other, where a running total per dataset would be one row every
// batch updates, serialising them (or, under stricter isolation, making
// them retry). CompactCounts folds old rows together now and then, so
// the page reads about one row per (form, version, township).
//
// What is counted is exactly what records holds: a record under the form
// version of its latest accepted version and the township of the device
// that first sent it. A new record adds one; an edit adds a row of zero
// (so that the batch marks the dataset's last update), except that an
// edit made on another form version moves its record from the old
// version's row to the new one (-1 and +1), as the records table does. Rejected and duplicate versions change no count, nor does a
// conflicting version of a record already stored (a record first seen in
// conflict is a new record and counts).

// datasetCountsDDL is schema step 7 on both backends: the table, then the
// counts of the records already stored, one row per (form, version,
// township) under the last batch that brought one of them.
const datasetCountsDDL = `
CREATE TABLE dataset_counts (
	server_seq   BIGINT NOT NULL,
	form_id      TEXT NOT NULL,
	form_version TEXT NOT NULL,
	township     TEXT NOT NULL,
	records      BIGINT NOT NULL,
	PRIMARY KEY (server_seq, form_id, form_version, township)
);
INSERT INTO dataset_counts (server_seq, form_id, form_version, township, records)
	SELECT max(first_seq), form_id, form_version, township, count(*) FROM records
	GROUP BY form_id, form_version, township;
`

// countKey is one row's place: a form version in a township.
type countKey struct{ form, version, township string }

func (k countKey) compare(o countKey) int {
	if c := strings.Compare(k.form, o.form); c != 0 {
		return c
	}
	if c := strings.Compare(k.version, o.version); c != 0 {
		return c
	}
	return strings.Compare(k.township, o.township)
}

var countColumns = []string{"server_seq", "form_id", "form_version", "township", "records"}

// countRecords appends the batch's changes to the record counts. It runs
// in the batch's transaction after every decision is made and before the
// records are written, so that the records an edit moves to another form
// version still show their old version here.
func (s *batchTx) countRecords(records map[string]*storedRecord) error {
	delta := map[countKey]int64{}
	var edited []string
	for id, rec := range records {
		switch {
		case rec.isNew:
			// Its form version is that of the batch's last accepted
			// version of it, as it is written to records.
			delta[countKey{rec.formID, rec.formVersion, s.dev.Township}]++
		case rec.changed:
			edited = append(edited, id)
		}
	}
	// An edit may be on another form version than the one its record is
	// counted under, and it counts in the record's township, which need
	// not be that of the device sending it.
	err := s.each(fmt.Sprintf(qRecordsCountedIn, s.d.jsonRows), edited, func(row sqlitedb.Scanner) error {
		var id, version, township string
		if err := row.Scan(&id, &version, &township); err != nil {
			return err
		}
		if rec := records[id]; rec.formVersion != version {
			delta[countKey{rec.formID, version, township}]--
			delta[countKey{rec.formID, rec.formVersion, township}]++
		} else {
			// A row of nothing: the dataset changed in this batch, and
			// its last update (lastArrivals) is this batch's.
			delta[countKey{rec.formID, version, township}] += 0
		}
		return nil
	})
	if err != nil {
		return err
	}
	keys := make([]countKey, 0, len(delta))
	for k := range delta {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, countKey.compare)
	return s.insertRows("dataset_counts", countColumns, qCountsInsert, len(keys), func(i int, args []any) []any {
		k := keys[i]
		return append(args, s.seq, k.form, k.version, k.township, delta[k])
	})
}

// formCounts are one form's summed counts.
type formCounts struct {
	byVersion  map[string]int
	byTownship map[string]int
}

// recordCounts sums the count rows per form.
func (db *DB) recordCounts(ctx context.Context) (map[string]*formCounts, error) {
	per := map[string]*formCounts{}
	err := sqlitedb.Each(ctx, db.reads(), qCountsSum, nil, func(row sqlitedb.Scanner) error {
		var k countKey
		var n int64
		if err := row.Scan(&k.form, &k.version, &k.township, &n); err != nil {
			return err
		}
		if n == 0 {
			return nil // every record there moved to another version
		}
		c := per[k.form]
		if c == nil {
			c = &formCounts{byVersion: map[string]int{}, byTownship: map[string]int{}}
			per[k.form] = c
		}
		c.byVersion[k.version] += int(n)
		c.byTownship[k.township] += int(n)
		return nil
	})
	return per, err
}

// lastArrivals is when each form's records last changed: the last batch
// that brought a record or an accepted correction of one, read off the
// count rows (every such batch writes one): about one row per form
// version and township, whatever the number of records.
func (db *DB) lastArrivals(ctx context.Context) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := sqlitedb.Each(ctx, db.reads(), qFormsLastArrival, nil, func(row sqlitedb.Scanner) error {
		var form string
		var at time.Time
		if err := row.Scan(&form, when.Column(&at)); err != nil {
			return fmt.Errorf("form %s: last batch's time: %w", form, err)
		}
		if !at.IsZero() {
			out[form] = at
		}
		return nil
	})
	return out, err
}

// CompactCounts folds the count rows into one per (form, version,
// township), under the latest batch number among those it folds, and
// drops the sums that came to zero. It returns the number of rows before
// and after.
//
// Batches stored meanwhile are not in its way: they only insert rows,
// under their own batch numbers. On PostgreSQL, rows of a batch that
// commits while this runs are simply not folded this time; two servers
// compacting at once delete disjoint rows (the second waits for the
// first's and then skips them), so every record is still counted once.
func (db *DB) CompactCounts(ctx context.Context) (before, after int, err error) {
	err = db.tx(ctx, func(tx txn) error {
		before, after = 0, 0
		sum := map[countKey]int64{}
		last := map[countKey]int64{}
		err := sqlitedb.Each(ctx, tx, qCountsTake, nil, func(row sqlitedb.Scanner) error {
			var k countKey
			var seq, n int64
			if err := row.Scan(&seq, &k.form, &k.version, &k.township, &n); err != nil {
				return err
			}
			before++
			sum[k] += n
			last[k] = max(last[k], seq)
			return nil
		})
		if err != nil {
			return err
		}
		keys := make([]countKey, 0, len(sum))
		for k, n := range sum {
			if n != 0 {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, countKey.compare)
		after = len(keys)
		s := &batchTx{ctx: ctx, tx: tx, d: db.d}
		return s.insertRows("dataset_counts", countColumns, qCountsInsert, len(keys), func(i int, args []any) []any {
			k := keys[i]
			return append(args, last[k], k.form, k.version, k.township, sum[k])
		})
	})
	return before, after, err
}

// compactSlack is how many rows more than one per (form, version,
// township) KeepCountsCompact lets accumulate before folding them: a few
// thousand rows sum in a millisecond or two. A variable for the tests.
var compactSlack = 2000

// KeepCountsCompact runs CompactCounts now and then every interval until
// ctx ends, when the count rows have grown compactSlack past one per
// (form, version, township). `fieldbench serve` runs it; logf reports
// what it did and any error (the page stays right without it, only
// slower to sum).
func (db *DB) KeepCountsCompact(ctx context.Context, every time.Duration, logf func(format string, args ...any)) {
	for {
		var rows, keys int
		err := db.queryRow(ctx, qCountsSize).Scan(&rows, &keys)
		if err == nil && rows > keys+compactSlack {
			var before, after int
			if before, after, err = db.CompactCounts(ctx); err == nil {
				logf("record counts compacted: %d rows into %d", before, after)
			}
		}
		if err != nil && ctx.Err() == nil {
			logf("record counts not compacted: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
