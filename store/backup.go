package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrExists is returned by Backup when the target file is already there:
// a backup never overwrites anything, least of all an older backup.
var ErrExists = errors.New("file already exists")

// Backup writes a consistent copy of the database to path while it stays
// in use: VACUUM INTO reads one snapshot, so writers carry on meanwhile
// and the copy is compact and self-contained (no WAL beside it).
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup %s: %w; choose another name", path, ErrExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup %s: %w", path, err)
	}
	// VACUUM INTO itself refuses a non-empty target, which closes the
	// window between the check above and the write.
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup %s: %w", path, err)
	}
	return nil
}
