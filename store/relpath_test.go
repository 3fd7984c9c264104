package store

import (
	"os"
	"path/filepath"
	"testing"
)

// A relative path (fieldbench --db fb.db) is the file in the working
// directory; the file: URI once put it at the root of the file system.
func TestOpenRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	name := "relpath-test.db"
	db, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
		t.Fatalf("the database is not in the working directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(string(filepath.Separator), name)); err == nil {
		os.Remove(filepath.Join(string(filepath.Separator), name))
		t.Fatal("the database was made at the root of the file system")
	}
}
