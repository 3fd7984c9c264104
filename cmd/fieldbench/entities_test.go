package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store"
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
