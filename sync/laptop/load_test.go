package laptop

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/api"
)

// laptopWith makes a laptop database holding n finalized household
// records, enrolled with the catalogue behind url.
func laptopWith(t testing.TB, cat *catalogue.DB, url string, n int) (*store.DB, *Client) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	def, _ := samples.FS.ReadFile("household_visit.xlsx")
	if _, err := db.AddForm(ctx, "household_visit.xlsx", def); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var base map[string]any
	json.Unmarshal(bytes.SplitN(raw, []byte("\n"), 2)[0], &base)
	items := make([]store.ImportItem, n)
	for i := range items {
		base["head_name"] = fmt.Sprintf("户主%06d", i)
		line, _ := json.Marshal(base)
		items[i] = store.ImportItem{FormID: "household_visit", Version: "2026120701", Data: line}
	}
	if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	code, err := cat.AddDevice(ctx, township)
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{BaseURL: url}
	if _, err := Enrol(ctx, db, c, code); err != nil {
		t.Fatal(err)
	}
	c.Token, _ = db.Setting(ctx, SettingToken)
	return db, c
}

// TestFiftyLaptopsAtOnce: 50 laptops of 2,000 records each sync at the
// same time against one server; the catalogue ends with exactly 100,000.
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
		dbs := make([]*store.DB, laptops)
		clients := make([]*Client, laptops)
		for i := range dbs {
			dbs[i], clients[i] = laptopWith(t, cat, server.URL, each)
		}
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
