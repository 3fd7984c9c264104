package catalogue

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// mdForm is a small markdown-table XLSForm; label changes its bytes.
func mdForm(id, version, label string) []byte {
	return []byte(`| survey |
| | type | name      | label  |
| | text | head_name | ` + label + ` |
| settings |
| | form_id | version |
| | ` + id + ` | ` + version + ` |
`)
}

func TestPublishImmutable(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db := openDB(t, w)
		def := household(t)
		fi, err := db.Publish(ctx, "household_visit.xlsx", def, []string{township})
		if err != nil {
			t.Fatal(err)
		}
		if fi.FormID != formID || fi.Version != formVer || fi.SHA256 != hashHex(def) || fi.Title == "" {
			t.Fatalf("published %+v", fi)
		}
		// The same bytes again only add a township.
		if _, err := db.Publish(ctx, "copy.xlsx", def, []string{"110105002", township}); err != nil {
			t.Fatal(err)
		}
		if n := query[int](t, db, `SELECT count(*) FROM forms`); n != 1 {
			t.Fatalf("%d forms", n)
		}
		if n := query[int](t, db, `SELECT count(*) FROM form_townships`); n != 2 {
			t.Fatalf("%d townships", n)
		}
		list, err := db.Forms(ctx, "110105002")
		if err != nil || len(list) != 1 || list[0].FileName != "household_visit.xlsx" {
			t.Fatalf("forms of the added township: %+v, %v", list, err)
		}

		// Other bytes under the same (form_id, version) are refused.
		a := mdForm("f", "1", "Head")
		if _, err := db.Publish(ctx, "f.md", a, []string{township}); err != nil {
			t.Fatal(err)
		}
		_, err = db.Publish(ctx, "f.md", mdForm("f", "1", "Head of household"), []string{township})
		var vc *ErrFormVersionConflict
		if !errors.As(err, &vc) || vc.Have != hashHex(a) {
			t.Fatalf("changed definition: %v", err)
		}
		if got, err := db.Form(ctx, township, "f", "1"); err != nil || string(got.Data) != string(a) {
			t.Fatalf("definition changed: %v", err)
		}
		// A new version is fine.
		if _, err := db.Publish(ctx, "f.md", mdForm("f", "2", "Head of household"), []string{township}); err != nil {
			t.Fatal(err)
		}

		// A form that does not load is refused with the loader's errors.
		_, err = db.Publish(ctx, "bad.md", []byte("| survey |\n| | type | name |\n| | nonsense | x |\n"), []string{township})
		var le forms.LoadErrors
		if !errors.As(err, &le) {
			t.Fatalf("bad form: %v", err)
		}
		for _, bad := range [][]string{nil, {"11"}, {"1101050011"}, {"11010500A"}} {
			if _, err := db.Publish(ctx, "f.md", mdForm("f", "3", "x"), bad); err == nil {
				t.Errorf("townships %q accepted", bad)
			}
		}
		if n := query[int](t, db, `SELECT count(*) FROM forms WHERE form_id = 'f'`); n != 2 {
			t.Fatalf("%d versions of f", n)
		}
	})
}

func TestFormsByTownship(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db := openDB(t, w)
		def := household(t)
		if _, err := db.Publish(ctx, "household_visit.xlsx", def, []string{township}); err != nil {
			t.Fatal(err)
		}
		// Published to the county 朝阳区: every township in it sees it.
		if _, err := db.Publish(ctx, "f.md", mdForm("f", "1", "Head"), []string{"110105"}); err != nil {
			t.Fatal(err)
		}
		cases := map[string][]string{
			township:       {"f", formID},
			"110105002":    {"f"},
			"110105001203": {"f", formID}, // a village of the township
			"110106001":    {},
		}
		for tw, want := range cases {
			list, err := db.Forms(ctx, tw)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range list {
				got = append(got, f.FormID)
			}
			if len(got) != len(want) || (len(got) > 0 && (got[0] != want[0] || got[len(got)-1] != want[len(want)-1])) {
				t.Errorf("%s: forms %v, want %v", tw, got, want)
			}
		}

		ff, err := db.Form(ctx, township, formID, formVer)
		if err != nil || string(ff.Data) != string(def) || ff.SHA256 != hashHex(def) {
			t.Fatalf("Form: %v", err)
		}
		if _, err := db.Form(ctx, "110105002", formID, formVer); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("form of another township: %v", err)
		}
		if _, err := db.Form(ctx, township, formID, "1"); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("unknown version: %v", err)
		}

		f1, err := db.FormDefinition(ctx, formID, formVer)
		if err != nil || f1.ID != formID || f1.Version != formVer {
			t.Fatalf("FormDefinition: %v", err)
		}
		// A second handle parses it once and caches it.
		db2 := openDB(t, w)
		f2, _ := db2.FormDefinition(ctx, formID, formVer)
		f3, _ := db2.FormDefinition(ctx, formID, formVer)
		if f2 == nil || f2 != f3 {
			t.Fatal("FormDefinition not cached")
		}
		if _, err := db.FormDefinition(ctx, "nope", "1"); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("unknown form: %v", err)
		}

		if _, err := db.Publish(ctx, "f.md", mdForm("f", "2", "Head of household"), []string{"110105"}); err != nil {
			t.Fatal(err)
		}
		latest, earlier, err := db.FormVersionsOf(ctx, "f")
		if err != nil || latest.Version != "2" || len(earlier) != 1 || earlier[0].Version != "1" {
			t.Fatalf("FormVersionsOf: %v %v %v", latest, earlier, err)
		}
		if _, _, err := db.FormVersionsOf(ctx, "nope"); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("versions of an unknown form: %v", err)
		}
	})
}

func TestOpenRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	// A laptop's database under the catalogue's name.
	s, err := store.Open(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := OpenSQLite(dir); !errors.Is(err, ErrNotCatalogue) {
		t.Fatalf("laptop database opened as a catalogue: %v", err)
	}
	// Reopening a catalogue keeps what it holds.
	dir = t.TempDir()
	db := openDB(t, where{dir: dir})
	if _, err := db.Publish(context.Background(), "f.md", mdForm("f", "1", "Head"), []string{township}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openDB(t, where{dir: dir})
	if list, err := db.Forms(context.Background(), township); err != nil || len(list) != 1 {
		t.Fatalf("after reopening: %v %v", list, err)
	}
}
