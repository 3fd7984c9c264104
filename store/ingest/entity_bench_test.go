package ingest

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/fieldbench/fieldbench/store"
)

// BenchmarkImportEntities imports 100,000 household registrations, each
// creating its entity, through Run into a fresh database per op, and
// reports records/s: BenchmarkImport's measure for a form with an
// entities sheet. Run it with
//
//	go test ./store/ingest/ -run '^$' -bench 'ImportEntities$' -benchtime 3x
func BenchmarkImportEntities(b *testing.B) {
	var input bytes.Buffer
	for i := range benchImportRecords {
		fmt.Fprintf(&input, `{"head":"户主%06d","size":"%d"}`+"\n", i, 1+i%7)
	}
	ctx := context.Background()
	dir := b.TempDir()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		db, err := store.Open(filepath.Join(dir, fmt.Sprintf("fb%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.AddForm(ctx, "register.md", registerForm(b)); err != nil {
			b.Fatal(err)
		}
		form, err := db.Form(ctx, "register", "1")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		bulk, err := db.Bulk(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n, err := Run(ctx, bytes.NewReader(input.Bytes()), Options{Form: form, FormID: "register", Version: "1", Bulk: bulk})
		if cerr := bulk.Close(); err == nil {
			err = cerr
		}
		if err != nil || n.Stored != benchImportRecords {
			b.Fatalf("import: %v, %+v", err, n)
		}
		b.StopTimer()
		db.Close()
	}
	b.ReportMetric(float64(benchImportRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
