package store

import (
	"context"
	"strings"
	"testing"
)

// A finalized version must be immutable "whatever program holds the file";
// INSERT OR REPLACE deletes the old row without firing the delete trigger
// (SQLite fires delete triggers on REPLACE only with recursive_triggers).
func TestReplaceRewritesFinalizedVersion(t *testing.T) {
	ctx := context.Background()
	db, path := newDB(t)
	id, _, err := db.InsertFinalized(ctx, "household", "1", "k", household("a", 1))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := db.Versions(ctx, id)
	if err != nil || len(vs) != 1 {
		t.Fatal(vs, err)
	}
	v := vs[0]
	forged := household("forged", 2)
	raw := rawDB(t, path)
	_, err = raw.Exec(`INSERT OR REPLACE INTO record_versions (version_id, record_id, data, sha256, created_at, collector)
		VALUES (?, ?, ?, ?, ?, ?)`, v.ID, id, forged, hashHex(forged), v.CreatedAt, v.Collector)
	if err == nil {
		after, _ := db.Versions(ctx, id)
		t.Fatalf("INSERT OR REPLACE rewrote a finalized version: before %s, after %s", v.Data, after[0].Data)
	}
	if !strings.Contains(err.Error(), "immutable") {
		t.Fatalf("unexpected error %v", err)
	}
}

const namedForm = `| survey |
| | type         | name      | label     | required |
| | text         | head_name | Head      | yes      |
| settings |
| | form_id | form_title | version | instance_name |
| | named   | Named      | 1       | concat('HH ', ${head_name}) |
`

// Import stores the instance name; Finalize never computes it, so a record
// finalized by hand is listed without its name.
func TestFinalizeStoresInstanceName(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	if _, err := db.AddForm(ctx, "named.md", []byte(namedForm)); err != nil {
		t.Fatal(err)
	}
	id, err := db.NewDraft(ctx, "named", "1")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDraft(ctx, id, []byte(`{"head_name":"Li"}`), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Finalize(ctx, id); err != nil {
		t.Fatal(err)
	}
	r, err := db.Record(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.InstanceName != "HH Li" {
		t.Fatalf("finalized record's instance_name = %q, want %q", r.InstanceName, "HH Li")
	}
}

// Edit changes the head but leaves the instance name of the old data.
func TestEditUpdatesInstanceName(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	if _, err := db.AddForm(ctx, "named.md", []byte(namedForm)); err != nil {
		t.Fatal(err)
	}
	res, err := db.InsertFinalizedBatch(ctx, []ImportItem{{FormID: "named", Version: "1", Key: "k1",
		Data: []byte(`{"head_name":"Li"}`), InstanceName: "HH Li"}})
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].ID
	if _, err := db.Edit(ctx, id, []byte(`{"head_name":"Wang"}`)); err != nil {
		t.Fatal(err)
	}
	r, err := db.Record(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.Data), "Wang") {
		t.Fatalf("head data %s", r.Data)
	}
	if r.InstanceName != "HH Wang" {
		t.Fatalf("after edit to Wang, instance_name = %q (head data %s)", r.InstanceName, r.Data)
	}
}
