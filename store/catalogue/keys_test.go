package catalogue

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store/seal"
)

// setSchemaVersion records the catalogue at w as being at schema step n,
// as an older release left it, after the test undid the later steps.
func setSchemaVersion(t *testing.T, db *DB, w where, n int) {
	t.Helper()
	q := fmt.Sprintf(`PRAGMA user_version = %d`, n)
	if w.dsn != "" {
		q = fmt.Sprintf(`UPDATE meta SET value = '%d' WHERE key = 'schema_version'`, n)
	}
	if _, err := db.sql.ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// undoSealingStep takes a database back to before the sealing steps.
// tables and columns, as an older release left it (the caller sets the
// schema version).
func undoSealingStep(t *testing.T, db *DB) {
	t.Helper()
	n := len(migrations)
	if !strings.Contains(migrations[n-2], "CREATE TABLE catalogue_keys") || !strings.Contains(migrations[n-1], "ALTER TABLE entities ADD COLUMN sealed") {
		t.Fatal("the sealing steps (13, 14) are no longer the last: undo the later ones too")
	}
	for _, undo := range []string{`ALTER TABLE entities DROP COLUMN sealed`, `ALTER TABLE entities DROP COLUMN sealed_key`,
		`ALTER TABLE entities DROP COLUMN pseudonyms`, `ALTER TABLE entity_versions DROP COLUMN sealed`,
		`ALTER TABLE entity_versions DROP COLUMN sealed_key`, `DROP TABLE catalogue_keys`, `DROP TABLE sealed_keys`,
		`ALTER TABLE versions DROP COLUMN sealed`, `ALTER TABLE versions DROP COLUMN sealed_key`,
		`ALTER TABLE versions DROP COLUMN pseudonyms`, `ALTER TABLE versions DROP COLUMN verdict`} {
		if _, err := db.sql.ExecContext(context.Background(), undo); err != nil {
			t.Fatal(err)
		}
	}
}

// The key file: made private on first use, read back the same; made
// under a passphrase when one is given, which it then asks for (a wrong
// one is ErrWrongPassphrase); a rotation keeps the older keys, newest
// last, under the same protection.
func TestKeyFile(t *testing.T) {
	defer func(old int) { scryptLog = old }(scryptLog)
	scryptLog = 10
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain", KeyFileName)
	ring, created, err := LoadKeyFile(plain, nil, nil)
	if err != nil || !created || len(ring) != 1 {
		t.Fatalf("first use: %v %v %v", ring, created, err)
	}
	if st, err := os.Stat(plain); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st.Mode(), err)
	}
	again, created, err := LoadKeyFile(plain, nil, nil)
	if err != nil || created || again.Current().KeyID() != ring.Current().KeyID() {
		t.Fatalf("read again: %v %v", created, err)
	}

	protected := filepath.Join(dir, "protected", KeyFileName)
	pass := func(p string) func() (string, error) { return func() (string, error) { return p, nil } }
	ring, _, err = LoadKeyFile(protected, pass("x"), pass("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(protected); !seal.KeyFileProtected(data) || strings.Contains(string(data), "AGE-SECRET-KEY") {
		t.Fatal("the key file is not protected by its passphrase")
	}
	if _, _, err := LoadKeyFile(protected, pass("wrong"), nil); !errors.Is(err, seal.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	rotated, err := RotateKeyFile(protected, ring, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := LoadKeyFile(protected, pass("correct horse"), nil)
	if err != nil || len(back) != 2 || back[0].KeyID() != ring.Current().KeyID() || back.Current().KeyID() != rotated.Current().KeyID() {
		t.Fatalf("after the rotation: %d keys, %v", len(back), err)
	}
}
