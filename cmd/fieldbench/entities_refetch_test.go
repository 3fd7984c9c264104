package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/laptop"
)

// readerForm is a follow-up form that picks an entity of the visits list
// and reads one property of it.
func readerForm(formID, prop string) []byte {
	return []byte(`| survey |
| | type | name | label | calculation |
| | select_one_from_file visits.csv | pick | 选择 | |
| | calculate | reads | | instance('visits')/root/item[name=${pick}]/` + prop + ` |
| settings |
| | form_id | version | form_title |
| | ` + formID + ` | 1 | 回访 |
`)
}

// A laptop receives only the properties its township's forms read. Once
// a form reading one more property is published, its next sync downloads
// the list again, so the entities it already held get that property;
// the sync after that downloads nothing. On both backends.
func TestEntityPropertySetGrows(t *testing.T) {
	t.Parallel()
	for _, be := range []string{"sqlite", "postgres"} {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			const township = "110105001"
			cat := openCatalogueAt(t, catalogueAt(t, be))
			rows := [][]string{{"name", "label", "township", "address", "phone"},
				{"v1", "张三家", township, "建外街道1号", "13811062547"}, {"v2", "李四家", township, "建外街道2号", "13911112222"}}
			if _, problems, err := cat.ImportEntities(ctx, catalogue.EntityImport{List: "visits", TownshipCol: "township"}, rows); err != nil || problems != nil {
				t.Fatalf("preload: %+v %v", problems, err)
			}
			publish := func(formID, prop string) {
				t.Helper()
				files := []forms.File{{Name: "visits.csv", Data: forms.EntityListHeader("address", "phone")}}
				if _, err := cat.PublishAttached(ctx, formID+".md", readerForm(formID, prop), files, []string{township}); err != nil {
					t.Fatal(err)
				}
			}
			publish("visit_address", "address")
			server := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Entities: cat, Form: cat.FormDefinition}).Handler())
			defer server.Close()
			db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			code, err := cat.AddDevice(ctx, township)
			if err != nil {
				t.Fatal(err)
			}
			client := &laptop.Client{BaseURL: server.URL}
			if _, err := laptop.Enrol(ctx, db, client, code); err != nil {
				t.Fatal(err)
			}
			client.Token, _ = db.Setting(ctx, laptop.SettingToken)
			sync := func(want int) map[string]store.Entity {
				t.Helper()
				sum, err := laptop.Run(ctx, db, client, nil)
				if err != nil || sum.Entities != want {
					t.Fatalf("sync: %d entities downloaded, want %d: %v", sum.Entities, want, err)
				}
				ents, err := db.Entities(ctx, "visits")
				if err != nil || len(ents) != 2 {
					t.Fatalf("the laptop holds %+v: %v", ents, err)
				}
				byID := map[string]store.Entity{}
				for _, e := range ents {
					byID[e.ID] = e
				}
				return byID
			}
			if got := sync(2); got["v1"].Properties["address"] != "建外街道1号" || got["v1"].Properties["phone"] != "" {
				t.Fatalf("with a form reading the address: %+v", got["v1"])
			}
			publish("visit_phone", "phone")
			got := sync(2)
			for id, phone := range map[string]string{"v1": "138****2547", "v2": "139****2222"} {
				if p := got[id].Properties; p["phone"] != phone || p["address"] == "" {
					t.Errorf("%s after a form reading the phone was published: %v", id, p)
				}
			}
			sync(0)
		})
	}
}
