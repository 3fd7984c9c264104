package store

import (
	"context"
	"errors"
	"fmt"
)

// ErrExists is returned by Backup when the target file is already there:
// a backup never overwrites anything, least of all an older backup.
var ErrExists = ErrFileExists

// Backup writes a consistent copy of the database to path while it stays
// in use: VACUUM INTO reads one snapshot, so writers carry on meanwhile
// and the copy is compact and self-contained (no WAL beside it). The copy
// is written under a temporary name beside path and renamed when whole,
// so a backup killed mid-way never leaves a short file under the name a
// person would restore from.
func (db *DB) Backup(ctx context.Context, path string) error {
	out, err := CreateNew(path)
	if errors.Is(err, ErrFileExists) {
		return fmt.Errorf("backup %s: %w; choose another name", path, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("backup %s: %w", path, err)
	}
	defer out.Abort()
	// VACUUM INTO writes into an empty file, and opens it itself: the
	// temporary file stays 0600, and so does any journal beside it.
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, out.TempName()); err != nil {
		return fmt.Errorf("backup %s: %w", path, err)
	}
	if err := out.Commit(); err != nil {
		if errors.Is(err, ErrFileExists) {
			return fmt.Errorf("backup %s: %w; choose another name", path, ErrExists)
		}
		return fmt.Errorf("backup %s: %w", path, err)
	}
	return nil
}
