package catalogue

import (
	"context"
	"errors"
	"testing"

	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
)

// The one query that stands in for PostgreSQL's foreign keys finds each
// kind of broken reference in a batch, and nothing in an intact one. It
// runs on both backends (on SQLite the foreign keys remain; the query is
// portable and tested on both alike).
func TestBatchReferencesVerified(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev := newDB(t, w)
		ctx := context.Background()
		send(t, db, dev, batch("b1", dev, rec("r1", "r1a", "", "张三"), rec("r2", "r2a", "", "李四")))
		send(t, db, dev, batch("b2", dev, rec("r1", "r1b", "r1a", "张三丰")))

		// verify breaks the database as break says, checks batch b in the
		// same transaction, and rolls back whatever came of it.
		errRollBack := errors.New("roll back")
		var refused error
		verify := func(b, breakIt string, args ...any) error {
			var verr error
			err := db.tx(ctx, func(tx txn) error {
				if breakIt != "" {
					if _, err := tx.ExecContext(ctx, breakIt, args...); err != nil {
						// SQLite's immediate foreign keys refuse some
						// breaks outright: guarded as well.
						refused = err
						return errRollBack
					}
				}
				verr = (&batchTx{ctx: ctx, tx: tx, d: db.d, dev: dev, batchID: b}).verifyReferences()
				return errRollBack
			})
			if !errors.Is(err, errRollBack) {
				t.Fatalf("%s: %v", breakIt, err)
			}
			return verr
		}
		for _, b := range []string{"b1", "b2"} {
			if err := verify(b, ""); err != nil {
				t.Fatalf("intact batch %s: %v", b, err)
			}
		}
		broken := []struct {
			batch, q string
			args     []any
		}{
			{"b1", `UPDATE versions SET record_id = 'nowhere' WHERE version_id = ?`, []any{"r2a"}},
			{"b2", `UPDATE records SET head_version = 'nowhere' WHERE record_id = ?`, []any{"r1"}},
			{"b1", `DELETE FROM records WHERE record_id = ?`, []any{"r2"}},
			{"b2", `DELETE FROM batches WHERE batch_id = ?`, []any{"b2"}},
			{"b1", `UPDATE records SET form_version = 'never-published' WHERE record_id = ?`, []any{"r2"}},
		}
		for _, c := range broken {
			refused = nil
			err := verify(c.batch, c.q, c.args...)
			if refused != nil {
				if w.dsn != "" {
					t.Fatalf("%s: %v", c.q, refused)
				}
				continue
			}
			if err == nil {
				t.Errorf("batch %s after %s %v: no broken reference found", c.batch, c.q, c.args)
			}
		}
		// Rolled back: still intact.
		if err := verify("b1", ""); err != nil {
			t.Fatal(err)
		}
	})
}

// Schema step 8 leaves PostgreSQL no foreign key between records,
// versions, batches and forms, and no index that served one: a wrong name
// would leave one silently in place (IF EXISTS), and with it the cost the
// step removes.
func TestPostgresBatchTablesHaveNoForeignKeys(t *testing.T) {
	db := openDB(t, where{dsn: pgtest.DSN(t)})
	n := query[int](t, db, `SELECT count(*) FROM pg_constraint WHERE contype = 'f'
		AND conrelid IN (to_regclass('records'), to_regclass('versions'))`)
	if n != 0 {
		t.Fatalf("%d foreign keys left on records and versions", n)
	}
	if n := query[int](t, db, `SELECT count(*) FROM pg_indexes WHERE indexname = 'records_head' AND schemaname = current_schema()`); n != 0 {
		t.Fatal("records_head is still there: it only served the dropped foreign key")
	}
	if !db.d.verifyBatch {
		t.Fatal("PostgreSQL batches must check their references themselves")
	}
}
