package catalogue

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// Two handles on one catalogue (two server processes) apply updates of
// the same households at once, each laptop from the versions it last saw:
// every update becomes exactly one version, each entity's versions run
// 1, 2, 3... without a gap or a repeat, and a download from 0 meets every
// entity once, at its latest version.
func TestEntityUpdatesConcurrent(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db1, dev1 := newDB(t, w)
		db2 := openDB(t, w)
		dev2 := enrol(t, db1, township, "laptop-2")
		const households, batches, perBatch = 5, 15, 4
		ids := make([]string, households)
		var creates []wire.Record
		for i := range ids {
			ids[i] = fmt.Sprintf("0193a000-0000-7000-8000-%012d", i)
			creates = append(creates, entRec("reg"+ids[i], "reg"+ids[i]+"v", create(ids[i], "户", map[string]string{"n": "0"})))
		}
		send(t, db1, dev1, batch("reg", dev1, creates...))
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for k, h := range []struct {
			db  *DB
			dev *wire.Device
		}{{db1, dev1}, {db2, dev2}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range batches {
					var recs []wire.Record
					for j := range perBatch {
						rid := fmt.Sprintf("w%d-b%d-r%d", k, i, j)
						recs = append(recs, entRec(rid, rid+"v", update(ids[(i+j)%households], 1, map[string]string{"n": rid})))
					}
					if _, err := storeAccepted(h.db, h.dev, batch(fmt.Sprintf("b%d", i), h.dev, recs...)); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		updates := 2 * batches * perBatch
		if n := query[int](t, db1, `SELECT count(*) FROM entity_versions WHERE kind = 'update'`); n != updates {
			t.Fatalf("%d update versions for %d updates", n, updates)
		}
		if n := query[int](t, db1, `SELECT count(*) FROM entities e WHERE version <> (SELECT count(*) FROM entity_versions v
			WHERE v.list = e.list AND v.entity_id = e.entity_id AND v.version BETWEEN 1 AND e.version)`); n != 0 {
			t.Fatalf("%d entities whose versions are not 1 to their latest", n)
		}
		if n := query[int](t, db1, `SELECT sum(version) FROM entities`); n != households+updates {
			t.Fatalf("versions sum to %d, want %d", n, households+updates)
		}
		seen := map[string]bool{}
		for since, more := int64(0), true; more; {
			page, err := db2.EntitiesSince(ctx, []string{township}, "", since, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page.Entities {
				if seen[e.ID] {
					t.Fatalf("entity %s downloaded twice", e.ID)
				}
				seen[e.ID] = true
			}
			since, more = page.Next, page.More
		}
		if len(seen) != households {
			t.Fatalf("downloaded %d of %d entities", len(seen), households)
		}
	})
}
