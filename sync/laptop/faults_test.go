package laptop

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// faults sits between client and server and breaks the next few batch
// uploads in one chosen way, as a weak township link, a stalled proxy or
// a captive portal would.
type faults struct {
	mu    sync.Mutex
	kind  string
	left  int // batch uploads still to break
	stall time.Duration
}

func (f *faults) set(kind string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.kind, f.left = kind, n
}

func (f *faults) take(r *http.Request) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.URL.Path != "/v1/batches" || f.left == 0 {
		return ""
	}
	f.left--
	return f.kind
}

func (f *faults) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch f.take(r) {
		case "drop-request":
			// Half the body arrives, then the line dies: the server never
			// sees a whole batch.
			io.CopyN(io.Discard, r.Body, 64)
			hijackClose(w)
		case "drop-response":
			// The server stores the batch and answers; the answer is lost.
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			hijackClose(w)
		case "cut-response":
			// Half the answer arrives.
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Length", fmt.Sprint(rec.Body.Len()))
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes()[:rec.Body.Len()/2])
			hijackClose(w)
		case "stall":
			time.Sleep(f.stall)
			next.ServeHTTP(w, r)
		case "portal":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body>请先登录 Wi-Fi</body></html>")
		case "busy":
			w.Header().Set("Retry-After", "7")
			w.Header().Set(wire.ProtocolHeader, wire.ProtocolVersion)
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"error":"busy"}`)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
		}
	}
}

// TestSyncSurvivesFaults breaks uploads in every way the link can, then
// syncs again: every record ends up in the catalogue exactly once and
// marked sent on the laptop.
func TestSyncSurvivesFaults(t *testing.T) {
	backendsAlone(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		f := &faults{stall: 300 * time.Millisecond}
		w := newWorldWith(t, be, func(s *api.Server) { s.MaxRecords = 7 }, f.wrap)
		var waits []time.Duration
		w.client.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
		w.client.MaxAttempts = 2
		// A short timeout while the stall is on, so that it trips it; the
		// other faults end a request by themselves, and they and the sync
		// after each fault get a patient one, as a busy machine may need
		// (with the short one, a busy machine failed the "busy" fault's
		// first request by timeout, before its Retry-After came).
		short, patient := &http.Client{Timeout: 150 * time.Millisecond}, &http.Client{Timeout: 30 * time.Second}
		total := 0
		for _, kind := range []string{"drop-request", "drop-response", "cut-response", "stall", "portal", "busy"} {
			t.Run(kind, func(t *testing.T) {
				w.finalize(t, 20)
				total += 20
				f.set(kind, 3)
				waits = nil
				w.client.HTTP = patient
				if kind == "stall" {
					w.client.HTTP = short
				}
				if _, err := Run(ctx, w.laptop, w.client, nil); err == nil {
					t.Fatalf("the sync through %s did not fail: the fault never happened", kind)
				}
				if kind == "busy" {
					found := false
					for _, d := range waits {
						found = found || d == 7*time.Second
					}
					if !found {
						t.Errorf("Retry-After 7 was not honoured: waits %v", waits)
					}
				}
				f.set("", 0)
				w.client.HTTP = patient
				sum, err := Run(ctx, w.laptop, w.client, nil)
				if err != nil {
					t.Fatalf("the sync after %s failed: %v", kind, err)
				}
				if sum.NeedsAttention() {
					t.Fatalf("after %s: %+v", kind, sum)
				}
				if got := w.catalogueTotal(t); got != total {
					t.Fatalf("after %s the catalogue holds %d records, want %d", kind, got, total)
				}
				sent, _ := w.laptop.Records(ctx, store.Filter{State: store.Sent})
				if len(sent) != total {
					t.Fatalf("after %s the laptop marked %d sent, want %d", kind, len(sent), total)
				}
				if pending, _ := w.laptop.PendingBatches(ctx); len(pending) != 0 {
					t.Fatalf("after %s %d batches are still in the outbox", kind, len(pending))
				}
			})
		}
	})
}
