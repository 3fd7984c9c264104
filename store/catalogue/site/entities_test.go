package site_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/site"
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
