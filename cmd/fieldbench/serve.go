package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
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

func (a *App) openCatalogue(cf *catalogueFlags) (*catalogue.DB, bool) {
	if cf.postgres != "" {
		if cf.data != "" {
			a.fail("catalogue.data_or_postgres")
			return nil, false
		}
		db, err := catalogue.OpenPostgres(context.Background(), cf.postgres)
		if err != nil {
			a.fail("plain", clean(err.Error()))
			return nil, false
		}
		return db, true
	}
	dir := cf.data
	if dir == "" {
		p, err := defaultCatalogueDir(a.Getenv)
		if err != nil {
			a.fail("catalogue.no_place", clean(err.Error()))
			return nil, false
		}
		dir = p
	}
	if err := os.MkdirAll(dir, store.PrivateDir); err != nil {
		a.fail("plain", clean(err.Error()))
		return nil, false
	}
	db, err := catalogue.OpenSQLite(dir)
	if err != nil {
		a.fail("plain", clean(err.Error()))
		return nil, false
	}
	a.warnExposed(append(store.DatabaseFiles(db.Path()), dir)...)
	return db, true
}

// defaultCatalogueDir sits beside the laptop database's default place.
func defaultCatalogueDir(getenv func(string) string) (string, error) {
	p, err := store.DefaultPath(getenv) // DATA/fieldbench/fieldbench.db
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(filepath.Dir(p)), "fieldbench-catalogue"), nil
}

// runServe runs the catalogue server until SIGINT or SIGTERM; in-flight
// requests finish (each batch is one transaction, so a request cut off
// stores all of its batch or none).
func (a *App) runServe(args []string) int {
	fs := a.newFlagSet("serve")
	cf := a.addCatalogueFlags(fs)
	addr := fs.String("addr", "127.0.0.1:8480", a.t("flag.addr"))
	cert := fs.String("tls-cert", "", a.t("flag.tls_cert"))
	key := fs.String("tls-key", "", a.t("flag.tls_key"))
	qualityEvery := fs.Duration("quality-every", 10*time.Minute, a.t("flag.quality_every"))
	zone := fs.String("tz", "", a.t("flag.tz"))
	limits := a.addServeLimits(fs)
	a.addLangFlag(fs)
	fs.Usage = func() {
		a.saySyntax(a.Stderr, "serve.usage")
		a.sayWrapped(a.Stderr, "serve.help")
		a.printFlags(a.Stderr, fs)
	}
	if err := a.parseFlags(fs, args); err != nil {
		return exitUnusable
	}
	problem := limits.check(a)
	switch {
	case (*cert == "") != (*key == ""):
		problem = a.t("flag.serve.tls_pair")
	case *qualityEvery < 0:
		problem = a.f("flag.serve.quality", *qualityEvery)
	}
	if problem != "" || fs.NArg() != 0 {
		if problem != "" {
			a.fail("plain", problem)
		}
		fs.Usage()
		return exitUnusable
	}
	if *zone != "" {
		loc, err := time.LoadLocation(*zone)
		if err != nil {
			a.fail("serve.bad_tz", clean(*zone))
			return exitUnusable
		}
		// Every time people read is shown in time.Local (forms/when): the
		// server's zone becomes the page's. Put back for whoever runs
		// this command in-process (the tests).
		defer func(old *time.Location) { time.Local = old }(time.Local)
		time.Local = loc
	}
	db, ok := a.openCatalogue(cf)
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	logger := log.New(a.Stderr, "fieldbench serve: ", log.LstdFlags)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		a.fail("plain", clean(err.Error()))
		return exitUnusable
	}
	public, err := server.PublicBase(limits.publicURL, ln.Addr(), *cert != "")
	if err != nil {
		ln.Close()
		a.fail("plain", clean(err.Error()))
		return exitUnusable
	}
	cfg := server.Config{BaseURL: public, CertFile: *cert, KeyFile: *key, QualityEvery: *qualityEvery, Log: logger,
		Stopping: func() { logger.Print(a.t("serve.stopping")) }}
	limits.apply(&cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger.Print(a.f("serve.listening", ln.Addr(), db.Backend(), db.Path()))
	if err := server.New(db, cfg).Serve(ctx, ln); err != nil {
		a.fail("plain", clean(err.Error()))
		return exitUnusable
	}
	return exitOK
}

// runCatalogue is the administration of the catalogue's database.
func (a *App) runCatalogue(args []string) int {
	// A flag first (catalogue -h) is no subcommand: the flags are
	// parsed, and -h shows the usage.
	cmd, rest := "", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, rest = args[0], args[1:]
	}
	if (cmd == "device" || cmd == "user") && len(rest) > 0 {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	fs := a.newFlagSet("catalogue " + cmd)
	usage := func() int {
		a.saySyntax(a.Stderr, "catalogue.usage")
		a.saySyntax(a.Stderr, "catalogue.usage_more")
		a.sayWrapped(a.Stderr, "catalogue.help")
		a.sayWrapped(a.Stderr, "labels.help")
		a.printFlags(a.Stderr, fs)
		return exitUnusable
	}
	fs.Usage = func() { usage() }
	if len(args) == 0 {
		return usage()
	}
	cf := a.addCatalogueFlags(fs)
	var townships multiFlag
	fs.Var(&townships, "township", a.t("flag.township"))
	formID := fs.String("form", "", a.t("flag.form_id"))
	format := fs.String("format", "", a.t("flag.format"))
	out := fs.String("out", "", a.t("flag.cat_out"))
	labels, lang := a.addLabelFlags(fs)
	masked := fs.Bool("masked", false, a.t("flag.cat_masked"))
	role := fs.String("role", "", a.t("flag.role"))
	county := fs.String("county", "", a.t("flag.county"))
	name := fs.String("name", "", a.t("flag.name"))
	asJSON := fs.Bool("json", false, a.t("flag.cat_json"))
	clearance := fs.Bool("clearance", false, a.t("flag.clearance"))
	replaces := fs.String("replaces", "", a.t("flag.replaces"))
	var sets multiFlag
	fs.Var(&sets, "set", a.t("flag.set"))
	if err := a.parseFlags(fs, reorderFlags(fs, rest)); err != nil {
		return exitUnusable
	}
	ctx := context.Background()
	open := func() (*catalogue.DB, bool) { return a.openCatalogue(cf) }
	switch {
	case cmd == "publish" && fs.NArg() == 1 && len(townships) > 0:
		db, ok := open()
		if !ok {
			return exitUnusable
		}
		defer db.Close()
		data, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			printLoadError(a.Stderr, fs.Arg(0), err, a.lang)
			return exitUnusable
		}
		fi, err := db.Publish(ctx, filepath.Base(fs.Arg(0)), data, townships)
		var loadErrs forms.LoadErrors
		switch {
		case errors.As(err, &loadErrs):
			printLoadError(a.Stderr, fs.Arg(0), loadErrs, a.lang) // one line per problem
			return exitUnusable
		case err != nil:
			a.fail("plain", clean(err.Error()))
			return exitUnusable
		}
		a.say(a.Stdout, "catalogue.published", clean(fi.FormID), clean(fi.Version), strings.Join(townships, ", "))
		if f, err := forms.Load(fi.FileName, data); err == nil {
			a.reportEntryAfterPublish(ctx, db, f)
		}
	case cmd == "device add" && fs.NArg() == 0 && len(townships) == 1:
		db, ok := open()
		if !ok {
			return exitUnusable
		}
		defer db.Close()
		if *replaces != "" {
			code, err := db.ReplaceDevice(ctx, townships[0], *replaces)
			if err != nil {
				a.fail("plain", clean(err.Error()))
				return exitUnusable
			}
			a.say(a.Stdout, "catalogue.code_again", clean(*replaces), townships[0], code)
			return exitOK
		}
		code, err := db.AddDevice(ctx, townships[0])
		if err != nil {
			a.fail("plain", clean(err.Error()))
			return exitUnusable
		}
		a.say(a.Stdout, "catalogue.code", townships[0], code)
	case cmd == "device list" && fs.NArg() == 0:
		db, ok := open()
		if !ok {
			return exitUnusable
		}
		defer db.Close()
		list, err := db.Devices(ctx)
		if err != nil {
			a.fail("plain", clean(err.Error()))
			return exitUnusable
		}
		t := &table{}
		t.add(a.heads("h.device", "h.township", "h.enrolled", "h.revoked")...)
		for _, d := range list {
			t.add(forms.Sanitize(d.ID, false), d.Township, when.Minute(d.EnrolledAt), when.Minute(d.RevokedAt))
		}
		t.write(a.Stdout)
		a.say(a.Stdout, "plain", a.nf("n_devices", len(list), len(list)))
	case cmd == "device revoke" && fs.NArg() == 1:
		db, ok := open()
		if !ok {
			return exitUnusable
		}
		defer db.Close()
		if err := db.RevokeDevice(ctx, fs.Arg(0)); err != nil {
			a.fail("catalogue.device_err", clean(fs.Arg(0)), a.catalogueErr(err))
			return exitUnusable
		}
		a.say(a.Stdout, "revoked", clean(fs.Arg(0)))
	case strings.HasPrefix(cmd, "user "):
		db, ok := open()
		if !ok {
			return exitUnusable
		}
		defer db.Close()
		return a.catalogueUser(ctx, db, cmd, fs.Args(), *role, *county, *name, *clearance)
	case cmd == "quality" && fs.NArg() == 0 && *formID != "":
		db, ok := open()
		if !ok {
			return exitUnusable
		}
		defer db.Close()
		return a.catalogueQuality(ctx, db, *formID, *asJSON)
	case cmd == "records" && fs.NArg() == 0:
		db, ok := open()
		if !ok {
			return exitUnusable
		}
		defer db.Close()
		counts, err := db.RecordCounts(ctx, *formID)
		if err != nil {
			a.fail("plain", clean(err.Error()))
			return exitUnusable
		}
		sort.SliceStable(counts, func(i, j int) bool { return counts[i].Township < counts[j].Township })
		t := &table{}
		t.add(a.heads("h.township", "h.form", "h.version", "h.state", "h.records")...)
		total := 0
		for _, c := range counts {
			t.add(c.Township, c.FormID, c.Version, c.State, fmt.Sprint(c.N))
			total += c.N
		}
		t.write(a.Stdout)
		a.say(a.Stdout, "plain", a.nf("n_records", total, total))
	case cmd == "describe" && fs.NArg() <= 1 && (fs.NArg() == 1 || len(sets) == 0):
		db, ok := open()
		if !ok {
			return exitUnusable
		}
		defer db.Close()
		return a.catalogueDescribe(ctx, db, fs.Arg(0), sets)
	case cmd == "export" && fs.NArg() == 0 && *formID != "":
		if msg := a.exportFormatProblem(*format, *out, *labels); msg != "" {
			a.fail("plain", msg)
			return usage()
		}
		return a.catalogueExport(ctx, cf, wire.ExportRequest{FormID: *formID, Format: *format, Masked: *masked,
			Labels: *labels, Language: a.language(*lang)}, *out)
	case cmd == "exports" && fs.NArg() == 0:
		db, ok := open()
		if !ok {
			return exitUnusable
		}
		defer db.Close()
		return a.catalogueExports(ctx, db, *formID)
	default:
		return usage()
	}
	return exitOK
}

// catalogueExport writes the catalogue's records of a form in the shapes
// of the laptop's export, with a pseudonym beside each ID number, and
// records the export in the catalogue's audit.
func (a *App) catalogueExport(ctx context.Context, cf *catalogueFlags, req wire.ExportRequest, out string) int {
	db, ok := a.openCatalogue(cf)
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	format := req.Format
	req.Command = adminCommand(req.FormID, format, out, req.Masked, req.Labels)
	x, err := db.NewExport(ctx, req)
	if err != nil {
		a.fail("plain", clean(err.Error()))
		return exitUnusable
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
		a.fail("export.failed", a.errText(err))
		return exitUnusable
	}
	fmt.Fprintln(a.Stderr, a.nf("export.done_catalogue", n, n))
	return exitOK
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
