package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/storetest"
)

// TestDraftsWhileImporting runs a real import process and, at the same
// time in this process, saves drafts answer by answer as the data-entry
// screen does: both must succeed, and no "database is locked" may reach
// either.
func TestDraftsWhileImporting(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "fb.db")
	if out, err := exec.Command(bin, "forms", "add", "--db", dbPath, household).CombinedOutput(); err != nil {
		t.Fatalf("forms add: %v\n%s", err, out)
	}
	lines := storetest.HouseholdLines(t, 10000)
	input := filepath.Join(dir, "households.jsonl")
	os.WriteFile(input, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644)

	var importErr bytes.Buffer
	imp := exec.Command(bin, "import", "--db", dbPath, "--form", "household_visit", input)
	imp.Stderr = &importErr
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- imp.Wait() }()

	ctx := context.Background()
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	form, err := db.Form(ctx, "household_visit", samples.HouseholdVisitVersion)
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.NewDraft(ctx, "household_visit", samples.HouseholdVisitVersion)
	if err != nil {
		t.Fatal(err)
	}
	in := form.NewInstance(forms.Options{Defaults: true})
	saves, overlapped := 0, 0
	var slowest time.Duration
	var importResult error
	// Save drafts for as long as the import runs (and at least 20 times).
	for running := true; running || saves < 20; saves++ {
		select {
		case importResult = <-done:
			running = false
		default:
			overlapped++
		}
		old, _, _ := in.Value("village")
		val := "村" + strings.Repeat("一", saves%9+1)
		in.Set("village", val)
		data, _ := in.MarshalJSON()
		start := time.Now()
		if err := db.SaveDraft(ctx, id, data, &store.AnswerChange{Path: "village", Old: old, New: val}); err != nil {
			t.Fatalf("draft save %d while importing: %v", saves, err)
		}
		slowest = max(slowest, time.Since(start))
		time.Sleep(5 * time.Millisecond)
	}
	err = importResult
	if code := exitCode(err); code != 0 {
		t.Fatalf("import exited %d: %s", code, importErr.String())
	}
	if strings.Contains(importErr.String(), "locked") {
		t.Fatalf("the import saw a lock error: %s", importErr.String())
	}
	if overlapped < 5 {
		t.Fatalf("only %d draft saves ran while the import did: the test did not overlap the two", overlapped)
	}
	recs, _ := db.Records(ctx, store.Filter{State: store.Finalized})
	if len(recs) != 10000 {
		t.Fatalf("%d records imported, want 10000", len(recs))
	}
	if n, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil {
		t.Fatalf("audit: %d, %v, %v", n, problem, err)
	}
	t.Logf("%d draft saves (%d during the import), slowest %v", saves, overlapped, slowest.Round(time.Millisecond))
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}
