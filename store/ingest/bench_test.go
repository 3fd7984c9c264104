package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
)

// benchImportRecords is how many records each iteration of BenchmarkImport
// imports: the 100,000, so one op is one realistic import
// (batching, commits, the pipeline's start and end included) into a fresh
// database.
const benchImportRecords = 100000

// BenchmarkImport imports 100,000 generated household records (valid, each
// distinct) through Run into a fresh database per op, validation and the
// audit chain included, and reports records/s. In the same run it
// loads the same lines with the sqlite3 shell's .import into a bare
// one-column table and reports that rate and the ratio of the two. Run it
// with
//
//	go test ./store/ingest/ -run '^$' -bench 'Import$' -benchtime 3x
func BenchmarkImport(b *testing.B) {
	data, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	var base map[string]any
	if err := json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &base); err != nil {
		b.Fatal(err)
	}
	var input bytes.Buffer
	for i := range benchImportRecords {
		base["head_name"] = fmt.Sprintf("户主%06d", i)
		base["village"] = fmt.Sprintf("第%d村", i%97)
		line, _ := json.Marshal(base)
		input.Write(line)
		input.WriteByte('\n')
	}
	dir := b.TempDir()
	file := filepath.Join(dir, "households.jsonl")
	if err := os.WriteFile(file, input.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	xlsx, err := samples.FS.ReadFile("household_visit.xlsx")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var ours, theirs time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		db, err := store.Open(filepath.Join(dir, fmt.Sprintf("fb%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		fv, err := db.AddForm(ctx, "household_visit.xlsx", xlsx)
		if err != nil {
			b.Fatal(err)
		}
		form, err := db.Form(ctx, fv.FormID, fv.Version)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		b.StartTimer()
		bulk, err := db.Bulk(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n, err := Run(ctx, bytes.NewReader(input.Bytes()), Options{Form: form, FormID: fv.FormID, Version: fv.Version, Bulk: bulk})
		if cerr := bulk.Close(); err == nil {
			err = cerr
		}
		if err != nil || n.Stored != benchImportRecords {
			b.Fatalf("import: %v, %+v", err, n)
		}
		b.StopTimer()
		ours += time.Since(start)
		db.Close()
		d, err := sqliteShellImport(filepath.Join(dir, fmt.Sprintf("bare%d.db", i)), file)
		if err != nil {
			b.Logf("sqlite3 .import not measured: %v", err)
		}
		theirs += d
	}
	perSec := func(d time.Duration) float64 { return float64(benchImportRecords) * float64(b.N) / d.Seconds() }
	b.ReportMetric(perSec(ours), "records/s")
	if theirs > 0 {
		b.ReportMetric(perSec(theirs), "sqlite3-rows/s")
		b.ReportMetric(float64(ours)/float64(theirs), "x-sqlite3-time")
	}
}

// sqliteShellImport times the sqlite3 shell loading every line of file
// into a bare one-column table: the floor for putting these bytes into
// SQLite, with no parsing, validation, indexes or audit. The separators
// are bytes JSON lines never contain, so each line is one value.
func sqliteShellImport(db, file string) (time.Duration, error) {
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		return 0, err
	}
	script := "CREATE TABLE lines (line TEXT);\n.mode ascii\n.separator \"\x1f\" \"\\n\"\n.import '" + file + "' lines\n"
	cmd := exec.Command(bin, db)
	cmd.Stdin = strings.NewReader(script)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil || len(out) > 0 {
		return 0, fmt.Errorf("%v: %s", err, out)
	}
	var n int
	count, err := exec.Command(bin, db, "SELECT count(*) FROM lines").Output()
	if err == nil {
		fmt.Sscan(string(count), &n)
	}
	if n != benchImportRecords {
		return 0, fmt.Errorf("sqlite3 loaded %d rows, want %d", n, benchImportRecords)
	}
	return d, nil
}
