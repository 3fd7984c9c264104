package laptop

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/api"
)

// Run keeps two batches with the server at once, so the server checks one
// while it stores the other; progress still counts up batch by batch.
func TestRunKeepsTwoBatchesInFlight(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now, most := 0, 0
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/batches" {
				mu.Lock()
				now++
				most = max(most, now)
				mu.Unlock()
				defer func() { mu.Lock(); now--; mu.Unlock() }()
				time.Sleep(50 * time.Millisecond) // a slow link
			}
			next.ServeHTTP(w, r)
		})
	}
	w := newWorldWith(t, "sqlite", func(s *api.Server) { s.MaxRecords = 5 }, wrap)
	w.finalize(t, 23)
	var seen []int
	sum, err := Run(ctx, w.laptop, w.client, func(done, total int) {
		if total != 23 {
			t.Errorf("progress total %d", total)
		}
		seen = append(seen, done)
	})
	if err != nil || sum.Sent != 23 || sum.Batches != 5 {
		t.Fatalf("sync: %+v %v", sum, err)
	}
	if most != 2 {
		t.Errorf("at most %d batches with the server at once, want 2", most)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Errorf("progress went %v", seen)
			break
		}
	}
	if seen[len(seen)-1] != 23 {
		t.Errorf("progress ended at %v", seen)
	}
	if got := w.catalogueTotal(t); got != 23 {
		t.Errorf("catalogue holds %d", got)
	}
	if sent, _ := w.laptop.Records(ctx, store.Filter{State: store.Sent}); len(sent) != 23 {
		t.Errorf("%d marked sent", len(sent))
	}
}
