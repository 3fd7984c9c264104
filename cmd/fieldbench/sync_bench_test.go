package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/fieldbench/fieldbench/store/storetest"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/laptop"
)

// BenchmarkSync100k imports 100,000 household records into a laptop
// database with fieldbench import, then syncs them over loopback to a
// catalogue (SQLite, then PostgreSQL), and reports both rates and their
// ratio. Run with
//
//	go test ./cmd/fieldbench -run NONE -bench Sync100k -benchtime 1x
//
// and FIELDBENCH_SYNC_CPUPROFILE=FILE for a CPU profile of the syncs.
// The -nokey runs sync to a catalogue without a key: nothing is sealed on
// the wire or at the catalogue, which is what sealing costs against.
func BenchmarkSync100k(b *testing.B) {
	for _, be := range []string{"sqlite", "postgres"} {
		b.Run(be, func(b *testing.B) { benchmarkSync(b, be, true) })
		b.Run(be+"-nokey", func(b *testing.B) { benchmarkSync(b, be, false) })
	}
}

func benchmarkSync(b *testing.B, be string, keyed bool) {
	const n = 100000
	ctx := context.Background()
	lines := storetest.HouseholdLines(b, n)
	dir := b.TempDir()
	input := filepath.Join(dir, "households.jsonl")
	os.WriteFile(input, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644)
	app := &App{Stdin: bytes.NewReader(nil), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	var importTime, syncTime, syncCPU, pgCPU time.Duration
	var syncAlloc uint64
	var mem runtime.MemStats
	for i := 0; i < b.N; i++ {
		laptopPath := filepath.Join(dir, "fb.db")
		os.Remove(laptopPath)
		app.Run([]string{"forms", "add", "--db", laptopPath, household})
		start := time.Now()
		if code := app.Run([]string{"import", "--db", laptopPath, "--form", "household_visit", input}); code != 0 {
			b.Fatalf("import: exit %d", code)
		}
		importTime += time.Since(start)

		var cat *catalogue.DB
		var err error
		if be == "postgres" {
			cat, err = catalogue.OpenPostgres(ctx, pgtest.DSN(b))
		} else {
			cat, err = catalogue.OpenSQLite(b.TempDir())
		}
		if err != nil {
			b.Fatal(err)
		}
		// A catalogue with its key, as serve runs it: the laptop pins it
		// at enrolment and seals every batch to it.
		if keyed {
			ring, _, err := catalogue.LoadKeyFile(filepath.Join(b.TempDir(), catalogue.KeyFileName), nil, nil)
			if err == nil {
				err = cat.UseKeys(ctx, ring)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		def, _ := samples.FS.ReadFile("household_visit.xlsx")
		cat.Publish(ctx, "household_visit.xlsx", def, []string{"110105"})
		code, _ := cat.AddDevice(ctx, "110105")
		server := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition}).Handler())
		laptopDB, err := store.Open(laptopPath)
		if err != nil {
			b.Fatal(err)
		}
		client := &laptop.Client{BaseURL: server.URL}
		if _, err := laptop.Enrol(ctx, laptopDB, client, code); err != nil {
			b.Fatal(err)
		}
		client.Token, _ = laptopDB.Setting(ctx, laptop.SettingToken)
		// The import's garbage is not the sync's to collect.
		runtime.GC()
		runtime.ReadMemStats(&mem)
		alloc0 := mem.TotalAlloc
		start = time.Now()
		cpu0, pg0 := processCPU(), pgtest.ServerCPU()
		stopProfile := profileSync(b)
		sum, err := laptop.Run(ctx, laptopDB, client, nil)
		stopProfile()
		syncTime += time.Since(start)
		syncCPU += processCPU() - cpu0
		pgCPU += pgtest.ServerCPU() - pg0
		runtime.ReadMemStats(&mem)
		syncAlloc += mem.TotalAlloc - alloc0
		if err != nil || sum.Sent != n {
			b.Fatalf("sync: %+v %v", sum, err)
		}
		laptopDB.Close()
		server.Close()
		cat.Close()
	}
	rate := func(d time.Duration) float64 { return float64(n) * float64(b.N) / d.Seconds() }
	b.ReportMetric(rate(syncTime), "sync-records/s")
	b.ReportMetric(rate(importTime), "import-records/s")
	b.ReportMetric(rate(syncTime)/rate(importTime), "sync/import")
	// The laptop's and the server's CPU together (PostgreSQL's own is not
	// in it): steadier than the rate on a busy machine, for comparing.
	b.ReportMetric(float64(syncCPU.Microseconds())/float64(n*b.N), "cpu-µs/record")
	if be == "postgres" && pgCPU > 0 {
		// PostgreSQL's own, when it runs on this machine.
		b.ReportMetric(float64(pgCPU.Microseconds())/float64(n*b.N), "pg-cpu-µs/record")
	}
	// Bytes allocated on the heap, laptop and server together: what the
	// garbage collector's share of the CPU follows, and steadier still.
	b.ReportMetric(float64(syncAlloc)/float64(n*b.N), "alloc-B/record")
}

// profileSync starts a CPU profile of the sync alone, without the import
// and the set-up around it, when FIELDBENCH_SYNC_CPUPROFILE names a file
// (the sub-benchmark's name is added to it); it returns what stops it.
func profileSync(b *testing.B) func() {
	path := os.Getenv("FIELDBENCH_SYNC_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path + "." + filepath.Base(b.Name()))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
