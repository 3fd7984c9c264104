package server

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store/catalogue"
)

// newCatalogue is an empty catalogue on SQLite and a listener on a free
// port of the loopback.
func newCatalogue(t *testing.T) (*catalogue.DB, net.Listener) {
	t.Helper()
	db, err := catalogue.OpenSQLite(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return db, ln
}

// One listener serves the sync API under /v1/ and the catalogue's pages
// at the root, published at BaseURL whatever the request's Host says;
// cancelling the context stops it gracefully, telling Stopping first.
func TestServeBothSidesAndStop(t *testing.T) {
	db, ln := newCatalogue(t)
	var stopping atomic.Bool
	var logs strings.Builder
	srv := New(db, Config{BaseURL: "https://catalogue.example.gov.cn/", Log: log.New(&logs, "", 0),
		Stopping: func() { stopping.Store(true) }})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()

	get := func(path string) string {
		t.Helper()
		resp, err := http.Get("http://" + ln.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s\n%s", path, resp.Status, body)
		}
		return string(body)
	}
	if body := get("/v1/info"); !strings.Contains(body, "{") {
		t.Errorf("/v1/info: %s", body)
	}
	if body := get("/catalogue.jsonld"); !strings.Contains(body, "https://catalogue.example.gov.cn/") || strings.Contains(body, ln.Addr().String()) {
		t.Errorf("the catalogue is not published at BaseURL:\n%s", body)
	}

	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve goes on after its context was cancelled")
	}
	if !stopping.Load() {
		t.Error("Stopping was not called")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/v1/info"); err == nil {
		t.Error("still serving after Serve returned")
	}
}

// Serve returns the error when serving fails, here a listener closed
// under it, rather than waiting for the context.
func TestServeReturnsItsFailure(t *testing.T) {
	db, ln := newCatalogue(t)
	ln.Close()
	if err := New(db, Config{}).Serve(context.Background(), ln); err == nil {
		t.Error("Serve on a closed listener returned nil")
	}
}

func TestPublicBase(t *testing.T) {
	host, _ := os.Hostname()
	for _, c := range []struct {
		flag   string
		listen string
		tls    bool
		want   string
	}{
		{"https://catalogue.example.gov.cn", "", false, "https://catalogue.example.gov.cn/"},
		{"http://catalogue.example.gov.cn/data/", "", true, "http://catalogue.example.gov.cn/data/"},
		{"", "127.0.0.1:8480", false, "http://127.0.0.1:8480/"},
		{"", "127.0.0.1:8443", true, "https://127.0.0.1:8443/"},
		{"", "0.0.0.0:8480", false, "http://" + net.JoinHostPort(host, "8480") + "/"},
	} {
		var listen net.Addr
		if c.listen != "" {
			a, err := net.ResolveTCPAddr("tcp", c.listen)
			if err != nil {
				t.Fatal(err)
			}
			listen = a
		}
		if got, err := PublicBase(c.flag, listen, c.tls); err != nil || got != c.want {
			t.Errorf("PublicBase(%q, %v, %v) = %q, %v; want %q", c.flag, c.listen, c.tls, got, err, c.want)
		}
	}
	for _, bad := range []string{"ftp://x/", "catalogue.example.gov.cn", "https://u:p@x/", "https://x/?q=1", "https://x/#f"} {
		if _, err := PublicBase(bad, nil, false); err == nil {
			t.Errorf("PublicBase accepted %q", bad)
		}
	}
}

// Connections beyond MaxConns wait until one closes: here two idle
// connections hold both places, a third's request gets no answer while
// they are open, and is answered once one of them closes.
func TestServeCapsOpenConnections(t *testing.T) {
	db, ln := newCatalogue(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go New(db, Config{MaxConns: 2}).Serve(ctx, ln)

	var idle []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		idle = append(idle, c)
	}
	answered := make(chan error, 1)
	third, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	go func() {
		if _, err := io.WriteString(third, "GET /v1/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
			answered <- err
			return
		}
		b := make([]byte, 12)
		_, err := io.ReadFull(third, b)
		if err == nil && !strings.HasPrefix(string(b), "HTTP/1.1 200") {
			err = errors.New("answered " + string(b))
		}
		answered <- err
	}()
	select {
	case err := <-answered:
		t.Fatalf("a third connection was served while two were open (cap 2): %v", err)
	case <-time.After(500 * time.Millisecond):
	}
	idle[0].Close()
	select {
	case err := <-answered:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the waiting connection was not served after a place freed")
	}
}
