package catalogue

import (
	"fmt"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// BenchmarkApplyEntityUpdates is the catalogue applying follow-up visits:
// batches of 1,000 records (a batch's most), each updating one of 10,000
// households from its current version, stored with its record in the
// batch's transaction, without the form check.
//
//	go test ./store/catalogue -run NONE -bench ApplyEntityUpdates -benchtime 20x
func BenchmarkApplyEntityUpdates(b *testing.B) {
	for _, be := range []string{"sqlite", "postgres"} {
		b.Run(be, func(b *testing.B) {
			db, dev := newDB(b, benchWhere(b, be))
			const households, perBatch = 10000, wire.DefaultMaxRecords
			id := func(n int) string { return fmt.Sprintf("0193a000-0000-7000-8000-%012d", n) }
			store := func(batchID string, recs []wire.Record) {
				if _, err := storeAccepted(db, dev, batch(batchID, dev, recs...)); err != nil {
					b.Fatal(err)
				}
			}
			for start := 0; start < households; start += perBatch {
				recs := make([]wire.Record, perBatch)
				for j := range recs {
					recs[j] = entRec(fmt.Sprintf("reg-%d", start+j), fmt.Sprintf("reg-%dv", start+j),
						create(id(start+j), fmt.Sprintf("户%d", start+j), map[string]string{"size": "3", "dibao": "no"}))
				}
				store(fmt.Sprintf("reg%d", start), recs)
			}
			version := make([]int64, households)
			for i := range version {
				version[i] = 1
			}
			var cpu time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				recs := make([]wire.Record, perBatch)
				for j := range recs {
					n := (i*perBatch + j) % households
					recs[j] = entRec(fmt.Sprintf("visit-%d-%d", i, j), fmt.Sprintf("visit-%d-%dv", i, j),
						forms.EntityChange{List: "households", ID: id(n), BaseVersion: version[n], Properties: map[string]string{"size": fmt.Sprint(i % 9)}})
					version[n]++
				}
				b.StartTimer()
				cpu0 := pgtest.ProcessCPU() + pgtest.ServerCPU()
				store(fmt.Sprintf("visit%d", i), recs)
				cpu += pgtest.ProcessCPU() + pgtest.ServerCPU() - cpu0
			}
			b.ReportMetric(float64(b.N*perBatch)/b.Elapsed().Seconds(), "updates/s")
			if cpu > 0 {
				// This process's CPU and PostgreSQL's: the rate a core
				// would give were the machine not shared.
				b.ReportMetric(float64(b.N*perBatch)/cpu.Seconds(), "updates/cpu-s")
			}
			b.StopTimer()
			if n := query[int](b, db, `SELECT count(*) FROM entity_conflicts`); n != 0 {
				b.Fatalf("%d conflicts from fresh updates", n)
			}
		})
	}
}
