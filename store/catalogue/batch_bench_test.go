package catalogue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// BenchmarkStoreBatch is the catalogue's share of a sync: batches of
// 2,000 new records of about 1 KB each (a household record's size),
// without the form check, on each backend.
//
//	go test ./store/catalogue -run NONE -bench StoreBatch -benchtime 20x
func BenchmarkStoreBatch(b *testing.B) {
	for _, be := range []string{"sqlite", "postgres"} {
		b.Run(be, func(b *testing.B) {
			db, dev := newDB(b, benchWhere(b, be))
			const perBatch = 2000
			pad := strings.Repeat("某", 300)
			ctx := context.Background()
			var pgCPU time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				recs := make([]wire.Record, perBatch)
				for j := range recs {
					id := fmt.Sprintf("0194%08x-%04x-7000-8000-000000000000", i, j)
					data := []byte(fmt.Sprintf(`{"head_name":"户主%d-%d","notes":%q}`, i, j, pad))
					sum := sha256.Sum256(data)
					recs[j] = wire.Record{RecordID: id, VersionID: id + "v", FormID: formID, FormVersion: formVer,
						SHA256: hex.EncodeToString(sum[:]), Data: data, Collector: "王芳", CreatedAt: "2026-03-01T08:00:00Z"}
				}
				b.StartTimer()
				pg0 := pgtest.ServerCPU()
				if _, err := db.StoreBatch(ctx, dev, batch(fmt.Sprintf("b%d", i), dev, recs...), "fp", nil); err != nil {
					b.Fatal(err)
				}
				pgCPU += pgtest.ServerCPU() - pg0
			}
			b.ReportMetric(float64(b.N*perBatch)/b.Elapsed().Seconds(), "records/s")
			if be == "postgres" && pgCPU > 0 {
				// PostgreSQL's own CPU, when it runs on this machine: the
				// figure to compare schema changes by on a noisy machine.
				b.ReportMetric(float64(pgCPU.Microseconds())/float64(b.N*perBatch), "pg-cpu-µs/record")
			}
		})
	}
}

// BenchmarkIngestHouseholds is the catalogue's whole share of a sync of
// household records, the form check included (a check as the server's):
// "clear" is a catalogue without a key storing them as sent (before
// sealing), "sealed" a catalogue with a key storing them as a laptop that
// seals sends them (one batch key unwrapped, each part opened, merged,
// checked, its pseudonyms and verdict kept), "sealed-here" the same
// catalogue sealing the clear records of an older laptop itself.
//
//	go test ./store/catalogue -run NONE -bench IngestHouseholds -benchtime 10x
func BenchmarkIngestHouseholds(b *testing.B) {
	const perBatch = 500
	records, _ := households(b, perBatch)
	for _, be := range []string{"sqlite", "postgres"} {
		for _, mode := range []string{"clear", "sealed", "sealed-here"} {
			b.Run(be+"-"+mode, func(b *testing.B) {
				ctx := context.Background()
				db, dev, recipient := benchDB(b, be, mode)
				f := householdForm(b, db)
				check := db.batchForms(ctx).acceptingCheck()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					bt := benchBatch(b, mode, f, dev, recipient, i, records)
					b.StartTimer()
					if _, err := db.StoreBatch(ctx, dev, bt, "fp", check); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*perBatch)/b.Elapsed().Seconds(), "records/s")
			})
		}
	}
}

// benchDB is a fresh catalogue on backend be for a benchmark of mode:
// without a key in mode "clear", else with one, and the recipient
// laptops seal to ("" without a key).
func benchDB(b *testing.B, be, mode string) (*DB, *wire.Device, string) {
	if mode == "clear" {
		db, dev := newDB(b, benchWhere(b, be))
		return db, dev, ""
	}
	db, dev, ring := keyedDB(b, benchWhere(b, be))
	return db, dev, ring.Current().Recipient()
}

// benchBatch is batch i of records as the benchmarks send it: sealed by
// the laptop in mode "sealed", clear otherwise (numbered after the
// batches before it).
func benchBatch(b *testing.B, mode string, f *forms.Form, dev *wire.Device, recipient string, i int, records [][]byte) *wire.Batch {
	id, first := fmt.Sprintf("b%d", i), i*len(records)
	if mode == "sealed" {
		return sealedBatch(b, f, id, dev, recipient, first, records)
	}
	bt := batch(id, dev)
	for j, data := range records {
		bt.Records = append(bt.Records, clearRecord(first+j, data))
	}
	return bt
}
