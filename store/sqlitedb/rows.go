package sqlitedb

import (
	"context"
	"database/sql"
)

// Querier runs a query: a *sql.DB, *sql.Tx or *sql.Conn, or a wrapper
// that rewrites the catalogue's ? placeholders for PostgreSQL before
// passing the query on.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Scanner is one row to read: the *sql.Rows of QueryAll and Each, or a
// *sql.Row, so that one scan function serves a list and a single look-up.
type Scanner interface {
	Scan(dest ...any) error
}

// Each runs query and calls fn with every row, in order. An error from fn
// stops the walk and is returned; the rows are closed before Each
// returns, so the caller may run the next statement on the same
// connection or transaction.
func Each(ctx context.Context, q Querier, query string, args []any, fn func(row Scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// QueryAll runs query and returns every row as scan reads it, in order;
// nil when there is none.
func QueryAll[T any](ctx context.Context, q Querier, scan func(row Scanner) (T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := Each(ctx, q, query, args, func(row Scanner) error {
		v, err := scan(row)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Value reads a row of one column: QueryAll's scan for a list of ids,
// names or versions.
func Value[T any](row Scanner) (T, error) {
	var v T
	err := row.Scan(&v)
	return v, err
}
