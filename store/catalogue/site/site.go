// Package site serves the resource catalogue (政务信息资源目录) that
// `fieldbench serve` publishes beside the sync protocol: an HTML page for
// people on a county LAN (rendered on the server, no JavaScript, nothing
// fetched from the internet), the catalogue as DCAT v3 JSON-LD, and the
// CSV table counties file.
package site

import (
	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/divisions"

	"bytes"
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"time"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
)

// Source is what the pages are made from; *catalogue.DB is one.
type Source interface {
	Datasets(ctx context.Context) ([]catalogue.Dataset, error)
}

// Site serves the catalogue's pages.
type Site struct {
	Src Source
	// Title and Publisher head the catalogue; defaults in Chinese.
	Title, Publisher, PublisherCode string
	// BaseURL is the address the catalogue is published at, the root of
	// the JSON-LD's IRIs (`serve --public-url`, or the address it listens
	// on). Never the request's Host header: whoever sends the request
	// chooses that, and the IRIs would then point wherever they like.
	// Empty gives urn:fieldbench: IRIs.
	BaseURL string
	Log     *log.Logger
}

// Handler routes / (the HTML page), /catalogue.jsonld and /catalogue.csv.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.HandleFunc("GET /catalogue.jsonld", s.jsonld)
	mux.HandleFunc("GET /catalogue.csv", s.csv)
	return mux
}

func (s *Site) title() string {
	if s.Title != "" {
		return s.Title
	}
	return "政务信息资源目录"
}

func (s *Site) datasets(w http.ResponseWriter, r *http.Request) ([]catalogue.Dataset, bool) {
	ds, err := s.Src.Datasets(r.Context())
	if err != nil {
		if s.Log != nil {
			s.Log.Printf("%s %s: %v", r.Method, r.URL.Path, err)
		}
		http.Error(w, "目录暂时无法读取 (the catalogue cannot be read just now)", http.StatusInternalServerError)
		return nil, false
	}
	return ds, true
}

func plain(ds []catalogue.Dataset) []resource.Dataset {
	out := make([]resource.Dataset, len(ds))
	for i, d := range ds {
		out[i] = d.Dataset
	}
	return out
}

func (s *Site) jsonld(w http.ResponseWriter, r *http.Request) {
	ds, ok := s.datasets(w, r)
	if !ok {
		return
	}
	var b bytes.Buffer
	c := resource.Catalog{BaseIRI: s.BaseURL, Title: s.title(), Publisher: s.Publisher, PublisherCode: s.PublisherCode,
		Modified: lastModified(ds), Datasets: plain(ds)}
	if err := resource.JSONLD(&b, c); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/ld+json; charset=utf-8")
	w.Write(b.Bytes())
}

func (s *Site) csv(w http.ResponseWriter, r *http.Request) {
	ds, ok := s.datasets(w, r)
	if !ok {
		return
	}
	var b bytes.Buffer
	if err := resource.CSV(&b, plain(ds)); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="catalogue.csv"`)
	w.Write(b.Bytes())
}

func lastModified(ds []catalogue.Dataset) time.Time {
	var t time.Time
	for _, d := range ds {
		if d.Modified.After(t) {
			t = d.Modified
		}
	}
	return t
}

//go:embed page.html
var pageHTML string

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"day":   dayOf,
	"pct":   percent,
	"share": share,
	"place": placeName,
	// Collectors' names on a page anyone may read: the surname only.
	"maskName": func(name string) string { return forms.Mask(forms.SensitiveName, name) },
}).Parse(pageHTML))

// placeName is the name of a division code, or "" for a code the bundled
// tables do not know: a county officer reads 大智街道, not 420102002.
func placeName(code string) string {
	if d, ok := divisions.Lookup(code); ok {
		return d.Name
	}
	return ""
}

// share is part of whole as a percentage to one decimal, for people.
func share(part, whole int) string {
	if whole <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", float64(part)*100/float64(whole))
}

// dayOf is a time on the page in the zone `fieldbench serve` runs in
// (TZ=Asia/Shanghai in a county office), named, as every screen and
// command shows times in its own zone.
func dayOf(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return when.Zoned(t)
}

func percent(n, max int) int {
	if max <= 0 {
		return 0
	}
	return n * 100 / max
}

type pageData struct {
	Title     string
	Datasets  []datasetView
	Entities  []catalogue.EntityListSummary
	Generated string
}

// entitySource is a Source that also has entity lists to show.
type entitySource interface {
	EntityLists(ctx context.Context) ([]catalogue.EntityListSummary, error)
}

type datasetView struct {
	catalogue.Dataset
	Missing     []string
	Catalogued  bool
	Sharing     string
	MaxTownship int
}

func (s *Site) page(w http.ResponseWriter, r *http.Request) {
	ds, ok := s.datasets(w, r)
	if !ok {
		return
	}
	data := pageData{Title: s.title(), Generated: dayOf(time.Now())}
	for _, d := range ds {
		v := datasetView{Dataset: d, Catalogued: d.Metadata.Catalogued(), Sharing: d.Metadata.EffectiveSharing()}
		for _, k := range d.Metadata.Missing() {
			v.Missing = append(v.Missing, resource.ElementName(k))
		}
		for _, t := range d.Townships {
			v.MaxTownship = max(v.MaxTownship, t.Records)
		}
		data.Datasets = append(data.Datasets, v)
	}
	if es, ok := s.Src.(entitySource); ok {
		lists, err := es.EntityLists(r.Context())
		if err != nil {
			if s.Log != nil {
				s.Log.Printf("%s %s: entity lists: %v", r.Method, r.URL.Path, err)
			}
			http.Error(w, "目录暂时无法读取 (the catalogue cannot be read just now)", http.StatusInternalServerError)
			return
		}
		data.Entities = lists
	}
	var b bytes.Buffer
	if err := pageTmpl.Execute(&b, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}
