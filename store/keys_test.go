package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/fieldbench/fieldbench/store/seal"
)

// cheapArgon2 keeps the tests from paying the default cost per derivation.
var cheapArgon2 = seal.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}

func openWithPass(path, pass string) (*DB, error) {
	return Open(path, WithArgon2(cheapArgon2), WithPassphrase(func() (string, error) { return pass, nil }))
}

func TestDataKeyMadeWithPrivateKeyFile(t *testing.T) {
	db, path := newDB(t)
	if db.Locked() != nil {
		t.Fatalf("a new database is locked: %v", db.Locked())
	}
	st, err := os.Stat(KeyFilePath(path))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != PrivateFile {
		t.Errorf("key file mode %v, want %v", st.Mode().Perm(), PrivateFile)
	}
	id := db.key.ID()
	db.Close()
	again, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.key == nil || again.key.ID() != id {
		t.Fatalf("reopened with another key: %v", again.Locked())
	}
}

func TestKeyFileNamedAfterDatabase(t *testing.T) {
	for db, key := range map[string]string{"a/fieldbench.db": "a/fieldbench.key", "a/laptop1.db": "a/laptop1.key", "a/x.key": "a/x.key.key", "a/plain": "a/plain.key"} {
		if got := KeyFilePath(db); got != key {
			t.Errorf("KeyFilePath(%q) = %q, want %q", db, got, key)
		}
	}
}

func TestPassphraseLifecycle(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fb.db")
	db, err := Open(path, WithArgon2(cheapArgon2))
	if err != nil {
		t.Fatal(err)
	}
	id := db.key.ID()
	if err := db.SetPassphrase(ctx, "春眠不觉晓"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(KeyFilePath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the key file is still there once a passphrase is set: %v", err)
	}
	db.Close()

	// No passphrase: opens locked, says a passphrase is needed.
	locked, err := openWithPass(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := locked.Locked(); !errors.Is(err, ErrLocked) || !errors.Is(err, seal.ErrPassphraseNeeded) {
		t.Errorf("opened without the passphrase: %v", err)
	}
	if set, err := locked.PassphraseSet(ctx); !set || err != nil {
		t.Errorf("PassphraseSet = %v, %v", set, err)
	}
	locked.Close()

	// A wrong passphrase fails the open.
	if _, err := openWithPass(path, "处处闻啼鸟"); !errors.Is(err, seal.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}

	// Change keeps the data key; remove goes back to a key file.
	db, err = openWithPass(path, "春眠不觉晓")
	if err != nil {
		t.Fatal(err)
	}
	if db.key.ID() != id {
		t.Fatal("the passphrase unlocked another key")
	}
	if err := db.SetPassphrase(ctx, "夜来风雨声"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = openWithPass(path, "夜来风雨声")
	if err != nil || db.key.ID() != id {
		t.Fatalf("after change: %v", err)
	}
	if err := db.RemovePassphrase(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(path)
	if err != nil || db.key == nil || db.key.ID() != id {
		t.Fatalf("after remove: %v %v", err, db.Locked())
	}
	db.Close()
}

// lockedByPassphrase is a database whose data key pass protects, opened
// without it; and the key's id.
func lockedByPassphrase(t *testing.T, pass string) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fb.db")
	db, err := Open(path, WithArgon2(cheapArgon2))
	if err != nil {
		t.Fatal(err)
	}
	id := db.key.ID()
	if err := db.SetPassphrase(context.Background(), pass); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = openWithPass(path, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, id
}

func TestLostPassphraseReset(t *testing.T) {
	ctx := context.Background()
	locked, old := lockedByPassphrase(t, "forgotten")
	path := locked.Path()
	locked.Close()
	db, err := openWithPass(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ResetKey(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if db.Locked() != nil || db.key.ID() == old {
		t.Fatal("the reset did not give a new key")
	}
	db.Close()
	db, err = Open(path)
	if err != nil || db.Locked() != nil {
		t.Fatalf("after reset: %v %v", err, db.Locked())
	}
	var n int
	if err := db.sql.QueryRow(`SELECT count(*) FROM audit WHERE event = ?`, EventKeyChanged).Scan(&n); err != nil || n != 2 {
		t.Errorf("key_changed rows: %d %v", n, err)
	}
}

func TestMissingKeyFileLocks(t *testing.T) {
	db, path := newDB(t)
	db.Close()
	if err := os.Remove(KeyFilePath(path)); err != nil {
		t.Fatal(err)
	}
	again, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if err := again.Locked(); !errors.Is(err, ErrKeyFileMissing) {
		t.Fatalf("Locked = %v", err)
	}
}

// Unlock takes the passphrase after Open (the workbench asks on its own
// screen): a wrong one leaves the database locked and may be tried again;
// the right one gives the key, and the masked data read without it is the
// same record as the clear data read with it.
func TestUnlockAfterOpen(t *testing.T) {
	ctx := context.Background()
	locked, id := lockedByPassphrase(t, "pw")
	if err := locked.Unlock(ctx, ""); !errors.Is(err, seal.ErrPassphraseNeeded) {
		t.Errorf("Unlock with nothing: %v", err)
	}
	if err := locked.Unlock(ctx, "wrong"); !errors.Is(err, seal.ErrWrongPassphrase) || !errors.Is(err, ErrLocked) {
		t.Errorf("Unlock with a wrong passphrase: %v", err)
	}
	if !errors.Is(locked.Locked(), seal.ErrPassphraseNeeded) {
		t.Errorf("locked after a wrong try: %v", locked.Locked())
	}
	if err := locked.Unlock(ctx, "pw"); err != nil || locked.Locked() != nil || locked.key.ID() != id {
		t.Fatalf("Unlock: %v, %v", err, locked.Locked())
	}
	if err := locked.Unlock(ctx, "anything"); err != nil {
		t.Errorf("Unlock of an unlocked database: %v", err)
	}
}
