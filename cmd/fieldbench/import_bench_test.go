package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchImportRecords is how many records each iteration of BenchmarkImport
// imports: a fixed 20,000, so one op is one realistic import (batching,
// commits and the pipeline's start and end included) rather than b.N
// records of an ever-growing database.
const benchImportRecords = 20000

// BenchmarkImport imports 20,000 generated household records (valid, each
// distinct) through App.Run into a fresh database per op, validation and
// the audit chain included, and reports records/s. Run it with
//
//	go test ./cmd/fieldbench/ -run '^$' -bench Import -benchtime 3x
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
	app := &App{Stdin: bytes.NewReader(nil), Stdout: io.Discard, Stderr: io.Discard,
		Getenv: func(string) string { return "" }}
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		db := filepath.Join(dir, fmt.Sprintf("fb%d.db", i))
		if code := app.Run([]string{"forms", "add", "--db", db, "../../forms/samples/household_visit.xlsx"}); code != 0 {
			b.Fatalf("forms add: exit %d", code)
		}
		b.StartTimer()
		if code := app.Run([]string{"import", "--db", db, "--form", "household_visit", file}); code != 0 {
			b.Fatalf("import: exit %d", code)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(benchImportRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
