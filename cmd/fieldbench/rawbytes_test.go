package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"net"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/piitest"
)

// rawHouseholds is how many generated households go through a laptop and
// a catalogue: 40,000 resident IDs and 20,000 mobile numbers, half of
// these typed into free text in the spellings people use.
const rawHouseholds = 10000

// TestNoClearNumberInAnyFile is issue 18's proof. Generated households
// with valid ID and mobile numbers are imported on a laptop, backed up and
// synced to a real `serve`; then every byte of every file fieldbench wrote
// (the laptop's database with its WAL, its backup, the catalogue's SQLite
// file with its WAL or a pg_dump of its PostgreSQL database, the server's
// log) is read for any number that passes the ID check and for any of the
// generated numbers, with the characters between digits removed: none may
// be there. The control: the households given to the import, and the
// clear exports of laptop and catalogue (which decrypt), hold every one,
// so the scan is able to find them.
func TestNoClearNumberInAnyFile(t *testing.T) {
	t.Parallel()
	records, ids, typed := piitest.HouseholdsWithNumbers(t, rawHouseholds)
	generated := make(map[string]bool, len(ids))
	for _, id := range ids {
		generated[id] = true
	}
	secret := maps.Clone(generated)
	for _, n := range typed {
		secret[n] = true
	}
	bin := buildBinary(t)

	eachBackend(t, func(t *testing.T, where []string) {
		dir := t.TempDir()
		laptopDir := filepath.Join(dir, "laptop")
		if err := os.Mkdir(laptopDir, 0o700); err != nil {
			t.Fatal(err)
		}
		db := filepath.Join(laptopDir, "fieldbench.db")
		in := filepath.Join(dir, "households.jsonl")
		if err := os.WriteFile(in, bytes.Join(records, []byte("\n")), 0o600); err != nil {
			t.Fatal(err)
		}
		// The control, first: the input holds every number.
		if found := piitest.NumbersIn(readFile(t, in), secret); len(found) != len(secret) {
			t.Fatalf("the generated households hold %d of the %d numbers", len(found), len(secret))
		}

		publishHousehold(t, bin, where)
		logPath := filepath.Join(dir, "serve.log")
		url := serveLogged(t, bin, where, logPath)
		code := deviceCodes(t, where, "110105", 1)[0]
		if c, out, errs := run(t, "", "enrol", "--db", db, url, code); c != 0 {
			t.Fatalf("enrol: %d %s%s", c, out, errs)
		}
		if c, out, errs := run(t, "", "--sync", "--db", db); c != 0 { // brings the published form
			t.Fatalf("first sync: %d %s%s", c, out, errs)
		}
		if c, out, errs := run(t, "", "import", "--db", db, "--form", "household_visit", in); c != 0 || !strings.Contains(out, fmt.Sprintf("%d stored", rawHouseholds)) {
			t.Fatalf("import: %d %s%s", c, out, errs)
		}
		backup := filepath.Join(dir, "backup.db")
		if c, out, errs := run(t, "", "backup", "--db", db, backup); c != 0 {
			t.Fatalf("backup: %d %s%s", c, out, errs)
		}
		if c, out, errs := run(t, "", "--sync", "--db", db); c != 0 {
			t.Fatalf("sync: %d %s%s", c, out, errs)
		}

		files := map[string][]byte{"backup": readFile(t, backup), "server log": readFile(t, logPath)}
		readTree(t, laptopDir, "laptop", files)
		if where[0] == "--postgres" {
			files["pg_dump"] = pgDump(t, where[1])
		} else {
			readTree(t, where[1], "catalogue", files)
		}
		names := make([]string, 0, len(files))
		for name := range files {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			data := files[name]
			if found := plausibleIDs(piitest.ClearIDs(data, generated), generated); len(found) > 0 {
				t.Errorf("%s (%d bytes) holds %d numbers passing the ID check, such as %s", name, len(data), len(found), found[0])
			}
			if found := piitest.NumbersIn(data, secret); len(found) > 0 {
				t.Errorf("%s (%d bytes) holds %d of the generated numbers, such as %s", name, len(data), len(found), found[0])
			}
		}

		// The control, last: decrypting exports give every number back.
		c, out, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl")
		if c != 0 {
			t.Fatalf("laptop export: %d %s", c, errs)
		}
		if found := piitest.NumbersIn([]byte(out), secret); len(found) != len(secret) {
			t.Errorf("the laptop's clear export shows %d of the %d numbers", len(found), len(secret))
		}
		clear := filepath.Join(dir, "catalogue.jsonl")
		if c, out, errs := run(t, "", append([]string{"catalogue", "export", "--form", "household_visit", "--format", "jsonl", "--out", clear}, where...)...); c != 0 {
			t.Fatalf("catalogue export: %d %s%s", c, out, errs)
		}
		if found := piitest.NumbersIn(readFile(t, clear), secret); len(found) != len(secret) {
			t.Errorf("the catalogue's clear export shows %d of the %d numbers", len(found), len(secret))
		}
	})
}

// readTree reads every regular file under root into files, named by
// label and the path below root.
func readTree(t *testing.T, root, label string, files map[string][]byte) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		files[label+" "+rel] = readFile(t, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// serveLogged runs `fieldbench serve` with its log (standard error) in a
// file, stopped when the test ends; it returns the server's URL.
func serveLogged(t *testing.T, bin string, where []string, logPath string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, where...)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait(); logFile.Close() })
	for range 250 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("fieldbench serve did not start")
	return ""
}

// pgDump is pg_dump's plain SQL of the database dsn names, from the
// PostgreSQL installation's own bin directory when it is not on PATH.
func pgDump(t *testing.T, dsn string) []byte {
	t.Helper()
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
		if len(found) == 0 {
			t.Fatal("pg_dump is on neither PATH nor /usr/lib/postgresql/*/bin: it comes with PostgreSQL, which this test runs against")
		}
		sort.Strings(found)
		bin = found[len(found)-1]
	}
	// The tests' catalogues are schemas of one database, named by the
	// DSN's search_path, which pg_dump takes as --schema instead.
	u, err := neturl.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	args := []string{}
	if schema := q.Get("search_path"); schema != "" {
		args = append(args, "--schema", schema)
		q.Del("search_path")
		u.RawQuery = q.Encode()
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, append(args, "--dbname", u.String())...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, stderr.Bytes())
	}
	return out
}

// plausibleIDs keeps of found (18 characters passing the ID check) the
// generated numbers and those that could be a person's: a province's code
// and a birth date. A database file stores fields side by side, and the
// digits of a form version, a township code and a year run together into
// 18 digits that pass the check one time in eleven; no person has them.
func plausibleIDs(found []string, generated map[string]bool) []string {
	var out []string
	for _, id := range found {
		if generated[id] || plausibleID(id) {
			out = append(out, id)
		}
	}
	return out
}

func plausibleID(id string) bool {
	province := id[:2]
	if !strings.Contains(" 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 ", " "+province+" ") {
		return false
	}
	born, err := time.Parse("20060102", id[6:14])
	return err == nil && born.Year() >= 1900 && born.Year() <= 2100
}
