package site_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/site"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// The page shows each entity list per township with its progress, the
// collectors' names masked to their surnames, and whatever a file put in
// a name escaped.
func TestCataloguePageEntityLists(t *testing.T) {
	db := newCatalogue(t)
	rows := [][]string{{"label", "township", "collector"},
		{"张三家", "110105001", "王芳"}, {"李四家", "110105001", "王芳"}, {"王五家", "110105002", "<b>赵</b>六"}, {"刘家", "110105002", ""}}
	if n, problems, err := db.ImportEntities(context.Background(), catalogue.EntityImport{List: "visits", TownshipCol: "township", AssignCol: "collector"}, rows); err != nil || n != 4 {
		t.Fatalf("import: %d %+v %v", n, problems, err)
	}
	srv := httptest.NewServer((&site.Site{Src: db}).Handler())
	defer srv.Close()
	page, _ := get(t, srv.URL+"/")
	for _, want := range []string{`<h2 id="entities">实体列表</h2>`, `<h3 id="entities-visits">visits</h3>`,
		`<td>110105001 建外街道</td><td class="n">2</td><td class="n">0</td>`, `<td class="n">0/2</td>`,
		`<td>110105002 朝外街道</td><td class="n">2</td><td class="n">0</td>`, `<td class="n">0/1</td>`, `<td>王*</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "王芳") || strings.Contains(page, "<b>赵") {
		t.Errorf("a collector's name unmasked or unescaped:\n%s", page[strings.Index(page, "实体列表"):])
	}
}

// Updates of entities the catalogue does not hold are counted on their
// list, a list that has nothing else too, and say who sees them.
func TestCataloguePageEntityErrors(t *testing.T) {
	ctx := context.Background()
	db := newCatalogue(t)
	code, _ := db.AddDevice(ctx, "110105001")
	dev, err := db.Enrol(ctx, code, "laptop-errors", "hash-errors")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(map[string]any{"head_name": "张三", forms.EntitiesKey: []forms.EntityChange{
		{List: "households", ID: "h1", BaseVersion: 1}, {List: "households", ID: "h2", BaseVersion: 4}}})
	sum := sha256.Sum256(data)
	b := &wire.Batch{BatchID: "errors", DeviceID: dev.ID, Records: []wire.Record{{RecordID: "re", VersionID: "rev", FormID: "household_visit",
		FormVersion: samples.HouseholdVisitVersion, SHA256: hex.EncodeToString(sum[:]), Data: data, Collector: "王芳", CreatedAt: "2026-03-01T08:00:00Z"}}}
	if rc, err := db.StoreBatch(ctx, dev, b, "fp", nil); err != nil || rc.Results[0].Status != wire.StatusAccepted {
		t.Fatalf("store: %+v %v", rc, err)
	}
	srv := httptest.NewServer((&site.Site{Src: db}).Handler())
	defer srv.Close()
	page, _ := get(t, srv.URL+"/")
	for _, want := range []string{`<h3 id="entities-households">households</h3>`, `实体错误 <b>2</b> 条`, `fieldbench review entity-errors`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
