package catalogue

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/xuri/excelize/v2"
)

// publishReader publishes to the test township a form that picks an
// entity of list and computes calculation (which reads the list), with
// the list attached as a header of props.
func publishReader(t *testing.T, db *DB, formID, list, calculation string, props ...string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "survey")
	rows := [][]string{
		{"type", "name", "label", "calculation"},
		{"select_one_from_file " + list + ".csv", "pick", "选择", ""},
		{"calculate", "reads", "", calculation},
	}
	for r, row := range rows {
		f.SetSheetRow("survey", "A"+string(rune('1'+r)), &row)
	}
	f.NewSheet("settings")
	f.SetSheetRow("settings", "A1", &[]string{"form_id", "version", "form_title"})
	f.SetSheetRow("settings", "A2", &[]string{formID, "1", "回访"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	files := []forms.File{{Name: list + ".csv", Data: forms.EntityListHeader(props...)}}
	if _, err := db.PublishAttached(context.Background(), formID+".xlsx", buf.Bytes(), files, []string{township}); err != nil {
		t.Fatal(err)
	}
}

// A laptop receives only the properties of an entity list that a form
// published to its township reads, with the name and label; a property
// no published form reads never reaches it.
func TestEntitiesSinceOnlyPropertiesRead(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, _ := newDB(t, w)
		imp := EntityImport{List: "visits", TownshipCol: "township", Lang: "en", Who: "admin"}
		rows := [][]string{{"name", "label", "township", "address", "secret_note"}, {hh1, "张三家", township, "建外街道1号", "不给笔记本"}}
		if _, problems, err := db.ImportEntities(ctx, imp, rows); err != nil || problems != nil {
			t.Fatalf("import: %+v %v", problems, err)
		}
		download := func() map[string]string {
			t.Helper()
			page, err := db.EntitiesSince(ctx, []string{township}, 0, 0)
			if err != nil || len(page.Entities) != 1 || page.Entities[0].Label != "张三家" || page.Entities[0].ID != hh1 {
				t.Fatalf("download %+v %v", page, err)
			}
			return page.Entities[0].Properties
		}
		if got := download(); len(got) != 0 {
			t.Errorf("no form reads visits, yet the laptop gets %v", got)
		}
		publishReader(t, db, "visit_followup", "visits", "instance('visits')/root/item[name=${pick}]/address", "address", "secret_note")
		if got, want := download(), map[string]string{"address": "建外街道1号"}; !reflect.DeepEqual(got, want) {
			t.Errorf("with a form reading address: %v, want %v", got, want)
		}
		publishReader(t, db, "visit_count", "visits", "count(instance('visits')/root/item)", "address", "secret_note")
		if got := download(); len(got) != 2 {
			t.Errorf("with a form reading every column: %v", got)
		}
	})
}
