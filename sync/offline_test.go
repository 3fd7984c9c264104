package sync_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/sync"
)

// TestOfflineFailsFast: with nothing listening at the catalogue's address
// (the laptop is offline, or the name does not resolve) the client says
// the catalogue cannot be reached after one try, without the retry
// loop's backoff, which took seconds of "0/0" on the sync screen.
func TestOfflineFailsFast(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	for _, base := range []string{closed, "http://catalogue.invalid"} {
		slept := 0
		c := &sync.Client{BaseURL: base, Sleep: func(context.Context, time.Duration) error { slept++; return nil }}
		start := time.Now()
		_, err := c.Info(context.Background())
		if !errors.Is(err, sync.ErrUnreachable) {
			t.Errorf("%s: %v, want ErrUnreachable", base, err)
		}
		if slept > 0 || time.Since(start) > 5*time.Second {
			t.Errorf("%s: %d retries over %v before saying so", base, slept, time.Since(start))
		}
	}
}

// TestLastSyncAfterEmptySync: a sync with nothing to send still exchanged
// with the catalogue (returns, forms), so "last sync" moves; a failed one
// leaves it where it was.
func TestLastSyncAfterEmptySync(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	if at, _ := w.laptop.LastSync(ctx); !at.IsZero() {
		t.Fatalf("last sync before any: %v", at)
	}
	if _, err := sync.Run(ctx, w.laptop, w.client, nil); err != nil {
		t.Fatal(err)
	}
	first, err := w.laptop.LastSync(ctx)
	if err != nil || first.IsZero() {
		t.Fatalf("no last sync after a sync that sent nothing: %v %v", first, err)
	}
	time.Sleep(2 * time.Millisecond)
	w.server.Close()
	if _, err := sync.Run(ctx, w.laptop, w.client, nil); err == nil {
		t.Fatal("a sync to a closed server succeeded")
	}
	if at, _ := w.laptop.LastSync(ctx); !at.Equal(first) {
		t.Errorf("a failed sync moved last sync from %v to %v", first, at)
	}
}
