package catalogue

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
	"github.com/xuri/excelize/v2"
)

// The entity ids of the tests: UUIDs as a form makes them.
const (
	hh1 = "0193a000-0000-7000-8000-000000000001"
	hh2 = "0193a000-0000-7000-8000-000000000002"
	hh3 = "0193a000-0000-7000-8000-000000000003"
)

// entRec is a household record version carrying entity changes.
func entRec(recordID, versionID string, changes ...forms.EntityChange) wire.Record {
	obj := map[string]any{"head_name": "张三", forms.EntitiesKey: changes}
	data, _ := json.Marshal(obj)
	sum := sha256.Sum256(data)
	return wire.Record{RecordID: recordID, VersionID: versionID, FormID: formID, FormVersion: formVer,
		SHA256: hex.EncodeToString(sum[:]), Data: data, Collector: "王芳", CreatedAt: "2026-03-01T08:00:00Z"}
}

func create(id, label string, props map[string]string) forms.EntityChange {
	return forms.EntityChange{List: "households", ID: id, Create: true, Label: label, Properties: props}
}

func update(id string, base int64, props map[string]string) forms.EntityChange {
	return forms.EntityChange{List: "households", ID: id, BaseVersion: base, Properties: props}
}

// entity reads one entity in clear, straight from the table.
func entity(t *testing.T, db *DB, id string) wire.Entity {
	t.Helper()
	list, err := db.ListEntities(context.Background(), "households", true, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no entity %s in %+v", id, list)
	return wire.Entity{}
}

func TestEntitiesCreateUpdateConflict(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		db, dev := newDB(t, w)
		rc := send(t, db, dev, batch("b1", dev,
			entRec("r1", "v1", create(hh1, "张三家", map[string]string{"size": "3", "head_phone": "13811062547"})),
			entRec("r2", "v2", update(hh1, 1, map[string]string{"size": "4"}))))
		if got := statuses(rc); !reflect.DeepEqual(got, []string{"accepted", "accepted"}) {
			t.Fatalf("first batch: %+v", rc.Results)
		}
		e := entity(t, db, hh1)
		if e.Version != 2 || e.Conflict || e.Properties["size"] != "4" || e.Properties["head_phone"] != "13811062547" || e.Label != "张三家" || e.Township != township {
			t.Fatalf("after create and update: %+v", e)
		}
		// The registration sent again in a new batch (a lost receipt), and
		// another record creating the same entity: nothing changes.
		send(t, db, dev, batch("b2", dev, entRec("r1", "v1", create(hh1, "张三家", map[string]string{"size": "3"}))))
		send(t, db, dev, batch("b3", dev, entRec("r3", "v3", create(hh1, "别的", map[string]string{"size": "9"}))))
		if e2 := entity(t, db, hh1); e2.Version != 2 || e2.Label != "张三家" || e2.Seq != e.Seq {
			t.Fatalf("a create of a held entity changed it: %+v", e2)
		}
		// Two laptops updated version 2 offline: the second is applied and flagged.
		dev2 := enrol(t, db, township, "laptop-2")
		send(t, db, dev, batch("b4", dev, entRec("r4", "v4", update(hh1, 2, map[string]string{"size": "5"}))))
		rc = send(t, db, dev2, batch("b1", dev2, entRec("r5", "v5", update(hh1, 2, map[string]string{"dibao": "yes"}))))
		if got := statuses(rc); !reflect.DeepEqual(got, []string{"accepted"}) {
			t.Fatalf("stale update: %+v", rc.Results)
		}
		e = entity(t, db, hh1)
		if e.Version != 4 || !e.Conflict || e.Properties["size"] != "5" || e.Properties["dibao"] != "yes" {
			t.Fatalf("after the stale update: %+v", e)
		}
		if n := query[int](t, db, `SELECT count(*) FROM entity_conflicts WHERE resolved_at IS NULL AND version = 4 AND base_version = 2 AND previous_version = 3`); n != 1 {
			t.Fatalf("%d open conflicts", n)
		}
		// The history: every change, with who made it.
		if got := query[string](t, db, `SELECT string_agg(kind || ':' || device_id || ':' || record_version, ' ' ORDER BY version)
			FROM entity_versions WHERE entity_id = ?`, hh1); got != "create:laptop-1:v1 update:laptop-1:v2 update:laptop-1:v4 update:laptop-2:v5" {
			t.Fatalf("history %q", got)
		}
	})
}

func TestEntitiesOfAnotherTownshipRefused(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		db, dev := newDB(t, w)
		const other = "110105002"
		if _, err := db.Publish(context.Background(), "household_visit.xlsx", household(t), []string{other}); err != nil {
			t.Fatal(err)
		}
		devC := enrol(t, db, other, "laptop-c")
		send(t, db, dev, batch("b1", dev, entRec("r1", "v1", create(hh1, "张三家", map[string]string{"size": "3"}))))
		before := entity(t, db, hh1)
		rc := send(t, db, devC, batch("b1", devC,
			entRec("rc1", "vc1", create(hh2, "李四家", nil), update(hh1, 1, map[string]string{"size": "8"})),
			entRec("rc2", "vc2", create(hh1, "冒名", nil)),
			entRec("rc3", "vc3", create(hh3, "王五家", nil))))
		if got := statuses(rc); !reflect.DeepEqual(got, []string{"rejected", "rejected", "accepted"}) {
			t.Fatalf("statuses %+v", rc.Results)
		}
		if !strings.Contains(rc.Results[0].Reason, "not of township "+other) || !strings.Contains(rc.Results[1].Reason, "another township") {
			t.Fatalf("reasons %+v", rc.Results)
		}
		// Nothing of a refused record is stored: not its record, not the
		// entity it would have created alongside.
		if n := query[int](t, db, `SELECT count(*) FROM versions WHERE version_id IN ('vc1', 'vc2')`); n != 0 {
			t.Fatalf("%d refused versions stored", n)
		}
		if n := query[int](t, db, `SELECT count(*) FROM entities WHERE entity_id = ?`, hh2); n != 0 {
			t.Fatal("the refused record's create was stored")
		}
		if after := entity(t, db, hh1); !reflect.DeepEqual(after, before) {
			t.Fatalf("changed by another township: %+v", after)
		}
		// Each laptop downloads its own township's entities only.
		page, err := db.EntitiesSince(context.Background(), []string{other}, "", 0, 100)
		if err != nil || len(page.Entities) != 1 || page.Entities[0].ID != hh3 || page.More {
			t.Fatalf("township %s: %+v %v", other, page, err)
		}
		page, err = db.EntitiesSince(context.Background(), []string{township}, "", 0, 100)
		if err != nil || len(page.Entities) != 1 || page.Entities[0].ID != hh1 {
			t.Fatalf("township %s: %+v %v", township, page, err)
		}
	})
}

func TestEntitiesUnknownAndMalformed(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		db, dev := newDB(t, w)
		bad := entRec("r2", "v2")
		bad.Data = []byte(`{"head_name":"x","__entities":{"list":"households"}}`)
		sum := sha256.Sum256(bad.Data)
		bad.SHA256 = hex.EncodeToString(sum[:])
		rc := send(t, db, dev, batch("b1", dev,
			entRec("r1", "v1", update(hh1, 1, map[string]string{"size": "2"})),
			bad,
			entRec("r3", "v3", forms.EntityChange{List: "households", ID: "bad\x00id", Create: true})))
		if got := statuses(rc); !reflect.DeepEqual(got, []string{"accepted", "rejected", "rejected"}) {
			t.Fatalf("statuses %+v", rc.Results)
		}
		// The update of an entity the catalogue never had keeps its
		// record and is noted, as ODK Central notes an entity error.
		if n := query[int](t, db, `SELECT count(*) FROM entity_errors WHERE record_version = 'v1' AND entity_id = ?`, hh1); n != 1 {
			t.Fatalf("%d errors noted", n)
		}
		if n := query[int](t, db, `SELECT count(*) FROM entities`); n != 0 {
			t.Fatalf("%d entities", n)
		}
	})
}

func TestEntitiesSincePagesInOrder(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		send(t, db, dev, batch("b1", dev, entRec("r1", "v1", create(hh1, "一", nil), create(hh2, "二", nil), create(hh3, "三", nil))))
		page, err := db.EntitiesSince(ctx, []string{township}, "", 0, 2)
		if err != nil || len(page.Entities) != 2 || !page.More || page.Next != page.Entities[1].Seq {
			t.Fatalf("first page %+v %v", page, err)
		}
		rest, err := db.EntitiesSince(ctx, []string{township}, "", page.Next, 2)
		if err != nil || len(rest.Entities) != 1 || rest.More || rest.Entities[0].ID != hh3 {
			t.Fatalf("second page %+v %v", rest, err)
		}
		// An update moves the entity past everything downloaded.
		send(t, db, dev, batch("b2", dev, entRec("r2", "v2", update(hh1, 1, map[string]string{"size": "2"}))))
		inc, err := db.EntitiesSince(ctx, []string{township}, "", rest.Next, 0)
		if err != nil || len(inc.Entities) != 1 || inc.Entities[0].ID != hh1 || inc.Entities[0].Version != 2 {
			t.Fatalf("incremental %+v %v", inc, err)
		}
		if empty, err := db.EntitiesSince(ctx, []string{township}, "", inc.Next, 0); err != nil || len(empty.Entities) != 0 || empty.Next != inc.Next {
			t.Fatalf("nothing new %+v %v", empty, err)
		}
	})
}

// clearForm is a registration form whose settings ask for head_phone in
// clear on the laptops.
func clearForm(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "survey")
	rows := [][]string{
		{"type", "name", "label", "validate", "sensitive"},
		{"text", "head_name", "户主", "", "name"},
		{"text", "head_id", "身份号码", "cn_id", "id_number"},
		{"text", "head_phone", "手机", "cn_mobile", "phone"},
	}
	for r, row := range rows {
		f.SetSheetRow("survey", "A"+string(rune('1'+r)), &row)
	}
	f.NewSheet("settings")
	f.SetSheetRow("settings", "A1", &[]string{"form_id", "version", "form_title", EntitiesClearSetting})
	f.SetSheetRow("settings", "A2", &[]string{"hh_register", "1", "户登记", "head_phone"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestEntitiesMasked(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		if _, err := db.Publish(ctx, "hh_register.xlsx", clearForm(t), []string{township}); err != nil {
			t.Fatal(err)
		}
		r := entRec("r1", "v1", create(hh1, "张三家 13811062547", map[string]string{
			"head_id": "110105196805140036", "head_phone": "13811062547", "head_name": "张三", "note": "身份证110105196805140036"}))
		r.FormID, r.FormVersion = "hh_register", "1"
		send(t, db, dev, batch("b1", dev, r))
		// A form of the township reads every property (laptops get only
		// those some form reads).
		publishReader(t, db, "hh_count", "households", "count(instance('households')/root/item)")
		page, err := db.EntitiesSince(ctx, []string{township}, "", 0, 0)
		if err != nil || len(page.Entities) != 1 {
			t.Fatal(page, err)
		}
		want := map[string]string{"head_id": "110105********0036", "head_phone": "13811062547", "head_name": "张*", "note": "身份证110105********0036"}
		if e := page.Entities[0]; !reflect.DeepEqual(e.Properties, want) || e.Label != "张三家 138****2547" {
			t.Fatalf("laptop's copy %+v", e)
		}
		// The catalogue's listing masks the phone too, unless asked in clear.
		list, err := db.ListEntities(ctx, "households", false, "")
		if err != nil || list[0].Properties["head_phone"] != "138****2547" || list[0].Properties["head_id"] != want["head_id"] {
			t.Fatalf("masked listing %+v %v", list, err)
		}
		// The laptops' download opens the sealed head_phone, and says so.
		downloads := 0
		if w.keys != nil {
			downloads = 1
		}
		if n := query[int](t, db, `SELECT count(*) FROM export_events WHERE format = 'entities' AND command = ?`, entitiesDownloadCommand); n != downloads {
			t.Fatalf("the download of sealed properties in clear recorded %d times", n)
		}
		if n := query[int](t, db, `SELECT count(*) FROM export_events WHERE format = 'entities' AND command <> ?`, entitiesDownloadCommand); n != 0 {
			t.Fatalf("a masked listing was recorded as a clear view (%d)", n)
		}
		list, err = db.ListEntities(ctx, "households", true, "fieldbench catalogue entities households --clear")
		if err != nil || list[0].Properties["head_id"] != "110105196805140036" {
			t.Fatalf("clear listing %+v %v", list, err)
		}
		events, err := db.ExportEvents(ctx, "hh_register")
		if err != nil || len(events) != 1 || events[0].Format != "entities" || events[0].File != "households" || events[0].Masked {
			t.Fatalf("clear listing audit %+v %v", events, err)
		}
		if _, err := db.ListEntities(ctx, "nosuchlist", false, ""); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("unknown list: %v", err)
		}
	})
}

// A property is masked by the class of the question that saves it
// (save_to), whatever the question is called: the sample household form
// saves m_name (sensitive: name) to persons' full_name.
func TestEntitiesMaskedBySaveTo(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		send(t, db, dev, batch("b1", dev, entRec("r1", "v1", forms.EntityChange{List: "persons", ID: hh1, Create: true, Label: "成员",
			Properties: map[string]string{"full_name": "欧阳娜娜", "relation": "spouse"}})))
		page, err := db.EntitiesSince(ctx, []string{township}, "", 0, 0)
		if err != nil || len(page.Entities) != 1 {
			t.Fatal(page, err)
		}
		if p := page.Entities[0].Properties; p["full_name"] != forms.Mask(forms.SensitiveName, "欧阳娜娜") || p["full_name"] == "欧阳娜娜" || p["relation"] != "spouse" {
			t.Fatalf("laptop's copy %+v", p)
		}
	})
}
