//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/fixture"
	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/xuri/excelize/v2"
)

// exportSpec is a catalogue of n household records of about 1 KB, with two
// to four members each, from two townships.
func exportSpec(t testing.TB, n int) fixture.Spec {
	house, err := fixture.Household()
	if err != nil {
		t.Fatal(err)
	}
	return fixture.Spec{Forms: []fixture.Form{house}, Townships: []string{"110105001", "110105002"}, Records: n, BatchSize: 500}
}

// exportFixtureVersion names the cached SQLite fixtures; change it when
// exportSpec or the fixture package changes what is generated.
const exportFixtureVersion = "export-v1"

// exportCatalogue is the --data or --postgres arguments of a catalogue of
// n household records. SQLite ones are kept in the system's temporary
// directory (never in the repository) when keep is set, since a million
// records take minutes to generate; PostgreSQL ones are built per test.
func exportCatalogue(t testing.TB, be string, n int, keep bool) []string {
	t.Helper()
	ctx := context.Background()
	if be == "postgres" {
		dsn := pgtest.DSN(t)
		if err := fixture.FillPostgres(ctx, dsn, exportSpec(t, n)); err != nil {
			t.Fatal(err)
		}
		return []string{"--postgres", dsn}
	}
	if !keep {
		dir := t.TempDir()
		if err := fixture.FillSQLite(ctx, dir, exportSpec(t, n)); err != nil {
			t.Fatal(err)
		}
		return []string{"--data", dir}
	}
	dir := filepath.Join(os.TempDir(), "fieldbench-bench", fmt.Sprintf("%s-%d", exportFixtureVersion, n))
	if _, err := os.Stat(filepath.Join(dir, catalogue.FileName)); err != nil {
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			t.Fatal(err)
		}
		tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".building-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		if err := fixture.FillSQLite(ctx, tmp, exportSpec(t, n)); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, dir); err != nil {
			t.Fatal(err)
		}
	}
	return []string{"--data", dir}
}

// exportCatalogues is exportCatalogue of each size, not kept, generated at
// once: a test's catalogues are built beside other tests, and only their
// exports are measured one at a time.
func exportCatalogues(t *testing.T, be string, sizes ...int) [][]string {
	t.Helper()
	where := make([][]string, len(sizes))
	for k := range sizes {
		if be == "postgres" {
			where[k] = []string{"--postgres", pgtest.DSN(t)}
		} else {
			where[k] = []string{"--data", t.TempDir()}
		}
	}
	errs := make([]error, len(sizes))
	var wg sync.WaitGroup
	for k, n := range sizes {
		spec := exportSpec(t, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if be == "postgres" {
				errs[k] = fixture.FillPostgres(context.Background(), where[k][1], spec)
			} else {
				errs[k] = fixture.FillSQLite(context.Background(), where[k][1], spec)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return where
}

// exportPeak runs `fieldbench catalogue export --format csv` (into a new
// directory) or `--format xlsx` (into a new workbook) of the household
// form and returns the process's peak
// resident memory in MB and how long it took; it checks that every record
// reached the main file or sheet.
//
// The peak is the kernel's VmHWM of the process, read from /proc while it
// runs: the rusage that wait returns will not do, since Linux carries
// into it the peak of the test process that started the child (vfork
// then exec), which here holds a fixture's rows.
func exportPeak(t testing.TB, bin, format string, where []string, records int) (float64, time.Duration) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "export")
	if format == "xlsx" {
		out += ".xlsx"
	}
	cmd := inEnglish(exec.Command(bin, append([]string{"catalogue", "export", "--form", "household_visit", "--format", format, "--out", out}, where...)...))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	began := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var kb float64
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	var err error
poll:
	for {
		if hwm := vmHWM(status); hwm > 0 {
			kb = hwm // it only grows; the last reading is the peak so far
		}
		select {
		case err = <-done:
			break poll
		case <-time.After(5 * time.Millisecond):
		}
	}
	took := time.Since(began)
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr.String())
	}
	if want := fmt.Sprintf("exported %d records", records); !bytes.Contains(stderr.Bytes(), []byte(want)) {
		t.Fatalf("export said %q, want %q", stderr.String(), want)
	}
	if lines := mainRows(t, format, out); lines != records+1 {
		t.Fatalf("the main level of the %s export has %d rows, want a header and %d records", format, lines, records)
	}
	os.RemoveAll(out) // a million records make a gigabyte of CSV
	if kb == 0 {
		t.Fatal("no reading of the export's memory")
	}
	return kb / 1024, took
}

// mainRows counts the rows of the main level of an export at out.
func mainRows(t testing.TB, format, out string) int {
	t.Helper()
	if format == "csv" {
		main, err := os.ReadFile(filepath.Join(out, "household_visit.csv"))
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Count(main, []byte("\n"))
	}
	book, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	rows, err := book.Rows("household_visit") // streams: a million rows are not held
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Error(); err != nil {
		t.Fatal(err)
	}
	return n
}

// vmHWM is the VmHWM line of a /proc status file in kB, 0 when it cannot
// be read (the process has ended).
func vmHWM(status string) float64 {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscan(v, &kb)
			return kb
		}
	}
	return 0
}

// The catalogue's CSV and XLSX exports stream: exporting six times the
// records takes no more memory to speak of. Were the export to hold the
// records (or anything per record) in memory, 60,000 records of about
// 1 KB would add some 60 MB to the first figure's 30 or so.
func TestCatalogueExportFlatMemory(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	const small, large = 10_000, 60_000
	for _, be := range []string{"sqlite", "postgres"} {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			where := exportCatalogues(t, be, small, large)
			few, many := where[0], where[1]
			measuring.Lock()
			defer measuring.Unlock()
			for _, format := range []string{"csv", "xlsx"} {
				// A reading of VmHWM is never above the true peak, and
				// polling can miss the last growth before the process
				// ends (on a busy machine, by megabytes); so a pair that
				// fails is measured again, up to three times, each size
				// keeping its highest reading.
				var lo, hi float64
				for try := 0; try < 3 && (try == 0 || hi > 1.5*lo); try++ {
					l, _ := exportPeak(t, bin, format, few, small)
					h, _ := exportPeak(t, bin, format, many, large)
					lo, hi = max(lo, l), max(hi, h)
				}
				t.Logf("%s peak RSS: %.1f MB for %d records, %.1f MB for %d", format, lo, small, hi, large)
				if hi > 1.5*lo {
					t.Fatalf("%s: peak RSS grew from %.1f MB (%d records) to %.1f MB (%d records): the export does not stream", format, lo, small, hi, large)
				}
			}
		})
	}
}

// BenchmarkCatalogueExportRSS reports the built binary's peak resident
// memory exporting 100,000 and 1,000,000 household records to CSV, on
// each backend, and fails if the larger export took more than half again
// the memory of the smaller. The SQLite fixtures are kept between runs in
// the system's temporary directory (about 1.3 GB for the million).
//
//	go test ./cmd/fieldbench -run NONE -bench CatalogueExportRSS -benchtime 1x
func BenchmarkCatalogueExportRSS(b *testing.B) {
	bin := buildBinary(b)
	for _, be := range []string{"sqlite", "postgres"} {
		b.Run(be, func(b *testing.B) {
			peaks := map[int]float64{} // csv; xlsx is TestCatalogueExportFlatMemory's
			for _, n := range []int{100_000, 1_000_000} {
				b.Run(fmt.Sprint(n), func(b *testing.B) {
					where := exportCatalogue(b, be, n, true)
					b.ResetTimer()
					var took time.Duration
					for i := 0; i < b.N; i++ {
						var peak float64
						peak, took = exportPeak(b, bin, "csv", where, n)
						peaks[n] = max(peaks[n], peak)
					}
					b.ReportMetric(peaks[n], "peak-RSS-MB")
					b.ReportMetric(float64(n)/took.Seconds(), "records/s")
				})
			}
			if lo, hi := peaks[100_000], peaks[1_000_000]; lo > 0 && hi > 1.5*lo {
				b.Fatalf("peak RSS grew from %.1f MB (100,000 records) to %.1f MB (1,000,000): the export does not stream", lo, hi)
			}
		})
	}
}
