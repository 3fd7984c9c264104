package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/forms/when/whentest"
)

// A version is sent with the offset of the zone the laptop was in when it
// was made, not when its batch is built: a collector finalizes at 07:30 in
// Beijing, the laptop's zone is then set to UTC, and the record must still
// go out on the Beijing date. Before, the offset was the zone of the
// moment the batch was built: 23:30Z, the day before.
func TestVersionSentInTheZoneItWasMadeIn(t *testing.T) {
	ctx := context.Background()
	beijing := whentest.Shanghai(t)
	made := time.Date(2026, 11, 27, 7, 30, 0, 0, beijing)
	db, err := Open(filepath.Join(t.TempDir(), "fb.db"), WithCollector("王芳"), WithClock(func() time.Time { return made }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.AddForm(ctx, "household.md", testForm("1")); err != nil {
		t.Fatal(err)
	}
	finalized(t, db, 1)
	time.Local = time.UTC // the laptop's zone changed before the sync
	_, vs := queue(t, db, "b1", 10)
	if len(vs) != 1 {
		t.Fatalf("queued %d versions", len(vs))
	}
	if got := when.WithOffset(vs[0].CreatedAt); got != "2026-11-27T07:30:00.000000000+08:00" {
		t.Errorf("created_at sent as %q, want the Beijing time it was made at", got)
	}
	if !vs[0].CreatedAt.Equal(made) {
		t.Errorf("created_at %v is not the instant %v", vs[0].CreatedAt, made)
	}
}

// Schema step 6 keeps a version's offset; a version made before it has
// none and goes out in the zone of the moment, as every version did, while
// one made after the upgrade keeps its own.
func TestMigrationKeepsOldVersionsWithoutOffset(t *testing.T) {
	ctx := context.Background()
	beijing := whentest.Shanghai(t)
	clock := time.Date(2026, 11, 27, 7, 30, 0, 0, beijing)
	path := filepath.Join(t.TempDir(), "fb.db")
	open := func() *DB {
		db, err := Open(path, WithCollector("王芳"), WithClock(func() time.Time { return clock }))
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open()
	if _, err := db.AddForm(ctx, "household.md", testForm("1")); err != nil {
		t.Fatal(err)
	}
	old := finalized(t, db, 1)[0]
	db.Close()
	// The file as a release before step 6 left it.
	raw := rawDB(t, path)
	if _, err := raw.Exec(`ALTER TABLE records DROP COLUMN draft_sealed; ALTER TABLE record_versions DROP COLUMN utc_offset; DROP TABLE sealed_versions; DROP TABLE form_entity_lists; DROP TABLE entity_lists; DROP TABLE entities;
		DROP TABLE blind_index; DROP TABLE kept_verdicts; DROP TABLE form_attachments; DROP TABLE pending_edits; PRAGMA user_version = 5`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db = open()
	defer db.Close()
	var offset *int
	if err := db.sql.QueryRow(`SELECT v.utc_offset FROM record_versions v JOIN records r ON r.head = v.version_id WHERE r.id = ?`, old).Scan(&offset); err != nil || offset != nil {
		t.Fatalf("the old version's offset after the upgrade: %v %v, want NULL", offset, err)
	}
	fresh := finalized(t, db, 1)[0]
	time.Local = time.UTC
	_, vs := queue(t, db, "b1", 10)
	sent := map[string]string{}
	for _, v := range vs {
		sent[v.RecordID] = when.WithOffset(v.CreatedAt)
	}
	if got := sent[old]; got != "2026-11-26T23:30:00.000000000Z" {
		t.Errorf("the old version went as %q, want the zone of the moment (UTC)", got)
	}
	if got := sent[fresh]; got != "2026-11-27T07:30:00.000000000+08:00" {
		t.Errorf("the new version went as %q, want the zone it was made in", got)
	}
}
