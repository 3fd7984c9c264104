package catalogue

import (
	"context"
	"testing"

	"github.com/fieldbench/fieldbench/forms/quality"
)

// BenchmarkCatalogueQuality runs the household form's quality measure
// over 10,000 records: "clear" on a catalogue without a key holding them
// as sent (before sealing: each validated again), "sealed" on one with a
// key holding them sealed (the kept verdicts, duplicates by stored
// pseudonym, nothing decrypted).
//
//	go test ./store/catalogue -run NONE -bench CatalogueQuality -benchtime 5x
func BenchmarkCatalogueQuality(b *testing.B) {
	const perBatch, batches = 500, 20
	records, _ := households(b, perBatch)
	for _, be := range []string{"sqlite", "postgres"} {
		for _, mode := range []string{"clear", "sealed"} {
			b.Run(be+"-"+mode, func(b *testing.B) {
				ctx := context.Background()
				db, dev, recipient := benchDB(b, be, mode)
				f := householdForm(b, db)
				check := db.batchForms(ctx).acceptingCheck()
				for i := range batches {
					if _, err := db.StoreBatch(ctx, dev, benchBatch(b, mode, f, dev, recipient, i, records), "fp", check); err != nil {
						b.Fatal(err)
					}
				}
				b.ResetTimer()
				for range b.N {
					q, err := db.Quality(ctx, formID, quality.Options{})
					if err != nil || len(q) == 0 {
						b.Fatalf("quality: %v (%d townships)", err, len(q))
					}
				}
				b.ReportMetric(float64(b.N*perBatch*batches)/b.Elapsed().Seconds(), "records/s")
			})
		}
	}
}
