// Package storetest builds laptop databases for tests that need many of
// them at once: the sync tests of sync/laptop and the process-level tests
// of cmd/fieldbench (fifty laptops syncing at once, two servers behind one
// address). It stops short of enrolling them: that is sync/laptop's, which
// this package cannot import (sync/laptop's own tests use it).
package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
)

// The household sample's form, as its records are stored.
const (
	HouseholdForm    = "household_visit"
	HouseholdVersion = samples.HouseholdVisitVersion
)

// HouseholdLines makes n distinct valid household records from the first
// line of the sample answers (testdata/forms/household_visit.jsonl),
// varying the head's name and the village.
func HouseholdLines(tb testing.TB, n int) [][]byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(piitest.ModuleRoot(tb), "testdata", "forms", "household_visit.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	var base map[string]any
	if err := json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &base); err != nil {
		tb.Fatal(err)
	}
	lines := make([][]byte, n)
	for i := range lines {
		base["head_name"] = fmt.Sprintf("户主%05d", i)
		base["village"] = fmt.Sprintf("第%d村", i%97)
		lines[i], _ = json.Marshal(base)
	}
	return lines
}

// Laptops makes n laptop databases in dir, each with the household sample
// registered and one finalized record of each of lines, not enrolled, and
// returns them open; they are closed when the test ends. Each has its own
// device id and record ids. They are built a few at a time: storing 2,000
// records in one keeps a core busy.
func Laptops(tb testing.TB, dir string, n int, lines [][]byte) []*store.DB {
	tb.Helper()
	ctx := context.Background()
	def, err := samples.FS.ReadFile("household_visit.xlsx")
	if err != nil {
		tb.Fatal(err)
	}
	dbs := make([]*store.DB, n)
	build := func(k int) error {
		db, err := store.Open(filepath.Join(dir, fmt.Sprintf("laptop%d.db", k)))
		if err != nil {
			return err
		}
		dbs[k] = db
		if _, err := db.AddForm(ctx, "household_visit.xlsx", def); err != nil {
			return err
		}
		items := make([]store.ImportItem, len(lines))
		for i, l := range lines {
			items[i] = store.ImportItem{FormID: HouseholdForm, Version: HouseholdVersion, Data: l}
		}
		_, err = db.InsertFinalizedBatch(ctx, items)
		return err
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	busy := make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	for k := range dbs {
		wg.Add(1)
		busy <- struct{}{}
		go func() { errs[k] = build(k); <-busy; wg.Done() }()
	}
	wg.Wait()
	for _, db := range dbs {
		if db != nil {
			tb.Cleanup(func() { db.Close() })
		}
	}
	for k, err := range errs {
		if err != nil {
			tb.Fatalf("laptop %d: %v", k, err)
		}
	}
	return dbs
}

// Closed closes dbs and returns their files: closing the last connection
// checkpoints a database's log into its main file and removes the log, so
// each file is then the whole database, ready for Copies.
func Closed(tb testing.TB, dbs []*store.DB) []string {
	tb.Helper()
	paths := make([]string, len(dbs))
	for k, db := range dbs {
		if err := db.Close(); err != nil {
			tb.Fatal(err)
		}
		paths[k] = db.Path()
	}
	return paths
}

// Copies copies the closed databases at paths into dir and returns the
// copies open; they are closed when the test ends. A copy keeps the
// device id and record ids of its original, so copies of one laptop must
// never be enrolled with the same catalogue, which would take them for
// one device: they are for running one test against two catalogues.
func Copies(tb testing.TB, paths []string, dir string) []*store.DB {
	tb.Helper()
	dbs := make([]*store.DB, len(paths))
	for k, path := range paths {
		to := filepath.Join(dir, filepath.Base(path))
		if err := copyFile(path, to); err != nil {
			tb.Fatal(err)
		}
		// The copy's personal data opens with the original's key file.
		if err := copyFile(store.KeyFilePath(path), store.KeyFilePath(to)); err != nil {
			tb.Fatal(err)
		}
		db, err := store.Open(to)
		if err != nil {
			tb.Fatal(err)
		}
		dbs[k] = db
		tb.Cleanup(func() { db.Close() })
	}
	return dbs
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
