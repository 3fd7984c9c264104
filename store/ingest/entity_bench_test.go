package ingest

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/fieldbench/fieldbench/store"
)

// BenchmarkImportEntities imports 100,000 household registrations
// through Run into a fresh database per op and reports records/s: the
// entities sub-benchmark with the form's entities sheet (each record
// creates its entity in the batch that stores it), plain with the same
// questions and no entities sheet, so the difference is what the entities
// cost. Run it with
//
//	go test ./store/ingest/ -run '^$' -bench 'ImportEntities' -benchtime 3x
func BenchmarkImportEntities(b *testing.B) {
	var input bytes.Buffer
	for i := range benchImportRecords {
		fmt.Fprintf(&input, `{"head":"户主%06d","size":"%d","phone":"13800000000"}`+"\n", i, 1+i%7)
	}
	withEntities := registerForm(b)
	plain := []byte(`| survey |
| | type    | name  | label |
| | text    | head  | Head  |
| | integer | size  | Size  |
| | text    | phone | Phone |
| settings |
| | form_id  | version |
| | register | 1       |
`)
	b.Run("entities", func(b *testing.B) { benchImportForm(b, withEntities, input.Bytes()) })
	b.Run("plain", func(b *testing.B) { benchImportForm(b, plain, input.Bytes()) })
}

func benchImportForm(b *testing.B, def, input []byte) {
	ctx := context.Background()
	dir := b.TempDir()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		db, err := store.Open(filepath.Join(dir, fmt.Sprintf("fb%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.AddForm(ctx, "register.md", def); err != nil {
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
		n, err := Run(ctx, bytes.NewReader(input), Options{Form: form, FormID: "register", Version: "1", Bulk: bulk})
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
