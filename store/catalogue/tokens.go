package catalogue

import (
	"context"
	"database/sql"
	"errors"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// Devices and users hold tokens alike: only a token's hash is stored,
// looked up through a unique index, and revoking stamps revoked_at.

// byToken scans the unrevoked holder of tokenHash, found with q, into
// dest; wire.ErrUnauthorized when there is none.
func (db *DB) byToken(ctx context.Context, q, tokenHash string, dest ...any) error {
	err := db.queryRow(ctx, q, tokenHash).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return wire.ErrUnauthorized
	}
	return err
}

// revoke stamps the holder id revoked with qRevoke, which changes only
// one not revoked yet. Changing nothing is success when qExists counts
// the id (it was revoked before), wire.ErrNotFound when it does not.
func (db *DB) revoke(ctx context.Context, qRevoke, qExists, id string) error {
	return db.tx(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, qRevoke, db.stamp(), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, qExists, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return wire.ErrNotFound
		}
		return nil
	})
}
