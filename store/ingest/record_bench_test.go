package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
)

// BenchmarkImportRecord is a worker's share of an import for one household
// record: decode the line, validate it, marshal it and key it. With the
// storer's share (store.BenchmarkInsertFinalizedBatch) it bounds what
// BenchmarkImport can reach.
func BenchmarkImportRecord(b *testing.B) {
	data, _ := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	var base map[string]any
	json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &base)
	var lines [][]byte
	for i := range 1000 {
		base["head_name"] = fmt.Sprintf("户主%06d", i)
		line, _ := json.Marshal(base)
		lines = append(lines, line)
	}
	raw, _ := samples.FS.ReadFile("household_visit.xlsx")
	form, err := forms.Load("household_visit.xlsx", raw)
	if err != nil {
		b.Fatal(err)
	}
	imp := &importer{Options: Options{Form: form}}
	b.ResetTimer()
	for i := range b.N {
		o := imp.process(job{line: i, raw: lines[i%1000]})
		if !o.ok {
			b.Fatal("rejected", o.line.Result.Errors)
		}
	}
}
