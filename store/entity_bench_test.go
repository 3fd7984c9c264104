package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
)

// BenchmarkInsertFinalizedBatchEntities is BenchmarkInsertFinalizedBatch
// with records that each register a household entity, as a registration
// form's import does: the cost of applying the changes in the same
// transaction. Compare records/s with BenchmarkInsertFinalizedBatch.
func BenchmarkInsertFinalizedBatchEntities(b *testing.B) {
	ctx := context.Background()
	db, _ := newDB(b)
	const batch = 5000
	n := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		items := make([]ImportItem, batch)
		for j := range items {
			id := fmt.Sprintf("hh-%07d", n)
			data := withChanges(b, "王建国", forms.EntityChange{List: "households", ID: id, Create: true, Label: "王建国家",
				Properties: map[string]string{"size": "4", "phone": "13800000000", "village": "第3村"}})
			items[j] = ImportItem{FormID: "household", Version: "1", Key: benchKey(n), Data: data}
			n++
		}
		b.StartTimer()
		if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// townshipList fills a database with a township's list of n households,
// downloaded as a first sync stores them.
func townshipList(b *testing.B, n int) *DB {
	b.Helper()
	ctx := context.Background()
	db, _ := newDB(b)
	page := make([]Entity, 0, 10000)
	for i := 0; i < n; i++ {
		page = append(page, Entity{List: "households", ID: fmt.Sprintf("%08x-0000-7000-8000-%012x", i, i), Label: fmt.Sprintf("户主%06d", i),
			Version: 1, Township: "420106001", Seq: int64(i + 1),
			Properties: map[string]string{"size": fmt.Sprint(1 + i%7), "phone": "138****0000", "village": fmt.Sprintf("第%d村", i%97), "dibao": "no"}})
		if len(page) == cap(page) || i == n-1 {
			if err := db.ApplyDownloaded(ctx, page, int64(i+1)); err != nil {
				b.Fatal(err)
			}
			page = page[:0]
		}
	}
	return db
}

// BenchmarkEntities100k loads a township's list of 100,000 households,
// as the follow-up screen does.
func BenchmarkEntities100k(b *testing.B) {
	db := townshipList(b, 100000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ents, err := db.Entities(context.Background(), "households")
		if err != nil || len(ents) != 100000 {
			b.Fatal(len(ents), err)
		}
	}
}

// BenchmarkEntityListCSV100k makes the CSV a form reading that list is
// given; it reports its size.
func BenchmarkEntityListCSV100k(b *testing.B) {
	db := townshipList(b, 100000)
	b.ResetTimer()
	var size int
	for i := 0; i < b.N; i++ {
		data, err := db.EntityListCSV(context.Background(), "households")
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size)/1e6, "MB")
}

// BenchmarkFormWithList100k is what a follow-up form costs once its
// list of 100,000 households has changed (a household registered or
// visited, a sync): the list's CSV made again and the form loaded with
// it, as the next finalize or screen asks for the form.
func BenchmarkFormWithList100k(b *testing.B) {
	ctx := context.Background()
	db := townshipList(b, 100000)
	if _, err := db.AddForm(ctx, "visit.md", followUp); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		moved := Entity{List: "households", ID: "moved", Label: "搬来户", Version: int64(i + 1), Seq: int64(100001 + i)}
		if err := db.ApplyDownloaded(ctx, []Entity{moved}, int64(100001+i)); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		f, err := db.Form(ctx, "visit", "1")
		if err != nil || f.Attachment("households.csv").Data() == nil {
			b.Fatal(err)
		}
	}
}
