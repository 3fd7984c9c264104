// Package server puts the catalogue together as `fieldbench serve` runs
// it: the sync API (sync/api) under /v1/ and the resource catalogue's
// pages (store/catalogue/site) at the root of one HTTP server over one
// catalogue database, with the background loops that keep the page's
// figures fresh, served until its context ends and then shut down
// gracefully.
package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/net/netutil"

	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/site"
	"github.com/fieldbench/fieldbench/sync/api"
)

// Config is what the command line decides about a catalogue server.
type Config struct {
	// BaseURL is the root of the catalogue's public addresses, ending in
	// "/" (PublicBase makes one).
	BaseURL string
	// CertFile and KeyFile, both or neither, serve HTTPS.
	CertFile, KeyFile string
	// The limits against clients that send too much or too slowly; zero
	// is the sync/api default.
	BodyMemory int64 // bytes of request bodies held at once
	MinRate    int64 // bytes a second
	Grace      time.Duration
	// MaxConns caps the connections open at once (0: DefaultMaxConns);
	// one more waits in the kernel's queue until one closes, so a flood
	// of idle connections cannot take every file descriptor.
	MaxConns int
	// RetentionDays is how long laptops keep a sent record's sealed part
	// after the catalogue's receipt (0: wire.DefaultRetentionDays).
	RetentionDays int
	// QualityEvery is how often the datasets that received records are
	// measured again for the page; 0 never (only `catalogue quality`).
	QualityEvery time.Duration
	// Log gets the server's errors and the loops' reports; nil discards.
	Log *log.Logger
	// Stopping, when set, is called as the graceful shutdown begins.
	Stopping func()
}

// DefaultMaxConns is the cap on open connections unless told otherwise:
// far more laptops than sync at once in a county, and well under the
// 1,024 file descriptors a process is commonly allowed.
const DefaultMaxConns = 512

// countsEvery is how often the per-batch count rows the catalogue page
// sums are looked at, and folded when they have piled up.
const countsEvery = 10 * time.Minute

// shutdownGrace is how long the requests in flight may take to finish
// once the server is asked to stop; each batch is one transaction, so a
// request cut off after it stores all of its batch or none.
const shutdownGrace = 30 * time.Second

// Server is a catalogue server over one database.
type Server struct {
	db   *catalogue.DB
	cfg  Config
	http *http.Server
}

// New puts the server together; nothing is served before Serve.
func New(db *catalogue.DB, cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = log.New(io.Discard, "", 0)
	}
	v1 := &api.Server{Cat: db, Reviews: db, Entities: db, Form: db.FormDefinition, Exports: db, Log: cfg.Log,
		BodyMemory: cfg.BodyMemory, MinRate: cfg.MinRate, Grace: cfg.Grace, RetentionDays: cfg.RetentionDays}
	// The sync protocol under /v1/, the resource catalogue's pages for
	// people and machines at the root.
	mux := http.NewServeMux()
	mux.Handle("/v1/", v1.Handler())
	mux.Handle("/", (&site.Site{Src: db, Log: cfg.Log, BaseURL: cfg.BaseURL}).Handler())
	return &Server{db: db, cfg: cfg, http: httpServer(mux, cfg.Log)}
}

// Serve serves on ln, and keeps the catalogue's figures fresh in the
// background, until ctx ends; then it lets the requests in flight finish
// (for at most 30 s) and returns nil. It returns earlier only when
// serving fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	loops, stop := context.WithCancel(ctx)
	defer stop()
	if s.cfg.QualityEvery > 0 {
		go s.db.KeepQualityFresh(loops, s.cfg.QualityEvery, s.cfg.Log.Printf)
	}
	// The catalogue page sums per-batch count rows; fold them now and then.
	go s.db.KeepCountsCompact(loops, countsEvery, s.cfg.Log.Printf)
	ln = netutil.LimitListener(ln, cmp.Or(s.cfg.MaxConns, DefaultMaxConns))
	done := make(chan error, 1)
	go func() {
		if s.cfg.CertFile != "" {
			done <- s.http.ServeTLS(ln, s.cfg.CertFile, s.cfg.KeyFile)
		} else {
			done <- s.http.Serve(ln)
		}
	}()
	select {
	case err := <-done:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		if s.cfg.Stopping != nil {
			s.cfg.Stopping()
		}
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		s.http.Shutdown(sctx)
		return nil
	}
}

// httpServer is the HTTP server for h. A header must arrive within 30 s;
// bodies and exports are held to the rate floor instead of a total read
// or write timeout, so an export of a million records over an ordinary
// link is not cut off for taking long.
func httpServer(h http.Handler, logger *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          logger,
	}
}

// PublicBase is the root of the catalogue's public addresses: publicURL
// when given, or else the address listened on (the machine's name when
// that is every interface), https with tls. Never a request's Host header,
// which whoever sends the request chooses. With publicURL given, listen
// may be nil: the command line checks its flag so.
func PublicBase(publicURL string, listen net.Addr, tls bool) (string, error) {
	if publicURL != "" {
		u, err := url.Parse(publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return "", fmt.Errorf("--public-url %q: an http or https address such as https://catalogue.example.gov.cn/ (no user, query or fragment)", publicURL)
		}
		return strings.TrimSuffix(publicURL, "/") + "/", nil
	}
	scheme := "http"
	if tls {
		scheme = "https"
	}
	host, port, err := net.SplitHostPort(listen.String())
	if err != nil {
		return "", err
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if name, err := os.Hostname(); err == nil && name != "" {
			host = name
		}
	}
	return scheme + "://" + net.JoinHostPort(host, port) + "/", nil
}
