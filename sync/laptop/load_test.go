package laptop

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/api"
)

// laptopsWith makes laptops laptop databases, each holding each finalized
// household records and enrolled with the catalogue behind url. They are
// built a few at a time: storing 2,000 records keeps a core busy.
func laptopsWith(t *testing.T, cat *catalogue.DB, url string, laptops, each int) ([]*store.DB, []*Client) {
	t.Helper()
	ctx := context.Background()
	def, _ := samples.FS.ReadFile("household_visit.xlsx")
	raw, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var base map[string]any
	json.Unmarshal(bytes.SplitN(raw, []byte("\n"), 2)[0], &base)
	lines := make([][]byte, each)
	for i := range lines {
		base["head_name"] = fmt.Sprintf("户主%06d", i)
		lines[i], _ = json.Marshal(base)
	}
	dir := t.TempDir()
	dbs := make([]*store.DB, laptops)
	clients := make([]*Client, laptops)
	errs := make([]error, laptops)
	build := func(k int) error {
		db, err := store.Open(filepath.Join(dir, fmt.Sprintf("fb%d.db", k)))
		if err != nil {
			return err
		}
		dbs[k] = db
		if _, err := db.AddForm(ctx, "household_visit.xlsx", def); err != nil {
			return err
		}
		items := make([]store.ImportItem, each)
		for i, line := range lines {
			items[i] = store.ImportItem{FormID: "household_visit", Version: "2026120701", Data: line}
		}
		if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
			return err
		}
		code, err := cat.AddDevice(ctx, township)
		if err != nil {
			return err
		}
		c := &Client{BaseURL: url}
		if _, err := Enrol(ctx, db, c, code); err != nil {
			return err
		}
		c.Token, err = db.Setting(ctx, SettingToken)
		clients[k] = c
		return err
	}
	var wg sync.WaitGroup
	busy := make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	for k := range dbs {
		wg.Add(1)
		busy <- struct{}{}
		go func() { errs[k] = build(k); <-busy; wg.Done() }()
	}
	wg.Wait()
	for _, db := range dbs {
		if db != nil {
			t.Cleanup(func() { db.Close() })
		}
	}
	for k, err := range errs {
		if err != nil {
			t.Fatalf("laptop %d: %v", k, err)
		}
	}
	return dbs, clients
}

// TestFiftyLaptopsAtOnce: 50 laptops of 2,000 records each sync at the
// same time against one server; the catalogue ends with exactly 100,000.
// The two backends run at once: much of PostgreSQL's share of the work is
// done in its server's processes, not this one.
func TestFiftyLaptopsAtOnce(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		const laptops, each = 50, 2000
		ctx := context.Background()
		cat := be.open(t)
		def, _ := samples.FS.ReadFile("household_visit.xlsx")
		if _, err := cat.Publish(ctx, "household_visit.xlsx", def, []string{township}); err != nil {
			t.Fatal(err)
		}
		server := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition}).Handler())
		defer server.Close()
		dbs, clients := laptopsWith(t, cat, server.URL, laptops, each)
		var wg sync.WaitGroup
		errs := make([]error, laptops)
		sums := make([]*Summary, laptops)
		for i := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sums[i], errs[i] = Run(ctx, dbs[i], clients[i], nil)
			}()
		}
		wg.Wait()
		for i := range dbs {
			if errs[i] != nil || sums[i].Sent != each {
				t.Fatalf("laptop %d: %+v %v", i, sums[i], errs[i])
			}
		}
		counts, _ := cat.RecordCounts(ctx, "household_visit")
		total := 0
		for _, c := range counts {
			total += c.N
		}
		if total != laptops*each {
			t.Fatalf("the catalogue holds %d records, want %d", total, laptops*each)
		}
	})
}
