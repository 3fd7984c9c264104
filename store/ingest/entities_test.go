package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
