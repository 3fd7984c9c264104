package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"sort"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/export"
	"github.com/fieldbench/fieldbench/store/seal"
)

func (a *App) exportCommand() *Command {
	c := a.leaf("export")
	c.Summary, c.Usage, c.Args = "cmd.export", "export.usage", exactly(0)
	c.Help = []string{"export.help", "labels.help"}
	sf := a.addStoreFlags(c.Flags)
	formID := c.Flags.String("form", "", a.t("flag.export_form"))
	format := c.Flags.String("format", "", a.t("flag.export_format"))
	out := c.Flags.String("out", "", a.t("flag.export_out"))
	masked := c.Flags.Bool("masked", false, a.t("flag.export_masked"))
	state := c.Flags.String("state", "", a.t("flag.export_state"))
	encryptTo := a.addEncryptFlag(c.Flags)
	labels, lang := a.addLabelFlags(c.Flags)
	c.Run = func(ctx context.Context, _ []string) error {
		if *formID == "" {
			return errUsage
		}
		switch *format {
		case "jsonl":
		case "csv", "xlsx":
			if *out == "" {
				return a.failed("format.needs_out", *format)
			}
		default:
			return a.usageErr("format.bad", *format)
		}
		if *labels && *format == "jsonl" {
			return a.failed("format.labels_jsonl")
		}
		// By default every state store.State.Exportable says is worth it.
		wanted := store.StatesThat(store.State.Exportable)
		if *state != "" {
			s := store.State(*state)
			if !s.Exportable() {
				return a.failed("export.bad_state", *state)
			}
			wanted = []store.State{s}
		}
		recipients, err := a.exportRecipients(*encryptTo, *out)
		if err != nil {
			return err
		}
		opts := []store.Option{store.CreateDir()}
		if !*masked {
			opts = append(opts, a.askingPassphraseOption())
		}
		db, err := a.openLaptopStore(sf, opts...)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.Locked(); err != nil && !*masked {
			return a.failed("plain", a.storeErr(err))
		}
		req := exportRequest{formID: *formID, format: *format, out: *out, state: *state, wanted: wanted,
			recipients: recipients, opts: export.Options{Masked: *masked, Labels: *labels, Language: a.language(*lang)}}
		return a.export(ctx, db, req)
	}
	return c
}

// exportRequest is what the export command's flags ask for.
type exportRequest struct {
	formID, format, out, state string
	wanted                     []store.State
	recipients                 []string // --encrypt-to: every file age-encrypted to them
	opts                       export.Options
}

// export writes the form's records in the wanted states where the
// request says, and logs the export in the trail: what, how many, where,
// masked or clear, and to whom it is encrypted. A masked export reads the
// masked data as stored and needs no key; a clear one opens each record.
func (a *App) export(ctx context.Context, db *store.DB, req exportRequest) error {
	// Columns come from the most recently added version, then whatever
	// the earlier versions asked that it does not: the records of every
	// version are exported, and none may lose an answer on the way out.
	fv, form, err := a.findRegisteredForm(ctx, db, req.formID, "")
	if err != nil {
		return err
	}
	opts := req.opts
	if opts.Earlier, err = earlierVersions(ctx, db, fv); err != nil {
		return err
	}
	recs, err := exportList(ctx, db, req.formID, req.wanted)
	if err != nil {
		return err
	}
	// The list holds ids only; each record's data is read as it is
	// written, one query per record. That costs a round trip per record
	// (fine for township-sized exports); a single cursor over records and
	// their head versions would be the faster path if it ever matters.
	read := db.Record
	if opts.Masked {
		read = db.MaskedRecord
	}
	// A record kept masked only (store.MaskedOnlyError) goes out as it
	// is here, masked; the person is told how many, as its full data is
	// at the catalogue.
	maskedOnly := 0
	src := func(yield func(string, []byte) error) error {
		maskedOnly = 0 // counted once however often a writer reads
		for _, r := range recs {
			full, err := read(ctx, r.ID)
			if err != nil {
				return err
			}
			if full.MaskedOnly {
				maskedOnly++
			}
			if err := yield(full.ID, full.Data); err != nil {
				return err
			}
		}
		return nil
	}

	var n int
	dest, to := req.out, req.recipients
	switch req.format {
	case "jsonl":
		if dest == "" {
			dest = a.t("stdout")
			n, err = export.WriteJSONL(a.Stdout, form, src, opts)
		} else {
			n, err = writeNewFile(dest, encrypted(to, func(w io.Writer) (int, error) { return export.WriteJSONL(w, form, src, opts) }))
		}
	case "xlsx":
		n, err = writeNewFile(dest, encrypted(to, func(w io.Writer) (int, error) { return export.WriteXLSX(w, form, src, opts) }))
	case "csv":
		n, err = writeCSVDir(dest, form, src, opts, to)
	}
	if err != nil {
		return a.failed("export.failed", a.errText(err))
	}
	// The trail is for machines as well: standard output is "-" in it,
	// whatever the language.
	file := req.out
	if file == "" {
		file = "-"
	}
	detail := map[string]any{"form_id": req.formID, "format": req.format, "masked": opts.Masked, "count": n, "file": file}
	if req.state != "" {
		detail["state"] = req.state
	}
	if len(to) > 0 {
		detail["encrypted_to"] = to
	}
	if maskedOnly > 0 {
		detail["masked_only"] = maskedOnly
	}
	if err := db.Log(ctx, store.EventExported, "", detail); err != nil {
		// The data is out; say that the trail missed it rather than
		// pretend the export failed.
		return a.failed("export.audit_failed", err)
	}
	a.say(a.Stderr, "plain", a.nf("export.done", n, n, dest))
	if maskedOnly > 0 && !opts.Masked {
		a.say(a.Stderr, "plain", a.nf("export.masked_only", maskedOnly, maskedOnly))
	}
	return nil
}

// addLabelFlags adds --labels and --lang to an export's flags.
func (a *App) addLabelFlags(fs *flag.FlagSet) (labels *bool, lang *string) {
	labels = fs.Bool("labels", false, a.t("flag.labels"))
	lang = fs.String("lang", "", a.t("flag.labels_lang"))
	return labels, lang
}

// earlierVersions loads the form's other registered versions, newest
// first, so their questions get columns too.
func earlierVersions(ctx context.Context, db *store.DB, newest store.FormVersion) ([]*forms.Form, error) {
	list, err := db.Forms(ctx)
	if err != nil {
		return nil, err
	}
	var out []*forms.Form
	for i := len(list) - 1; i >= 0; i-- { // Forms lists by added_at
		fv := list[i]
		if fv.FormID != newest.FormID || fv.Version == newest.Version {
			continue
		}
		f, err := db.Form(ctx, fv.FormID, fv.Version)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// exportList lists the form's records in the wanted states, oldest first so
// that exports read in the order the records were made.
func exportList(ctx context.Context, db *store.DB, formID string, wanted []store.State) ([]store.Record, error) {
	var all []store.Record
	for _, s := range wanted {
		recs, err := db.Records(ctx, store.Filter{FormID: formID, State: s})
		if err != nil {
			return nil, err
		}
		all = append(all, recs...)
	}
	sort.SliceStable(all, func(i, j int) bool {
		if c := all[i].CreatedAt.Compare(all[j].CreatedAt); c != 0 {
			return c < 0
		}
		return all[i].ID < all[j].ID
	})
	return all, nil
}

// writeNewFile writes a new file at path, refusing an existing one. The
// data goes to a temporary file beside it (0600) that takes the name only
// once complete and on the disk, so neither a failure nor a killed process
// leaves a short export looking whole.
func writeNewFile(path string, write func(io.Writer) (int, error)) (int, error) {
	f, err := store.CreateNew(path)
	if errors.Is(err, store.ErrFileExists) {
		return 0, &existsError{path: path}
	}
	if err != nil {
		return 0, err
	}
	n, err := write(f)
	if err != nil {
		f.Abort()
		return n, err
	}
	if err := f.Commit(); err != nil {
		if errors.Is(err, store.ErrFileExists) {
			return n, &existsError{path: path, appeared: true}
		}
		return n, err
	}
	return n, nil
}

// writeCSVDir writes one CSV file per level into dir, created if missing.
// Every file name is checked before anything is written, so an export
// never overwrites a file or stops halfway over an existing one.
func writeCSVDir(dir string, form *forms.Form, src export.Records, opts export.Options, recipients []string) (int, error) {
	return writeDir(dir, export.CSVNames(form, opts), recipients, func(open func(string) (io.Writer, error)) (int, error) {
		return export.WriteCSV(open, form, src, opts)
	})
}

// writeDir is writeCSVDir for any writer of the named files. The names
// come from data (form ids, repeat names), so each must be a plain file
// name that stays inside dir. Every file is written under a temporary
// name and renamed once all are complete, the main level (names[0]) last:
// where it exists, the whole set does. With recipients each file is
// age-encrypted to them and named NAME.age.
func writeDir(dir string, names, recipients []string, write func(open func(string) (io.Writer, error)) (int, error)) (int, error) {
	paths := make(map[string]string, len(names))
	for _, name := range names {
		p, err := store.SafeJoin(dir, encryptedName(recipients, name))
		if err != nil {
			return 0, err
		}
		if _, err := os.Lstat(p); err == nil {
			return 0, &existsError{path: p, dir: true}
		}
		paths[name] = p
	}
	if err := os.MkdirAll(dir, store.PrivateDir); err != nil {
		return 0, err
	}
	var created []*store.NewFile
	var sealed []*closeOnce // age writers, finished before their files are committed
	defer func() {
		for _, f := range created {
			f.Abort() // nothing after Commit
		}
	}()
	open := func(name string) (io.Writer, error) {
		p, ok := paths[name]
		if !ok {
			var err error
			if p, err = store.SafeJoin(dir, encryptedName(recipients, name)); err != nil {
				return nil, err
			}
		}
		f, err := store.CreateNew(p)
		if err != nil {
			return nil, err
		}
		created = append(created, f)
		if len(recipients) == 0 {
			return f, nil
		}
		ew, err := seal.EncryptTo(f, recipients...)
		if err != nil {
			return nil, err
		}
		sealed = append(sealed, &closeOnce{WriteCloser: ew})
		return sealed[len(sealed)-1], nil
	}
	n, err := write(open)
	if err != nil {
		return n, err
	}
	for _, ew := range sealed {
		if err := ew.Close(); err != nil {
			return n, err
		}
	}
	return n, store.CommitAll(created)
}

// closeOnce is an age writer that a CSV writer may close (it closes what
// it was given) and writeDir closes again before committing: the second
// Close does nothing.
type closeOnce struct {
	io.WriteCloser
	closed bool
	err    error
}

func (c *closeOnce) Close() error {
	if !c.closed {
		c.closed, c.err = true, c.WriteCloser.Close()
	}
	return c.err
}

// existsError is an export that would overwrite a file: the command says
// so in its language (App.existsText); Error is for logs and tests.
type existsError struct {
	path     string
	dir      bool // --out names a directory
	appeared bool // the file came while the export was written
}

func (e *existsError) Error() string {
	switch {
	case e.appeared:
		return e.path + " appeared while the export was written; choose another --out, nothing was overwritten"
	case e.dir:
		return e.path + " already exists; choose another --out directory, nothing was overwritten"
	}
	return e.path + " already exists; choose another --out, nothing was overwritten"
}

func (a *App) existsText(e *existsError) string {
	p := e.path
	switch {
	case e.appeared:
		return a.f("exists.appeared", p)
	case e.dir:
		return a.f("exists.dir", p)
	}
	return a.f("exists.file", p)
}

// errText is an error for the person: the ones the command knows by name
// in its language, any other in its own words.
func (a *App) errText(err error) string {
	var ee *existsError
	if errors.As(err, &ee) {
		return a.existsText(ee)
	}
	return err.Error()
}
