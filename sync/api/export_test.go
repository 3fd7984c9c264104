package api

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// stubCatalogue knows no device; only DeviceByToken is called here.
type stubCatalogue struct{ Catalogue }

func (stubCatalogue) DeviceByToken(context.Context, string) (*wire.Device, error) {
	return nil, wire.ErrUnauthorized
}

// stubExporter has one user and an export that writes "line" and then
// waits for release.
type stubExporter struct {
	started chan struct{}
	release chan struct{}
}

func (e *stubExporter) UserByToken(_ context.Context, hash string) (*wire.User, error) {
	for _, id := range []string{"user", "user-2", "user-3"} {
		if hash == wire.HashToken(id) {
			return &wire.User{ID: id, Role: wire.RoleReader, County: "110105"}, nil
		}
	}
	return nil, wire.ErrUnauthorized
}

func (e *stubExporter) OpenExport(context.Context, wire.ExportRequest) (wire.Export, error) {
	return &stubExport{e}, nil
}

func (e *stubExporter) OpenEntityExport(context.Context, wire.EntityExportRequest) (wire.Export, error) {
	return &stubExport{e}, nil
}

type stubExport struct{ e *stubExporter }

func (stubExport) Sharing() string   { return "有条件共享" }
func (stubExport) Masked() bool      { return true }
func (stubExport) Files() []string   { return []string{"f.jsonl"} }
func (stubExport) Only(string) error { return nil }
func (x stubExport) Write(_ context.Context, open func(string) (io.Writer, error)) (int, error) {
	w, _ := open("f.jsonl")
	io.WriteString(w, "line\n")
	x.e.started <- struct{}{}
	<-x.e.release
	return 1, nil
}

// Exports beyond MaxExports are turned away with 503 and Retry-After
// rather than queued, each export holding a database connection; the one
// under way completes. A user's second export at once is turned away with
// 429 before that. Exports of entity lists count with those of records.
func TestExportsAtOnce(t *testing.T) {
	ex := &stubExporter{started: make(chan struct{}, 1), release: make(chan struct{})}
	srv := httptest.NewServer((&Server{Cat: stubCatalogue{}, Exports: ex, MaxExports: 1}).Handler())
	defer srv.Close()
	getPath := func(user, path string) (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+user)
		return http.DefaultClient.Do(req)
	}
	getAs := func(user string) (*http.Response, error) {
		return getPath(user, wire.ExportPath+"?form=f&format=jsonl")
	}
	get := func() (*http.Response, error) { return getAs("user-2") }
	first := make(chan string)
	go func() {
		resp, err := getAs("user")
		if err != nil {
			first <- err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		first <- string(body) + resp.Trailer.Get(wire.HeaderRecords)
	}()
	<-ex.started
	resp, err := getAs("user")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the same user's second export at once: %d %v", resp.StatusCode, resp.Header)
	}
	resp, err = get()
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("second export at once: %d %v", resp.StatusCode, resp.Header)
	}
	for user, want := range map[string]int{"user": http.StatusTooManyRequests, "user-3": http.StatusServiceUnavailable} {
		resp, err = getPath(user, wire.EntityExportPath+"?list=households&format=csv")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("an entity list's export beside a record export, by %s: %d, want %d", user, resp.StatusCode, want)
		}
	}
	close(ex.release)
	if got := <-first; got != "line\n1" {
		t.Errorf("the first export: %q", got)
	}
	resp, err = get()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("after the first: %v %v", resp, err)
	}
	<-ex.started
	io.ReadAll(resp.Body)
	resp.Body.Close()
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                      false,
		"gzip":                  true,
		"deflate, gzip;q=1.0":   true,
		"GZIP":                  true,
		"gzip;q=0":              false,
		"gzip; q=0.000, br":     false,
		"identity":              false,
		"x-gzip":                false,
		"br;q=1, gzip;q=0.5, *": true,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", header)
		if got := acceptsGzip(r); got != want {
			t.Errorf("acceptsGzip(%q) = %v", header, got)
		}
	}
}

// floodExporter streams without end to users "user" and "user-2", until
// the connection fails, and a one-line export to anyone else.
type floodExporter struct {
	stubExporter
	started chan string
}

func (e *floodExporter) OpenExport(_ context.Context, req wire.ExportRequest) (wire.Export, error) {
	return &floodExport{e: e, user: req.User.ID}, nil
}

type floodExport struct {
	stubExport
	e    *floodExporter
	user string
}

func (x *floodExport) Write(_ context.Context, open func(string) (io.Writer, error)) (int, error) {
	w, _ := open("f.jsonl")
	if x.user != "user" && x.user != "user-2" {
		io.WriteString(w, "line\n")
		return 1, nil
	}
	x.e.started <- x.user
	line := []byte(strings.Repeat("x", 1023) + "\n")
	for n := 0; ; n++ {
		if _, err := w.Write(line); err != nil {
			return n, err
		}
	}
}

// Two readers that stop reading their exports hold the export slots only
// until the floor cuts them off; another user's export is served then
// (it was answered 503 for as long as the slow readers stayed).
func TestSlowExportReadersAreCutOff(t *testing.T) {
	ex := &floodExporter{started: make(chan string, 2)}
	s := &Server{Cat: stubCatalogue{}, Exports: ex, MaxExports: 2, MinRate: 64 << 10, Grace: 500 * time.Millisecond}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, user := range []string{"user", "user-2"} {
		c, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// Asked for, never read.
		fmt.Fprintf(c, "GET /v1/export?form=f&format=jsonl HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", user)
	}
	<-ex.started
	<-ex.started
	began := time.Now()
	for {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/export?form=f&format=jsonl", nil)
		req.Header.Set("Authorization", "Bearer user-3")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			if string(body) != "line\n" || resp.Trailer.Get(wire.HeaderRecords) != "1" {
				t.Fatalf("the export after the slow ones: %q %v", body, resp.Trailer)
			}
			t.Logf("another user's export was served %v after two slow readers took both slots", time.Since(began).Round(time.Millisecond))
			return
		}
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("while the slow readers held the slots: %d %s", resp.StatusCode, body)
		}
		if time.Since(began) > 10*time.Second {
			t.Fatal("another user's export was still refused 10 s after two readers stopped reading theirs")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
