package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// catalogueCommand is the administration of the catalogue's database:
// each subcommand with its own flags, all of them with --data or
// --postgres.
func (a *App) catalogueCommand() *Command {
	g := a.group("catalogue", "cmd.catalogue",
		a.cataloguePublish(),
		a.group("device", "",
			a.catalogueDeviceAdd(),
			a.catalogueDeviceRevoke(),
			a.catalogueDeviceList(),
		),
		a.group("user", "",
			a.catalogueUserAdd(),
			a.catalogueUserRevoke(),
			a.catalogueUserList(),
		),
		a.catalogueRecords(),
		a.catalogueExportCommand(),
		a.catalogueExportsCommand(),
		a.catalogueDescribeCommand(),
		a.catalogueQualityCommand(),
		a.catalogueEntitiesCommand(),
		a.catalogueKeyCommand(),
		a.catalogueRekey(),
	)
	g.Help = []string{"catalogue.help"}
	return g
}

// catalogueLeaf is a catalogue subcommand with the flags naming the
// database; run gets it open, and it is closed after. The key file is
// not read: a command that neither seals nor opens anything (devices,
// users, forms, counts) works without the key's passphrase.
func (a *App) catalogueLeaf(name, synopsis string, args func(int) bool, run func(ctx context.Context, db *catalogue.DB, args []string) error) *Command {
	return a.catalogueLeafWith(a.openCatalogueOnly, name, synopsis, args, run)
}

// catalogueKeyedLeaf is catalogueLeaf for a command that seals or opens
// personal data: the database comes with its keys.
func (a *App) catalogueKeyedLeaf(name, synopsis string, args func(int) bool, run func(ctx context.Context, db *catalogue.DB, args []string) error) *Command {
	return a.catalogueLeafWith(a.openCatalogueDB, name, synopsis, args, run)
}

func (a *App) catalogueLeafWith(open func(*catalogueFlags) (*catalogue.DB, error), name, synopsis string, args func(int) bool,
	run func(ctx context.Context, db *catalogue.DB, args []string) error) *Command {
	c := a.leaf(name)
	c.Synopsis, c.Args = synopsis, args
	cf := a.addCatalogueFlags(c.Flags)
	c.Run = func(ctx context.Context, args []string) error {
		db, err := open(cf)
		if err != nil {
			return err
		}
		defer db.Close()
		return run(ctx, db, args)
	}
	return c
}

func (a *App) cataloguePublish() *Command {
	var townships multiFlag
	var attach *multiFlag
	c := a.catalogueLeaf("publish", "syn.catalogue_publish", exactly(1), func(ctx context.Context, db *catalogue.DB, args []string) error {
		if len(townships) == 0 {
			return errUsage
		}
		files, ok := a.readAttachments(*attach)
		if !ok {
			return errReported
		}
		data, err := os.ReadFile(args[0])
		if err != nil {
			a.printLoadError(a.Stderr, args[0], err)
			return errReported
		}
		fi, err := db.PublishAttached(ctx, filepath.Base(args[0]), data, files, townships)
		var loadErrs forms.LoadErrors
		switch {
		case errors.As(err, &loadErrs):
			a.printLoadError(a.Stderr, args[0], loadErrs) // one line per problem
			return errReported
		case err != nil:
			return err
		}
		a.say(a.Stdout, "catalogue.published", fi.FormID, fi.Version, strings.Join(townships, ", "))
		for _, at := range fi.Attachments {
			a.say(a.Stdout, "forms_add.attachment", at.Name, at.Size, at.SHA256)
		}
		if f, err := forms.Load(fi.FileName, data, files...); err == nil {
			a.reportEntryAfterPublish(ctx, db, f)
		}
		return nil
	})
	c.Flags.Var(&townships, "township", a.t("flag.township"))
	attach = a.attachFlag(c.Flags)
	return c
}

func (a *App) catalogueDeviceAdd() *Command {
	var townships multiFlag
	var replaces *string
	c := a.catalogueLeaf("add", "syn.catalogue_device_add", exactly(0), func(ctx context.Context, db *catalogue.DB, _ []string) error {
		if len(townships) != 1 {
			return errUsage
		}
		if *replaces != "" {
			code, err := db.ReplaceDevice(ctx, townships[0], *replaces)
			if err != nil {
				return err
			}
			a.say(a.Stdout, "catalogue.code_again", *replaces, townships[0], code)
			return nil
		}
		code, err := db.AddDevice(ctx, townships[0])
		if err != nil {
			return err
		}
		a.say(a.Stdout, "catalogue.code", townships[0], code)
		return nil
	})
	c.Flags.Var(&townships, "township", a.t("flag.township"))
	replaces = c.Flags.String("replaces", "", a.t("flag.replaces"))
	return c
}

func (a *App) catalogueDeviceRevoke() *Command {
	return a.catalogueLeaf("revoke", "syn.catalogue_device_revoke", exactly(1), func(ctx context.Context, db *catalogue.DB, args []string) error {
		if err := db.RevokeDevice(ctx, args[0]); err != nil {
			return a.failed("catalogue.device_err", args[0], a.catalogueErr(err))
		}
		a.say(a.Stdout, "revoked", args[0])
		return nil
	})
}

func (a *App) catalogueDeviceList() *Command {
	return a.catalogueLeaf("list", "", exactly(0), func(ctx context.Context, db *catalogue.DB, _ []string) error {
		list, err := db.Devices(ctx)
		if err != nil {
			return err
		}
		t := &table{}
		t.add(a.heads("h.device", "h.township", "h.enrolled", "h.revoked")...)
		for _, d := range list {
			t.add(d.ID, d.Township, when.Minute(d.EnrolledAt), when.Minute(d.RevokedAt))
		}
		t.write(a.Stdout)
		a.say(a.Stdout, "plain", a.nf("n_devices", len(list), len(list)))
		return nil
	})
}

func (a *App) catalogueRecords() *Command {
	var formID *string
	c := a.catalogueLeaf("records", "syn.catalogue_records", exactly(0), func(ctx context.Context, db *catalogue.DB, _ []string) error {
		counts, err := db.RecordCounts(ctx, *formID)
		if err != nil {
			return err
		}
		sort.SliceStable(counts, func(i, j int) bool { return counts[i].Township < counts[j].Township })
		t := &table{}
		t.add(a.heads("h.township", "h.form", "h.version", "h.state", "h.records")...)
		total := 0
		for _, c := range counts {
			t.add(c.Township, c.FormID, c.Version, c.State, strconv.Itoa(c.N))
			total += c.N
		}
		t.write(a.Stdout)
		a.say(a.Stdout, "plain", a.nf("n_records", total, total))
		return nil
	})
	formID = c.Flags.String("form", "", a.t("flag.form_id"))
	return c
}

func (a *App) catalogueExportCommand() *Command {
	c := a.leaf("export")
	c.Synopsis, c.Args = "syn.catalogue_export", exactly(0)
	c.Help = []string{"labels.help"}
	cf := a.addCatalogueFlags(c.Flags)
	formID := c.Flags.String("form", "", a.t("flag.form_id"))
	format := c.Flags.String("format", "", a.t("flag.format"))
	out := c.Flags.String("out", "", a.t("flag.cat_out"))
	labels, lang := a.addLabelFlags(c.Flags)
	masked := c.Flags.Bool("masked", false, a.t("flag.cat_masked"))
	encryptTo := a.addEncryptFlag(c.Flags)
	c.Run = func(ctx context.Context, _ []string) error {
		if *formID == "" {
			return errUsage
		}
		if msg := a.exportFormatProblem(*format, *out, *labels); msg != "" {
			return &usageError{msg: msg}
		}
		return a.catalogueExport(ctx, cf, wire.ExportRequest{FormID: *formID, Format: *format, Masked: *masked,
			Labels: *labels, Language: a.language(*lang)}, *out, *encryptTo)
	}
	return c
}

func (a *App) catalogueExportsCommand() *Command {
	var formID *string
	c := a.catalogueLeaf("exports", "syn.catalogue_exports", exactly(0), func(ctx context.Context, db *catalogue.DB, _ []string) error {
		return a.catalogueExports(ctx, db, *formID)
	})
	formID = c.Flags.String("form", "", a.t("flag.form_id"))
	return c
}

func (a *App) catalogueDescribeCommand() *Command {
	var sets multiFlag
	c := a.catalogueLeaf("describe", "syn.catalogue_describe", atMost(1), func(ctx context.Context, db *catalogue.DB, args []string) error {
		if len(args) == 0 && len(sets) > 0 {
			return errUsage
		}
		formID := ""
		if len(args) == 1 {
			formID = args[0]
		}
		return a.catalogueDescribe(ctx, db, formID, sets)
	})
	c.Flags.Var(&sets, "set", a.t("flag.set"))
	return c
}

func (a *App) catalogueQualityCommand() *Command {
	var formID *string
	var asJSON *bool
	c := a.catalogueLeaf("quality", "syn.catalogue_quality", exactly(0), func(ctx context.Context, db *catalogue.DB, _ []string) error {
		if *formID == "" {
			return errUsage
		}
		return a.catalogueQuality(ctx, db, *formID, *asJSON)
	})
	formID = c.Flags.String("form", "", a.t("flag.form_id"))
	asJSON = c.Flags.Bool("json", false, a.t("flag.cat_json"))
	return c
}

// catalogueFlags are the flags naming the catalogue's database and its
// key file, and what opening them found.
type catalogueFlags struct {
	data     string
	postgres string
	keys     *keyFlags

	dir       string       // the catalogue's directory (SQLite's, or the default beside it)
	ring      seal.KeyRing // the key file's keys
	protected bool         // the key file is passphrase-protected
}

func (a *App) addCatalogueFlags(fs *flag.FlagSet) *catalogueFlags {
	cf := &catalogueFlags{}
	fs.StringVar(&cf.data, "data", "", a.t("flag.data"))
	fs.StringVar(&cf.postgres, "postgres", "", a.t("flag.postgres"))
	cf.keys = a.addKeyFlags(fs)
	return cf
}

// openCatalogueDB opens the catalogue's database the flags name, and its
// key file.
func (a *App) openCatalogueDB(cf *catalogueFlags) (*catalogue.DB, error) {
	db, err := a.openCatalogueOnly(cf)
	if err != nil {
		return nil, err
	}
	ring, path, err := a.openKeys(context.Background(), db, cf.keys, cf.dir)
	if err != nil {
		db.Close()
		return nil, err
	}
	cf.ring, cf.protected = ring, keyFileProtected(path)
	return db, nil
}

// openCatalogueOnly opens the catalogue's database the flags name.
func (a *App) openCatalogueOnly(cf *catalogueFlags) (*catalogue.DB, error) {
	dir := cf.data
	if dir == "" {
		p, err := defaultCatalogueDir(a.Getenv)
		switch {
		case err != nil && cf.postgres != "" && cf.keys.file == "":
			return nil, a.failed("catalogue.no_key_place", err)
		case err != nil && cf.postgres == "":
			return nil, a.failed("catalogue.no_place", err)
		}
		dir = p
	}
	cf.dir = dir
	if cf.postgres != "" {
		if cf.data != "" {
			return nil, a.failed("catalogue.data_or_postgres")
		}
		return catalogue.OpenPostgres(context.Background(), cf.postgres)
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

// keyFileProtected says whether the key file at path is protected by a
// passphrase.
func keyFileProtected(path string) bool {
	data, err := os.ReadFile(path)
	return err == nil && seal.KeyFileProtected(data)
}

// defaultCatalogueDir sits beside the laptop database's default place.
func defaultCatalogueDir(getenv func(string) string) (string, error) {
	p, err := store.DefaultPath(getenv) // DATA/fieldbench/fieldbench.db
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(filepath.Dir(p)), "fieldbench-catalogue"), nil
}
