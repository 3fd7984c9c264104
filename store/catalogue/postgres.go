package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // also the "pgx" database/sql driver
)

// The PostgreSQL backend: for a catalogue that outgrows one machine, or
// several `serve` processes behind one address. It shares every statement
// and all the batch logic with the SQLite backend; what must happen once
// (a batch, a record, a version) is held by primary keys, so two servers
// racing on one batch cannot both store it: the loser's transaction fails
// on the key, is run again, and finds the winner's receipt.

// pgMaxConns bounds the connections one server process opens. Batches
// run MaxConcurrent at a time; the rest are short reads.
const pgMaxConns = 16

// pgMigrationLock is the advisory lock key ("FDBC") that serialises
// servers starting at once against a database to migrate.
const pgMigrationLock = applicationID

// OpenPostgres opens the catalogue in the PostgreSQL database dsn names
// (a URL or key=value string; the schema is the first of its search_path)
// and brings its schema up to date. A database whose schema holds other
// tables is refused with ErrNotCatalogue and left untouched.
func OpenPostgres(ctx context.Context, dsn string) (*DB, error) {
	where := redactDSN(dsn)
	sdb, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL %s: %w", where, err)
	}
	sdb.SetMaxOpenConns(pgMaxConns)
	sdb.SetMaxIdleConns(pgMaxConns)
	sdb.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := sdb.PingContext(pctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("PostgreSQL %s cannot be reached: %w", where, err)
	}
	db := &DB{sql: sdb, path: where, d: postgresDialect(), now: time.Now, forms: map[string]*forms.Form{}}
	if err := db.migratePostgres(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("PostgreSQL %s: %w", where, err)
	}
	return db, nil
}

func postgresDialect() *dialect {
	return &dialect{
		name:     "PostgreSQL",
		numbered: true,
		jsonRows: "json_array_elements_text(CAST(CAST(? AS TEXT) AS json))",
		// A sequence, not a counter row: a row would serialise every
		// batch of every server behind one lock. Numbers taken by a
		// transaction that then fails leave gaps, which nothing minds.
		nextSeq:     `SELECT nextval('server_seq')`,
		verifyBatch: true,
		optimistic:  true,
		tx:          pgTx,
	}
}

// pgTx runs fn in a READ COMMITTED transaction, again (up to a point) when
// PostgreSQL reports a serialization failure, a deadlock, or a unique key
// taken meanwhile by another transaction: that is how a second server
// learns that a batch or record it was storing has just been stored.
func pgTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx, *sql.Conn) error) error {
	for attempt := 0; ; attempt++ {
		err := pgTxOnce(ctx, db, fn)
		if !pgRetryable(err) || attempt >= 20 {
			return err
		}
		wait := time.Duration(1+rand.IntN(5<<min(attempt, 5))) * time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// pgTxOnce runs one attempt on a connection of its own, which fn may use
// for COPY within the transaction.
func pgTxOnce(ctx context.Context, db *sql.DB, fn func(*sql.Tx, *sql.Conn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return sqlitedb.InTx(ctx, conn, func(tx *sql.Tx) error { return fn(tx, conn) })
}

// copyRows streams n rows into table with PostgreSQL's COPY, on the
// transaction's own connection so that they are part of it.
func copyRows(ctx context.Context, conn *sql.Conn, table string, cols []string, n int, row func(i int) []any) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("COPY needs a pgx connection, not %T", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols,
			pgx.CopyFromSlice(n, func(i int) ([]any, error) { return row(i), nil }))
		return err
	})
}

func pgRetryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01", "23505": // serialization_failure, deadlock_detected, unique_violation
		return true
	}
	return false
}

// migratePostgres is migrate for PostgreSQL: the schema version lives in
// meta (PostgreSQL has no user_version), and an advisory lock held to the
// end of the transaction keeps two starting servers from both migrating.
func (db *DB) migratePostgres(ctx context.Context) error {
	return db.tx(ctx, func(tx txn) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(pgMigrationLock)); err != nil {
			return err
		}
		version, err := pgSchemaVersion(ctx, tx)
		if err != nil {
			return err
		}
		if version > len(pgMigrations) {
			return newerSchema(db.path, version, len(pgMigrations))
		}
		if version == len(pgMigrations) {
			return nil
		}
		if err := sqlitedb.ApplySteps(ctx, tx, pgMigrations, version); err != nil {
			return err
		}
		if version == 0 {
			if _, err := tx.ExecContext(ctx, qInitMeta, db.stamp()); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, qSchemaVersionSet, strconv.Itoa(len(pgMigrations)))
		return err
	})
}

// pgSchemaVersion reads the schema's version: 0 for an empty schema,
// ErrNotCatalogue for one that holds tables of something else.
func pgSchemaVersion(ctx context.Context, tx txn) (int, error) {
	var meta sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT to_regclass('meta')::text`).Scan(&meta); err != nil {
		return 0, err
	}
	if !meta.Valid {
		var tables int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&tables)
		if err != nil {
			return 0, err
		}
		if tables > 0 {
			return 0, fmt.Errorf("%w: the schema holds %d tables of something else; it was left untouched", ErrNotCatalogue, tables)
		}
		return 0, nil
	}
	var app, version sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT value FROM meta WHERE key = 'application'),
		(SELECT value FROM meta WHERE key = 'schema_version')`).Scan(&app, &version)
	if err != nil || app.String != "fieldbench-catalogue" {
		return 0, fmt.Errorf("%w: its meta table is not a catalogue's; it was left untouched", ErrNotCatalogue)
	}
	n, err := strconv.Atoi(version.String)
	if err != nil {
		return 0, fmt.Errorf("%w: schema version %q", ErrNotCatalogue, version.String)
	}
	return n, nil
}

// redactDSN is the connection string without its password, for messages
// and logs.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" && u.Host != "" {
		return u.Redacted()
	}
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return "(unreadable connection string)"
	}
	return fmt.Sprintf("host=%s port=%d dbname=%s user=%s", cfg.Host, cfg.Port, cfg.Database, cfg.User)
}
