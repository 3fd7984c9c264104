package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// Records of one batch see what the batch's earlier records did, as if
// they had been stored one at a time: a new record and its edit, the same
// version twice, an edit of a version the batch itself superseded.
func TestStoreBatchWithinOneBatch(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev := newDB(t, w)
		rc := send(t, db, dev, batch("b1", dev,
			rec("r1", "v1", "", "张三"),
			rec("r1", "v1b", "v1", "张三丰"), // edit of the record the batch just brought
			rec("r1", "v1b", "v1", "张三丰"), // the same version again
			rec("r1", "v1c", "v1", "张三峰"), // stale: the batch moved the head to v1b
			rec("r2", "v2", "", "李四"),
			rec("r2", "v2", "", "李四 (other bytes)"),
		))
		want := []string{"accepted", "accepted", "duplicate", "conflict", "accepted", "conflict"}
		if got := statuses(rc); !reflect.DeepEqual(got, want) {
			t.Fatalf("statuses %v, want %v: %+v", got, want, rc.Results)
		}
		if h := query[string](t, db, `SELECT head_version FROM records WHERE record_id = 'r1'`); h != "v1b" {
			t.Fatalf("r1 head %s", h)
		}
		if c := query[int](t, db, `SELECT conflict FROM records WHERE record_id = 'r1'`); c != 1 {
			t.Fatal("r1 not flagged")
		}
		if n := query[int](t, db, `SELECT count(*) FROM versions`); n != 4 {
			t.Fatalf("%d versions stored, want v1 v1b v1c v2", n)
		}
		if pos := query[int](t, db, `SELECT first_pos FROM records WHERE record_id = 'r2'`); pos != 4 {
			t.Fatalf("r2 first_pos %d", pos)
		}
	})
}

// A batch larger than one INSERT's chunk is stored whole, in order.
func TestStoreBatchManyRecords(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev := newDB(t, w)
		const n = 2*insertChunk + 7
		var recs []wire.Record
		for i := range n {
			id := fmt.Sprintf("r%04d", i)
			recs = append(recs, rec(id, id+"-v1", "", id))
		}
		rc := send(t, db, dev, batch("big", dev, recs...))
		for i, r := range rc.Results {
			if r.Status != wire.StatusAccepted || r.VersionID != recs[i].VersionID {
				t.Fatalf("result %d: %+v", i, r)
			}
		}
		var got []string
		db.Records(context.Background(), formID, false, func(id string, _ []byte) error { got = append(got, id); return nil })
		if len(got) != n || got[0] != "r0000" || got[n-1] != fmt.Sprintf("r%04d", n-1) {
			t.Fatalf("%d records back, first %v", len(got), got[:min(3, len(got))])
		}
	})
}

// A PostgreSQL schema holding something else is refused and left as it
// was; a catalogue's schema opens again with what it holds.
func TestOpenPostgresRefusesOtherSchemas(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	other, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec(`CREATE TABLE people (id int)`); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenPostgres(ctx, dsn); !errors.Is(err, ErrNotCatalogue) {
		t.Fatalf("a schema of something else opened as a catalogue: %v", err)
	}
	var tables int
	other.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&tables)
	if tables != 1 {
		t.Fatalf("the refused schema now has %d tables", tables)
	}

	w := where{dsn: pgtest.DSN(t)}
	db := openDB(t, w)
	if _, err := db.Publish(ctx, "f.md", mdForm("f", "1", "Head"), []string{township}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openDB(t, w)
	if list, err := db.Forms(ctx, township); err != nil || len(list) != 1 {
		t.Fatalf("after reopening: %v %v", list, err)
	}
	// A schema written by a newer fieldbench is not touched.
	if _, err := db.sql.Exec(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenPostgres(ctx, w.dsn); err == nil {
		t.Fatal("a newer schema opened")
	}
}

func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://fb:secret@db.example:5432/cat?sslmode=disable": "postgres://fb:xxxxx@db.example:5432/cat?sslmode=disable",
		"host=db.example user=fb password=secret dbname=cat":       "host=db.example port=5432 dbname=cat user=fb",
	} {
		if got := redactDSN(in); got != want {
			t.Errorf("redactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}
