package catalogue

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// Two handles on one file (as two server processes would be) store
// different batches at once: every record is stored once and every batch
// gets its own server_seq.
func TestStoreBatchConcurrent(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db1, dev1 := newDB(t, w)
		db2 := openDB(t, w)
		dev2 := enrol(t, db1, township, "laptop-2")

		const batches, perBatch = 20, 10
		var mu sync.Mutex
		seqs := map[int64]string{}
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for w, h := range []struct {
			db  *DB
			dev *wire.Device
		}{{db1, dev1}, {db2, dev2}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range batches {
					var recs []wire.Record
					for j := range perBatch {
						id := fmt.Sprintf("w%d-b%d-r%d", w, i, j)
						recs = append(recs, rec(id, id+"-v1", "", id))
					}
					b := batch(fmt.Sprintf("b%d", i), h.dev, recs...)
					rc, err := storeAccepted(h.db, h.dev, b)
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					if other, dup := seqs[rc.ServerSeq]; dup {
						errs <- fmt.Errorf("server_seq %d given to %s and %s/%s", rc.ServerSeq, other, h.dev.ID, b.BatchID)
					}
					seqs[rc.ServerSeq] = h.dev.ID + "/" + b.BatchID
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(seqs) != 2*batches {
			t.Fatalf("%d distinct server_seq for %d batches", len(seqs), 2*batches)
		}
		if n := query[int](t, db1, `SELECT count(*) FROM versions`); n != 2*batches*perBatch {
			t.Fatalf("%d versions", n)
		}
		if n := query[int](t, db1, `SELECT count(DISTINCT server_seq) FROM batches`); n != 2*batches {
			t.Fatalf("%d batches", n)
		}
	})
}

// One batch sent by several handles at once (a retry racing the original):
// stored once, and every caller gets the same receipt.
func TestStoreBatchConcurrentReplay(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		db, dev := newDB(t, w)
		b := batch("b1", dev, rec("r1", "v1", "", "张三"), rec("r2", "v2", "", "李四"))
		const n = 6
		receipts := make([]*wire.Receipt, n)
		errs := make([]error, n)
		handles := make([]*DB, n)
		for i := range handles {
			handles[i] = openDB(t, w)
		}
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				receipts[i], errs[i] = handles[i].StoreBatch(context.Background(), dev, b, "fp", nil)
			}()
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if fmt.Sprint(*receipts[i]) != fmt.Sprint(*receipts[0]) {
				t.Fatalf("receipts differ:\n%+v\n%+v", receipts[i], receipts[0])
			}
		}
		if got := statuses(receipts[0]); fmt.Sprint(got) != "[accepted accepted]" {
			t.Fatalf("statuses %v", got)
		}
		if n := query[int](t, db, `SELECT count(*) FROM versions`); n != 2 {
			t.Fatalf("%d versions", n)
		}
		if n := query[int](t, db, `SELECT count(*) FROM batches`); n != 1 {
			t.Fatalf("%d batches", n)
		}
	})
}
