package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/sync/api"
)

// serveLimits are serve's flags for where the catalogue is published and
// for its limits against clients that send too much or too slowly.
type serveLimits struct {
	publicURL  string
	bodyMemory int64 // MiB
	minRate    int64 // bytes a second
	grace      time.Duration
}

func addServeLimits(fs *flag.FlagSet) *serveLimits {
	l := &serveLimits{}
	fs.StringVar(&l.publicURL, "public-url", "", "the address people and machines reach the catalogue at (https://HOST[:PORT][/PATH]), for the addresses in /catalogue.jsonld (default: the address listened on)")
	fs.Int64Var(&l.bodyMemory, "body-memory", api.DefaultBodyMemory>>20, "MiB of memory for request bodies being read and decoded at once; an upload waits for its share")
	fs.Int64Var(&l.minRate, "min-rate", api.DefaultMinRate, "bytes a second a client must at least send an upload or take an export at, once --slow-grace has passed")
	fs.DurationVar(&l.grace, "slow-grace", api.DefaultGrace, "how long a client may stall before --min-rate applies")
	return l
}

// check says what is wrong with the flags, or "".
func (l *serveLimits) check() string {
	switch {
	case l.bodyMemory < 1:
		return fmt.Sprintf("--body-memory %d: at least 1 (MiB)", l.bodyMemory)
	case l.minRate < 1:
		return fmt.Sprintf("--min-rate %d: at least 1 (bytes a second)", l.minRate)
	case l.grace <= 0:
		return fmt.Sprintf("--slow-grace %v: a duration such as 10s", l.grace)
	}
	if l.publicURL != "" {
		if _, err := publicBase(l.publicURL, nil, false); err != nil {
			return err.Error()
		}
	}
	return ""
}

func (l *serveLimits) apply(srv *api.Server) {
	srv.BodyMemory, srv.MinRate, srv.Grace = l.bodyMemory<<20, l.minRate, l.grace
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

// publicBase is the root of the catalogue's public addresses: the
// --public-url given, or else the address listened on (the machine's name
// when that is every interface). Never a request's Host header, which
// whoever sends the request chooses.
func publicBase(flagValue string, listen net.Addr, tls bool) (string, error) {
	if flagValue != "" {
		u, err := url.Parse(flagValue)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return "", fmt.Errorf("--public-url %q: an http or https address such as https://catalogue.example.gov.cn/ (no user, query or fragment)", flagValue)
		}
		return strings.TrimSuffix(flagValue, "/") + "/", nil
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
