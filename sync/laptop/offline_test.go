package laptop

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"syscall"
	"testing"
	"time"
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
		c := &Client{BaseURL: base, Sleep: func(context.Context, time.Duration) error { slept++; return nil }}
		start := time.Now()
		_, err := c.Info(context.Background())
		if !errors.Is(err, ErrUnreachable) {
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
	if _, err := Run(ctx, w.laptop, w.client, nil); err != nil {
		t.Fatal(err)
	}
	first, err := w.laptop.LastSync(ctx)
	if err != nil || first.IsZero() {
		t.Fatalf("no last sync after a sync that sent nothing: %v %v", first, err)
	}
	time.Sleep(2 * time.Millisecond)
	w.server.Close()
	if _, err := Run(ctx, w.laptop, w.client, nil); err == nil {
		t.Fatal("a sync to a closed server succeeded")
	}
	if at, _ := w.laptop.LastSync(ctx); !at.Equal(first) {
		t.Errorf("a failed sync moved last sync from %v to %v", first, at)
	}
}

// A Windows laptop offline fails fast too. Its dial errors are Winsock's
// (WSAENETUNREACH 10051 and the like), which the Unix errnos the check
// knew never match, so it backed off for seconds first. The transport
// here fails every dial as Windows' connectex does.
func TestOfflineFailsFastOnWindowsErrors(t *testing.T) {
	for _, errno := range []syscall.Errno{10049, 10050, 10051, 10061, 10065} {
		dial := func(context.Context, string, string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connectex", errno)}
		}
		slept := 0
		c := &Client{BaseURL: "http://catalogue.example", HTTP: &http.Client{Transport: &http.Transport{DialContext: dial}},
			Sleep: func(context.Context, time.Duration) error { slept++; return nil }}
		if _, err := c.Info(context.Background()); !errors.Is(err, ErrUnreachable) || slept > 0 {
			t.Errorf("Winsock error %d: %v after %d retries, want ErrUnreachable at once", int(errno), err, slept)
		}
	}
}
