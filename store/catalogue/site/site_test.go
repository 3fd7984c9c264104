package site_test

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/site"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// newCatalogue publishes the household form, describes part of it, and
// stores 3 records from one township and 2 from another.
func newCatalogue(t *testing.T) *catalogue.DB {
	t.Helper()
	ctx := context.Background()
	db, err := catalogue.OpenSQLite(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	def, _ := samples.FS.ReadFile("household_visit.xlsx")
	if _, err := db.Publish(ctx, "household_visit.xlsx", def, []string{"110105"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Describe(ctx, "household_visit", [][2]string{{"provider", "朝阳区民政局"}, {"summary", "<b>入户</b>走访"}, {"sharing_type", "conditional"}}, "describe"); err != nil {
		t.Fatal(err)
	}
	for i, township := range []string{"110105001", "110105001", "110105001", "110105002", "110105002"} {
		code, _ := db.AddDevice(ctx, township)
		dev, err := db.Enrol(ctx, code, fmt.Sprintf("laptop-%d", i), fmt.Sprintf("hash-%d", i))
		if err != nil {
			t.Fatal(err)
		}
		data := []byte(fmt.Sprintf(`{"head_name":"户主%d"}`, i))
		sum := sha256.Sum256(data)
		id := fmt.Sprintf("r%d", i)
		b := &wire.Batch{BatchID: "b" + id, DeviceID: dev.ID, Records: []wire.Record{{RecordID: id, VersionID: id + "v", FormID: "household_visit",
			FormVersion: samples.HouseholdVisitVersion, SHA256: hex.EncodeToString(sum[:]), Data: data, Collector: "王芳", CreatedAt: "2026-03-01T08:00:00Z"}}}
		if rc, err := db.StoreBatch(ctx, dev, b, "fp", nil); err != nil || rc.Results[0].Status != wire.StatusAccepted {
			t.Fatalf("store: %+v %v", rc, err)
		}
	}
	return db
}

func get(t *testing.T, url string) (string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b), resp.Header
}

func TestCataloguePages(t *testing.T) {
	db := newCatalogue(t)
	st := &site.Site{Src: db}
	srv := httptest.NewServer(st.Handler())
	defer srv.Close()
	st.BaseURL = srv.URL

	page, h := get(t, srv.URL+"/")
	if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("content type %q", h.Get("Content-Type"))
	}
	for _, want := range []string{"政务信息资源目录", "入户登记", "朝阳区民政局", "未编目", "按不予共享处理",
		"110105001", "110105002", samples.HouseholdVisitVersion, "户主姓名", "&lt;b&gt;入户&lt;/b&gt;走访", "catalogue.jsonld"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<b>入户") {
		t.Error("a described value reached the page unescaped")
	}
	// Records per township, named: 3 and 2, the larger with the full bar.
	if !strings.Contains(page, `<td>110105001 建外街道</td><td class="n">3</td><td><span class="bar" style="width: 100px">`) ||
		!strings.Contains(page, `<td>110105002 朝外街道</td><td class="n">2</td>`) {
		t.Errorf("township rows wrong:\n%s", page)
	}

	body, h := get(t, srv.URL+"/catalogue.jsonld")
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil || doc["@context"] == nil || !strings.Contains(h.Get("Content-Type"), "ld+json") {
		t.Fatalf("JSON-LD: %v %q", err, h.Get("Content-Type"))
	}
	if !strings.Contains(body, srv.URL) || !strings.Contains(body, "NON_PUBLIC") {
		t.Errorf("JSON-LD IRIs or access rights:\n%s", body)
	}

	body, _ = get(t, srv.URL+"/catalogue.csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][1] != "信息资源名称" || rows[1][1] != "入户登记（示例）" || rows[1][8] != "不予共享" {
		t.Fatalf("CSV %v %v", rows, err)
	}
	if resp, _ := http.Get(srv.URL + "/nope"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown page: %d", resp.StatusCode)
	}
}

// The JSON-LD's IRIs come from the configured address: a forged Host
// header does not reach them (it did, as the base of every IRI).
func TestJSONLDIgnoresHost(t *testing.T) {
	db := newCatalogue(t)
	for base, want := range map[string]string{
		"https://catalogue.example.gov.cn/": `"https://catalogue.example.gov.cn/datasets/household_visit"`,
		"":                                  `"urn:fieldbench:datasets:household_visit"`,
	} {
		srv := httptest.NewServer((&site.Site{Src: db, BaseURL: base}).Handler())
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/catalogue.jsonld", nil)
		req.Host = "attacker.example"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		if strings.Contains(string(b), "attacker.example") || !strings.Contains(string(b), want) {
			t.Errorf("base %q: the JSON-LD does not name %s alone:\n%s", base, want, b)
		}
	}
}

// The sample forms carry their catalogue description: on a fresh
// catalogue they are complete entries, not 未编目.
func TestSamplesCatalogued(t *testing.T) {
	ctx := context.Background()
	db, err := catalogue.OpenSQLite(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, name := range []string{"household_visit.xlsx", "business_census.xlsx"} {
		def, _ := samples.FS.ReadFile(name)
		if _, err := db.Publish(ctx, name, def, []string{"110105"}); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer((&site.Site{Src: db}).Handler())
	defer srv.Close()
	page, _ := get(t, srv.URL+"/")
	if strings.Contains(page, "未编目") || strings.Count(page, "已编目") != 2 || !strings.Contains(page, "示例县民政局") {
		t.Errorf("the samples are not complete entries:\n%s", page)
	}
}
