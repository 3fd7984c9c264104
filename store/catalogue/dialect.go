package catalogue

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"

	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// dialect is what differs between the two backends once the schema
// exists: placeholders, how a batch gets its sequence number, how a JSON
// array is read as rows, and how a write transaction is run and retried.
// Everything else (the statements in queries.go, the batch logic) is
// shared, so both backends answer alike and one set of tests holds both.
type dialect struct {
	name string // for messages: "SQLite" or "PostgreSQL"

	// numbered placeholders ($1, $2, ...) instead of ?.
	numbered bool

	// jsonRows is a table function call that turns its one argument, a
	// JSON array as text, into rows with one column named value.
	jsonRows string

	// nextSeq hands out the next batch sequence number inside the write
	// transaction.
	nextSeq string

	// verifyBatch: the schema has no foreign keys between the rows a
	// batch writes (PostgreSQL, from schema step 8), so StoreBatch checks
	// those references itself, with one query.
	verifyBatch bool

	// optimistic: a batch of new records skips looking up its ids, and
	// lets the primary keys say whether any was there after all. On
	// PostgreSQL the look-ups were a sixth of storing a batch, a
	// violated key is retried (pgRetryable), and the retry looks up.
	optimistic bool

	// rowAtATime: an upsert writes one row a statement, prepared once
	// (SQLite). A statement writing many rows needs a statement journal
	// (it must undo its earlier rows if a later one fails), and with
	// entity ids spread over the whole table that journal held a page per
	// row: a third of the CPU of storing a batch that changes entities.
	// PostgreSQL keeps its multi-row statements: each is a round trip.
	rowAtATime bool

	// tx runs fn in a write transaction, again when the database says
	// another transaction got in the way; fn must be safe to repeat.
	// conn is the connection the transaction runs on when the backend
	// has a bulk path (PostgreSQL's COPY), nil otherwise.
	tx func(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx, conn *sql.Conn) error) error

	bound sync.Map // query text -> query with numbered placeholders
}

// bind rewrites the ? placeholders of q for this backend. No statement of
// the catalogue has a ? inside a string literal, so a plain scan is enough.
func (d *dialect) bind(q string) string {
	if !d.numbered {
		return q
	}
	if b, ok := d.bound.Load(q); ok {
		return b.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	d.bound.Store(q, b.String())
	return b.String()
}

// txn is a write transaction that takes the catalogue's ? statements on
// either backend.
type txn struct {
	*sql.Tx
	d    *dialect
	conn *sql.Conn // PostgreSQL only: for COPY inside the transaction
}

func (t txn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, t.d.bind(q), args...)
}

func (t txn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, t.d.bind(q), args...)
}

func (t txn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, t.d.bind(q), args...)
}

// tx runs fn in one write transaction; see dialect.tx.
func (db *DB) tx(ctx context.Context, fn func(txn) error) error {
	err := db.d.tx(ctx, db.sql, func(tx *sql.Tx, conn *sql.Conn) error { return fn(txn{tx, db.d, conn}) })
	if err == nil {
		db.ckpt.committed()
	}
	return err
}

// query and queryRow read outside a transaction.
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.sql.QueryContext(ctx, db.d.bind(q), args...)
}

// reads is the database outside a transaction for sqlitedb.QueryAll and
// sqlitedb.Each, taking the catalogue's ? statements on either backend
// as txn does inside one.
func (db *DB) reads() sqlitedb.Querier { return boundDB{db} }

type boundDB struct{ db *DB }

func (b boundDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return b.db.query(ctx, q, args...)
}

// listed is a list as the protocol sends it: [] rather than null when
// there is nothing, as sync/wire's readers expect.
func listed[T any](list []T, err error) ([]T, error) {
	if list == nil && err == nil {
		list = []T{}
	}
	return list, err
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return db.sql.QueryRowContext(ctx, db.d.bind(q), args...)
}

// placeholders is "(?, ?, ?), (?, ?, ?)" for rows rows of cols columns.
func placeholders(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}
