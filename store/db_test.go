package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenCreatesAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	dev := db.DeviceID()
	if len(dev) != 36 || dev[14] != '7' {
		t.Fatalf("device id %q is not a UUIDv7", dev)
	}
	var mode, fk, sync string
	db.sql.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	db.sql.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	db.sql.QueryRow(`PRAGMA synchronous`).Scan(&sync)
	if mode != "wal" || fk != "1" || sync != "2" {
		t.Errorf("journal_mode %s foreign_keys %s synchronous %s, want wal 1 2 (FULL)", mode, fk, sync)
	}
	if err := db.SetCollector(ctx, "李明"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.DeviceID() != dev {
		t.Errorf("device id changed on reopen: %s then %s", dev, db.DeviceID())
	}
	if name, _ := db.Collector(ctx); name != "李明" {
		t.Errorf("collector %q", name)
	}
	over, err := Open(path, WithCollector("张三"))
	if err != nil {
		t.Fatal(err)
	}
	defer over.Close()
	if name, _ := over.Collector(ctx); name != "张三" {
		t.Errorf("WithCollector: collector %q", name)
	}
	if name, _ := db.Collector(ctx); name != "李明" {
		t.Errorf("WithCollector changed the stored setting: %q", name)
	}
}

func TestOpenEmptyFileStartsAfresh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	os.WriteFile(path, nil, 0o600)
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

func TestOpenCreateDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "fb.db")
	if _, err := Open(path); !errors.Is(err, ErrNoDirectory) {
		t.Fatalf("missing directory: got %v, want ErrNoDirectory", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Fatal("Open without CreateDir made the directory")
	}
	db, err := Open(path, CreateDir())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// Every refused file must come out byte-identical: fieldbench never
// "repairs" what it does not own.
func TestOpenRefusesWithoutTouching(t *testing.T) {
	dir := t.TempDir()
	random := make([]byte, 8192)
	rand.Read(random)

	other := filepath.Join(dir, "other.db")
	raw, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	// A fieldbench database written by a newer fieldbench.
	newer := filepath.Join(dir, "newer.db")
	db, err := Open(newer)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, _ = sql.Open("sqlite", newer)
	if _, err := raw.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	// A fieldbench database whose schema pages are overwritten.
	corrupt := filepath.Join(dir, "corrupt.db")
	db, err = Open(corrupt)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, _ := os.ReadFile(corrupt)
	for i := 100; i < len(b) && i < 4096; i++ {
		b[i] = 0xA5 // page 1 past the header: the schema table
	}
	os.WriteFile(corrupt, b, 0o600)

	notOurs := filepath.Join(dir, "text.db")
	os.WriteFile(notOurs, []byte("name,age\n王芳,34\n"), 0o600)
	randomPath := filepath.Join(dir, "random.db")
	os.WriteFile(randomPath, random, 0o600)

	tests := []struct {
		name, path string
		want       error
	}{
		{"random bytes", randomPath, ErrNotDatabase},
		{"a CSV file", notOurs, ErrNotDatabase},
		{"another program's SQLite database", other, ErrNotFieldbench},
		{"corrupt", corrupt, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := fileHash(t, tt.path)
			db, err := Open(tt.path)
			if err == nil {
				db.Close()
				t.Fatal("opened")
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if after := fileHash(t, tt.path); after != before {
				t.Fatal("the file changed")
			}
		})
	}
	t.Run("newer schema", func(t *testing.T) {
		before := fileHash(t, newer)
		_, err := Open(newer)
		var ns *ErrNewerSchema
		if !errors.As(err, &ns) || ns.Have != 99 || ns.Known != len(migrations) {
			t.Fatalf("got %v, want ErrNewerSchema 99/%d", err, len(migrations))
		}
		if fileHash(t, newer) != before {
			t.Fatal("the file changed")
		}
	})
}

// canWrite reports whether files can really be created in dir: as root,
// mode bits do not stop writes, so the test checks rather than assumes.
func canWrite(dir string) bool {
	f, err := os.CreateTemp(dir, "probe")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

func TestOpenReadOnlyDirectory(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "fb.db")
	db, err := Open(existing)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// A second database whose file is writable but whose directory is not:
	// WAL needs to create files beside it.
	writable := filepath.Join(dir, "writable.db")
	if db, err = Open(writable); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := fileHash(t, existing)
	beforeWritable := fileHash(t, writable)
	os.Chmod(existing, 0o444)
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)

	fresh := filepath.Join(dir, "new.db")
	if !canWrite(dir) {
		for _, p := range []string{fresh, existing, writable} {
			if db, err := Open(p); !errors.Is(err, ErrReadOnly) {
				if db != nil {
					db.Close()
				}
				t.Errorf("%s: got %v, want ErrReadOnly", filepath.Base(p), err)
			}
		}
		if fileHash(t, existing) != before || fileHash(t, writable) != beforeWritable {
			t.Error("a file changed")
		}
		return
	}
	// Running as root: the directory is writable after all, and the right
	// behaviour is to open normally rather than to claim otherwise.
	t.Log("directory still writable (running as root); checking that Open works instead")
	db, err = Open(fresh)
	if err != nil {
		t.Fatalf("writable directory: %v", err)
	}
	db.Close()
}

func TestClassifyReadOnly(t *testing.T) {
	// The mapping of system errors, which the root-run test above cannot
	// reach for real.
	err := fileError("/x/fb.db", os.ErrPermission)
	if !errors.Is(err, ErrReadOnly) {
		t.Errorf("permission denied: %v", err)
	}
	if err := fileError("/x/fb.db", os.ErrNotExist); !errors.Is(err, ErrNoDirectory) {
		t.Errorf("not exist: %v", err)
	}
}

func TestDefaultPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		goos string
		env  map[string]string
		want string
	}{
		{"linux", map[string]string{"FIELDBENCH_DB": "/data/x.db", "HOME": "/home/a"}, "/data/x.db"},
		{"linux", map[string]string{"XDG_DATA_HOME": "/xdg", "HOME": "/home/a"}, filepath.Join("/xdg", "fieldbench", "fieldbench.db")},
		{"linux", map[string]string{"XDG_DATA_HOME": "rel", "HOME": "/home/a"}, filepath.Join("/home/a", ".local", "share", "fieldbench", "fieldbench.db")},
		{"linux", map[string]string{"HOME": "/home/a"}, filepath.Join("/home/a", ".local", "share", "fieldbench", "fieldbench.db")},
		{"darwin", map[string]string{"HOME": "/Users/a"}, filepath.Join("/Users/a", "Library", "Application Support", "fieldbench", "fieldbench.db")},
		{"windows", map[string]string{"AppData": `C:\Users\a\AppData\Roaming`}, filepath.Join(`C:\Users\a\AppData\Roaming`, "fieldbench", "fieldbench.db")},
		{"linux", map[string]string{}, ""},
		{"windows", map[string]string{"HOME": "/home/a"}, ""},
	}
	for _, tt := range tests {
		got, err := defaultPath(tt.goos, env(tt.env))
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("%s %v: got %q, %v; want %q", tt.goos, tt.env, got, err, tt.want)
		}
	}
	if p, err := DefaultPath(env(map[string]string{"FIELDBENCH_DB": "x.db"})); p != "x.db" || err != nil {
		t.Errorf("DefaultPath: %q %v", p, err)
	}
}

func TestMigrationsRunOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	for i := 0; i < 2; i++ {
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var v, app int
		db.sql.QueryRow(`PRAGMA user_version`).Scan(&v)
		db.sql.QueryRow(`PRAGMA application_id`).Scan(&app)
		if v != len(migrations) || app != applicationID {
			t.Errorf("user_version %d application_id %#x", v, app)
		}
		db.Close()
	}
}

// A first run killed after SQLite wrote the WAL header but before the
// schema committed leaves a bare SQLite file: it is ours to initialise.
func TestOpenBareSQLiteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bare.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA journal_mode = WAL`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatalf("bare SQLite file: %v", err)
	}
	db.Close()
}

func TestOpenAwkwardPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "数据 目录 #1?x=y%20")
	path := filepath.Join(dir, "田野 数据.db")
	db, err := Open(path, CreateDir())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not where asked: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "田野 数据.db" && e.Name() != "田野 数据.key" {
			t.Errorf("stray file %q", e.Name())
		}
	}
}
