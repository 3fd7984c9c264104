package store

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/quality"
)

// peopleForm has a name, a resident ID and a repeat of children's IDs,
// all personal: what the blind index covers.
const peopleForm = `
| survey |
| | type | name | label | required | constraint | validate | sensitive |
| | text | name | Name | yes | | | name |
| | text | pid | ID | | | cn_id | id_number |
| | integer | age | Age | yes | . <= 120 | | |
| | begin repeat | kids | Kids | | | | |
| | text | kid_id | Kid ID | | | cn_id | |
| | end repeat | | | | | | |
| settings |
| | form_id | version | form_title |
| | people | 1 | People |
`

// IDs valid under GB 11643; the first two mask alike (110105********0036).
const (
	idA   = "110105196805140036"
	idB   = "110105197001080036"
	idKid = "110105201006080018"
	idC   = "11010519491231002X"
)

// sealedPeople makes a database with a passphrase holding people records
// stored by every path that keeps checks: finalized from a draft, imported,
// edited, and a draft. C and D share an ID, A and B a child's; A and B's
// own IDs differ but mask alike.
func sealedPeople(t *testing.T) (path string, ids map[string]string) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "fb.db")
	clock := func() time.Time { return time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC) }
	db, err := Open(path, WithCollector("王芳"), WithArgon2(cheapArgon2), WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddForm(ctx, "people.md", []byte(peopleForm)); err != nil {
		t.Fatal(err)
	}
	ids = map[string]string{}
	must := func(id string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	ids["A"] = must(db.NewDraft(ctx, "people", "1"))
	if err := db.SaveDraft(ctx, ids["A"], []byte(`{"name":"张三","pid":"`+idA+`","age":58,"kids":[{"kid_id":"`+idKid+`"}]}`), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Finalize(ctx, ids["A"]); err != nil {
		t.Fatal(err)
	}
	b, _, err := db.InsertFinalized(ctx, "people", "1", "", []byte(`{"name":"李四","pid":"`+idB+`","age":40,"kids":[{"kid_id":"`+idKid+`"}]}`))
	ids["B"] = must(b, err)
	c, _, err := db.InsertFinalized(ctx, "people", "1", "", []byte(`{"name":"王五","pid":"`+idC+`","age":76}`))
	ids["C"] = must(c, err)
	if _, err := db.Edit(ctx, ids["C"], []byte(`{"name":"王五","pid":"`+idC+`","age":77}`)); err != nil {
		t.Fatal(err)
	}
	// A draft out of range, with C's ID typed with a small x: the index
	// normalises as the check does.
	ids["D"] = must(db.NewDraft(ctx, "people", "1"))
	if err := db.SaveDraft(ctx, ids["D"], []byte(`{"pid":"11010519491231002x","age":150}`), nil); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPassphrase(ctx, "春眠不觉晓"); err != nil {
		t.Fatal(err)
	}
	return path, ids
}

func qualityJSON(t *testing.T, db *DB) string {
	t.Helper()
	r, err := db.Quality(context.Background(), "people", quality.Options{Now: func() time.Time { return time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(r, "", " ")
	return string(b)
}

// Quality on a locked database (no passphrase given) reads the kept
// verdicts and finds duplicates by blind index: the same report as with
// the key, which validates the clear records afresh.
func TestQualityLockedSameAsUnlocked(t *testing.T) {
	path, ids := sealedPeople(t)
	open, err := openWithPass(path, "春眠不觉晓")
	if err != nil {
		t.Fatal(err)
	}
	clear := qualityJSON(t, open)
	open.Close()
	locked, err := openWithPass(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer locked.Close()
	if locked.Locked() == nil {
		t.Fatal("opened without the passphrase, yet unlocked")
	}
	masked := qualityJSON(t, locked)
	if masked != clear {
		t.Errorf("locked report differs from the unlocked one.\nlocked:\n%s\nunlocked:\n%s", masked, clear)
	}
	var r quality.Report
	json.Unmarshal([]byte(masked), &r)
	groups := map[string]string{}
	for _, d := range r.Duplicates {
		groups[d.Fields[0]] = strings.Join(d.IDs, " ")
	}
	// C's ID is D's too (with a small x); A's child is B's child; A's
	// and B's own IDs mask alike but differ, so they are no duplicate.
	if len(r.Duplicates) != 2 || groups["pid"] != ids["C"]+" "+ids["D"] || groups["kid_id"] != ids["A"]+" "+ids["B"] {
		t.Errorf("duplicates %+v; want pid in C and D, kid_id in A and B (ids %v)", r.Duplicates, ids)
	}
	if r.WithErrors != 1 {
		t.Errorf("%d records with errors, want 1 (the draft's age)", r.WithErrors)
	}
}

// A database from before step 12 has no kept checks: locked, quality says
// how to get them; the first Open with the key builds them, and the locked
// report is then the unlocked one.
func TestIndexBuiltAtFirstUnlock(t *testing.T) {
	path, _ := sealedPeople(t)
	raw := rawDB(t, path)
	if _, err := raw.Exec(`DELETE FROM blind_index; DELETE FROM kept_verdicts;
		INSERT INTO meta (key, value) VALUES ('index_pending', '1')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	locked, err := openWithPass(path, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = locked.Quality(context.Background(), "people", quality.Options{})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "open the database once with its key") {
		t.Errorf("quality on a locked database not indexed yet: %v", err)
	}
	locked.Close()
	open, err := openWithPass(path, "春眠不觉晓")
	if err != nil {
		t.Fatal(err)
	}
	clear := qualityJSON(t, open)
	var n int
	open.sql.QueryRow(`SELECT count(*) FROM meta WHERE key = 'index_pending'`).Scan(&n)
	open.Close()
	if n != 0 {
		t.Error("the index is still marked pending after an unlocked open")
	}
	locked, err = openWithPass(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer locked.Close()
	if got := qualityJSON(t, locked); got != clear {
		t.Errorf("locked report after the build differs:\n%s\nunlocked:\n%s", got, clear)
	}
}

// An exact value typed into a search finds its records by blind index,
// however the ID is spaced or cased; a part of one finds nothing, and a
// locked database finds nothing this way.
func TestRecordsByIndex(t *testing.T) {
	path, ids := sealedPeople(t)
	db, err := openWithPass(path, "春眠不觉晓")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	recs, err := db.Records(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"110105 19680514 0036": ids["A"],
		"１１０１０５１９４９１２３１００２ｘ": ids["C"] + " " + ids["D"], // full width, small x
		"110105201006080018": ids["A"] + " " + ids["B"],
		"李四":                 ids["B"],
		"李":                  "",
		"11010519680514":     "",
	} {
		m, err := db.RecordsByIndex(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i := range recs {
			if m.Holds(&recs[i]) {
				got = append(got, recs[i].ID)
			}
		}
		slices.Sort(got)
		wantSet := strings.Fields(want)
		slices.Sort(wantSet)
		if !slices.Equal(got, wantSet) {
			t.Errorf("%q found %v, want %v", q, got, wantSet)
		}
	}
	db.Close()
	locked, err := openWithPass(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer locked.Close()
	if got, err := locked.RecordsByIndex(ctx, idA); got != nil || err != nil {
		t.Errorf("locked: %v %v", got, err)
	}
}
