package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"
)

// Every handle a caller reads through fits Querier.
var (
	_ Querier = (*sql.DB)(nil)
	_ Querier = (*sql.Tx)(nil)
	_ Querier = (*sql.Conn)(nil)
	_ Scanner = (*sql.Row)(nil)
)

func testDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", DSN(filepath.Join(t.TempDir(), "t.db"), false))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a'), ('b'), ('c')`); err != nil {
		t.Fatal(err)
	}
	return db
}

type named struct {
	id   int
	name string
}

func scanNamed(row Scanner) (named, error) {
	var n named
	err := row.Scan(&n.id, &n.name)
	return n, err
}

func TestQueryAll(t *testing.T) {
	ctx := context.Background()
	db := testDB(t)
	got, err := QueryAll(ctx, db, scanNamed, `SELECT id, name FROM t WHERE id > ? ORDER BY id`, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := []named{{2, "b"}, {3, "c"}}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}

	none, err := QueryAll(ctx, db, Value[string], `SELECT name FROM t WHERE id > 9`)
	if err != nil || none != nil {
		t.Errorf("no rows: got %#v, %v; want nil, nil", none, err)
	}

	// In a transaction and on a connection alike.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	names, err := QueryAll(ctx, tx, Value[string], `SELECT name FROM t ORDER BY id DESC`)
	tx.Rollback()
	if err != nil || !slices.Equal(names, []string{"c", "b", "a"}) {
		t.Errorf("in a transaction: got %v, %v", names, err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if ids, err := QueryAll(ctx, conn, Value[int], `SELECT id FROM t ORDER BY id`); err != nil || !slices.Equal(ids, []int{1, 2, 3}) {
		t.Errorf("on a connection: got %v, %v", ids, err)
	}

	// A scan that fails is the error, with no partial list.
	bad, err := QueryAll(ctx, db, Value[int], `SELECT CASE id WHEN 3 THEN 'three' ELSE id END FROM t ORDER BY id`)
	if err == nil || bad != nil {
		t.Errorf("scanning text into an int on the third row: got %v, %v; want nil and an error", bad, err)
	}
	if _, err := QueryAll(ctx, db, Value[int], `SELECT nothing FROM t`); err == nil {
		t.Error("a query that does not prepare gave no error")
	}
}

func TestEachStopsAndCloses(t *testing.T) {
	ctx := context.Background()
	db := testDB(t)
	stop := errors.New("enough")
	var seen []string
	err := Each(ctx, db, `SELECT name FROM t WHERE id >= ? ORDER BY id`, []any{1}, func(row Scanner) error {
		name, err := Value[string](row)
		if err != nil {
			return err
		}
		seen = append(seen, name)
		if name == "b" {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || !slices.Equal(seen, []string{"a", "b"}) {
		t.Errorf("got %v after %v; want %v after [a b]", err, seen, stop)
	}
	// A walk stopped half-way must not keep its connection busy: the
	// laptop and the catalogue's writer run everything on one.
	if n := db.Stats().InUse; n != 0 {
		t.Errorf("%d connections still in use after Each returned", n)
	}
}
