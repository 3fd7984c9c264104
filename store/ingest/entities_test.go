package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

// Imported registrations create their entities in the batch that stores
// them, with the ids finalizing would give; the same file again changes
// nothing; a line's own __entities is not what is stored.
func TestImportRegistersEntities(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddForm(ctx, "register.md", registerForm(t)); err != nil {
		t.Fatal(err)
	}
	form, err := db.Form(ctx, "register", "1")
	if err != nil {
		t.Fatal(err)
	}
	text := `{"head":"王建国","size":"3"}
{"head":"李四","size":"2","` + forms.EntitiesKey + `":[{"list":"households","id":"forged","create":true,"label":"假"}]}
`
	run := func() Counts {
		bulk, err := db.Bulk(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer bulk.Close()
		n, err := Run(ctx, strings.NewReader(text), Options{Form: form, FormID: "register", Version: "1", Name: "r.jsonl", Language: "en", Bulk: bulk})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	run()
	ents, err := db.Entities(ctx, "households")
	if err != nil || len(ents) != 2 {
		t.Fatalf("%+v %v", ents, err)
	}
	recs, _ := db.Records(ctx, store.Filter{FormID: "register"})
	for _, e := range ents {
		if e.ID == "forged" || e.Version != 1 || e.Properties["size"] == "" {
			t.Errorf("entity %+v", e)
		}
		found := false
		for _, r := range recs {
			full, _ := db.Record(ctx, r.ID)
			ch, _ := forms.RecordEntityChanges(full.Data)
			found = found || len(ch) == 1 && ch[0].ID == e.ID && strings.Contains(ch[0].ID, "-")
		}
		if !found {
			t.Errorf("no stored record carries %s", e.ID)
		}
	}
	run()
	again, _ := db.Entities(ctx, "households")
	if len(again) != 2 || again[0].Version != 1 || again[1].Version != 1 {
		t.Fatalf("the same file again: %+v", again)
	}
}

// registerForm is the shared household registration form.
func registerForm(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/forms/register_households.md")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// An imported record's entities are visited when the record says it was
// collected (its end, else its start), not when it was imported; only a
// record that says neither is visited at the import.
func TestImportedEntitiesVisitedWhenTheRecordSays(t *testing.T) {
	ctx := context.Background()
	imported := time.Date(2026, 12, 24, 10, 0, 0, 0, time.UTC)
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"), store.WithClock(func() time.Time { return imported }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	timed, err := os.ReadFile("../../testdata/forms/register_timed.md")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddForm(ctx, "register_timed.md", timed); err != nil {
		t.Fatal(err)
	}
	form, err := db.Form(ctx, "register_timed", "1")
	if err != nil {
		t.Fatal(err)
	}
	text := `{"head":"王建国","start":"2026-11-20T09:00:00+08:00","end":"2026-11-20T09:40:00+08:00"}
{"head":"李四","start":"2026-11-21T15:00:00+08:00"}
{"head":"赵六"}
`
	bulk, err := db.Bulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer bulk.Close()
	if _, err := Run(ctx, strings.NewReader(text), Options{Form: form, FormID: "register_timed", Version: "1", Name: "r.jsonl", Language: "en", Bulk: bulk}); err != nil {
		t.Fatal(err)
	}
	ents, err := db.Entities(ctx, "households")
	if err != nil || len(ents) != 3 {
		t.Fatalf("%+v %v", ents, err)
	}
	want := map[string]time.Time{"王建国": time.Date(2026, 11, 20, 1, 40, 0, 0, time.UTC), "李四": time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC), "赵六": imported}
	for _, e := range ents {
		if !e.LastVisit.Equal(want[e.Label]) {
			t.Errorf("%s: last visit %v, want %v", e.Label, e.LastVisit, want[e.Label])
		}
	}
}
