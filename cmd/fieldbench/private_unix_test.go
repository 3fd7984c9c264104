//go:build unix

package main

import (
	"bytes"
	"context"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// runIn runs a command line in-process with the environment given (LANG
// en unless set).
func runIn(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "LANG" {
			return "en_US.UTF-8"
		}
		return ""
	}}
	code := app.Run(args)
	return code, out.String(), errb.String()
}

// commonUmask runs the test as most systems start a process (022: files
// 0644, directories 0755), so every private mode has to come from
// fieldbench itself, not from a strict umask that happens to be set.
func commonUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

// requirePrivate walks root and requires every directory below it to be
// 0700 and every file 0600.
func requirePrivate(t *testing.T, root string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if p == root {
			return nil
		}
		st, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := fs.FileMode(0o600)
		if st.IsDir() {
			want = 0o700
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %04o, want %04o", p, st.Mode().Perm(), want)
		}
		n++
		return nil
	})
	return n
}

// Hole 4: every file the laptop commands write (the database in the
// default place and under --db, its WAL and shared memory, exports in
// every format, a backup) is 0600 and every directory they make 0700.
func TestLaptopFilesArePrivate(t *testing.T) {
	commonUmask(t)
	root := t.TempDir()
	env := map[string]string{"XDG_DATA_HOME": filepath.Join(root, "xdg")}
	own := filepath.Join(root, "own", "fb.db")
	for _, db := range [][]string{nil, {"--db", own}} {
		must := func(args ...string) {
			t.Helper()
			if code, out, errs := runIn(t, env, append(args, db...)...); code != 0 {
				t.Fatalf("%v: %d\n%s%s", args, code, out, errs)
			}
		}
		must("forms", "add", household)
		runIn(t, env, append([]string{"import", "--form", "household_visit", "../../testdata/forms/household_visit.jsonl"}, db...)...)
		tag := "default"
		if db != nil {
			tag = "own"
		}
		out := filepath.Join(root, "out-"+tag)
		must("export", "--form", "household_visit", "--format", "csv", "--out", filepath.Join(out, "csv"))
		must("export", "--form", "household_visit", "--format", "xlsx", "--out", filepath.Join(root, tag+".xlsx"))
		must("export", "--form", "household_visit", "--format", "jsonl", "--out", filepath.Join(root, tag+".jsonl"))
		must("backup", filepath.Join(root, tag+"-backup.db"))
	}
	// The WAL and shared-memory files exist while the database is open.
	for _, path := range []string{own, filepath.Join(root, "xdg", "fieldbench", "fieldbench.db")} {
		db, err := store.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetSetting(context.Background(), "x", "y"); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{path + "-wal", path + "-shm"} {
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%s: %v", p, err)
			}
		}
		requirePrivate(t, root)
		db.Close()
	}
	if n := requirePrivate(t, root); n < 12 {
		t.Errorf("only %d files and directories checked", n)
	}
}

// Hole 4 on the catalogue: its directory (--data and the default one),
// catalogue.db with its WAL and shared memory, catalogue exports and
// downloads, on each backend.
func TestCatalogueFilesArePrivate(t *testing.T) {
	commonUmask(t)
	root := t.TempDir()
	env := map[string]string{"XDG_DATA_HOME": filepath.Join(root, "xdg")}
	if code, out, errs := runIn(t, env, "catalogue", "records"); code != 0 {
		t.Fatalf("default catalogue: %d %s%s", code, out, errs)
	}
	eachBackend(t, func(t *testing.T, where []string) {
		ctx := context.Background()
		if where[0] == "--data" {
			// Beside the other files, so the walk below covers it.
			where = []string{"--data", filepath.Join(root, "data-"+filepath.Base(filepath.Dir(where[1])))}
		}
		if code, out, errs := runIn(t, env, append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...); code != 0 {
			t.Fatalf("publish: %d %s%s", code, out, errs)
		}
		cat := openCatalogueAt(t, where)
		useKeyFile(t, cat, where) // as serve would, and as the export commands below do
		records, _ := piitest.Households(t, 3)
		storeHouseholds(t, cat, records)
		_, token, _ := cat.AddUser(ctx, "审核", wire.RoleReviewer, "110105", true)
		srv := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition, Exports: cat}).Handler())
		defer srv.Close()
		out := t.TempDir()
		for _, args := range [][]string{
			append([]string{"catalogue", "export", "--form", "household_visit", "--format", "csv", "--out", filepath.Join(out, "export", "csv")}, where...),
			append([]string{"catalogue", "export", "--form", "household_visit", "--format", "jsonl", "--out", filepath.Join(out, "export.jsonl")}, where...),
			{"download", "--url", srv.URL, "--token", token, "--form", "household_visit", "--format", "csv", "--out", filepath.Join(out, "download", "csv")},
			{"download", "--url", srv.URL, "--token", token, "--form", "household_visit", "--format", "jsonl", "--out", filepath.Join(out, "download.jsonl")},
		} {
			if code, stdout, errs := runIn(t, env, args...); code != 0 {
				t.Fatalf("%v: %d %s%s", args, code, stdout, errs)
			}
		}
		if n := requirePrivate(t, out); n != 10 {
			t.Errorf("%d files and directories written, want 10 (two CSV directories, each in its own, with two files; two JSONL files)", n)
		}
		if where[0] == "--data" {
			// Open, with a write done: the WAL and shared memory exist.
			if _, _, err := cat.AddUser(ctx, "读者", wire.RoleReader, "110105", false); err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{"catalogue.db-wal", "catalogue.db-shm"} {
				if _, err := os.Stat(filepath.Join(where[1], p)); err != nil {
					t.Errorf("%s: %v", p, err)
				}
			}
		}
		requirePrivate(t, root)
	})
	if _, err := os.Stat(filepath.Join(root, "xdg", "fieldbench-catalogue", "catalogue.db")); err != nil {
		t.Fatal(err)
	}
}

// Files made by an older fieldbench (or copied in) keep their modes, and
// every command says which are open to others and how to close them.
func TestWarnsOfExposedFiles(t *testing.T) {
	root := t.TempDir()
	env := map[string]string{"XDG_DATA_HOME": filepath.Join(root, "xdg")}
	db := filepath.Join(root, "fb.db")
	runIn(t, env, "forms", "add", "--db", db, household)
	runIn(t, env, "forms", "add", household)
	data := filepath.Join(root, "catalogue")
	runIn(t, env, "catalogue", "records", "--data", data)
	for _, args := range [][]string{{"records", "list", "--db", db}, {"records", "list"}, {"catalogue", "records", "--data", data}} {
		if _, _, errs := runIn(t, env, args...); strings.Contains(errs, "warning") {
			t.Errorf("%v: a warning for private files: %s", args, errs)
		}
	}

	defaultDir := filepath.Join(root, "xdg", "fieldbench")
	for _, c := range []struct {
		path string
		mode fs.FileMode
		args []string
		want string
	}{
		{db, 0o644, []string{"records", "list", "--db", db}, "chmod 600 " + db},
		{defaultDir, 0o755, []string{"records", "list"}, "chmod 700 " + defaultDir},
		{filepath.Join(defaultDir, "fieldbench.db"), 0o640, []string{"audit", "verify"}, "(mode 0640)"},
		{data, 0o755, []string{"catalogue", "records", "--data", data}, "chmod 700 " + data},
		{filepath.Join(data, "catalogue.db"), 0o604, []string{"catalogue", "records", "--data", data}, "chmod 600 " + filepath.Join(data, "catalogue.db")},
	} {
		if err := os.Chmod(c.path, c.mode); err != nil {
			t.Fatal(err)
		}
		_, _, errs := runIn(t, env, c.args...)
		if !strings.Contains(errs, "warning: "+c.path+" can be read by other users of this computer") || !strings.Contains(errs, c.want) {
			t.Errorf("%s at %04o: %q does not warn with %q", c.path, c.mode, errs, c.want)
		}
		st, _ := os.Stat(c.path)
		if st.Mode().Perm() != c.mode {
			t.Errorf("%s: mode changed to %04o", c.path, st.Mode().Perm())
		}
	}
	// A directory named by --db is the person's: its mode is theirs.
	os.Chmod(db, 0o600)
	os.Chmod(root, 0o755)
	if _, _, errs := runIn(t, env, "records", "list", "--db", db); strings.Contains(errs, "warning") {
		t.Errorf("warned of the --db file's directory: %s", errs)
	}
}
