package main

import (
	"context"
	"flag"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/server"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// catalogueFlags are the flags naming the catalogue's database.
type catalogueFlags struct {
	data     string
	postgres string
}

func (a *App) addCatalogueFlags(fs *flag.FlagSet) *catalogueFlags {
	cf := &catalogueFlags{}
	fs.StringVar(&cf.data, "data", "", a.t("flag.data"))
	fs.StringVar(&cf.postgres, "postgres", "", a.t("flag.postgres"))
	return cf
}

// openCatalogueDB opens the catalogue's database the flags name.
func (a *App) openCatalogueDB(cf *catalogueFlags) (*catalogue.DB, error) {
	if cf.postgres != "" {
		if cf.data != "" {
			return nil, a.failed("catalogue.data_or_postgres")
		}
		return catalogue.OpenPostgres(context.Background(), cf.postgres)
	}
	dir := cf.data
	if dir == "" {
		p, err := defaultCatalogueDir(a.Getenv)
		if err != nil {
			return nil, a.failed("catalogue.no_place", err)
		}
		dir = p
	}
	if err := os.MkdirAll(dir, store.PrivateDir); err != nil {
		return nil, err
	}
	db, err := catalogue.OpenSQLite(dir)
	if err != nil {
		return nil, err
	}
	a.warnExposed(append(store.DatabaseFiles(db.Path()), dir)...)
	return db, nil
}

// defaultCatalogueDir sits beside the laptop database's default place.
func defaultCatalogueDir(getenv func(string) string) (string, error) {
	p, err := store.DefaultPath(getenv) // DATA/fieldbench/fieldbench.db
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(filepath.Dir(p)), "fieldbench-catalogue"), nil
}

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

// catalogueExport writes the catalogue's records of a form in the shapes
// of the laptop's export, with a pseudonym beside each ID number, and
// records the export in the catalogue's audit.
func (a *App) catalogueExport(ctx context.Context, cf *catalogueFlags, req wire.ExportRequest, out string) error {
	db, err := a.openCatalogueDB(cf)
	if err != nil {
		return err
	}
	defer db.Close()
	format := req.Format
	req.Command = adminCommand(req.FormID, format, out, req.Masked, req.Labels)
	x, err := db.NewExport(ctx, req)
	if err != nil {
		return err
	}
	var n int
	switch {
	case format == "jsonl" && out == "":
		n, err = x.Write(ctx, func(string) (io.Writer, error) { return a.Stdout, nil })
	case format == "jsonl" || format == "xlsx":
		n, err = writeNewFile(out, func(w io.Writer) (int, error) {
			return x.Write(ctx, func(string) (io.Writer, error) { return w, nil })
		})
	default:
		n, err = writeDir(out, x.Files(), func(open func(string) (io.Writer, error)) (int, error) { return x.Write(ctx, open) })
	}
	if err != nil {
		return a.failed("export.failed", a.errText(err))
	}
	a.say(a.Stderr, "plain", a.nf("export.done_catalogue", n, n))
	return nil
}

// exportFormatProblem says what is wrong with an export's --format, --out
// and --labels, or "" when they go together.
func (a *App) exportFormatProblem(format, out string, labels bool) string {
	switch {
	case format != "csv" && format != "xlsx" && format != "jsonl":
		return a.f("format.bad", format)
	case format != "jsonl" && out == "":
		return a.f("format.needs_out", format)
	case labels && format == "jsonl":
		return a.t("format.labels_jsonl")
	}
	return ""
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
