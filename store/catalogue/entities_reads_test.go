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
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, _ := newDB(t, w)
		imp := EntityImport{List: "visits", TownshipCol: "township", Lang: "en", Who: "admin"}
		rows := [][]string{{"name", "label", "township", "address", "secret_note"}, {hh1, "张三家", township, "建外街道1号", "不给笔记本"}}
		if _, problems, err := db.ImportEntities(ctx, imp, rows); err != nil || problems != nil {
			t.Fatalf("import: %+v %v", problems, err)
		}
		download := func() map[string]string {
			t.Helper()
			page, err := db.EntitiesSince(ctx, []string{township}, "", 0, 0)
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

// Each page says, per list, which property set it was filtered by: the
// fingerprint changes when a form published later reads more of a list
// (not when another reads what is read already), and the lists no form
// reads have one too. A download may ask for one list.
func TestEntitiesPropertySets(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		send(t, db, dev, batch("b1", dev, entRec("r1", "r1v", create(hh1, "张三家", map[string]string{"size": "3"}))))
		imp := EntityImport{List: "visits", TownshipCol: "township", Lang: "en", Who: "admin"}
		rows := [][]string{{"name", "label", "township", "address", "phone"}, {hh2, "李四家", township, "建外街道1号", "13811062547"},
			{hh3, "王五家", township, "建外街道2号", "13911112222"}}
		if _, problems, err := db.ImportEntities(ctx, imp, rows); err != nil || problems != nil {
			t.Fatalf("import: %+v %v", problems, err)
		}
		sets := func() map[string]string {
			t.Helper()
			page, err := db.EntitiesSince(ctx, []string{township}, "", 0, 0)
			if err != nil || len(page.Entities) != 3 {
				t.Fatalf("download %+v %v", page, err)
			}
			return page.PropertySets
		}
		none := sets()
		if none["visits"] == "" || none["households"] == "" {
			t.Fatalf("sets %v", none)
		}
		publishReader(t, db, "visit_address", "visits", "instance('visits')/root/item[name=${pick}]/address", "address", "phone")
		address := sets()
		if address["visits"] == none["visits"] || address["households"] != none["households"] {
			t.Errorf("a form reading the address: %v, before %v", address, none)
		}
		publishReader(t, db, "visit_address2", "visits", "instance('visits')/root/item[name=${pick}]/address", "address", "phone")
		if again := sets(); again["visits"] != address["visits"] {
			t.Errorf("another form reading the address changed the set: %v, before %v", again, address)
		}
		publishReader(t, db, "visit_count", "visits", "count(instance('visits')/root/item)", "address", "phone")
		if all := sets(); all["visits"] == address["visits"] {
			t.Errorf("a form reading every property left the set: %v", all)
		}

		// One list, page by page.
		first, err := db.EntitiesSince(ctx, []string{township}, "visits", 0, 1)
		if err != nil || len(first.Entities) != 1 || first.Entities[0].List != "visits" || !first.More || len(first.PropertySets) != 1 {
			t.Fatalf("first page of visits %+v %v", first, err)
		}
		rest, err := db.EntitiesSince(ctx, []string{township}, "visits", first.Next, 0)
		if err != nil || len(rest.Entities) != 1 || rest.Entities[0].ID != hh3 || rest.More || rest.PropertySets["visits"] != first.PropertySets["visits"] {
			t.Fatalf("rest of visits %+v %v", rest, err)
		}
	})
}

// A defining form asking for another property in clear changes the set
// too: laptops hold the masked copy until they download the list again.
func TestPropertySetCountsClearProperties(t *testing.T) {
	reads := propertiesRead{"households": {"phone": true, "size": true}}
	clearOf := func(clear map[string]bool) func(string) (map[string]bool, error) {
		return func(string) (map[string]bool, error) { return clear, nil }
	}
	masked, err := reads.fingerprints([]string{"households"}, clearOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	clear, err := reads.fingerprints([]string{"households"}, clearOf(map[string]bool{"phone": true}))
	if err != nil {
		t.Fatal(err)
	}
	if masked["households"] == clear["households"] {
		t.Errorf("phone in clear left the set's fingerprint %s", masked["households"])
	}
}
