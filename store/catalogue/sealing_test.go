package catalogue

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// keyedDB is newDB with a key of the catalogue's own.
func keyedDB(t testing.TB, w where) (*DB, *wire.Device, seal.KeyRing) {
	t.Helper()
	db, dev := newDB(t, w)
	id, err := seal.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	ring := seal.KeyRing{id}
	if err := db.UseKeys(context.Background(), ring); err != nil {
		t.Fatal(err)
	}
	return db, dev, ring
}

// householdForm is the published household form.
func householdForm(t testing.TB, db *DB) *forms.Form {
	t.Helper()
	f, err := db.FormDefinition(context.Background(), formID, formVer)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// sealedBatch builds a batch as a laptop that seals builds it: one data
// key wrapped to the catalogue key recipient, each record split into its
// masked data (hashed, sent as Data) and its sealed part.
func sealedBatch(t testing.TB, f *forms.Form, batchID string, dev *wire.Device, recipient string, first int, records [][]byte) *wire.Batch {
	t.Helper()
	dk := seal.NewDataKey()
	wrapped, err := seal.WrapBatchKey(dk, recipient)
	if err != nil {
		t.Fatal(err)
	}
	keyID, err := seal.KeyIDOf(recipient)
	if err != nil {
		t.Fatal(err)
	}
	b := batch(batchID, dev)
	b.Keys = []wire.SealedKey{{ID: dk.ID(), CatalogueKey: keyID, Wrapped: wrapped}}
	// One splitter for the batch, as the laptop keeps one per form.
	split := seal.NewSplitter(f)
	for i, data := range records {
		r := clearRecord(first+i, data)
		masked, plain, err := split.Split(data)
		if err != nil {
			t.Fatal(err)
		}
		r.Data, r.SHA256 = masked, hashHex(masked)
		if plain != nil {
			r.Sealed = dk.Seal(plain, seal.AD(r.RecordID, r.VersionID, r.SHA256))
		}
		b.Records = append(b.Records, r)
	}
	return b
}

// clearRecord is record n as a laptop that does not seal sends it.
func clearRecord(n int, data []byte) wire.Record {
	return wire.Record{RecordID: fmt.Sprintf("r%05d", n), VersionID: fmt.Sprintf("v%05d", n), FormID: formID, FormVersion: formVer,
		SHA256: hashHex(data), Data: data, Collector: "王芳", CreatedAt: "2026-03-01T08:00:00Z"}
}

// households are the generated records and every number in them that
// must not be found in clear.
func households(t testing.TB, n int) ([][]byte, map[string]bool) {
	records, ids, typed := piitest.HouseholdsWithNumbers(t, n)
	secret := map[string]bool{}
	for _, s := range append(ids, typed...) {
		secret[s] = true
	}
	return records, secret
}

// clearNumbers scans what the catalogue at w wrote (the SQLite file and
// its WAL, or a pg_dump of its schema) for the secret numbers in clear,
// in any spelling (piitest.NumbersIn reads the digit stream). Not for
// any number passing the ID check: in a database's digit stream, ids,
// form versions and counters run together into such numbers by chance.
func clearNumbers(t *testing.T, w where, secret map[string]bool) []string {
	t.Helper()
	var blobs [][]byte
	if w.dsn == "" {
		for _, name := range []string{FileName, FileName + "-wal"} {
			b, err := os.ReadFile(filepath.Join(w.dir, name))
			if err == nil {
				blobs = append(blobs, b)
			}
		}
	} else {
		blobs = append(blobs, pgDump(t, w.dsn))
	}
	found := map[string]bool{}
	for _, b := range blobs {
		for _, n := range piitest.NumbersIn(b, secret) {
			found[n] = true
		}
	}
	var out []string
	for n := range found {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// pgDump is a plain pg_dump of the schema of dsn.
func pgDump(t *testing.T, dsn string) []byte {
	t.Helper()
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
		sort.Strings(dirs)
		if len(dirs) == 0 {
			t.Fatal("no pg_dump on this machine: the PostgreSQL dump cannot be scanned")
		}
		bin = dirs[len(dirs)-1]
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	out, err := exec.Command(bin, "--dbname="+u.String(), "-n", schema).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	if !strings.Contains(string(out), "CREATE TABLE "+schema+".versions") {
		t.Fatalf("pg_dump holds no versions table of schema %s", schema)
	}
	return out
}

// TestSealedAtRest: a catalogue storing a few hundred generated
// households, sent sealed as a laptop seals them or clear as an older
// laptop sends them, holds none of their ID or mobile numbers in clear
// (SQLite file and WAL, pg_dump), yet gives every record back clear to a
// clearance export and masked to any other. The control: the same
// records on a catalogue without a key are found in clear.
func TestSealedAtRest(t *testing.T) {
	const n = 300
	records, secret := households(t, n)
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev, ring := keyedDB(t, w)
		f := householdForm(t, db)
		half := n / 2
		rc := send(t, db, dev, sealedBatch(t, f, "sealed", dev, ring.Current().Recipient(), 0, records[:half]))
		var older []wire.Record
		for i, data := range records[half:] {
			older = append(older, clearRecord(half+i, data))
		}
		rc2 := send(t, db, dev, batch("older", dev, older...))
		for _, res := range append(rc.Results, rc2.Results...) {
			if res.Status != wire.StatusAccepted {
				t.Fatalf("%s: %s %s", res.VersionID, res.Status, res.Reason)
			}
		}
		if found := clearNumbers(t, w, secret); len(found) > 0 {
			t.Fatalf("%d numbers in clear in the catalogue's files: %v", len(found), found)
		}
		if k := query[int](t, db, `SELECT count(*) FROM versions WHERE sealed IS NULL`); k != 0 {
			t.Fatalf("%d versions without a sealed part", k)
		}
		if k := query[int](t, db, `SELECT count(DISTINCT sealed_key) FROM versions`); k != 2 {
			t.Fatalf("the versions are sealed with %d data keys, want 2 (the laptop's and the catalogue's own)", k)
		}

		// Clear to a clearance export, exactly the records sent.
		got := map[string][]byte{}
		if err := db.Records(ctx, formID, true, func(id string, data []byte) error { got[id] = data; return nil }); err != nil {
			t.Fatal(err)
		}
		for i, data := range records {
			if !sameJSON(t, got[fmt.Sprintf("r%05d", i)], data) {
				t.Fatalf("record %d comes back clear as\n%s\nwant\n%s", i, got[fmt.Sprintf("r%05d", i)], data)
			}
		}
		// Masked to anyone else, without the key.
		masked := map[string][]byte{}
		if err := db.Records(ctx, formID, false, func(id string, data []byte) error { masked[id] = data; return nil }); err != nil {
			t.Fatal(err)
		}
		for i, data := range records {
			want, _, _ := seal.Split(f, data)
			if !sameJSON(t, masked[fmt.Sprintf("r%05d", i)], want) {
				t.Fatalf("record %d comes back masked as\n%s\nwant\n%s", i, masked[fmt.Sprintf("r%05d", i)], want)
			}
		}
	})
}

// TestClearAtRestWithoutKey is the control of TestSealedAtRest: the same
// scan finds the numbers on a catalogue that does not seal.
func TestClearAtRestWithoutKey(t *testing.T) {
	const n = 50
	records, secret := households(t, n)
	backends(t, func(t *testing.T, w where) {
		db, dev := newDB(t, w)
		var recs []wire.Record
		for i, data := range records {
			recs = append(recs, clearRecord(i, data))
		}
		send(t, db, dev, batch("clear", dev, recs...))
		if found := clearNumbers(t, w, secret); len(found) < len(secret)/2 {
			t.Fatalf("the control found %d of %d numbers in clear: the scan does not see them", len(found), len(secret))
		}
	})
}

func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// TestSealedWrongKey: a batch whose data key is wrapped to a key the
// catalogue does not hold is refused record by record, naming that key,
// and nothing of it is stored; a sealed part moved to another record does
// not open either.
func TestSealedWrongKey(t *testing.T) {
	records, _ := households(t, 3)
	backends(t, func(t *testing.T, w where) {
		db, dev, ring := keyedDB(t, w)
		f := householdForm(t, db)
		other, err := seal.NewIdentity()
		if err != nil {
			t.Fatal(err)
		}
		rc := send(t, db, dev, sealedBatch(t, f, "wrong", dev, other.Recipient(), 0, records[:2]))
		for _, res := range rc.Results {
			if res.Status != wire.StatusRejected || !strings.Contains(res.Reason, "catalogue key "+other.KeyID()) {
				t.Fatalf("a record sealed to another key: %+v", res)
			}
		}
		moved := sealedBatch(t, f, "moved", dev, ring.Current().Recipient(), 0, records[:2])
		moved.Records[0].Sealed, moved.Records[1].Sealed = moved.Records[1].Sealed, moved.Records[0].Sealed
		rc = send(t, db, dev, moved)
		for _, res := range rc.Results {
			if res.Status != wire.StatusRejected || !strings.Contains(res.Reason, "does not open") {
				t.Fatalf("a sealed part moved to another record: %+v", res)
			}
		}
		if k := query[int](t, db, `SELECT count(*) FROM versions`); k != 0 {
			t.Fatalf("%d versions stored from refused records", k)
		}
		// A sealed record on a catalogue without a key: refused, not kept
		// half (its masked data alone).
		plain, dev2 := newDB(t, where{dir: t.TempDir()})
		rc = send(t, plain, dev2, sealedBatch(t, f, "nokey", dev2, ring.Current().Recipient(), 0, records[2:]))
		if rc.Results[0].Status != wire.StatusRejected || !strings.Contains(rc.Results[0].Reason, "no key") {
			t.Fatalf("a sealed record on a catalogue without a key: %+v", rc.Results)
		}
	})
}

// TestSealedAcrossRotation: records sealed to the key before a rotation
// and after it both open while the key file holds both keys; without the
// old key, the old records' clear view names the missing key.
func TestSealedAcrossRotation(t *testing.T) {
	records, _ := households(t, 4)
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev, ring := keyedDB(t, w)
		f := householdForm(t, db)
		send(t, db, dev, sealedBatch(t, f, "before", dev, ring.Current().Recipient(), 0, records[:2]))
		send(t, db, dev, batch("before-clear", dev, clearRecord(2, records[2])))
		next, err := seal.NewIdentity()
		if err != nil {
			t.Fatal(err)
		}
		rotated := append(ring, next)
		if err := db.UseKeys(ctx, rotated); err != nil {
			t.Fatal(err)
		}
		if k := db.CatalogueKey(); k.ID != next.KeyID() {
			t.Fatalf("current key %s after the rotation, want %s", k.ID, next.KeyID())
		}
		send(t, db, dev, sealedBatch(t, f, "after", dev, next.Recipient(), 3, records[3:]))
		clearAll := func() (int, error) {
			n := 0
			err := db.Records(ctx, formID, true, func(string, []byte) error { n++; return nil })
			return n, err
		}
		if n, err := clearAll(); err != nil || n != 4 {
			t.Fatalf("%d records open across the rotation: %v", n, err)
		}
		keys, err := db.Keys(ctx)
		if err != nil || len(keys) != 2 || keys[0].RetiredAt == "" || keys[1].RetiredAt != "" {
			t.Fatalf("keys after the rotation: %+v %v", keys, err)
		}
		if err := db.UseKeys(ctx, seal.KeyRing{next}); err != nil {
			t.Fatal(err)
		}
		_, err = clearAll()
		var ke *seal.KeyError
		if !errors.As(err, &ke) || !ke.Catalogue || ke.KeyID != ring.Current().KeyID() {
			t.Fatalf("without the old key: %v", err)
		}
	})
}

// TestSealedQuality: the quality of sealed records, measured on their
// masked data with the verdicts and pseudonyms kept at ingest, is the
// quality of the same records stored clear: no masked ID counted as
// failing its check, the duplicates found through the pseudonyms.
func TestSealedQuality(t *testing.T) {
	records, _ := households(t, 20)
	records = append(records, records[3], records[7]) // the same households twice
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		clearDB, clearDev := newDB(t, where{dir: t.TempDir()})
		db, dev, ring := keyedDB(t, w)
		var recs []wire.Record
		for i, data := range records {
			recs = append(recs, clearRecord(i, data))
		}
		send(t, clearDB, clearDev, batch("clear", clearDev, recs...))
		send(t, db, dev, sealedBatch(t, householdForm(t, db), "sealed", dev, ring.Current().Recipient(), 0, records))
		report := func(db *DB) *quality.Report {
			t.Helper()
			q, err := db.Quality(ctx, formID, quality.Options{})
			if err != nil || len(q) != 1 {
				t.Fatalf("quality: %v %v", q, err)
			}
			return q[0].Report
		}
		want, got := report(clearDB), report(db)
		if want.DuplicateGroups == 0 {
			t.Fatal("the clear records show no duplicates: the test proves nothing")
		}
		if got.Records != want.Records || got.WithErrors != want.WithErrors || got.WithWarnings != want.WithWarnings ||
			got.DuplicateGroups != want.DuplicateGroups {
			t.Fatalf("sealed: %d records, %d with errors, %d with warnings, %d duplicate groups; clear: %d, %d, %d, %d",
				got.Records, got.WithErrors, got.WithWarnings, got.DuplicateGroups,
				want.Records, want.WithErrors, want.WithWarnings, want.DuplicateGroups)
		}
	})
}

// TestSealedExports: the catalogue's exports of sealed records, masked
// (pseudonym columns from the pseudonyms stored at ingest, nothing
// opened) and clear (each record opened, the export audited), are the
// exports of the same records stored clear on a catalogue without a key
// sharing its pseudonym key.
func TestSealedExports(t *testing.T) {
	records, _ := households(t, 12)
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		clearDB, clearDev := newDB(t, where{dir: t.TempDir()})
		db, dev, ring := keyedDB(t, w)
		key, err := db.PseudonymKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := clearDB.sql.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('pseudonym_key', ?)`, hex.EncodeToString(key)); err != nil {
			t.Fatal(err)
		}
		var recs []wire.Record
		for i, data := range records {
			recs = append(recs, clearRecord(i, data))
		}
		send(t, clearDB, clearDev, batch("clear", clearDev, recs...))
		send(t, db, dev, sealedBatch(t, householdForm(t, db), "sealed", dev, ring.Current().Recipient(), 0, records))
		exportOf := func(db *DB, format string, masked bool) map[string]string {
			t.Helper()
			x, err := db.NewExport(ctx, wire.ExportRequest{FormID: formID, Format: format, Masked: masked, Command: "test"})
			if err != nil {
				t.Fatal(err)
			}
			files := map[string]*strings.Builder{}
			if _, err := x.Write(ctx, func(name string) (io.Writer, error) {
				files[name] = &strings.Builder{}
				return files[name], nil
			}); err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for name, b := range files {
				out[name] = b.String()
			}
			return out
		}
		for _, format := range []string{"csv", "jsonl"} {
			for _, masked := range []bool{true, false} {
				want, got := exportOf(clearDB, format, masked), exportOf(db, format, masked)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s export (masked %v) of sealed records differs from the clear catalogue's:\n%.600v\nwant\n%.600v", format, masked, got, want)
				}
				if !strings.Contains(fmt.Sprint(want), "_pseudonym") {
					t.Fatalf("%s export without pseudonyms: the test proves nothing", format)
				}
			}
		}
	})
}

// TestRekey: after a rotation, rekey seals every part again under the
// current key, in chunks with progress; then the old key can go from the
// key file and every record still opens, as it did before.
func TestRekey(t *testing.T) {
	records, _ := households(t, 7)
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev, ring := keyedDB(t, w)
		f := householdForm(t, db)
		send(t, db, dev, sealedBatch(t, f, "laptop", dev, ring.Current().Recipient(), 0, records[:4]))
		send(t, db, dev, batch("older", dev, clearRecord(4, records[4])))
		next, err := seal.NewIdentity()
		if err != nil {
			t.Fatal(err)
		}
		if err := db.UseKeys(ctx, append(ring, next)); err != nil {
			t.Fatal(err)
		}
		send(t, db, dev, sealedBatch(t, f, "after", dev, next.Recipient(), 5, records[5:]))
		before := map[string][]byte{}
		if err := db.Records(ctx, formID, true, func(id string, data []byte) error { before[id] = data; return nil }); err != nil {
			t.Fatal(err)
		}
		var steps [][2]int
		n, err := db.Rekey(ctx, 2, func(done, total int) { steps = append(steps, [2]int{done, total}) })
		if err != nil || n != 5 || !reflect.DeepEqual(steps, [][2]int{{2, 5}, {4, 5}, {5, 5}}) {
			t.Fatalf("rekey: %d %v, progress %v", n, err, steps)
		}
		if n, err := db.Rekey(ctx, 2, nil); err != nil || n != 0 {
			t.Fatalf("a second rekey: %d %v", n, err)
		}
		if dropped, err := db.DropUnusedKeys(ctx); err != nil || dropped != 2 {
			t.Fatalf("dropped %d unused data keys: %v", dropped, err)
		}
		if err := db.UseKeys(ctx, seal.KeyRing{next}); err != nil {
			t.Fatal(err)
		}
		after := map[string][]byte{}
		if err := db.Records(ctx, formID, true, func(id string, data []byte) error { after[id] = data; return nil }); err != nil {
			t.Fatalf("without the old key after rekey: %v", err)
		}
		if !reflect.DeepEqual(after, before) || len(after) != 7 {
			t.Fatalf("%d records after rekey, changed: %v", len(after), !reflect.DeepEqual(after, before))
		}
	})
}
