package sync

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// stubCatalogue knows no device; only DeviceByToken is called here.
type stubCatalogue struct{ Catalogue }

func (stubCatalogue) DeviceByToken(context.Context, string) (*Device, error) {
	return nil, ErrUnauthorized
}

// stubExporter has one user and an export that writes "line" and then
// waits for release.
type stubExporter struct {
	started chan struct{}
	release chan struct{}
}

func (e *stubExporter) UserByToken(_ context.Context, hash string) (*User, error) {
	if hash != HashToken("user") {
		return nil, ErrUnauthorized
	}
	return &User{ID: "user-1", Role: RoleReader, County: "110105"}, nil
}

func (e *stubExporter) OpenExport(context.Context, ExportRequest) (Export, error) {
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
// under way completes.
func TestExportsAtOnce(t *testing.T) {
	ex := &stubExporter{started: make(chan struct{}, 1), release: make(chan struct{})}
	srv := httptest.NewServer((&Server{Cat: stubCatalogue{}, Exports: ex, MaxExports: 1}).Handler())
	defer srv.Close()
	get := func() (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/export?form=f&format=jsonl", nil)
		req.Header.Set("Authorization", "Bearer user")
		return http.DefaultClient.Do(req)
	}
	first := make(chan string)
	go func() {
		resp, err := get()
		if err != nil {
			first <- err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		first <- string(body) + resp.Trailer.Get(HeaderRecords)
	}()
	<-ex.started
	resp, err := get()
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("second export at once: %d %v", resp.StatusCode, resp.Header)
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
