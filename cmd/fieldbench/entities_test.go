package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// entitiesDB is a laptop database holding a households list as a sync
// downloads it.
func entitiesDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fb.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.ApplyDownloaded(context.Background(), []store.Entity{
		{List: "households", ID: "e2", Label: "李家\x1b[31m", Version: 3, Conflict: true, Properties: map[string]string{"size": "4", "phone": "138****0000"}, Seq: 1},
		{List: "households", ID: "e1", Label: "王家", Version: 1, Seq: 2},
		{List: "people", ID: "p1", Label: "王芳", Version: 1, Seq: 3},
	}, 3)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEntitiesTable(t *testing.T) {
	db := entitiesDB(t)
	code, out, errs := run(t, "", "entities", "households", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[0], "CONFLICT") || lines[3] != "2 entities" {
		t.Fatalf("output:\n%s", out)
	}
	// Ordered by label; the label's escape sequence never reaches the terminal.
	if !strings.HasPrefix(lines[1], "e2 ") || !strings.Contains(lines[1], "yes") || !strings.Contains(lines[1], "phone=138****0000 size=4") ||
		strings.Contains(out, "\x1b") || !strings.HasPrefix(lines[2], "e1 ") {
		t.Errorf("rows:\n%s", out)
	}
}

func TestEntitiesJSONL(t *testing.T) {
	db := entitiesDB(t)
	code, out, errs := run(t, "", "entities", "--format", "jsonl", "--db", db, "households")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("output:\n%s", out)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	props, _ := first["properties"].(map[string]any)
	if first["id"] != "e2" || first["label"] != "李家\x1b[31m" || first["version"] != 3.0 || first["conflict"] != true || props["size"] != "4" {
		t.Errorf("first line: %s", lines[0])
	}
	var second map[string]any
	json.Unmarshal([]byte(lines[1]), &second)
	if second["conflict"] != false || second["properties"] == nil {
		t.Errorf("conflict and properties must always be there: %s", lines[1])
	}
}

func TestEntitiesUnknownList(t *testing.T) {
	db := entitiesDB(t)
	code, out, errs := run(t, "", "entities", "housholds", "--db", db)
	if code != exitUnusable || out != "" || !strings.Contains(errs, `no entity list "housholds"`) || !strings.Contains(errs, "households, people") {
		t.Fatalf("exit %d, out %q, err %q", code, out, errs)
	}
	empty := filepath.Join(t.TempDir(), "fb.db")
	if code, _, errs := run(t, "", "entities", "households", "--db", empty); code != exitUnusable || !strings.Contains(errs, "nor any other yet") {
		t.Fatalf("an empty laptop: exit %d, %q", code, errs)
	}
	if code, _, errs := run(t, "", "entities", "households", "--format", "csv", "--db", db); code != exitUnusable || !strings.Contains(errs, "table or jsonl") {
		t.Fatalf("--format csv: exit %d, %q", code, errs)
	}
}

// A follow-up form is checked without its list, which only a laptop or
// the catalogue holds; a file it reads that is no entity list is still
// required.
func TestFormsCheckFollowUpWithoutItsList(t *testing.T) {
	visit := "../../testdata/forms/followup_households.md"
	if code, out, errs := run(t, "", "forms", "check", visit); code != 0 || !strings.Contains(out, "followup_households.md: ok") {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	if code, out, _ := run(t, "", "forms", "check", "../../testdata/forms/villages.md"); code != 1 || !strings.Contains(out, "villages.csv") {
		t.Fatalf("a form missing a data file: exit %d: %s", code, out)
	}
}

// A sync downloads the entity lists after sending, says how many came,
// and fieldbench entities shows them.
func TestSyncDownloadsEntities(t *testing.T) {
	mux := http.NewServeMux()
	answer := func(w http.ResponseWriter, v any) {
		w.Header().Set(wire.ProtocolHeader, wire.ProtocolVersion)
		json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("/v1/info", func(w http.ResponseWriter, r *http.Request) {
		answer(w, wire.Info{Protocol: wire.ProtocolVersion, Device: &wire.Device{ID: "d1", Township: "420106001"}})
	})
	mux.HandleFunc("/v1/returns", func(w http.ResponseWriter, r *http.Request) { answer(w, wire.ReturnList{}) })
	mux.HandleFunc("/v1/forms", func(w http.ResponseWriter, r *http.Request) { answer(w, []wire.FormInfo{}) })
	mux.HandleFunc(wire.EntitiesPath, func(w http.ResponseWriter, r *http.Request) {
		answer(w, wire.EntityPage{Next: 2, Entities: []wire.Entity{
			{List: "households", ID: "e1", Label: "王家", Version: 2, Properties: map[string]string{"size": "5"}, Seq: 1},
			{List: "households", ID: "e2", Label: "李家", Version: 1, Seq: 2},
		}})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "fb.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.SetSetting(context.Background(), laptop.SettingURL, srv.URL)
	db.SetSetting(context.Background(), laptop.SettingToken, "tok")
	db.Close()
	code, out, errs := run(t, "", "--sync", "--db", path)
	if code != 0 || !strings.Contains(out, "2 entities downloaded") {
		t.Fatalf("exit %d:\n%s%s", code, out, errs)
	}
	if code, out, _ := run(t, "", "entities", "households", "--db", path); code != 0 || !strings.Contains(out, "size=5") || !strings.Contains(out, "2 entities") {
		t.Fatalf("after the sync: exit %d:\n%s", code, out)
	}
}
