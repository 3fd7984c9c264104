package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// recordsDB makes a database with every way a record arrives: finalized,
// edited, imported (a batch of three), and a draft discarded.
type recordsDB struct {
	db                  *DB
	path                string
	finalized, imported string // record ids
	first, edit, imp    string // version ids
}

func newRecordsDB(t *testing.T) recordsDB {
	t.Helper()
	ctx := context.Background()
	db, path := newDB(t)
	r := recordsDB{db: db, path: path}
	id, _ := db.NewDraft(ctx, "household", "1")
	if err := db.SaveDraft(ctx, id, household("张", 2), &AnswerChange{Path: "head_name", New: "张"}); err != nil {
		t.Fatal(err)
	}
	v, err := db.Finalize(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	r.finalized, r.first = id, v.ID
	e, err := db.Edit(ctx, id, household("张", 3))
	if err != nil {
		t.Fatal(err)
	}
	r.edit = e.ID
	var items []ImportItem
	for i := 0; i < 3; i++ {
		items = append(items, ImportItem{FormID: "household", Version: "1", Key: fmt.Sprint(i), Data: household(fmt.Sprint("李", i), 1)})
	}
	res, err := db.InsertFinalizedBatch(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	r.imported = res[1].ID
	vs, _ := db.Versions(ctx, r.imported)
	r.imp = vs[0].ID
	gone, _ := db.NewDraft(ctx, "household", "1")
	if err := db.DiscardDraft(ctx, gone); err != nil {
		t.Fatal(err)
	}
	return r
}

// The records against the hashes the trail holds: every change to
// record data or to the records themselves that leaves the chain sound.
func TestVerifyData(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		tamper func(r recordsDB) string
		want   []string // in the problems, in order; none: sound
	}{
		{"untouched", func(recordsDB) string { return "" }, nil},
		{"finalized data changed", func(r recordsDB) string {
			return `DROP TRIGGER record_versions_no_update; UPDATE record_versions SET data = replace(data, '张', '王') WHERE version_id = '` + r.first + `'`
		}, []string{"version %first: its data was changed after it was stored"}},
		{"edited data and its hash changed", func(r recordsDB) string {
			return `DROP TRIGGER record_versions_no_update; UPDATE record_versions SET data = '{}',
				sha256 = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' WHERE version_id = '` + r.edit + `'`
		}, []string{"version %edit: its data was changed after it was stored"}},
		{"imported data changed", func(r recordsDB) string {
			return `DROP TRIGGER record_versions_no_update; UPDATE record_versions SET data = replace(data, '李', '赵') WHERE version_id = '` + r.imp + `'`
		}, []string{"version %import: its data was changed"}},
		{"hash beside a version changed", func(r recordsDB) string {
			return `DROP TRIGGER record_versions_no_update; UPDATE record_versions SET sha256 = 'x' WHERE version_id = '` + r.first + `'`
		}, []string{"version %first: the SHA-256 stored beside it was changed"}},
		{"version deleted", func(r recordsDB) string {
			return `DROP TRIGGER record_versions_no_delete; DELETE FROM record_versions WHERE version_id = '` + r.edit + `'`
		}, []string{"version %edit: recorded in audit row", "it is gone (deleted)"}},
		{"finalized record deleted", func(r recordsDB) string {
			return `DELETE FROM records WHERE id = '` + r.finalized + `'`
		}, []string{"record %finalized: named in audit row 2, it is gone (deleted)"}},
		{"imported record deleted", func(r recordsDB) string {
			return `DELETE FROM records WHERE id = '` + r.imported + `'`
		}, []string{"record %imported: named in audit row", "it is gone"}},
		{"record added", func(r recordsDB) string {
			return `INSERT INTO records (id, form_id, form_version, state, collector, device_id, created_at, updated_at)
				VALUES ('forged', 'household', '1', 'draft', 'x', 'y', 'z', 'z')`
		}, []string{"record forged: it is not in the audit trail"}},
		// The trail's end rewritten with skill (rows, head and guards), so
		// that the chain holds: the versions it recorded still tell.
		{"trail end rewritten", func(r recordsDB) string {
			return `DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE event IN ('imported', 'draft_created', 'draft_discarded') AND seq > 5;
				UPDATE meta SET value = (SELECT seq || ' ' || hash FROM audit ORDER BY seq DESC LIMIT 1) WHERE key = 'audit_head';
				CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;`
		}, []string{"version %import: it is not in the audit trail", "it is not in the audit trail"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecordsDB(t)
			if q := tt.tamper(r); q != "" {
				if _, err := rawDB(t, r.path).Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := r.db.VerifyData(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Versions < 4 {
				t.Errorf("%d versions checked", rep.Versions)
			}
			var got []string
			for _, p := range rep.Problems {
				got = append(got, p.String())
			}
			all := strings.Join(got, "\n")
			if len(tt.want) == 0 && rep.Count != 0 {
				t.Fatalf("problems in an untouched database:\n%s", all)
			}
			if len(tt.want) > 0 && rep.Count == 0 {
				t.Fatal("no problem found")
			}
			for _, w := range tt.want {
				w = strings.NewReplacer("%imported", r.imported, "%first", r.first, "%edit", r.edit, "%import", r.imp,
					"%finalized", r.finalized).Replace(w)
				if !strings.Contains(all, w) {
					t.Errorf("problems do not say %q:\n%s", w, all)
				}
			}
			if tt.name == "trail end rewritten" {
				if _, p, _ := r.db.VerifyAudit(ctx); p != nil {
					t.Errorf("the chain was meant to hold: %v", p)
				}
			}
		})
	}
}

// A database from before schema step 5 (a trail without a recorded head,
// no guards) gets both when opened, and its trail verifies as it stood.
func TestOldTrailGetsItsHead(t *testing.T) {
	ctx := context.Background()
	db, path := busyDB(t)
	db.Close()
	raw := rawDB(t, path)
	if _, err := raw.Exec(`DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;
		DELETE FROM meta WHERE key = 'audit_head'; ALTER TABLE record_versions DROP COLUMN utc_offset; ALTER TABLE records DROP COLUMN draft_sealed;
		DROP TABLE sealed_versions; DROP TABLE form_entity_lists; DROP TABLE entity_lists; DROP TABLE entities;
		DROP TABLE blind_index; DROP TABLE kept_verdicts; DROP TABLE form_attachments; DROP TABLE pending_edits; PRAGMA user_version = 4`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, p, err := db.VerifyAudit(ctx); err != nil || p != nil || n != 12 {
		t.Fatalf("after the upgrade: %d %v %v", n, p, err)
	}
	var head string
	db.sql.QueryRow(`SELECT value FROM meta WHERE key = 'audit_head'`).Scan(&head)
	if !strings.HasPrefix(head, "12 ") {
		t.Errorf("head %q", head)
	}
}
