package store

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// Step 13 rebuilds sealed_versions and entities as rowid tables and
// keeps each version's tags beside its verdict: a
// database laid out as step 12 left it (clustered by their random keys)
// comes out with every sealed part and entity as it was, readable.
func TestRowidLayoutMigration(t *testing.T) {
	ctx := context.Background()
	_, _, db := atRestFiles(t, 20)
	recs, err := db.Records(ctx, Filter{})
	if err != nil || len(recs) == 0 {
		t.Fatalf("records: %v (%d)", err, len(recs))
	}
	before := map[string]string{}
	for _, r := range recs {
		full, err := db.Record(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		before[r.ID] = string(full.Data)
	}
	entities := func(db *DB) []Entity {
		es, err := db.Entities(ctx, "persons")
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	persons := entities(db)
	if len(persons) == 0 {
		t.Fatal("the fixture registers no person: the test proves nothing of entities")
	}
	keptTags := func(db *DB) map[string]string {
		tags := map[string]string{}
		rows, err := db.sql.QueryContext(ctx, `SELECT version_id, coalesce(tags, '') FROM kept_verdicts`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var v, tg string
			if err := rows.Scan(&v, &tg); err != nil {
				t.Fatal(err)
			}
			var m map[string]string
			if err := json.Unmarshal([]byte(tg), &m); err != nil || len(m) == 0 {
				t.Fatalf("version %s keeps tags %q (%v)", v, tg, err)
			}
			tags[v] = tg
		}
		return tags
	}
	tagsBefore := keptTags(db)
	path := db.Path()
	db.Close()

	raw := rawDB(t, path)
	for _, stmt := range []string{
		`CREATE TABLE sv11 (version_id TEXT PRIMARY KEY, blob BLOB NOT NULL) WITHOUT ROWID`,
		`INSERT INTO sv11 SELECT version_id, blob FROM sealed_versions`,
		`DROP TABLE sealed_versions`,
		`ALTER TABLE sv11 RENAME TO sealed_versions`,
		`CREATE TABLE e11 (list TEXT NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL, version INTEGER NOT NULL,
			township TEXT NOT NULL DEFAULT '', properties TEXT NOT NULL DEFAULT '{}', conflict INTEGER NOT NULL DEFAULT 0,
			assigned_to TEXT NOT NULL DEFAULT '', last_visit TEXT NOT NULL DEFAULT '', to_visit INTEGER NOT NULL DEFAULT 0,
			seq INTEGER NOT NULL DEFAULT 0, local INTEGER NOT NULL DEFAULT 0, sealed BLOB, PRIMARY KEY (list, id)) WITHOUT ROWID`,
		`INSERT INTO e11 SELECT list, id, label, version, township, properties, conflict, assigned_to, last_visit, to_visit, seq, local, sealed FROM entities`,
		`DROP TABLE entities`,
		`ALTER TABLE e11 RENAME TO entities`,
		`CREATE TABLE kv12 (version_id TEXT PRIMARY KEY, verdict TEXT NOT NULL) WITHOUT ROWID`,
		`INSERT INTO kv12 SELECT version_id, verdict FROM kept_verdicts`,
		`DROP TABLE kept_verdicts`,
		`ALTER TABLE kv12 RENAME TO kept_verdicts`,
		`PRAGMA user_version = 12`,
	} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	raw.Close()

	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, table := range []string{"sealed_versions", "entities"} {
		var ddl string
		if err := db.sql.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&ddl); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(ddl, "WITHOUT ROWID") {
			t.Errorf("%s is still clustered by its key after the migration:\n%s", table, ddl)
		}
	}
	for id, want := range before {
		full, err := db.Record(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if string(full.Data) != want {
			t.Errorf("record %s reads\n%s\nafter the migration, was\n%s", id, full.Data, want)
		}
	}
	if got := keptTags(db); !reflect.DeepEqual(got, tagsBefore) {
		t.Errorf("the kept tags after the migration:\n%v\nwere\n%v", got, tagsBefore)
	}
	if got := entities(db); !reflect.DeepEqual(got, persons) {
		t.Errorf("the persons list changed in the migration:\n%+v\nwas\n%+v", got, persons)
	}
}
