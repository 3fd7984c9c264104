package catalogue

import (
	"context"
	"reflect"
	"testing"
)

func TestImportEntitiesPreloadsAssignments(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, _ := newDB(t, w)
		imp := EntityImport{List: "visits", TownshipCol: "township", AssignCol: "collector", Lang: "en", Who: "admin"}
		rows := [][]string{
			{"name", "label", "township", "collector", "address"},
			{hh1, "张三家", township, "王芳", "建外街道1号"},
			{"", "李四家", township, "", "建外街道2号"},
			{},
			{hh3, "王五家", "110105002", "赵六", "别处"},
		}
		n, problems, err := db.ImportEntities(ctx, imp, rows)
		if err != nil || n != 3 || problems != nil {
			t.Fatalf("import: %d %+v %v", n, problems, err)
		}
		publishReader(t, db, "visit_followup", "visits", "instance('visits')/root/item[name=${pick}]/address", "address")
		page, err := db.EntitiesSince(ctx, []string{township}, "", 0, 0)
		if err != nil || len(page.Entities) != 2 || page.Entities[0].AssignedTo != "王芳" || page.Entities[0].Version != 1 ||
			page.Entities[1].AssignedTo != "" || page.Entities[1].ID == "" || page.Entities[0].Properties["address"] != "建外街道1号" {
			t.Fatalf("download %+v %v", page, err)
		}
		if got := query[string](t, db, `SELECT kind || ':' || user_id FROM entity_versions WHERE entity_id = ?`, hh1); got != "import:admin" {
			t.Fatalf("audit %q", got)
		}
		// The same rows again: every id is there already (a row without
		// one gets the same derived id), nothing stored.
		_, problems, err = db.ImportEntities(ctx, imp, rows[:3])
		if err != nil || len(problems) != 2 || problems[0].Code != ProblemIDExists || problems[1].Code != ProblemIDExists {
			t.Fatalf("again: %+v %v", problems, err)
		}
	})
}

func TestImportEntitiesRefusesBadRows(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		if _, err := db.Publish(ctx, "hh_register.xlsx", clearForm(t), []string{township}); err != nil {
			t.Fatal(err)
		}
		r := entRec("r1", "v1", create(hh1, "张三家", map[string]string{"head_id": "110105196805140036", "head_phone": "13811062547"}))
		r.FormID, r.FormVersion = "hh_register", "1"
		send(t, db, dev, batch("b1", dev, r))
		imp := EntityImport{List: "households", TownshipCol: "township", Lang: "en"}
		_, problems, err := db.ImportEntities(ctx, imp, [][]string{{"label", "township", "head_id", "colour"}, {"x", township, "1", "red"}})
		if err != nil || !reflect.DeepEqual(problems, []ImportProblem{{Row: 1, Column: "colour", Code: ProblemUnknownColumn, Detail: "head_id, head_phone"}}) {
			t.Fatalf("unknown column: %+v %v", problems, err)
		}
		rows := [][]string{
			{"name", "label", "township", "head_id", "head_phone"},
			{hh2, "李四家", township, "110105196805140036", "13811062547"},
			{hh3, "", "999999999", "110105196805140037", "123"},
			{hh2, "王五家", township, "", ""},
		}
		_, problems, err = db.ImportEntities(ctx, imp, rows)
		if err != nil {
			t.Fatal(err)
		}
		var got [][2]any
		for _, p := range problems {
			got = append(got, [2]any{p.Row, p.Column + ":" + p.Code})
		}
		want := [][2]any{{3, "label:" + ProblemNoLabel}, {3, "township:" + ProblemBadTownship}, {3, "head_id:" + ProblemBadValue},
			{3, "head_phone:" + ProblemBadValue}, {4, "name:" + ProblemDuplicateID}}
		if !reflect.DeepEqual(got, want) || problems[2].Detail == "" {
			t.Fatalf("problems %v (%+v)", got, problems)
		}
		if n := query[int](t, db, `SELECT count(*) FROM entities`); n != 1 {
			t.Fatalf("%d entities: a bad import stored some", n)
		}
		// A normalised value is stored as its rule writes it.
		n, problems, err := db.ImportEntities(ctx, imp, [][]string{rows[0], {hh2, "李四家", township, "11010519680514001x", "+86 138 1106 2547"}})
		if err != nil || n != 1 || problems != nil {
			t.Fatalf("%d %+v %v", n, problems, err)
		}
		if e := entity(t, db, hh2); e.Properties["head_id"] != "11010519680514001X" || e.Properties["head_phone"] != "13811062547" {
			t.Fatalf("stored %+v", e.Properties)
		}
	})
}

// The catalogue page's summary: per township and per collector, assigned
// entities count as visited once a record has updated them.
func TestEntityListsProgress(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		rows := [][]string{{"name", "label", "township", "collector"}, {hh1, "张三家", township, "王芳"}, {hh2, "李四家", township, "王芳"}, {hh3, "王五家", township, ""}}
		if _, problems, err := db.ImportEntities(ctx, EntityImport{List: "households", TownshipCol: "township", AssignCol: "collector"}, rows); err != nil || problems != nil {
			t.Fatal(problems, err)
		}
		send(t, db, dev, batch("b1", dev, entRec("r1", "v1", update(hh1, 1, map[string]string{"size": "3"})), entRec("r2", "v2", update(hh3, 9, nil))))
		lists, err := db.EntityLists(ctx)
		if err != nil || len(lists) != 1 || len(lists[0].Townships) != 1 {
			t.Fatalf("%+v %v", lists, err)
		}
		tw := lists[0].Townships[0]
		if tw.Township != township || tw.Entities != 3 || tw.Conflicts != 1 || tw.Assigned != 2 || tw.Visited != 1 || tw.Updated.IsZero() {
			t.Fatalf("township %+v", tw)
		}
		if got := lists[0].Collectors; !reflect.DeepEqual(got, []EntityProgress{{Collector: "王芳", Assigned: 2, Visited: 1}}) {
			t.Fatalf("collectors %+v", got)
		}
	})
}
