package laptop

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/storetest"
	"github.com/fieldbench/fieldbench/sync/api"
)

// enrolled enrols each laptop with the catalogue behind url, with a
// device code of its own, and returns their clients.
func enrolled(t *testing.T, cat *catalogue.DB, url string, dbs []*store.DB) []*Client {
	t.Helper()
	ctx := context.Background()
	clients := make([]*Client, len(dbs))
	for k, db := range dbs {
		code, err := cat.AddDevice(ctx, township)
		if err != nil {
			t.Fatal(err)
		}
		c := &Client{BaseURL: url}
		if _, err := Enrol(ctx, db, c, code); err != nil {
			t.Fatalf("laptop %d: %v", k, err)
		}
		if c.Token, err = db.Setting(ctx, SettingToken); err != nil {
			t.Fatal(err)
		}
		clients[k] = c
	}
	return clients
}

// TestFiftyLaptopsAtOnce: 50 laptops of 1,000 records each (one batch)
// sync at the same time against one server; the catalogue ends with
// exactly 50,000.
// The two backends run at once: much of PostgreSQL's share of the work is
// done in its server's processes, not this one. The laptops are built
// once, before enrolment, and each backend gets copies: each catalogue
// still sees fifty devices of their own ids with records of their own ids.
func TestFiftyLaptopsAtOnce(t *testing.T) {
	const laptops, each = 50, 1000
	built := storetest.Closed(t, storetest.Laptops(t, t.TempDir(), laptops, storetest.HouseholdLines(t, each)))
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		cat := be.open(t)
		def, _ := samples.FS.ReadFile("household_visit.xlsx")
		if _, err := cat.Publish(ctx, "household_visit.xlsx", def, []string{township}); err != nil {
			t.Fatal(err)
		}
		server := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition}).Handler())
		defer server.Close()
		dbs := storetest.Copies(t, built, t.TempDir())
		clients := enrolled(t, cat, server.URL, dbs)
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
