// Package ingest imports a file of records into the laptop's store: JSON
// lines or CSV rows, each checked by the forms engine as finalize checks
// a record typed in, the accepted ones stored as finalized records in
// batches through a store.Bulk. It prints nothing: it says what became of
// each line, and how far it has come, to the caller's functions.
//
// # The idempotency key
//
// Every stored record carries a key: the first 16 bytes of the SHA-256 of
// its form id, form version and input, the JSON line without its line
// ending (so a file saved again with CRLF endings is the same import) or,
// for CSV, the row's values by column. The store keeps one record per key,
// so importing the same file again stores nothing twice: its records are
// reported present, and a file fixed after a failure or a kill imports
// only what is new. 128 bits are plenty against chance: two different
// lines meet with a probability of about n²/2¹²⁹, nothing for any number
// of records a laptop holds, and the key stays small in the store's
// unique index, which every batch rewrites at random places. The key is of
// the input, not of the record: the same answers written another way (the
// members of an object in another order, 1.0 for 1) are another record.
package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/seal"
)

// Key is a record's idempotency key (see the package doc) for the input
// raw: a JSON line without its line ending, or a CSV row's values as a
// JSON object.
func Key(formID, version string, raw []byte) string {
	h := sha256.New()
	h.Write([]byte(formID + "\x00" + version + "\x00"))
	h.Write(raw)
	return string(h.Sum(nil)[:16])
}

// BatchSize is how many records go into one transaction: large enough
// that the index pages a commit rewrites are shared by many records, small
// enough that a kill loses little unreported work.
const BatchSize = 5000

// Options say what to import and where its outcomes go.
type Options struct {
	Form            *forms.Form
	FormID, Version string // the registered form version the records are stored under
	CSV             bool   // the input is CSV rows with a header, not JSON lines
	Name            string // the input's name in error messages
	Language        string // of the checks' messages and the errors
	// LastSaved is what ${last-saved#name} reads in every record: the
	// record of the form saved last on the laptop when the import began
	// (store.DB.LastSaved). The records of a file are checked in
	// parallel, so none of them is another's last saved record.
	LastSaved map[string]any

	// Bulk stores the accepted records; nil is a dry run, which stores
	// nothing and counts every accepted record as stored.
	Bulk *store.Bulk

	// Line, when set, is told what became of each record, in input order,
	// once the batch it is in is committed: a kill never leaves a record
	// reported that is not stored.
	Line func(Line)
	// Progress, when set, is given the counts after every batch.
	Progress func(Counts)
}

// Outcome is what became of one record.
type Outcome int

const (
	Rejected Outcome = iota // refused by the form's checks: not stored
	Stored                  // stored now (in a dry run: would be)
	Present                 // its key was already stored: nothing stored again
)

// Line is one record of the input and what became of it.
type Line struct {
	N       int           // the line (CSV: the row's first line), from 1
	Result  *forms.Result // the checks' errors and warnings
	Outcome Outcome
}

// Counts are the records an import has committed and reported.
type Counts struct {
	Total, Rejected, Stored, Present int
}

// The import is a pipeline: one goroutine reads lines, runtime.GOMAXPROCS
// workers decode, validate and marshal them, the caller's goroutine puts
// the results back in input order and cuts them into batches, and a storer
// goroutine commits each batch and only then reports its records. The
// next batch fills while one commits, so neither side waits for the other.

// window bounds the records between reader and batcher.
const window = 1024

// job is one input record on its way to a worker.
type job struct {
	seq  int            // position among the jobs, from 0: the order of the report
	line int            // line number in the file
	raw  []byte         // JSONL: the line as read
	obj  map[string]any // CSV: the row
	err  error          // the input cannot be read here: store what came before, then stop
}

// outcome is a worker's verdict on one job.
type outcome struct {
	seq  int
	set  bool             // a slot of the reorder ring holds this outcome
	item store.ImportItem // the record to store, when ok
	ok   bool
	line Line
	err  error
}

// batch is a run of consecutive records on their way to the storer.
type batch struct {
	items []store.ImportItem
	lines []Line // of every record, in input order; Outcome still to settle for the accepted
	ok    []bool // which of lines have an item, in the same order
}

var errStopped = errors.New("import stopped")

type importer struct {
	Options
	counts Counts // written by the storer only; read after it is done
	// entities is true for a form with an entities sheet: its records
	// are stored with the entity changes they make.
	entities bool
	// splitter splits each accepted record for sealing in the workers,
	// from the instance they hold (store seals the part it is given).
	splitter *seal.Splitter
}

// Run imports the records read from r, text already decoded to UTF-8.
// Whatever was read before an error is stored and reported, so a fixed
// file imports only the rest (keys make the rerun idempotent); the counts
// are of what was committed, also on an error.
func Run(ctx context.Context, r io.Reader, opt Options) (Counts, error) {
	imp := &importer{Options: opt, entities: len(opt.Form.EntityDecls()) > 0, splitter: seal.NewSplitter(opt.Form)}
	read := imp.readJSONL
	if opt.CSV {
		read = imp.readCSV
	}
	err := imp.run(ctx, func(emit func(job) bool) error { return read(r, emit) })
	return imp.counts, err
}

// run drives the pipeline; read calls emit for each record in order and
// stops when emit returns false.
func (imp *importer) run(ctx context.Context, read func(emit func(job) bool) error) error {
	var (
		slots   = make(chan struct{}, window) // one per job in flight
		jobs    = make(chan job, window)
		results = make(chan outcome, window) // never blocks: at most window in flight
		stop    = make(chan struct{})
		batches = make(chan *batch, 1)
		stored  = make(chan error, 1)
		readers sync.WaitGroup
		workers sync.WaitGroup
	)
	readers.Add(1)
	go func() {
		defer readers.Done()
		defer close(jobs)
		seq := 0
		emit := func(j job) bool {
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
		if err := read(emit); err != nil && !errors.Is(err, errStopped) {
			emit(job{err: err})
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

	ring := make([]outcome, window)
	next := 0
	b := &batch{}
	send := func() bool {
		if len(b.lines) == 0 {
			return true
		}
		select {
		case batches <- b:
			b = &batch{}
			return true
		case err := <-stored: // the storer failed and quit
			stored <- err
			return false
		}
	}
	var err error
loop:
	for o := range results {
		ring[o.seq%window] = o
		for {
			r := &ring[next%window]
			if !r.set || r.seq != next {
				break
			}
			o := *r
			*r = outcome{}
			next++
			<-slots
			if o.err != nil {
				err = o.err
				break loop
			}
			if o.ok {
				b.items = append(b.items, o.item)
			}
			b.lines = append(b.lines, o.line)
			b.ok = append(b.ok, o.ok)
			if len(b.lines) >= BatchSize && !send() {
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
func (imp *importer) store(ctx context.Context, batches <-chan *batch) error {
	var err error
	for b := range batches {
		if err == nil {
			err = imp.storeBatch(ctx, b)
		}
	}
	return err
}

func (imp *importer) storeBatch(ctx context.Context, b *batch) error {
	inserted := make([]bool, len(b.items))
	if imp.Bulk == nil {
		for i := range inserted {
			inserted[i] = true
		}
	} else if len(b.items) > 0 {
		results, err := imp.Bulk.InsertFinalizedBatch(ctx, b.items)
		if err != nil {
			return fmt.Errorf("storing records: %v (nothing of this batch was stored)", err)
		}
		for i, r := range results {
			inserted[i] = r.Inserted
		}
	}
	item := 0
	for i, l := range b.lines {
		switch {
		case !b.ok[i]:
			l.Outcome = Rejected
			imp.counts.Rejected++
		case inserted[item]:
			l.Outcome = Stored
			imp.counts.Stored++
			item++
		default:
			l.Outcome = Present
			imp.counts.Present++
			item++
		}
		imp.counts.Total++
		if imp.Line != nil {
			imp.Line(l)
		}
	}
	if imp.Progress != nil {
		imp.Progress(imp.counts)
	}
	return nil
}

// process decodes, validates and marshals one record; it runs on a worker.
func (imp *importer) process(j job) outcome {
	o := outcome{seq: j.seq, set: true, err: j.err, line: Line{N: j.line}}
	if o.err != nil {
		return o
	}
	obj, raw := j.obj, j.raw
	if obj == nil {
		var err error
		if obj, err = forms.DecodeRecord(raw); err != nil {
			o.err = forms.RecordLineError(imp.Name, j.line, err, imp.Language)
			return o
		}
		// The key is of the line without its ending, so the same file
		// saved with CRLF line ends is the same import.
		raw = bytes.TrimSpace(raw)
	} else {
		raw, _ = json.Marshal(obj) // the record's key: the same row gives the same key
	}
	opts := forms.Options{Language: imp.Language, LastSaved: imp.LastSaved}
	var id string
	if imp.Form.UsesInstanceID() || imp.entities {
		// The record is checked with the id it will be stored under, so
		// that what reads ${instanceID} is stored worked out, and the
		// entities it creates get the ids finalizing it would give.
		var err error
		if id, err = store.NewRecordID(); err != nil {
			o.err = err
			return o
		}
		opts.InstanceID = forms.InstanceIDOf(id)
	}
	in, res := imp.Form.ValidateRecord(obj, opts)
	if res.OK() && imp.entities {
		// As store's finalize does: the changes the answers make, not
		// whatever the line carried under __entities.
		changes, err := in.EntityChanges(id)
		if err != nil {
			o.err = err
			return o
		}
		in.SetEntityChanges(changes)
	}
	if res.OK() {
		data, _ := in.MarshalJSON()
		// Refused here as finalize refuses it: a record over the limit
		// would be stored, then never fit a batch to the catalogue.
		if res.CheckSize(len(data)); res.OK() {
			o.ok = true
			o.item = store.ImportItem{ID: id, FormID: imp.FormID, Version: imp.Version,
				Key: Key(imp.FormID, imp.Version, raw), Data: data, InstanceName: in.Name()}
			if imp.splitter != nil {
				if o.item.Masked, o.item.Sealed, o.err = imp.splitter.SplitInstance(in); o.err != nil {
					return o
				}
				if o.item.Sealed != nil {
					o.item.Checks = store.ChecksOf(in, res)
				}
			}
			if imp.entities {
				o.item.Visited = in.VisitTime()
			}
		}
	}
	o.line.Result = res
	return o
}

func (imp *importer) readJSONL(r io.Reader, emit func(job) bool) error {
	return forms.EachLine(r, func(n int, line []byte) error {
		if !emit(job{line: n, raw: line}) {
			return errStopped
		}
		return nil
	})
}

func (imp *importer) readCSV(r io.Reader, emit func(job) bool) error {
	cr, err := forms.NewCSVRecords(imp.Form, r)
	if err != nil {
		return fmt.Errorf("%s: %s", imp.Name, forms.LocalizedError(err, imp.Language))
	}
	for {
		n, obj, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %s", imp.Name, forms.LocalizedError(err, imp.Language))
		}
		if !emit(job{line: n, obj: obj}) {
			return errStopped
		}
	}
}
