package catalogue

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// countsOf is what the page sums from the count rows, per form version and
// township, leaving out zero sums.
func countsOf(t testing.TB, db *DB) map[countKey]int {
	t.Helper()
	rows, err := db.query(context.Background(), qCountsSum)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[countKey]int{}
	for rows.Next() {
		var k countKey
		var n int
		if err := rows.Scan(&k.form, &k.version, &k.township, &n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			out[k] = n
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// recordsGrouped is the same figure the slow way, from the records table.
func recordsGrouped(t testing.TB, db *DB) map[countKey]int {
	t.Helper()
	cs, err := db.RecordCounts(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[countKey]int{}
	for _, c := range cs {
		out[countKey{c.FormID, c.Version, c.Township}] += c.N
	}
	return out
}

// sameCounts fails the test when the count rows and the records disagree.
func sameCounts(t testing.TB, db *DB, when string) {
	t.Helper()
	got, want := countsOf(t, db), recordsGrouped(t, db)
	if !maps.Equal(got, want) {
		t.Fatalf("%s: the count rows say\n%v\nthe records\n%v", when, got, want)
	}
}

// mdRec is a record of the markdown form f at a form version.
func mdRec(recordID, versionID, replaces, formVersion string) wire.Record {
	r := rec(recordID, versionID, replaces, versionID)
	r.FormID, r.FormVersion = "f", formVersion
	return r
}

// A catalogue with two versions of form f, published to the county, and a
// laptop in each of two of its townships.
func countsDB(t *testing.T, w where) (db *DB, dev1, dev2 *wire.Device) {
	t.Helper()
	ctx := context.Background()
	db = openDB(t, w)
	for _, v := range []string{"1", "2"} {
		if _, err := db.Publish(ctx, "f.md", mdForm("f", v, "Head"), []string{"110105"}); err != nil {
			t.Fatal(err)
		}
	}
	return db, enrol(t, db, "110105001", "laptop-1"), enrol(t, db, "110105002", "laptop-2")
}

// Every kind of outcome a batch can have leaves the count rows equal to
// the records grouped by form version and township.
func TestCountsFollowRecords(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev1, dev2 := countsDB(t, w)
		steps := []struct {
			name string
			dev  *wire.Device
			b    *wire.Batch
			want map[countKey]int
		}{
			{"new records", dev1, batch("b1", dev1, mdRec("r1", "r1a", "", "1"), mdRec("r2", "r2a", "", "1"), mdRec("r3", "r3a", "", "1")),
				map[countKey]int{{"f", "1", "110105001"}: 3}},
			{"the same batch again", dev1, batch("b1", dev1, mdRec("r1", "r1a", "", "1"), mdRec("r2", "r2a", "", "1"), mdRec("r3", "r3a", "", "1")),
				map[countKey]int{{"f", "1", "110105001"}: 3}},
			{"another township; a new record and its edit on version 2", dev2, batch("b2", dev2, mdRec("r4", "r4a", "", "1"),
				mdRec("r5", "r5a", "", "1"), mdRec("r5", "r5b", "r5a", "2")),
				map[countKey]int{{"f", "1", "110105001"}: 3, {"f", "1", "110105002"}: 1, {"f", "2", "110105002"}: 1}},
			{"an edit on the same version", dev1, batch("b3", dev1, mdRec("r1", "r1b", "r1a", "1")),
				map[countKey]int{{"f", "1", "110105001"}: 3, {"f", "1", "110105002"}: 1, {"f", "2", "110105002"}: 1}},
			{"an edit on version 2 from a laptop of another township: refused", dev2, batch("b4x", dev2, mdRec("r2", "r2b", "r2a", "2")),
				map[countKey]int{{"f", "1", "110105001"}: 3, {"f", "1", "110105002"}: 1, {"f", "2", "110105002"}: 1}},
			{"an edit on version 2", dev1, batch("b4", dev1, mdRec("r2", "r2b", "r2a", "2")),
				map[countKey]int{{"f", "1", "110105001"}: 2, {"f", "2", "110105001"}: 1, {"f", "1", "110105002"}: 1, {"f", "2", "110105002"}: 1}},
			{"conflicts, a duplicate and a rejected record", dev1, batch("b5", dev1,
				mdRec("r3", "r3x", "", "2"),           // not an edit of the stored record
				mdRec("r3", "r3y", "r3-gone", "2"),    // an edit of a version never received
				mdRec("r1", "r1b", "r1a", "1"),        // duplicate
				mdRec("r9", "r9a", "", "3"),           // version 3 is not published
				mdRec("r10", "r10a", "r10-gone", "2"), // new record, first seen as an edit: conflict, counted
			),
				map[countKey]int{{"f", "1", "110105001"}: 2, {"f", "2", "110105001"}: 2, {"f", "1", "110105002"}: 1, {"f", "2", "110105002"}: 1}},
			{"the only record of a version moves away", dev2, batch("b6", dev2, mdRec("r4", "r4b", "r4a", "2")),
				map[countKey]int{{"f", "1", "110105001"}: 2, {"f", "2", "110105001"}: 2, {"f", "2", "110105002"}: 2}},
			{"and back", dev2, batch("b7", dev2, mdRec("r4", "r4c", "r4b", "1")),
				map[countKey]int{{"f", "1", "110105001"}: 2, {"f", "2", "110105001"}: 2, {"f", "1", "110105002"}: 1, {"f", "2", "110105002"}: 1}},
		}
		for _, st := range steps {
			send(t, db, st.dev, st.b)
			sameCounts(t, db, st.name)
			if got := countsOf(t, db); !maps.Equal(got, st.want) {
				t.Fatalf("%s: counts %v, want %v", st.name, got, st.want)
			}
		}
		// b2 brought a new record in one township on two versions: one row
		// each; b3's edit changed no count and wrote a row of zero, which
		// marks the dataset's last update.
		if n := query[int](t, db, `SELECT count(*) FROM dataset_counts WHERE server_seq = (SELECT server_seq FROM batches WHERE batch_id = 'b2')`); n != 2 {
			t.Errorf("batch b2 wrote %d count rows, want 2", n)
		}
		if n := query[int](t, db, `SELECT count(*) FROM dataset_counts WHERE server_seq = (SELECT server_seq FROM batches WHERE batch_id = 'b3') AND records = 0`); n != 1 {
			t.Errorf("batch b3 wrote %d rows of zero, want 1", n)
		}

		want := countsOf(t, db)
		before, after, err := db.CompactCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if before <= after || after != len(want) {
			t.Fatalf("compacted %d rows into %d, want %d", before, after, len(want))
		}
		sameCounts(t, db, "compacted")
		if n := query[int](t, db, `SELECT count(*) FROM dataset_counts`); n != len(want) {
			t.Fatalf("%d rows after compacting, want %d", n, len(want))
		}
		// Batches after a compaction add to it.
		send(t, db, dev1, batch("b8", dev1, mdRec("r11", "r11a", "", "1")))
		sameCounts(t, db, "a batch after compacting")
	})
}

// A batch whose transaction fails leaves no count rows behind.
func TestCountsRolledBackWithBatch(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev1, _ := countsDB(t, w)
		b := batch("b1", dev1, mdRec("r1", "r1a", "", "1"), mdRec("r2", "r2a", "", "1"))
		check := func(r *wire.Record) (*forms.Instance, *forms.Result, error) {
			if r.RecordID == "r2" {
				return nil, nil, wire.ErrCheckUnavailable
			}
			return nil, nil, nil
		}
		if _, err := db.StoreBatch(context.Background(), dev1, b, "fp", check); err == nil {
			t.Fatal("the batch was stored although its check was unavailable")
		}
		if n := query[int](t, db, `SELECT count(*) FROM dataset_counts`); n != 0 {
			t.Fatalf("%d count rows left by a failed batch", n)
		}
		send(t, db, dev1, b)
		sameCounts(t, db, "after the retry")
	})
}

// The counts' schema step counts the records stored before it.
func TestCountsBackfilled(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev1, dev2 := countsDB(t, w)
		send(t, db, dev1, batch("b1", dev1, mdRec("r1", "r1a", "", "1"), mdRec("r2", "r2a", "", "1")))
		send(t, db, dev2, batch("b2", dev2, mdRec("r3", "r3a", "", "1")))
		send(t, db, dev1, batch("b3", dev1, mdRec("r4", "r4a", "", "2"), mdRec("r1", "r1b", "r1a", "2")))
		want := recordsGrouped(t, db)
		db.Close()

		// Take the database back to the step before the counts, as an
		// older release left it, then open it again. The steps after the
		// counts run again; step 8 may (IF EXISTS), steps 9 to 11 are
		// undone here (12 goes with 11's entities), later ones would have
		// to be undone here too.
		before := slices.Index(migrations, datasetCountsDDL)
		if before < 0 || pgMigrations[before] != datasetCountsDDL || len(migrations) != before+8 || pgMigrations[before+1] != pgReferencesDDL ||
			migrations[before+2] != enrolReplacesDDL || pgMigrations[before+2] != enrolReplacesDDL ||
			!strings.Contains(migrations[before+3], "CREATE TABLE form_attachments") || !strings.Contains(pgMigrations[before+3], "CREATE TABLE form_attachments") ||
			migrations[before+4] != entitiesDDL || pgMigrations[before+4] != entitiesDDL ||
			migrations[before+5] != entityLastVisitDDL || pgMigrations[before+5] != entityLastVisitDDL ||
			!strings.Contains(migrations[before+6], "CREATE TABLE catalogue_keys") || !strings.Contains(pgMigrations[before+6], "CREATE TABLE catalogue_keys") {
			t.Fatal("the schema steps after the counts changed: undo the later ones here too")
		}
		old := openDB(t, w)
		ctx := context.Background()
		undoSealingStep(t, old)
		for _, undo := range []string{`DROP TABLE dataset_counts`, `ALTER TABLE enrol_codes DROP COLUMN replaces`, `DROP TABLE form_attachments`,
			`DROP TABLE entity_lists`, `DROP TABLE entities`, `DROP TABLE entity_versions`, `DROP TABLE entity_conflicts`,
			`DROP TABLE entity_errors`, `DROP TABLE entity_counter`} {
			if _, err := old.sql.ExecContext(ctx, undo); err != nil {
				t.Fatal(err)
			}
		}
		setSchemaVersion(t, old, w, before)
		old.Close()

		db = openDB(t, w)
		if got := countsOf(t, db); !maps.Equal(got, want) || len(want) != 3 {
			t.Fatalf("backfilled %v, want %v", got, want)
		}
		if n := query[int](t, db, `SELECT count(*) FROM dataset_counts`); n != len(want) {
			t.Fatalf("backfill wrote %d rows for %d sums", n, len(want))
		}
		// The batch numbers of the backfilled rows are those of batches
		// that exist, so compaction and later batches fit around them.
		if n := query[int](t, db, `SELECT count(*) FROM dataset_counts c WHERE NOT EXISTS (SELECT 1 FROM batches b WHERE b.server_seq = c.server_seq)`); n != 0 {
			t.Fatalf("%d backfilled rows name no batch", n)
		}
		send(t, db, dev2, batch("b4", dev2, mdRec("r5", "r5a", "", "1")))
		sameCounts(t, db, "a batch after the backfill")
	})
}

// Two handles on one catalogue (two server processes) store batches, edit
// records and compact at the same time: every record is counted once.
func TestCountsConcurrent(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db1, dev1, dev2 := countsDB(t, w)
		db2 := openDB(t, w)
		const batches, perBatch = 12, 8
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		store := func(db *DB, dev *wire.Device, name string, edits string) {
			defer wg.Done()
			for i := range batches {
				var recs []wire.Record
				for j := range perBatch {
					id := fmt.Sprintf("%s-%d-%d", name, i, j)
					recs = append(recs, mdRec(id, id+"a", "", "1"))
				}
				if i > 0 && edits != "" {
					// Move a record this writer stored earlier to version
					// 2 (a device edits only its own records).
					id := fmt.Sprintf("%s-%d-0", edits, i-1)
					recs = append(recs, mdRec(id, id+"b", id+"a", "2"))
				}
				if _, err := db.StoreBatch(context.Background(), dev, batch(fmt.Sprintf("%s-%d", name, i), dev, recs...), "fp", nil); err != nil {
					errs <- err
					return
				}
			}
		}
		wg.Add(3)
		go store(db1, dev1, "one", "one")
		go store(db2, dev2, "two", "two")
		go func() {
			defer wg.Done()
			for range 6 {
				for _, db := range []*DB{db1, db2} {
					if _, _, err := db.CompactCounts(context.Background()); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		sameCounts(t, db1, "after concurrent batches")
		total := 0
		for _, n := range countsOf(t, db1) {
			total += n
		}
		if total != 2*batches*perBatch {
			t.Fatalf("%d records counted, want %d", total, 2*batches*perBatch)
		}
	})
}

// The page's figures: records per version and township and the time a
// record of the dataset last arrived, which an edit does not change.
func TestDatasetsFigures(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev1, dev2 := countsDB(t, w)
		ctx := context.Background()
		ds, err := db.Datasets(ctx)
		if err != nil || len(ds) != 1 || !ds[0].Modified.IsZero() || ds[0].Records() != 0 || len(ds[0].Townships) != 0 {
			t.Fatalf("an empty dataset: %+v %v", ds, err)
		}
		fixedClock(db)
		send(t, db, dev1, batch("b1", dev1, mdRec("r1", "r1a", "", "1"), mdRec("r2", "r2a", "", "1")))
		first := db.now()
		db.now = func() time.Time { return first.Add(time.Hour) }
		send(t, db, dev1, batch("b2", dev1, mdRec("r1", "r1b", "r1a", "2")))
		// Another township's laptop cannot move the record (nor count it).
		send(t, db, dev2, batch("b3", dev2, mdRec("r1", "r1c", "r1b", "1")))

		ds, err = db.Datasets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		d := ds[0]
		versions := fmt.Sprint(d.Versions)
		if versions != "[{2 1} {1 1}]" {
			t.Errorf("versions %s", versions)
		}
		if !reflect.DeepEqual(d.Townships, []TownshipRecords{{"110105001", 2}}) {
			t.Errorf("townships %+v", d.Townships)
		}
		if want := first.Add(time.Hour); !d.Modified.Equal(want) {
			t.Errorf("last update %v, want %v (the correction an hour later)", d.Modified, want)
		}
		// A correction on the same form version moves it too.
		db.now = func() time.Time { return first.Add(2 * time.Hour) }
		send(t, db, dev1, batch("b4", dev1, mdRec("r2", "r2b", "r2a", "1")))
		if ds, err = db.Datasets(ctx); err != nil || !ds[0].Modified.Equal(first.Add(2*time.Hour)) {
			t.Errorf("last update after a correction on the same version: %v %v", ds[0].Modified, err)
		}
	})
}

// slackSetter is held while a test sets compactSlack and runs the loop
// that reads it: the two backends run at once.
var slackSetter sync.Mutex

// KeepCountsCompact folds the rows once they pile up past the slack, and
// leaves them alone before.
func TestKeepCountsCompact(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev1, _ := countsDB(t, w)
		for i := range 5 {
			id := fmt.Sprintf("r%d", i)
			send(t, db, dev1, batch("b"+id, dev1, mdRec(id, id+"a", "", "1")))
		}
		run := func(slack int) []string {
			slackSetter.Lock()
			defer slackSetter.Unlock()
			old := compactSlack
			compactSlack = slack
			defer func() { compactSlack = old }()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			var said []string
			// The first round runs at once; the log is written before
			// the wait, so cancelling from it ends the loop after one.
			// Without a word from it the timeout ends the wait.
			db.KeepCountsCompact(ctx, time.Hour, func(format string, args ...any) {
				said = append(said, fmt.Sprintf(format, args...))
				cancel()
			})
			cancel()
			return said
		}
		if said := run(10); len(said) != 0 {
			t.Fatalf("compacted 5 rows under a slack of 10: %v", said)
		}
		if n := query[int](t, db, `SELECT count(*) FROM dataset_counts`); n != 5 {
			t.Fatalf("%d rows, want 5", n)
		}
		if said := run(2); fmt.Sprint(said) != "[record counts compacted: 5 rows into 1]" {
			t.Fatalf("said %q", said)
		}
		sameCounts(t, db, "kept compact")
		if n := query[int](t, db, `SELECT count(*) FROM dataset_counts`); n != 1 {
			t.Fatalf("%d rows, want 1", n)
		}
	})
}
