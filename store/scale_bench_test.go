package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/samples"
)

// householdRecord is the first sample household record, as stored.
func householdRecord(b *testing.B) []byte {
	data, err := os.ReadFile("../testdata/forms/household_visit.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	return []byte(strings.SplitN(string(data), "\n", 2)[0])
}

// fillDB stores n finalized household records and a few drafts.
func fillDB(b *testing.B, path string, n int) {
	ctx := context.Background()
	db, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	form, _ := os.ReadFile("../forms/samples/household_visit.xlsx")
	if _, err := db.AddForm(ctx, "household_visit.xlsx", form); err != nil {
		b.Fatal(err)
	}
	rec := householdRecord(b)
	const batch = 10000
	for i := 0; i < n; i += batch {
		items := make([]ImportItem, 0, batch)
		for j := i; j < i+batch && j < n; j++ {
			items = append(items, ImportItem{FormID: "household_visit", Version: samples.HouseholdVisitVersion,
				Key: fmt.Sprint("k", j), Data: rec, InstanceName: fmt.Sprint("户主", j)})
		}
		if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		if _, err := db.NewDraft(ctx, "household_visit", samples.HouseholdVisitVersion); err != nil {
			b.Fatal(err)
		}
	}
	db.sql.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
}

// BenchmarkOpenListDrafts opens a database of 1,000,000 records and lists
// the drafts, as the home screen does at start-up. Target: under 50 ms.
// Building the database takes about a minute; set FIELDBENCH_SCALE_DB to
// a path to keep it between runs.
func BenchmarkOpenListDrafts(b *testing.B) {
	path := os.Getenv("FIELDBENCH_SCALE_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "million.db")
	}
	if _, err := os.Stat(path); err != nil {
		fillDB(b, path, 1_000_000)
	}
	ctx := context.Background()
	var worst time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		db, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		drafts, err := db.Drafts(ctx)
		if err != nil || len(drafts) != 5 {
			b.Fatalf("drafts %d, %v", len(drafts), err)
		}
		db.Close()
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}

// BenchmarkBytesPerRecord reports the database's size per stored household
// record (record, version, audit row and indexes), after a checkpoint.
func BenchmarkBytesPerRecord(b *testing.B) {
	const n = 20000
	for i := 0; i < b.N; i++ {
		path := filepath.Join(b.TempDir(), "size.db")
		fillDB(b, path, n)
		empty := filepath.Join(b.TempDir(), "empty.db")
		fillDB(b, empty, 0)
		full, _ := os.Stat(path)
		base, _ := os.Stat(empty)
		b.ReportMetric(float64(full.Size()-base.Size())/n, "bytes/record")
		b.ReportMetric(float64(len(householdRecord(b))), "json-bytes/record")
	}
}
