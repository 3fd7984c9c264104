package main

import (
	"flag"
	"time"

	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/server"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// serveLimits are serve's flags for where the catalogue is published and
// for its limits against clients that send too much or too slowly.
type serveLimits struct {
	publicURL  string
	bodyMemory int64 // MiB
	minRate    int64 // bytes a second
	grace      time.Duration
	maxConns   int
	// retentionDays: how long laptops keep a sent record's sealed part
	// after the catalogue's receipt (announced in /v1/info).
	retentionDays int
}

func (a *App) addServeLimits(fs *flag.FlagSet) *serveLimits {
	l := &serveLimits{}
	fs.StringVar(&l.publicURL, "public-url", "", a.t("flag.public_url"))
	fs.Int64Var(&l.bodyMemory, "body-memory", api.DefaultBodyMemory>>20, a.t("flag.body_memory"))
	fs.Int64Var(&l.minRate, "min-rate", api.DefaultMinRate, a.t("flag.min_rate"))
	fs.DurationVar(&l.grace, "slow-grace", api.DefaultGrace, a.t("flag.slow_grace"))
	fs.IntVar(&l.maxConns, "max-connections", server.DefaultMaxConns, a.t("flag.max_connections"))
	fs.IntVar(&l.retentionDays, "retention-days", wire.DefaultRetentionDays, a.t("flag.retention_days"))
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
	case l.maxConns < 1:
		return a.f("flag.serve.conns_small", l.maxConns)
	case l.retentionDays < 1:
		return a.f("flag.serve.retention_small", l.retentionDays)
	}
	if l.publicURL != "" {
		if _, err := server.PublicBase(l.publicURL, nil, false); err != nil {
			return a.f("flag.serve.public_url", l.publicURL)
		}
	}
	return ""
}

func (l *serveLimits) apply(cfg *server.Config) {
	cfg.BodyMemory, cfg.MinRate, cfg.Grace, cfg.MaxConns = l.bodyMemory<<20, l.minRate, l.grace, l.maxConns
	cfg.RetentionDays = l.retentionDays
}
