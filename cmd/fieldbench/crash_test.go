package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store/ingest"
	"github.com/fieldbench/fieldbench/store/storetest"
)

// TestImportSurvivesSIGKILL kills a real import at random moments, six
// times, and checks after each kill that the database is intact and that
// every record reported accepted is stored exactly once; then a full run
// completes with every record present once.
func TestImportSurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	// A kill lands somewhere before the last batch, so even -short needs
	// more than one batch of records.
	n := 20000
	if testing.Short() {
		n = ingest.BatchSize + 3000
		t.Logf("-short: %d records instead of 20,000", n)
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "fb.db")
	if out, err := exec.Command(bin, "forms", "add", "--db", db, household).CombinedOutput(); err != nil {
		t.Fatalf("forms add: %v\n%s", err, out)
	}
	lines := storetest.HouseholdLines(t, n)
	input := filepath.Join(dir, "households.jsonl")
	os.WriteFile(input, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644)
	keyOf := func(line int) string {
		return ingest.Key("household_visit", samples.HouseholdVisitVersion, lines[line-1])
	}

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for kill := 1; kill <= 6; kill++ {
		report := filepath.Join(dir, fmt.Sprintf("report%d.jsonl", kill))
		out, _ := os.Create(report)
		cmd := exec.Command(bin, "import", "--db", db, "--form", "household_visit", "--report", "json", input)
		cmd.Stdout = out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill mid-run: once the report has passed a random line, after a
		// random pause, so the kill lands inside the work of a batch. The
		// report grows a batch at a time, so the line is before the last.
		target := 500 + rng.Intn(n-ingest.BatchSize-1000)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		start := time.Now()
		exited := false
		var lines lineCounter
	wait:
		for {
			select {
			case <-done:
				exited = true
				break wait
			case <-time.After(5 * time.Millisecond):
				if lines.count(report) >= target {
					time.Sleep(time.Duration(rng.Intn(50)) * time.Millisecond)
					break wait
				}
			}
		}
		if exited {
			t.Fatalf("kill %d: the import finished before the kill; the test no longer kills mid-run", kill)
		}
		after := time.Since(start)
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		out.Close()

		accepted := reportedAccepted(t, report)
		conn := openRaw(t, db)
		var ok string
		conn.QueryRow(`PRAGMA integrity_check`).Scan(&ok)
		if ok != "ok" {
			t.Fatalf("kill %d after %v: integrity_check = %q", kill, after, ok)
		}
		// How often each import key is stored, read in one query rather
		// than one a reported line (thousands a kill).
		stored := map[string]int{}
		rows, err := conn.Query(`SELECT import_key, count(*) FROM records GROUP BY import_key`)
		if err != nil {
			t.Fatalf("kill %d: %v", kill, err)
		}
		for rows.Next() {
			var key []byte
			var count int
			if err := rows.Scan(&key, &count); err != nil {
				t.Fatalf("kill %d: %v", kill, err)
			}
			stored[string(key)] = count
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("kill %d: %v", kill, err)
		}
		rows.Close()
		for _, line := range accepted {
			if count := stored[keyOf(line)]; count != 1 {
				t.Fatalf("kill %d after %v: line %d was reported accepted but is stored %d times", kill, after, line, count)
			}
		}
		var total int
		conn.QueryRow(`SELECT count(*) FROM records`).Scan(&total)
		conn.Close()
		t.Logf("kill %d after %v (report past line %d): %d reported accepted in this run, %d records stored in all",
			kill, after.Round(time.Millisecond), target, len(accepted), total)
	}

	// The rerun to completion stores the rest, and nothing twice.
	if out, err := exec.Command(bin, "import", "--db", db, "--form", "household_visit", input).CombinedOutput(); err != nil {
		t.Fatalf("final import: %v\n%s", err, out)
	}
	conn := openRaw(t, db)
	defer conn.Close()
	var total, distinct int
	conn.QueryRow(`SELECT count(*), count(DISTINCT import_key) FROM records`).Scan(&total, &distinct)
	if total != n || distinct != n {
		t.Fatalf("after the final run: %d records, %d distinct keys, want %d", total, distinct, n)
	}
	if out, err := inEnglish(exec.Command(bin, "audit", "verify", "--db", db)).CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "ok (") {
		t.Fatalf("audit verify after the kills: %v %s", err, out)
	}
}

// lineCounter counts the complete lines written to a growing file so
// far, reading only what was added since its last count: the file grows
// to megabytes and is looked at every few milliseconds.
type lineCounter struct {
	offset int64
	lines  int
}

func (c *lineCounter) count(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return c.lines
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := f.ReadAt(buf, c.offset)
		c.offset += int64(n)
		c.lines += bytes.Count(buf[:n], []byte("\n"))
		if err != nil || n == 0 {
			return c.lines
		}
	}
}

// reportedAccepted lists the lines a killed import reported accepted,
// ignoring a last line cut off by the kill.
func reportedAccepted(t *testing.T, path string) []int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r reportLine
		if json.Unmarshal(sc.Bytes(), &r) != nil {
			continue // the line the kill cut short
		}
		if r.Status == "accepted" {
			lines = append(lines, r.Line)
		}
	}
	return lines
}

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}
