package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/ingest"
)

// importCommand validates records (JSONL or CSV) and stores the
// accepted ones as finalized, through store/ingest.
func (a *App) importCommand() *Command {
	c := a.leaf("import")
	c.Summary, c.Usage, c.Help, c.Args = "cmd.import", "import.usage", []string{"import.help"}, exactly(1)
	fs := c.Flags
	sf := a.addStoreFlags(fs)
	formID := fs.String("form", "", a.t("flag.import_form"))
	version := fs.String("version", "", a.t("flag.version"))
	dryRun := fs.Bool("dry-run", false, a.t("flag.dry_run"))
	report, lang := a.addReportFlags(fs)
	encoding := a.addEncodingFlag(fs)
	c.Run = func(ctx context.Context, args []string) error {
		if *formID == "" || !validReport(*report) {
			return errUsage
		}
		uiLang := a.language(*lang)
		enc, err := a.encodingNamed(*encoding, uiLang)
		if err != nil {
			return err
		}
		db, err := a.openLaptopStore(sf, store.CreateDir())
		if err != nil {
			return err
		}
		defer db.Close()
		fv, form, err := a.findRegisteredForm(ctx, db, *formID, *version)
		if err != nil {
			return err
		}
		name := args[0]
		file, err := os.Open(name)
		if err != nil {
			a.printLoadError(a.Stderr, name, err)
			return errReported
		}
		defer file.Close()
		// The whole file is checked first: refused for its encoding, it
		// stores nothing, where a malformed line stores what came before it.
		if err := checkText(file, name, enc, uiLang); err != nil {
			return err
		}
		if _, err := file.Seek(0, io.SeekStart); err != nil {
			a.printLoadError(a.Stderr, name, err)
			return errReported
		}
		out := bufio.NewWriter(a.Stdout)
		defer out.Flush()
		p := &importProgress{a: a}
		if a.IsTerminal != nil && a.IsTerminal(a.Stderr) {
			p.w = a.Stderr
		}
		opts := ingest.Options{Form: form, FormID: fv.FormID, Version: fv.Version, Name: name, Language: uiLang,
			CSV:      strings.EqualFold(filepath.Ext(name), ".csv"),
			Line:     a.importReport(out, *report == "json"),
			Progress: p.draw}
		if form.UsesLastSaved() {
			if opts.LastSaved, err = db.LastSaved(ctx, fv.FormID, ""); err != nil {
				return err
			}
		}
		if !*dryRun {
			if opts.Bulk, err = db.Bulk(ctx); err != nil {
				return err
			}
		}
		n, err := ingest.Run(ctx, forms.TextReader(file, enc), opts)
		if opts.Bulk != nil {
			if cerr := opts.Bulk.Close(); err == nil {
				err = cerr
			}
		}
		p.end(n)
		if err != nil {
			out.Flush()
			a.fail("plain", err.Error())
			if n.Stored > 0 {
				a.fail("plain", a.nf("import.partly_stored", n.Stored, n.Stored))
			}
			return errReported
		}
		if *report != "json" {
			stored := "import.stored"
			if *dryRun {
				stored = "import.would_store"
			}
			a.say(out, "import.summary", a.nf("n_records", n.Total, n.Total), n.Total-n.Rejected, n.Rejected,
				a.f(stored, n.Stored), n.Present)
		}
		if n.Rejected > 0 {
			return errRejected
		}
		return nil
	}
	return c
}

// importReport writes each record's line of the report: every record
// in JSON, the rejected and warned ones in text.
func (a *App) importReport(w io.Writer, asJSON bool) func(ingest.Line) {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return func(l ingest.Line) { enc.Encode(toReportLine(l.N, l.Result)) }
	}
	return func(l ingest.Line) {
		if !l.Result.OK() || len(l.Result.Warnings) > 0 {
			a.writeTextReport(w, l.N, l.Result)
		}
	}
}

// importProgress rewrites one status line on a terminal, at most ten
// times a second; piped output (w nil) gets none.
type importProgress struct {
	a        *App
	w        io.Writer
	lastDraw time.Time
}

func (p *importProgress) draw(n ingest.Counts) {
	if p.w == nil || time.Since(p.lastDraw) < 100*time.Millisecond {
		return
	}
	p.lastDraw = time.Now()
	redrawLine(p.w, p.line(n))
}

// end leaves the last counts on the status line, once one was drawn.
func (p *importProgress) end(n ingest.Counts) {
	if p.w != nil && !p.lastDraw.IsZero() {
		redrawLine(p.w, p.line(n))
		blankLine(p.w)
	}
}

func (p *importProgress) line(n ingest.Counts) string {
	return p.a.f("import.progress", p.a.nf("n_records", n.Total, n.Total), n.Rejected, n.Stored)
}
