package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

func (a *App) runImport(args []string) int {
	fs := a.newFlagSet("import")
	sf := a.addStoreFlags(fs)
	formID := fs.String("form", "", a.t("flag.import_form"))
	version := fs.String("version", "", a.t("flag.version"))
	dryRun := fs.Bool("dry-run", false, a.t("flag.dry_run"))
	report, lang := a.addReportFlags(fs)
	encoding := a.addEncodingFlag(fs)
	fs.Usage = func() {
		a.saySyntax(a.Stderr, "import.usage")
		a.sayWrapped(a.Stderr, "import.help")
		a.printFlags(a.Stderr, fs)
	}
	if err := a.parseFlags(fs, reorderFlags(fs, args)); err != nil {
		return exitUnusable
	}
	if *formID == "" || fs.NArg() != 1 || !validReport(*report) {
		fs.Usage()
		return exitUnusable
	}
	uiLang := a.language(*lang)
	enc, ok := a.inputEncoding(*encoding, uiLang)
	if !ok {
		return exitUnusable
	}
	db, ok := a.openStore(sf)
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	ctx := context.Background()
	fv, form, ok := a.registeredForm(ctx, db, *formID, *version)
	if !ok {
		return exitUnusable
	}
	name := fs.Arg(0)
	file, err := os.Open(name)
	if err != nil {
		a.printLoadError(a.Stderr, name, err)
		return exitUnusable
	}
	defer file.Close()
	// The whole file is checked first: refused for its encoding, it
	// stores nothing, where a malformed line stores what came before it.
	if err := checkText(file, name, enc, uiLang); err != nil {
		a.fail("plain", clean(err.Error()))
		return exitUnusable
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		a.printLoadError(a.Stderr, name, err)
		return exitUnusable
	}

	imp := &importer{a: a, form: form, fv: fv, dryRun: *dryRun, json: *report == "json",
		opts: forms.Options{Language: uiLang}, name: name}
	imp.out = bufio.NewWriter(a.Stdout)
	defer imp.out.Flush()
	if a.IsTerminal != nil && a.IsTerminal(a.Stderr) {
		imp.progress = a.Stderr
	}
	imp.file = forms.TextReader(file, enc)
	read := imp.readJSONL
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		read = imp.readCSV
	}
	if !imp.dryRun {
		if imp.bulk, err = db.Bulk(ctx); err != nil {
			a.fail("plain", clean(err.Error()))
			return exitUnusable
		}
	}
	err = imp.run(ctx, read)
	if imp.bulk != nil {
		if cerr := imp.bulk.Close(); err == nil {
			err = cerr
		}
	}
	imp.endProgress()
	if err != nil {
		imp.out.Flush()
		a.fail("plain", clean(err.Error()))
		if imp.stored > 0 {
			a.fail("plain", a.nf("import.partly_stored", imp.stored, imp.stored))
		}
		return exitUnusable
	}
	if !imp.json {
		stored := "import.stored"
		if imp.dryRun {
			stored = "import.would_store"
		}
		a.say(imp.out, "import.summary", a.nf("n_records", imp.total, imp.total), imp.total-imp.rejected, imp.rejected,
			a.f(stored, imp.stored), imp.present)
	}
	if imp.rejected > 0 {
		return exitRejected
	}
	return exitOK
}

// importKey is a record's idempotency key: the first 16 bytes (128 bits,
// so two different lines never meet in practice) of the SHA-256 of its
// form, version and input line (for CSV, of the row's values by column).
// Importing the same line again finds the key and stores nothing.
func importKey(formID, version string, raw []byte) string {
	h := sha256.New()
	h.Write([]byte(formID + "\x00" + version + "\x00"))
	h.Write(raw)
	return string(h.Sum(nil)[:16])
}

type importer struct {
	a        *App
	bulk     *store.Bulk // nil in a dry run
	form     *forms.Form
	fv       store.FormVersion
	opts     forms.Options
	name     string
	dryRun   bool
	json     bool
	out      *bufio.Writer
	progress io.Writer // nil when standard error is not a terminal
	file     io.Reader

	// What the storer has committed and reported; read only after run.
	total, rejected, stored, present int
	lastDraw                         time.Time
}

// The import is a pipeline: one goroutine reads lines, runtime.GOMAXPROCS
// workers decode, validate and marshal them, the caller's goroutine puts
// the results back in input order and cuts them into batches, and a storer
// goroutine commits each batch and only then writes its records' reports.
// The next batch fills while one commits, so neither side waits for the
// other.

// importBatchSize is how many records go into one transaction: large
// enough that the index pages a commit rewrites are shared by many
// records, small enough that a kill loses little unreported work.
const importBatchSize = 5000

// importWindow bounds the records between reader and batcher.
const importWindow = 1024

// importJob is one input record on its way to a worker.
type importJob struct {
	seq  int            // position among the jobs, from 0: the order of the report
	line int            // line number in the file
	raw  []byte         // JSONL: the line as read
	obj  map[string]any // CSV: the row
	err  error          // the input cannot be read here: store what came before, then stop
}

// importOutcome is a worker's verdict on one job.
type importOutcome struct {
	seq    int
	set    bool             // a slot of the reorder ring holds this outcome
	item   store.ImportItem // the record to store, when ok
	ok     bool
	report []byte // what the report says about this record (nil: nothing)
	err    error
}

// importBatch is a run of consecutive records on their way to the storer.
type importBatch struct {
	items    []store.ImportItem
	reports  [][]byte // of every record, in input order (nil: nothing to write)
	rejected int
}

var errImportStopped = errors.New("import stopped")

// run drives the pipeline; read calls emit for each record in order and
// stops when emit returns false. Whatever was read before an error is
// stored and reported, so a fixed file imports only the rest (keys make
// the rerun idempotent).
func (imp *importer) run(ctx context.Context, read func(emit func(importJob) bool) error) error {
	var (
		slots   = make(chan struct{}, importWindow) // one per job in flight
		jobs    = make(chan importJob, importWindow)
		results = make(chan importOutcome, importWindow) // never blocks: at most importWindow in flight
		stop    = make(chan struct{})
		batches = make(chan *importBatch, 1)
		stored  = make(chan error, 1)
		readers sync.WaitGroup
		workers sync.WaitGroup
	)
	readers.Add(1)
	go func() {
		defer readers.Done()
		defer close(jobs)
		seq := 0
		emit := func(j importJob) bool {
			select {
			case slots <- struct{}{}:
			case <-stop:
				return false
			}
			j.seq = seq
			seq++
			jobs <- j
			return true
		}
		if err := read(emit); err != nil && !errors.Is(err, errImportStopped) {
			emit(importJob{err: err})
		}
	}()
	// One processor is the storer's: it is the slower stage, and a worker
	// sharing its processor slows the whole import.
	n := max(1, runtime.GOMAXPROCS(0)-1)
	workers.Add(n)
	for range n {
		go func() {
			defer workers.Done()
			for j := range jobs {
				select {
				case <-stop:
					continue // the storer has quit: drain without working
				default:
				}
				results <- imp.process(j)
			}
		}()
	}
	go func() { workers.Wait(); close(results) }()
	go func() { stored <- imp.store(ctx, batches) }()

	ring := make([]importOutcome, importWindow)
	next := 0
	b := &importBatch{}
	send := func() bool {
		if len(b.reports) == 0 {
			return true
		}
		select {
		case batches <- b:
			b = &importBatch{}
			return true
		case err := <-stored: // the storer failed and quit
			stored <- err
			return false
		}
	}
	var err error
loop:
	for o := range results {
		ring[o.seq%importWindow] = o
		for {
			r := &ring[next%importWindow]
			if !r.set || r.seq != next {
				break
			}
			o := *r
			*r = importOutcome{}
			next++
			<-slots
			if o.err != nil {
				err = o.err
				break loop
			}
			if o.ok {
				b.items = append(b.items, o.item)
			} else {
				b.rejected++
			}
			b.reports = append(b.reports, o.report)
			if len(b.reports) >= importBatchSize && !send() {
				break loop
			}
		}
	}
	send()
	close(batches)
	close(stop)
	readers.Wait()
	workers.Wait()
	if serr := <-stored; serr != nil {
		return serr // storing failed first: the cause of stopping
	}
	return err
}

// store commits the batches in order and reports each after its commit.
// On an error it drains the channel, storing nothing more.
func (imp *importer) store(ctx context.Context, batches <-chan *importBatch) error {
	var err error
	for b := range batches {
		if err == nil {
			err = imp.storeBatch(ctx, b)
		}
	}
	return err
}

func (imp *importer) storeBatch(ctx context.Context, b *importBatch) error {
	if len(b.items) > 0 && !imp.dryRun {
		results, err := imp.bulk.InsertFinalizedBatch(ctx, b.items)
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
		imp.stored += len(b.items)
	}
	for _, p := range b.reports {
		imp.out.Write(p)
	}
	imp.total += len(b.reports)
	imp.rejected += b.rejected
	imp.drawProgress()
	return nil
}

// process decodes, validates and marshals one record; it runs on a worker.
func (imp *importer) process(j importJob) importOutcome {
	o := importOutcome{seq: j.seq, set: true, err: j.err}
	if o.err != nil {
		return o
	}
	obj, raw := j.obj, j.raw
	if obj == nil {
		var err error
		if obj, err = forms.DecodeRecord(raw); err != nil {
			o.err = forms.RecordLineError(imp.name, j.line, err, imp.opts.Language)
			return o
		}
		// The key is of the line without its ending, so the same file
		// saved with CRLF line ends is the same import.
		raw = bytes.TrimSpace(raw)
	} else {
		raw, _ = json.Marshal(obj) // the record's key: the same row gives the same key
	}
	in, res := imp.form.ValidateRecord(obj, imp.opts)
	if res.OK() {
		data, _ := in.MarshalJSON()
		// Refused here as finalize refuses it: a record over the limit
		// would be stored, then never fit a batch to the catalogue.
		if res.CheckSize(len(data)); res.OK() {
			o.ok = true
			o.item = store.ImportItem{FormID: imp.fv.FormID, Version: imp.fv.Version,
				Key: importKey(imp.fv.FormID, imp.fv.Version, raw), Data: data, InstanceName: in.Name()}
		}
	}
	var b bytes.Buffer
	if imp.json {
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.Encode(toReportLine(j.line, res))
	} else if !res.OK() || len(res.Warnings) > 0 {
		imp.a.writeTextReport(&b, j.line, res)
	}
	if b.Len() > 0 {
		o.report = b.Bytes()
	}
	return o
}

func (imp *importer) readJSONL(emit func(importJob) bool) error {
	return eachLine(imp.file, func(n int, line []byte) error {
		if !emit(importJob{line: n, raw: line}) {
			return errImportStopped
		}
		return nil
	})
}

func (imp *importer) readCSV(emit func(importJob) bool) error {
	cr, err := forms.NewCSVRecords(imp.form, imp.file)
	if err != nil {
		return fmt.Errorf("%s: %s", imp.name, forms.LocalizedError(err, imp.opts.Language))
	}
	for {
		n, obj, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %s", imp.name, forms.LocalizedError(err, imp.opts.Language))
		}
		if !emit(importJob{line: n, obj: obj}) {
			return errImportStopped
		}
	}
}

// drawProgress rewrites one status line on a terminal, at most ten times a
// second; piped output gets none.
func (imp *importer) drawProgress() {
	if imp.progress == nil || time.Since(imp.lastDraw) < 100*time.Millisecond {
		return
	}
	imp.lastDraw = time.Now()
	fmt.Fprint(imp.progress, "\r"+imp.a.f("import.progress", imp.a.nf("n_records", imp.total, imp.total), imp.rejected, imp.stored))
}

func (imp *importer) endProgress() {
	if imp.progress != nil && !imp.lastDraw.IsZero() {
		fmt.Fprintln(imp.progress, "\r"+imp.a.f("import.progress", imp.a.nf("n_records", imp.total, imp.total), imp.rejected, imp.stored))
	}
}
