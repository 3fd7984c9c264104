package site_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/fixture"
	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/fieldbench/fieldbench/store/catalogue/site"
)

// pageSpec is the catalogue of the page benchmark: 50 datasets and
// 1,000,000 records from 12 townships, in batches of 200, so the page
// sums 5,000 count rows (more than KeepCountsCompact lets pile up).
func pageSpec() fixture.Spec {
	var townships []string
	for i := 1; i <= 12; i++ {
		townships = append(townships, fmt.Sprintf("110105%03d", i))
	}
	return fixture.Spec{Forms: fixture.Datasets(50), Townships: townships, Records: 1_000_000, BatchSize: 200}
}

// pageFixtureVersion names the cached SQLite fixture; change it when
// pageSpec or the fixture package changes what is generated.
const pageFixtureVersion = "page-v2"

// sqlitePageFixture is the SQLite catalogue of pageSpec, built once and
// kept in the system's temporary directory (never in the repository) so
// that later runs skip the minute it takes to build.
func sqlitePageFixture(b *testing.B) string {
	dir := filepath.Join(os.TempDir(), "fieldbench-bench", pageFixtureVersion)
	if _, err := os.Stat(filepath.Join(dir, catalogue.FileName)); err == nil {
		return dir
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		b.Fatal(err)
	}
	// Built beside its place and renamed, so an interrupted build is
	// never taken for a finished one.
	tmp, err := os.MkdirTemp(filepath.Dir(dir), pageFixtureVersion+".building-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	began := time.Now()
	if err := fixture.FillSQLite(context.Background(), tmp, pageSpec()); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		b.Fatal(err)
	}
	b.Logf("built the SQLite fixture in %s (kept in %s)", time.Since(began).Round(time.Second), dir)
	return dir
}

// BenchmarkCataloguePage times GET / of `fieldbench serve`'s catalogue
// page, through the real handler and an HTTP round trip, over 50 datasets
// and 1,000,000 records, on each backend. Target: under 200 ms.
//
//	go test ./store/catalogue/site -run NONE -bench CataloguePage -benchtime 20x
func BenchmarkCataloguePage(b *testing.B) {
	for _, be := range []string{"sqlite", "postgres"} {
		b.Run(be, func(b *testing.B) {
			db := pageCatalogue(b, be)
			srv := httptest.NewServer((&site.Site{Src: db}).Handler())
			defer srv.Close()
			page := getPage(b, srv.URL)
			// Every dataset with its 20,000 records, from 12 townships.
			if n := strings.Count(page, `<td class="n">20000</td>`); n < 50 {
				b.Fatalf("%d datasets show 20000 records, want 50", n)
			}
			if n := strings.Count(page, "记录 <b>20000</b> 条"); n != 50 {
				b.Fatalf("%d datasets show their quality figures, want 50", n)
			}
			b.ResetTimer()
			for b.Loop() {
				getPage(b, srv.URL)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
		})
	}
}

// pageCatalogue opens pageSpec's catalogue on a backend. The PostgreSQL
// one is built afresh, in a schema of its own dropped at the end (the
// benchmark's body runs once per -count: b.Loop grows b.N inside it).
func pageCatalogue(b *testing.B, be string) *catalogue.DB {
	ctx := context.Background()
	var db *catalogue.DB
	var err error
	if be == "sqlite" {
		db, err = catalogue.OpenSQLite(sqlitePageFixture(b))
	} else {
		dsn := pgtest.DSN(b)
		began := time.Now()
		if err := fixture.FillPostgres(ctx, dsn, pageSpec()); err != nil {
			b.Fatal(err)
		}
		b.Logf("built the PostgreSQL fixture in %s", time.Since(began).Round(time.Second))
		db, err = catalogue.OpenPostgres(ctx, dsn)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	// The quality figures, as serve's background loop keeps them: every
	// dataset measured per township (kept in the cached SQLite fixture).
	began := time.Now()
	stale, err := db.StaleQuality(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, form := range stale {
		if _, err := db.RefreshQuality(ctx, form, quality.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	if len(stale) > 0 {
		b.Logf("measured the quality of %d datasets in %s", len(stale), time.Since(began).Round(time.Second))
	}
	return db
}

func getPage(b *testing.B, url string) string {
	resp, err := http.Get(url + "/")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET /: %d %v %.300s", resp.StatusCode, err, body)
	}
	return string(body)
}
