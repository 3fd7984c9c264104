package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sort"
	"testing"
	"time"
)

// BenchmarkFinalize times one finalize (validation plus one synchronous=FULL
// commit) and reports the median and the 99th percentile, which is what a
// person waits on after the last answer.
func BenchmarkFinalize(b *testing.B) {
	ctx := context.Background()
	db, _ := newDB(b)
	data := household("王建国", 4)
	ids := make([]string, b.N)
	for i := range ids {
		id, err := db.NewDraft(ctx, "household", "1")
		if err != nil {
			b.Fatal(err)
		}
		if err := db.SaveDraft(ctx, id, data, nil); err != nil {
			b.Fatal(err)
		}
		ids[i] = id
	}
	durs := make([]time.Duration, b.N)
	b.ResetTimer()
	for i, id := range ids {
		start := time.Now()
		if _, err := db.Finalize(ctx, id); err != nil {
			b.Fatal(err)
		}
		durs[i] = time.Since(start)
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(durs[(len(durs)*99)/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkInsertFinalizedBatch stores already-validated records in
// batches of 5,000 with 16-byte content-hash keys, as an import does, and
// reports records per second. Run it with -benchtime 20x for 100,000.
func BenchmarkInsertFinalizedBatch(b *testing.B) {
	ctx := context.Background()
	db, _ := newDB(b)
	const batch = 5000
	data := household("王建国", 4)
	n := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		items := make([]ImportItem, batch)
		for j := range items {
			items[j] = ImportItem{FormID: "household", Version: "1", Key: benchKey(n), Data: data}
			n++
		}
		if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkSaveDraft is the cost of one answer: one small FULL-synced
// transaction with its audit row.
func BenchmarkSaveDraft(b *testing.B) {
	ctx := context.Background()
	db, _ := newDB(b)
	id, err := db.NewDraft(ctx, "household", "1")
	if err != nil {
		b.Fatal(err)
	}
	data := household("王建国", 4)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := db.SaveDraft(ctx, id, data, &AnswerChange{Path: "hh_size", Old: "3", New: "4"}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchKey is like an import's key: random-looking, so it lands anywhere in
// the unique index.
func benchKey(n int) string {
	h := sha256.Sum256([]byte(fmt.Sprint(n)))
	return string(h[:16])
}
