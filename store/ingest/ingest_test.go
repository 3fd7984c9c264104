package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

const peopleForm = `| survey |
| | type    | name | label | required | constraint |
| | text    | name | Name  | yes      |            |
| | integer | age  | Age   |          | . < 130    |
| settings |
| | form_id | version |
| | people  | 1       |
`

// newStore opens a fresh database with the people form registered.
func newStore(t *testing.T) (*store.DB, *forms.Form) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if _, err := db.AddForm(ctx, "people.md", []byte(peopleForm)); err != nil {
		t.Fatal(err)
	}
	form, err := db.Form(ctx, "people", "1")
	if err != nil {
		t.Fatal(err)
	}
	return db, form
}

// importText runs an import of text into db (a dry run when db is nil)
// and returns the lines it reported and its counts.
func importText(t *testing.T, db *store.DB, form *forms.Form, text string, csv bool) ([]Line, Counts, error) {
	t.Helper()
	ctx := context.Background()
	opts := Options{Form: form, FormID: "people", Version: "1", CSV: csv, Name: "people.jsonl", Language: "en"}
	if db != nil {
		bulk, err := db.Bulk(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer bulk.Close()
		opts.Bulk = bulk
	}
	var lines []Line
	opts.Line = func(l Line) { lines = append(lines, l) }
	n, err := Run(ctx, strings.NewReader(text), opts)
	return lines, n, err
}

func finalized(t *testing.T, db *store.DB) int {
	t.Helper()
	recs, err := db.Records(context.Background(), store.Filter{FormID: "people", State: store.Finalized})
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

type seen struct {
	n       int
	outcome Outcome
}

func outcomes(lines []Line) []seen {
	var s []seen
	for _, l := range lines {
		s = append(s, seen{l.N, l.Outcome})
	}
	return s
}

// expect checks the lines an import reported and its counts.
func expect(t *testing.T, what string, lines []Line, n Counts, want []seen, counts Counts) {
	t.Helper()
	if !slices.Equal(outcomes(lines), want) {
		t.Errorf("%s: %v, want %v", what, outcomes(lines), want)
	}
	if n != counts {
		t.Errorf("%s: counts %+v, want %+v", what, n, counts)
	}
}

// Each line is reported by its number, blank lines skipped, with what the
// checks said; importing the same text again stores nothing twice, and
// the same lines with CRLF endings are the same import.
func TestRunReportsEachLineAndIsIdempotent(t *testing.T) {
	db, form := newStore(t)
	text := `{"name":"张三","age":40}` + "\n" + `{"age":200}` + "\n\n" + `{"name":"李四"}` + "\n"
	lines, n, err := importText(t, db, form, text, false)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "first import", lines, n, []seen{{1, Stored}, {2, Rejected}, {4, Stored}}, Counts{Total: 3, Rejected: 1, Stored: 2})
	if len(lines) != 3 {
		t.FailNow()
	}
	if r := lines[1].Result; r.OK() || len(r.Errors) != 2 {
		t.Errorf("the rejected line's result: %+v", r)
	}

	for _, again := range []string{text, strings.ReplaceAll(text, "\n", "\r\n")} {
		lines, n, err = importText(t, db, form, again, false)
		if err != nil {
			t.Fatal(err)
		}
		expect(t, fmt.Sprintf("again %q", again), lines, n, []seen{{1, Present}, {2, Rejected}, {4, Present}}, Counts{Total: 3, Rejected: 1, Present: 2})
	}
	if got := finalized(t, db); got != 2 {
		t.Errorf("%d records stored, want 2", got)
	}
}

// A dry run counts what it would store and stores nothing.
func TestRunDryRunStoresNothing(t *testing.T) {
	db, form := newStore(t)
	lines, n, err := importText(t, nil, form, `{"name":"张三"}`+"\n"+`{"age":1}`+"\n", false)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "dry run", lines, n, []seen{{1, Stored}, {2, Rejected}}, Counts{Total: 2, Rejected: 1, Stored: 1})
	if got := finalized(t, db); got != 0 {
		t.Errorf("a dry run stored %d records", got)
	}
}

// CSV rows are keyed by their values: the same rows again are present.
func TestRunCSV(t *testing.T) {
	db, form := newStore(t)
	text := "name,age\n张三,40\n,5\n李四,\n"
	for _, want := range [][]seen{{{2, Stored}, {3, Rejected}, {4, Stored}}, {{2, Present}, {3, Rejected}, {4, Present}}} {
		lines, _, err := importText(t, db, form, text, true)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(outcomes(lines), want) {
			t.Errorf("%v, want %v", outcomes(lines), want)
		}
	}
}

// A line that is no JSON stops the import: what came before it is stored
// and reported, nothing after it.
func TestRunStopsAtAMalformedLine(t *testing.T) {
	db, form := newStore(t)
	lines, n, err := importText(t, db, form, `{"name":"张三"}`+"\n{not json\n"+`{"name":"李四"}`+"\n", false)
	if err == nil || !strings.Contains(err.Error(), "people.jsonl:2") {
		t.Fatalf("error %v, want one naming people.jsonl:2", err)
	}
	if want := []seen{{1, Stored}}; !slices.Equal(outcomes(lines), want) {
		t.Errorf("%v, want %v", outcomes(lines), want)
	}
	if n.Stored != 1 || finalized(t, db) != 1 {
		t.Errorf("counts %+v, %d stored; want the first line stored", n, finalized(t, db))
	}
}

// Across several batches and many more records than the pipeline holds
// at once, the lines are reported in input order and progress follows
// every batch.
func TestRunKeepsOrderAcrossBatches(t *testing.T) {
	db, form := newStore(t)
	records := 2*BatchSize + 7
	var text strings.Builder
	for i := range records {
		if i%3 == 0 {
			fmt.Fprintf(&text, "{\"age\":%d}\n", i) // rejected: no name
		} else {
			fmt.Fprintf(&text, "{\"name\":\"人%d\"}\n", i)
		}
	}
	ctx := context.Background()
	bulk, err := db.Bulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer bulk.Close()
	next := 1
	var progress []Counts
	n, err := Run(ctx, strings.NewReader(text.String()), Options{Form: form, FormID: "people", Version: "1", Bulk: bulk,
		Line: func(l Line) {
			if l.N != next || (l.Outcome == Rejected) != ((l.N-1)%3 == 0) {
				t.Fatalf("line %d (%v) reported where line %d was due", l.N, l.Outcome, next)
			}
			next++
		},
		Progress: func(c Counts) { progress = append(progress, c) }})
	if err != nil {
		t.Fatal(err)
	}
	if next != records+1 || n.Total != records || n.Stored+n.Rejected != records {
		t.Errorf("%d lines reported, counts %+v; want %d", next-1, n, records)
	}
	if len(progress) != 3 || progress[0].Total != BatchSize || progress[2] != n {
		t.Errorf("progress %+v, want one per batch of %d ending at %+v", progress, BatchSize, n)
	}
}

// The key covers the form, its version and the input, and is 128 bits.
func TestKey(t *testing.T) {
	k := Key("people", "1", []byte(`{"name":"张三"}`))
	if len(k) != 16 {
		t.Fatalf("key of %d bytes, want 16", len(k))
	}
	for _, other := range []string{Key("people", "2", []byte(`{"name":"张三"}`)), Key("peoplex", "1", []byte(`{"name":"张三"}`)),
		Key("people", "1", []byte(`{"name":"李四"}`)), Key("people1", "", []byte(`{"name":"张三"}`))} {
		if other == k {
			t.Error("two different inputs have one key")
		}
	}
	if Key("people", "1", []byte(`{"name":"张三"}`)) != k {
		t.Error("the same input has two keys")
	}
}
