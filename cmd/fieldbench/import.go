package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

// importBatch is how many records go into one transaction: large enough
// that commits do not dominate, small enough that a kill loses little
// unreported work.
const importBatch = 1000

// pendingLine is one record's verdict, held back until its batch commits:
// a record is reported accepted only once it is stored.
type pendingLine struct {
	line int
	res  *forms.Result
}

func (a *App) runImport(args []string) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	sf := addStoreFlags(fs)
	formID := fs.String("form", "", "the form_id the records belong to (registered with forms add)")
	version := fs.String("version", "", "the form version (default: the most recently added)")
	dryRun := fs.Bool("dry-run", false, "validate and report, store nothing")
	report := fs.String("report", "text", "report format: text, or json (one object per record, as validate writes)")
	lang := fs.String("lang", "", "language of messages: zh-Hans, zh-Hant or en")
	fs.Usage = func() {
		fmt.Fprintln(a.Stderr, "usage: fieldbench import --form FORM_ID [--dry-run] [--report json] FILE.jsonl|FILE.csv")
		fmt.Fprintln(a.Stderr, "Validates every record as finalize would; stores the accepted ones as finalized, none of the rejected.")
		fmt.Fprintln(a.Stderr, "Re-importing the same file stores nothing twice: each record is keyed by a hash of its input line.")
		fmt.Fprintln(a.Stderr, "Exit 0 when all were accepted, 1 when any was rejected, 2 when the form or file cannot be used.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorderFlags(args)); err != nil {
		return exitUnusable
	}
	if *formID == "" || fs.NArg() != 1 || (*report != "text" && *report != "json") {
		fs.Usage()
		return exitUnusable
	}
	db, ok := a.openStore(sf)
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	ctx := context.Background()
	list, err := db.Forms(ctx)
	if err != nil {
		fmt.Fprintf(a.Stderr, "fieldbench: %v\n", err)
		return exitUnusable
	}
	fv, found := latestVersion(list, *formID, *version)
	if !found {
		fmt.Fprintf(a.Stderr, "fieldbench: form %q (version %q) is not registered; add it with fieldbench forms add FILE.xlsx\n", *formID, *version)
		return exitUnusable
	}
	form, err := db.Form(ctx, fv.FormID, fv.Version)
	if err != nil {
		fmt.Fprintf(a.Stderr, "fieldbench: %v\n", err)
		return exitUnusable
	}
	name := fs.Arg(0)
	file, err := os.Open(name)
	if err != nil {
		printLoadError(a.Stderr, name, err)
		return exitUnusable
	}
	defer file.Close()

	imp := &importer{a: a, db: db, form: form, fv: fv, dryRun: *dryRun, json: *report == "json",
		opts: forms.Options{Language: a.language(*lang)}, name: name}
	imp.out = bufio.NewWriter(a.Stdout)
	defer imp.out.Flush()
	if a.IsTerminal != nil && a.IsTerminal(a.Stderr) {
		imp.progress = a.Stderr
	}
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		err = imp.readCSV(file)
	} else {
		err = imp.readJSONL(file)
	}
	// Whatever was read before a bad line is stored and reported, so a
	// fixed file imports only the rest (keys make the rerun idempotent).
	if ferr := imp.flush(ctx); err == nil {
		err = ferr
	}
	imp.endProgress()
	if err != nil {
		imp.out.Flush()
		fmt.Fprintf(a.Stderr, "fieldbench: %s\n", forms.Sanitize(err.Error(), false))
		if imp.stored > 0 {
			fmt.Fprintf(a.Stderr, "fieldbench: the %d records reported accepted before this are stored; fix the file and import it again: nothing is stored twice\n", imp.stored)
		}
		return exitUnusable
	}
	if !imp.json {
		verb := "stored"
		if imp.dryRun {
			verb = "would be stored (dry run)"
		}
		fmt.Fprintf(imp.out, "%d records: %d accepted, %d rejected; %d %s, %d already present\n",
			imp.total, imp.total-imp.rejected, imp.rejected, imp.stored, verb, imp.present)
	}
	if imp.rejected > 0 {
		return exitRejected
	}
	return exitOK
}

// importKey is a record's idempotency key: the SHA-256 of its form, version
// and input line (for CSV, of the row's values by column). Importing the
// same line again finds the key and stores nothing.
func importKey(formID, version string, raw []byte) string {
	h := sha256.New()
	h.Write([]byte(formID + "\x00" + version + "\x00"))
	h.Write(raw)
	return hex.EncodeToString(h.Sum(nil))
}

type importer struct {
	a        *App
	db       *store.DB
	form     *forms.Form
	fv       store.FormVersion
	opts     forms.Options
	name     string
	dryRun   bool
	json     bool
	out      *bufio.Writer
	progress io.Writer // nil when standard error is not a terminal

	items   []store.ImportItem
	pending []pendingLine

	total, rejected, stored, present int
	lastDraw                         time.Time
}

func (imp *importer) readJSONL(r io.Reader) error {
	return eachLine(r, func(n int, line []byte) error {
		obj, err := forms.DecodeRecord(line)
		if err != nil {
			return fmt.Errorf("%s:%d: malformed JSON: %v", imp.name, n, err)
		}
		// The key is of the line without its ending, so the same file
		// saved with CRLF line ends is the same import.
		return imp.add(n, bytes.TrimSpace(line), obj)
	})
}

func (imp *importer) readCSV(r io.Reader) error {
	cr, err := forms.NewCSVRecords(imp.form, r)
	if err != nil {
		return fmt.Errorf("%s: %v", imp.name, err)
	}
	for {
		n, obj, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %v", imp.name, err)
		}
		raw, _ := json.Marshal(obj) // the record's key: the same row gives the same key
		if err := imp.add(n, raw, obj); err != nil {
			return err
		}
	}
}

// add validates one record and queues it; every importBatch records the
// queue is stored and its verdicts reported.
func (imp *importer) add(n int, raw []byte, obj map[string]any) error {
	in, res := imp.form.ValidateRecord(obj, imp.opts)
	imp.total++
	if res.OK() {
		data, _ := in.MarshalJSON()
		imp.items = append(imp.items, store.ImportItem{FormID: imp.fv.FormID, Version: imp.fv.Version,
			Key: importKey(imp.fv.FormID, imp.fv.Version, raw), Data: data, InstanceName: in.Name()})
	} else {
		imp.rejected++
	}
	imp.pending = append(imp.pending, pendingLine{line: n, res: res})
	if len(imp.pending) >= importBatch {
		return imp.flush(context.Background())
	}
	return nil
}

// flush stores the queued records in one transaction, then reports them.
func (imp *importer) flush(ctx context.Context) error {
	if len(imp.items) > 0 && !imp.dryRun {
		results, err := imp.db.InsertFinalizedBatch(ctx, imp.items)
		if err != nil {
			return fmt.Errorf("storing records: %v (nothing of this batch was stored)", err)
		}
		for _, r := range results {
			if r.Inserted {
				imp.stored++
			} else {
				imp.present++
			}
		}
	} else if imp.dryRun {
		imp.stored += len(imp.items)
	}
	for _, p := range imp.pending {
		if imp.json {
			enc := json.NewEncoder(imp.out)
			enc.SetEscapeHTML(false)
			enc.Encode(toReportLine(p.line, p.res))
		} else if !p.res.OK() || len(p.res.Warnings) > 0 {
			writeTextReport(imp.out, p.line, p.res)
		}
	}
	imp.items, imp.pending = imp.items[:0], imp.pending[:0]
	imp.drawProgress()
	return nil
}

// drawProgress rewrites one status line on a terminal, at most ten times a
// second; piped output gets none.
func (imp *importer) drawProgress() {
	if imp.progress == nil || time.Since(imp.lastDraw) < 100*time.Millisecond {
		return
	}
	imp.lastDraw = time.Now()
	fmt.Fprintf(imp.progress, "\r%d records read, %d rejected, %d stored", imp.total, imp.rejected, imp.stored)
}

func (imp *importer) endProgress() {
	if imp.progress != nil && !imp.lastDraw.IsZero() {
		fmt.Fprintf(imp.progress, "\r%d records read, %d rejected, %d stored\n", imp.total, imp.rejected, imp.stored)
	}
}
