//go:build linux

package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
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
		return pgWhere(t, dsn)
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
			where[k] = pgWhere(t, pgtest.DSN(t))
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
	return sheetRows(t, out, "household_visit")
}

// sheetRows counts the row elements of the sheet named sheet of the
// workbook at path, reading its XML as it streams out of the zip. Parsing
// every cell through excelize took seconds of CPU for the 140,000 rows
// this test reads, and only the count is wanted. The zip reader checks the
// part's CRC-32 as it reaches the end, and the part must end its
// worksheet, so a cut-short sheet still fails.
func sheetRows(t testing.TB, path, sheet string) int {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	part := func(name string) io.ReadCloser {
		for _, f := range z.File {
			if f.Name == name {
				r, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
		}
		t.Fatalf("%s: no part %s", path, name)
		return nil
	}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for name, v := range map[string]any{"xl/workbook.xml": &book, "xl/_rels/workbook.xml.rels": &rels} {
		r := part(name)
		err := xml.NewDecoder(r).Decode(v)
		r.Close()
		if err != nil {
			t.Fatalf("%s %s: %v", path, name, err)
		}
	}
	target := ""
	for _, s := range book.Sheets {
		for _, rel := range rels.Rels {
			if s.Name == sheet && rel.ID == s.ID {
				target = rel.Target
			}
		}
	}
	if target == "" {
		t.Fatalf("%s: no sheet %s", path, sheet)
	}
	if strings.HasPrefix(target, "/") {
		target = target[1:]
	} else {
		target = "xl/" + target
	}
	r := part(target)
	defer r.Close()
	// Counted across reads: a tag may straddle two of them, so the last
	// four bytes of each read (too few to hold a whole "<row " counted
	// already) are carried into the next.
	n, carry := 0, []byte{}
	buf := make([]byte, 1<<20)
	var tail []byte // the last bytes of the part
	for {
		k, err := r.Read(buf)
		chunk := append(carry, buf[:k]...)
		// "<row " or "<row>": never "<rows", nor text, which is escaped.
		for i := 0; ; {
			j := bytes.Index(chunk[i:], []byte("<row"))
			if j < 0 || i+j+5 > len(chunk) {
				break
			}
			if c := chunk[i+j+4]; c == ' ' || c == '>' {
				n++
			}
			i += j + 4
		}
		carry = append([]byte{}, chunk[len(chunk)-min(len(chunk), 4):]...)
		tail = append(tail, buf[max(0, k-32):k]...)
		tail = tail[max(0, len(tail)-32):]
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s %s: %v", path, target, err)
		}
	}
	if !bytes.HasSuffix(bytes.TrimSpace(tail), []byte("</worksheet>")) {
		t.Fatalf("%s %s does not end its worksheet", path, target)
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
// records (or anything per record) in memory, the 50,000 more records of
// about 1 KB would add 50 MB or more; the test allows 40 MB, since the
// XLSX writer's own buffers (about 160 MB at either size) vary by 20.
func TestCatalogueExportFlatMemory(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	const small, large = 10_000, 60_000
	const maxGrowth = 40.0 // MB
	for _, be := range []string{"sqlite", "postgres"} {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			where := exportCatalogues(t, be, small, large)
			few, many := where[0], where[1]
			measuring.Lock()
			defer measuring.Unlock()
			formats := []string{"csv", "xlsx"}
			if be == "postgres" {
				// The XLSX writer takes its rows from the cursor the CSV
				// writer reads, which the CSV shows streams on either
				// backend; it costs the most, so it runs on one.
				formats = formats[:1]
			}
			for _, format := range formats {
				// A reading of VmHWM is never above the true peak, and
				// polling can miss the last growth before the process
				// ends (on a busy machine, by megabytes); so a pair that
				// fails is measured again, up to three times, each size
				// keeping its highest reading.
				var lo, hi float64
				for try := 0; try < 3 && (try == 0 || hi-lo > maxGrowth); try++ {
					l, _ := exportPeak(t, bin, format, few, small)
					h, _ := exportPeak(t, bin, format, many, large)
					lo, hi = max(lo, l), max(hi, h)
				}
				t.Logf("%s peak RSS: %.1f MB for %d records, %.1f MB for %d", format, lo, small, hi, large)
				if hi-lo > maxGrowth {
					t.Fatalf("%s: peak RSS grew from %.1f MB (%d records) to %.1f MB (%d records), more than %.0f MB: the export does not stream", format, lo, small, hi, large, maxGrowth)
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
