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

func (a *App) addServeLimits(fs *flag.FlagSet) *serveLimits {
	l := &serveLimits{}
	fs.StringVar(&l.publicURL, "public-url", "", a.t("flag.public_url"))
	fs.Int64Var(&l.bodyMemory, "body-memory", api.DefaultBodyMemory>>20, a.t("flag.body_memory"))
	fs.Int64Var(&l.minRate, "min-rate", api.DefaultMinRate, a.t("flag.min_rate"))
	fs.DurationVar(&l.grace, "slow-grace", api.DefaultGrace, a.t("flag.slow_grace"))
	return l
}

// check says what is wrong with the flags, in the command's language,
// or "".
func (l *serveLimits) check(a *App) string {
	switch {
	case l.bodyMemory < 1:
		return a.f("flag.serve.body_small", l.bodyMemory)
	case l.minRate < 1:
		return a.f("flag.serve.rate_small", l.minRate)
	case l.grace <= 0:
		return a.f("flag.serve.grace_bad", l.grace)
	}
	if l.publicURL != "" {
		if _, err := publicBase(l.publicURL, nil, false); err != nil {
			return a.f("flag.serve.public_url", l.publicURL)
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
