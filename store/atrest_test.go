package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// atRestFiles fills a laptop database with generated households (an
// import), backs it up, and returns the bytes of
// every file it wrote while the database is still open (main file, WAL,
// backup), with the numbers the records hold.
func atRestFiles(t *testing.T, n int) (files map[string][]byte, secret map[string]bool, db *DB) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "fb.db")
	db, err := Open(path, WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	def, err := samples.FS.ReadFile("household_visit.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	fv, err := db.AddForm(ctx, "household_visit.xlsx", def)
	if err != nil {
		t.Fatal(err)
	}
	records, ids, typed := piitest.HouseholdsWithNumbers(t, n)
	secret = map[string]bool{}
	for _, s := range append(ids, typed...) {
		secret[s] = true
	}
	items := make([]ImportItem, len(records))
	for i, r := range records {
		// The name lists show, made of answers as forms make it.
		var obj map[string]any
		if err := json.Unmarshal(r, &obj); err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprint(obj["head_name"], " ", obj["village"])
		items[i] = ImportItem{FormID: fv.FormID, Version: fv.Version, Data: r, InstanceName: name}
	}
	res, err := db.InsertFinalizedBatch(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	workInProgress(t, db, fv.FormID, fv.Version, records, secret, res)
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	files = map[string][]byte{}
	for _, p := range []string{path, path + "-wal", backup} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	return files, secret, db
}

// workInProgress is what a collector does beside imports: a draft saved
// with a household's answers, an edit of a record saved midway, and an
// edit saved, which validates the record and so updates the household
// entity it registers.
func workInProgress(t *testing.T, db *DB, formID, version string, records [][]byte, secret map[string]bool, res []ImportResult) {
	t.Helper()
	ctx := context.Background()
	id, err := db.NewDraft(ctx, formID, version)
	if err != nil {
		t.Fatal(err)
	}
	// Typed answer by answer: the answer that changed is audited.
	var answers map[string]any
	if err := json.Unmarshal(records[0], &answers); err != nil {
		t.Fatal(err)
	}
	typed := 0
	for path, v := range answers {
		if s, ok := v.(string); ok && len(piitest.NumbersIn([]byte(s), secret)) > 0 {
			if err := db.SaveDraft(ctx, id, records[0], &AnswerChange{Path: path, Old: "", New: s}); err != nil {
				t.Fatal(err)
			}
			typed++
		}
	}
	if typed == 0 {
		t.Fatal("the household holds no number at the top level")
	}
	// A draft given up on: the trail keeps what it held.
	gone, err := db.NewDraft(ctx, formID, version)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDraft(ctx, gone, records[len(records)-1], nil); err != nil {
		t.Fatal(err)
	}
	if err := db.DiscardDraft(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveEdit(ctx, res[0].ID, records[1], "edit"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Edit(ctx, res[1].ID, records[0]); err != nil {
		t.Fatal(err)
	}
	lists, err := db.EntityLists(ctx)
	if err != nil || len(lists) == 0 {
		t.Fatalf("the edit updated no entity: %v %v", lists, err)
	}
}

// No file the laptop wrote holds a resident ID or mobile number in
// clear; with sealing switched off (the control) the same scan finds
// them, so the scan can fail.
func TestLaptopFilesHoldNoClearNumbers(t *testing.T) {
	const households = 300
	files, secret, db := atRestFiles(t, households)
	for name, b := range files {
		if found := piitest.NumbersIn(b, secret); len(found) > 0 {
			t.Errorf("%s holds %d numbers in clear, e.g. %s", name, len(found), found[0])
		}
		if clear := piitest.ClearIDs(b, secret); len(clear) > 0 {
			t.Errorf("%s holds %d checksum-valid IDs, e.g. %s", name, len(clear), clear[0])
		}
	}
	// The clear data is still there for who holds the key.
	recs, err := db.Records(context.Background(), Filter{State: Finalized})
	if err != nil || len(recs) != households {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	full, err := db.Record(context.Background(), recs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(piitest.NumbersIn(full.Data, secret)) == 0 {
		t.Error("the record read with the key holds none of its numbers")
	}
	// The audit trail holds the typed answers masked, the clear ones
	// sealed beside them, and still verifies.
	var recordID, detail string
	if err := db.sql.QueryRow(`SELECT record_id, detail FROM audit WHERE event = 'answer_changed' LIMIT 1`).Scan(&recordID, &detail); err != nil {
		t.Fatal(err)
	}
	var ad answerDetail
	if err := json.Unmarshal([]byte(detail), &ad); err != nil || ad.Sealed == nil {
		t.Fatalf("answer_changed %s: %v", detail, err)
	}
	plain, err := seal.Open(ad.Sealed, answerAD(recordID, ad.Path), seal.Keys(db.key))
	if err != nil || len(piitest.NumbersIn(plain, secret)) == 0 {
		t.Errorf("the sealed answer opens as %s, %v", plain, err)
	}
	verified(t, db)
	// So are the entities the edit updated, listed or given to a form.
	lists, err := db.EntityLists(context.Background())
	if err != nil || len(lists) == 0 {
		t.Fatalf("entity lists %v, %v", lists, err)
	}
	ents, err := db.Entities(context.Background(), lists[0].List)
	if err != nil {
		t.Fatal(err)
	}
	listed, _ := json.Marshal(ents)
	csv, err := db.EntityListCSV(context.Background(), lists[0].List)
	if err != nil || len(piitest.NumbersIn(listed, secret)) == 0 || len(piitest.NumbersIn(csv, secret)) == 0 {
		t.Errorf("the entities read with the key hold none of their numbers: %s\n%s %v", listed, csv, err)
	}

	sealingOff = true
	t.Cleanup(func() { sealingOff = false })
	files, secret, _ = atRestFiles(t, 50)
	total := 0
	for _, b := range files {
		total += len(piitest.NumbersIn(b, secret))
	}
	if total == 0 {
		t.Fatal("control: with sealing off the scan finds no number, so it proves nothing")
	}
}

// An edit's new version is stored as every version is: masked data in
// record_versions, the clear part sealed beside it, the clear record
// for whoever reads it with the key.
func TestEditStoresItsVersionSealed(t *testing.T) {
	ctx := context.Background()
	_, secret, db := atRestFiles(t, 2)
	recs, err := db.Records(ctx, Filter{State: Finalized})
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.Record(ctx, recs[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	v, err := db.Edit(ctx, recs[0].ID, other.Data)
	if err != nil {
		t.Fatal(err)
	}
	var masked, blob []byte
	if err := db.sql.QueryRow(`SELECT v.data, s.blob FROM record_versions v JOIN sealed_versions s USING (version_id)
		WHERE v.version_id = ?`, v.ID).Scan(&masked, &blob); err != nil {
		t.Fatal(err)
	}
	if found := piitest.NumbersIn(masked, secret); len(found) > 0 || len(piitest.NumbersIn(blob, secret)) > 0 {
		t.Errorf("the edited version holds %v in clear", found)
	}
	vs, err := db.Versions(ctx, recs[0].ID)
	if err != nil || len(vs) != 2 {
		t.Fatalf("%d versions, %v", len(vs), err)
	}
	if string(vs[1].Data) != string(v.Data) || len(piitest.NumbersIn(v.Data, secret)) == 0 {
		t.Errorf("the edited version reads back as\n%s\nnot\n%s", vs[1].Data, v.Data)
	}
	if vs[1].SHA256 != hashHex(masked) {
		t.Error("a version's hash is not its masked data's")
	}
}

// A database from before sealing (schema 9: clear data in
// record_versions, no data key) is sealed at its first open by this
// version: no clear number is left in the file (VACUUM), every record
// reads back as it was, and audit verify still vouches for each version.
func TestMigrationSealsAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	sealingOff = true
	files, secret, db := atRestFiles(t, 100)
	sealingOff = false
	if len(piitest.NumbersIn(files["fb.db-wal"], secret)) == 0 {
		t.Fatal("the fixture holds no clear number")
	}
	before := map[string]string{}
	recs, err := db.Records(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		full, err := db.Record(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		before[r.ID] = string(full.Data)
	}
	// The audit rows written before sealing stay as they were: the chain
	// hashes each row as written, and rewriting it would make the trail
	// vouch for nothing. Those numbers, and only those, may remain.
	inTrail := map[string]bool{}
	err = sqlitedb.Each(ctx, db.sql, `SELECT detail FROM audit`, nil, func(row sqlitedb.Scanner) error {
		var d string
		if err := row.Scan(&d); err != nil {
			return err
		}
		for _, n := range piitest.NumbersIn([]byte(d), secret) {
			inTrail[n] = true
		}
		return nil
	})
	if err != nil || len(inTrail) == 0 {
		t.Fatalf("the old trail holds no number (%v): the test proves nothing of it", err)
	}
	path := db.Path()
	db.Close()
	// What schema 9 left: no sealed_versions, no data key, no key file.
	raw := rawDB(t, path)
	if _, err := raw.Exec(`ALTER TABLE records DROP COLUMN draft_sealed; ALTER TABLE pending_edits DROP COLUMN sealed; ALTER TABLE entities DROP COLUMN sealed;
		DROP TABLE blind_index; DROP TABLE kept_verdicts; DROP TABLE sealed_versions; DELETE FROM meta WHERE key = 'data_key'; PRAGMA user_version = 9`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if err := os.Remove(KeyFilePath(path)); err != nil {
		t.Fatal(err)
	}

	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for id, was := range before {
		full, err := db.Record(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if string(full.Data) != was {
			t.Fatalf("record %s changed in sealing:\n%s\n%s", id, full.Data, was)
		}
	}
	verified(t, db)
	db.Close()
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, n := range piitest.NumbersIn(b, secret) {
			if !inTrail[n] {
				t.Errorf("%s holds %s in clear after sealing", filepath.Base(p), n)
				break
			}
		}
	}
}

// A lost passphrase: the sealed parts stay unreadable (the database opens
// locked and a record needs the key), and a reset drops them, audited
// with the count, leaving every record's masked data.
func TestLostPassphraseDropsOnlySealedParts(t *testing.T) {
	ctx := context.Background()
	_, secret, db := atRestFiles(t, 20)
	db.argon2 = cheapArgon2
	if err := db.SetPassphrase(ctx, "忘了"); err != nil {
		t.Fatal(err)
	}
	recs, _ := db.Records(ctx, Filter{})
	path := db.Path()
	db.Close()
	db, err := openWithPass(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Record(ctx, recs[0].ID); !errors.Is(err, ErrLocked) {
		t.Fatalf("a record read without the passphrase: %v", err)
	}
	var sealedParts int
	if err := db.sql.QueryRow(`SELECT (SELECT count(*) FROM sealed_versions)
		+ (SELECT count(draft_sealed) FROM records) + (SELECT count(sealed) FROM pending_edits)
		+ (SELECT count(sealed) FROM entities)`).Scan(&sealedParts); err != nil {
		t.Fatal(err)
	}
	rep, err := db.ResetKey(ctx, "")
	// 20 versions, and workInProgress's: the draft, the edit in
	// progress, the edit's version and the entities it updated.
	if err != nil || rep.Dropped != sealedParts || sealedParts <= 23 {
		t.Fatalf("reset: %+v %v", rep, err)
	}
	full, err := db.Record(ctx, recs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if found := piitest.NumbersIn(full.Data, secret); len(found) > 0 || !strings.Contains(string(full.Data), "*") {
		t.Errorf("after the reset the record reads %s", full.Data)
	}
	drafts, err := db.Drafts(ctx)
	if err != nil || len(drafts) != 1 {
		t.Fatalf("%d drafts, %v", len(drafts), err)
	}
	draft, err := db.Resume(ctx, drafts[0].ID)
	if err != nil || len(piitest.NumbersIn(draft, secret)) > 0 {
		t.Errorf("after the reset the draft reads %s, %v", draft, err)
	}
	verified(t, db)
}
