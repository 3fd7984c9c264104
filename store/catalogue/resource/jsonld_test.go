package resource

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piprate/json-gold/ld"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// testCatalog has one complete entry built from the sample form and one
// that is only half described.
func testCatalog(t testing.TB) Catalog {
	half := Metadata{Title: "经营主体普查", SharingType: SharingUnconditional, Version: "2026112701"}
	return Catalog{
		BaseIRI:       "https://catalogue.example.gov.cn/",
		Title:         "某县政务信息资源目录",
		Publisher:     "某县政务服务和大数据管理局",
		PublisherCode: "91110000600037341L",
		Modified:      time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC),
		Datasets: []Dataset{
			{
				FormID:   "household_visit",
				Metadata: complete,
				Items:    InfoItems(loadSample(t, "household_visit.xlsx")),
				Versions: []Version{{"2026112701", 40}, {"2026010101", 2}},
				Modified: time.Date(2026, 11, 27, 10, 30, 0, 0, time.FixedZone("CST", 8*3600)),
			},
			{FormID: "business_census", Metadata: half},
		},
	}
}

func renderJSONLD(t testing.TB, c Catalog) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := JSONLD(&buf, c); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJSONLDGolden(t *testing.T) {
	got := renderJSONLD(t, testCatalog(t))
	path := filepath.Join("testdata", "catalogue.jsonld")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("JSON-LD differs from %s (go test -update rewrites it); got:\n%s", path, got)
	}
}

func TestJSONLDIsJSONWithInlineContext(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(renderJSONLD(t, testCatalog(t)), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	ctx, ok := doc["@context"].(map[string]any)
	if !ok {
		t.Fatalf("@context is %T, want an inline object", doc["@context"])
	}
	for prefix, ns := range map[string]string{
		"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
		"foaf": "http://xmlns.com/foaf/0.1/", "skos": "http://www.w3.org/2004/02/skos/core#",
		"xsd": "http://www.w3.org/2001/XMLSchema#",
	} {
		if ctx[prefix] != ns {
			t.Errorf("@context %s = %v, want %s", prefix, ctx[prefix], ns)
		}
	}
}

// noFetch fails the test if the processor tries to load anything: the
// context must be inline so that an offline reader can expand the file.
type noFetch struct{ t *testing.T }

func (l noFetch) LoadDocument(u string) (*ld.RemoteDocument, error) {
	l.t.Errorf("the JSON-LD processor tried to fetch %s", u)
	return nil, fmt.Errorf("no network in tests: %s", u)
}

const (
	dcat = "http://www.w3.org/ns/dcat#"
	dct  = "http://purl.org/dc/terms/"
	foaf = "http://xmlns.com/foaf/0.1/"
	skos = "http://www.w3.org/2004/02/skos/core#"
	xsd  = "http://www.w3.org/2001/XMLSchema#"
)

// TestJSONLDExpands runs the document through a JSON-LD processor
// (json-gold) and checks that the DCAT terms resolve to their full IRIs
// and the values keep their language and datatype.
func TestJSONLDExpands(t *testing.T) {
	var doc any
	if err := json.Unmarshal(renderJSONLD(t, testCatalog(t)), &doc); err != nil {
		t.Fatal(err)
	}
	proc := ld.NewJsonLdProcessor()
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = noFetch{t}
	expanded, err := proc.Expand(doc, opts)
	if err != nil {
		t.Fatalf("expand: %v", err)
	}
	if len(expanded) != 1 {
		t.Fatalf("%d top-level nodes, want the catalogue", len(expanded))
	}
	cat := expanded[0].(map[string]any)
	wantTypes(t, cat, dcat+"Catalog")
	if got := literal(t, one(t, cat, dct+"title")); got != "某县政务信息资源目录@zh-Hans" {
		t.Errorf("catalogue title %s", got)
	}
	datasets := all(cat, dcat+"dataset")
	if len(datasets) != 2 {
		t.Fatalf("%d datasets, want 2", len(datasets))
	}
	ds := datasets[0].(map[string]any)
	if ds["@id"] != "https://catalogue.example.gov.cn/datasets/household_visit" {
		t.Errorf("dataset @id %v", ds["@id"])
	}
	wantTypes(t, ds, dcat+"Dataset")
	checks := map[string]string{ // property → expected value, as literal() shows it
		dct + "title":              "入户登记@zh-Hans",
		dct + "identifier":         "201001/00001",
		dct + "description":        complete.Summary + "@zh-Hans",
		dct + "issued":             "2026-11-27^^" + xsd + "date",
		dct + "modified":           "2026-11-27T02:30:00Z^^" + xsd + "dateTime",
		dcat + "version":           "2026112701",
		dct + "accessRights":       "<http://publications.europa.eu/resource/authority/access-right/RESTRICTED>",
		dct + "accrualPeriodicity": "<http://publications.europa.eu/resource/authority/frequency/MONTHLY>",
		dcat + "previousVersion":   "<https://catalogue.example.gov.cn/datasets/household_visit/versions/2026010101>",
	}
	for p, want := range checks {
		if got := literal(t, one(t, ds, p)); got != want {
			t.Errorf("%s = %s, want %s", p, got, want)
		}
	}
	rights := one(t, ds, dct+"accessRights")
	wantTypes(t, rights, dct+"RightsStatement")
	if got := literal(t, one(t, rights, skos+"prefLabel")); got != "有条件共享@zh-Hans" {
		t.Errorf("access rights label %s", got)
	}
	var conditionKept bool
	for _, r := range all(ds, dct+"rights") {
		r := r.(map[string]any)
		wantTypes(t, r, dct+"RightsStatement")
		for _, d := range all(r, dct+"description") {
			if strings.Contains(literal(t, d.(map[string]any)), complete.SharingCondition) {
				conditionKept = true
			}
		}
	}
	if !conditionKept {
		t.Errorf("no dct:RightsStatement holds the sharing condition %q", complete.SharingCondition)
	}
	pub := one(t, ds, dct+"publisher")
	wantTypes(t, pub, foaf+"Agent")
	if got := literal(t, one(t, pub, dct+"identifier")); got != goodUSCC {
		t.Errorf("publisher identifier %s", got)
	}
	if got := literal(t, one(t, pub, foaf+"name")); got != "某县民政局@zh-Hans" {
		t.Errorf("publisher name %s", got)
	}
	theme := one(t, ds, dcat+"theme")
	wantTypes(t, theme, skos+"Concept")
	if got := literal(t, one(t, theme, skos+"prefLabel")); got != "主题/社区治理@zh-Hans" {
		t.Errorf("theme %s", got)
	}
	series := one(t, ds, dcat+"inSeries")
	wantTypes(t, series, dcat+"DatasetSeries")
	if got := literal(t, one(t, series, dct+"title")); got != "2026年入户登记@zh-Hans" {
		t.Errorf("series title %s", got)
	}
	dists := all(ds, dcat+"distribution")
	if len(dists) != 2 {
		t.Fatalf("%d distributions, want 2 (数据库, CSV)", len(dists))
	}
	csvDist := dists[1].(map[string]any)
	wantTypes(t, csvDist, dcat+"Distribution")
	if got := literal(t, one(t, csvDist, dcat+"mediaType")); got != "<https://www.iana.org/assignments/media-types/text/csv>" {
		t.Errorf("CSV media type %s", got)
	}
	place := one(t, ds, dct+"spatial")
	wantTypes(t, place, dct+"Location")
	if got := literal(t, one(t, place, skos+"notation")); got != "320505" {
		t.Errorf("spatial notation %s", got)
	}
	schema := one(t, ds, dct+"conformsTo")
	cols := one(t, schema, "http://www.w3.org/ns/csvw#column")["@list"].([]any)
	if len(cols) != len(testCatalog(t).Datasets[0].Items) {
		t.Errorf("%d schema columns", len(cols))
	}
	first := cols[0].(map[string]any)
	if got := literal(t, one(t, first, "http://www.w3.org/ns/csvw#datatype")); got != "<"+xsd+"dateTime>" {
		t.Errorf("first column datatype %s", got)
	}

	// The half-described entry is not shared, whatever it declares.
	half := datasets[1].(map[string]any)
	if got := literal(t, one(t, half, dct+"accessRights")); got != "<http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC>" {
		t.Errorf("half-described entry access rights %s", got)
	}

	// And the whole graph converts to RDF.
	opts.Format = "application/n-quads"
	nq, err := proc.ToRDF(doc, opts)
	if err != nil {
		t.Fatalf("to RDF: %v", err)
	}
	for _, want := range []string{
		"<https://catalogue.example.gov.cn/datasets/household_visit> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <" + dcat + "Dataset> .",
		"<https://catalogue.example.gov.cn/datasets/household_visit> <" + dct + "issued> \"2026-11-27\"^^<" + xsd + "date> .",
		"<https://catalogue.example.gov.cn/catalogue> <" + dcat + "dataset> <https://catalogue.example.gov.cn/datasets/business_census> .",
	} {
		if !strings.Contains(nq.(string), want) {
			t.Errorf("N-Quads lack %s", want)
		}
	}
}

func all(node map[string]any, p string) []any {
	v, _ := node[p].([]any)
	return v
}

func one(t *testing.T, node map[string]any, p string) map[string]any {
	t.Helper()
	v := all(node, p)
	if len(v) != 1 {
		t.Fatalf("%s: %d values, want 1 (node %v)", p, len(v), node["@id"])
	}
	return v[0].(map[string]any)
}

// literal shows an expanded value as value@lang, value^^type or <iri>. The
// language tag is shown as written by us: tags are case-insensitive and
// json-gold lower-cases them, as JSON-LD 1.0 did.
func literal(t *testing.T, v map[string]any) string {
	t.Helper()
	if id, ok := v["@id"].(string); ok {
		return "<" + id + ">"
	}
	s := fmt.Sprint(v["@value"])
	if l, ok := v["@language"]; ok {
		if !strings.EqualFold(l.(string), "zh-Hans") {
			t.Errorf("language tag %v, want zh-Hans", l)
		}
		s += "@zh-Hans"
	}
	if ty, ok := v["@type"]; ok {
		s += "^^" + ty.(string)
	}
	return s
}

func wantTypes(t *testing.T, node map[string]any, iri string) {
	t.Helper()
	for _, ty := range all(node, "@type") {
		if ty == iri {
			return
		}
	}
	t.Errorf("node %v has types %v, want %s", node["@id"], node["@type"], iri)
}

func TestJSONLDWithoutBaseUsesURNs(t *testing.T) {
	c := Catalog{Datasets: []Dataset{{FormID: "a b/c", Metadata: Metadata{Series: "2026 入户"}}}}
	var doc map[string]any
	if err := json.Unmarshal(renderJSONLD(t, c), &doc); err != nil {
		t.Fatal(err)
	}
	ds := doc["dcat:dataset"].([]any)[0].(map[string]any)
	if ds["@id"] != "urn:fieldbench:datasets:a%20b%2Fc" {
		t.Errorf("dataset @id %v", ds["@id"])
	}
}

func TestJSONLDRefusesBadInput(t *testing.T) {
	for _, c := range []Catalog{
		{BaseIRI: "catalogue.example.gov.cn"},
		{Datasets: []Dataset{{}}},
	} {
		if err := JSONLD(&bytes.Buffer{}, c); err == nil {
			t.Errorf("JSONLD(%+v) succeeded", c)
		}
	}
}
