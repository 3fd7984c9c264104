package main

import (
	"context"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fieldbench/fieldbench/sync/server"
)

// serveCommand runs the catalogue server until SIGINT or SIGTERM;
// in-flight requests finish (each batch is one transaction, so a request
// cut off stores all of its batch or none).
func (a *App) serveCommand() *Command {
	c := a.leaf("serve")
	c.Summary, c.Usage, c.Help, c.Args = "cmd.serve", "serve.usage", []string{"serve.help"}, exactly(0)
	fs := c.Flags
	cf := a.addCatalogueFlags(fs)
	addr := fs.String("addr", "127.0.0.1:8480", a.t("flag.addr"))
	cert := fs.String("tls-cert", "", a.t("flag.tls_cert"))
	key := fs.String("tls-key", "", a.t("flag.tls_key"))
	qualityEvery := fs.Duration("quality-every", 10*time.Minute, a.t("flag.quality_every"))
	zone := fs.String("tz", "", a.t("flag.tz"))
	limits := a.addServeLimits(fs)
	c.Run = func(_ context.Context, _ []string) error {
		problem := limits.check(a)
		switch {
		case (*cert == "") != (*key == ""):
			problem = a.t("flag.serve.tls_pair")
		case *qualityEvery < 0:
			problem = a.f("flag.serve.quality", *qualityEvery)
		}
		if problem != "" {
			return &usageError{msg: problem}
		}
		if *zone != "" {
			loc, err := time.LoadLocation(*zone)
			if err != nil {
				return a.failed("serve.bad_tz", *zone)
			}
			// Every time people read is shown in time.Local (forms/when):
			// the server's zone becomes the page's. Put back for whoever
			// runs this command in-process (the tests).
			defer func(old *time.Location) { time.Local = old }(time.Local)
			time.Local = loc
		}
		db, err := a.openCatalogueDB(cf)
		if err != nil {
			return err
		}
		defer db.Close()
		logger := log.New(a.Stderr, "fieldbench serve: ", log.LstdFlags)
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return err
		}
		public, err := server.PublicBase(limits.publicURL, ln.Addr(), *cert != "")
		if err != nil {
			ln.Close()
			return err
		}
		cfg := server.Config{BaseURL: public, CertFile: *cert, KeyFile: *key, QualityEvery: *qualityEvery, Log: logger,
			Stopping: func() { logger.Print(a.t("serve.stopping")) }}
		limits.apply(&cfg)
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		logger.Print(a.f("serve.listening", ln.Addr(), db.Backend(), db.Path()))
		return server.New(db, cfg).Serve(ctx, ln)
	}
	return c
}
