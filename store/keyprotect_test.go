package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/fieldbench/fieldbench/store/seal"
)

// Where the system protects the key file's key for its user (DPAPI on
// Windows, stood in for here by a reversible function of a secret only
// "this user" has), the file holds no key a copy could use, the database
// opens as before, and a copy elsewhere stays locked with the reason.
func TestKeyFileProtectedBySystem(t *testing.T) {
	userSecret := bytes.Repeat([]byte{0x5a}, 32)
	xor := func(in []byte) ([]byte, error) {
		out := make([]byte, len(in))
		for i := range in {
			out[i] = in[i] ^ userSecret[i%len(userSecret)]
		}
		return out, nil
	}
	protectKEK, unprotectKEK = xor, xor
	t.Cleanup(func() { protectKEK, unprotectKEK = nil, nil })

	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fb.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Locked(); err != nil {
		t.Fatalf("a new database is locked: %v", err)
	}
	db.Close()
	file, err := os.ReadFile(KeyFilePath(path))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(file, []byte("fieldbench-key-protected-v1:")) || bytes.Contains(file, []byte("fieldbench-key-v1:")) {
		t.Fatalf("the key file is not the protected kind:\n%s", file)
	}
	if _, err := seal.ParseKEKFile(file); !errors.Is(err, seal.ErrKEKProtected) {
		t.Fatalf("read without the system's unprotect: %v, want ErrKEKProtected", err)
	}

	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Locked(); err != nil {
		t.Fatalf("reopened by its user, the database is locked: %v", err)
	}
	if _, err := db.PassphraseSet(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// The same files where the system cannot unprotect the key.
	protectKEK, unprotectKEK = nil, nil
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var le *LockedError
	if err := db.Locked(); !errors.Is(err, seal.ErrKEKProtected) || !errors.As(err, &le) {
		t.Fatalf("a copy elsewhere: locked with %v, want a LockedError of ErrKEKProtected", err)
	}
}
