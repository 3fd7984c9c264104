package catalogue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/fieldbench/fieldbench/store/seal"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/fieldbench/fieldbench/sync/wire"
)

const (
	township = "110105001" // 建外街道, 朝阳区, 北京
	formID   = "household_visit"
	formVer  = samples.HouseholdVisitVersion
)

func household(t testing.TB) []byte {
	t.Helper()
	b, err := samples.FS.ReadFile("household_visit.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// where is one catalogue's place on one backend: a directory for SQLite,
// a connection string (to a schema of its own) for PostgreSQL. Opening it
// twice gives two handles on one catalogue, as two server processes have.
type where struct {
	dir, dsn string
	keys     seal.KeyRing // given to every handle opened (entityBackends)
}

// backends runs test once on SQLite and once on PostgreSQL (skipped, or
// failed under pgtest.RequireEnv, when no PostgreSQL is configured).
//
// The two run at once, and beside the other tests that run on both: each
// has a directory or a schema of its own, and most of their time is spent
// waiting for a commit to reach the disk, so one after the other they
// kept a core idle for half a minute.
func backends(t *testing.T, test func(t *testing.T, w where)) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); test(t, where{dir: t.TempDir()}) })
	t.Run("postgres", func(t *testing.T) { t.Parallel(); test(t, where{dsn: pgtest.DSN(t)}) })
}

// entityBackends is backends, then both again on a catalogue with a key:
// entities are stored clear without one, masked and sealed with one, and
// every path reads them the same.
func entityBackends(t *testing.T, test func(t *testing.T, w where)) {
	backends(t, test)
	id, err := seal.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	keys := seal.KeyRing{id}
	t.Run("sqlite-keyed", func(t *testing.T) { t.Parallel(); test(t, where{dir: t.TempDir(), keys: keys}) })
	t.Run("postgres-keyed", func(t *testing.T) { t.Parallel(); test(t, where{dsn: pgtest.DSN(t), keys: keys}) })
}

// benchWhere is a new place on backend be ("sqlite" or "postgres") for a
// benchmark.
func benchWhere(b *testing.B, be string) where {
	if be == "postgres" {
		return where{dsn: pgtest.DSN(b)}
	}
	return where{dir: b.TempDir()}
}

// openDB opens the catalogue at w, closed when the test ends.
func openDB(t testing.TB, w where) *DB {
	t.Helper()
	var db *DB
	var err error
	if w.dsn != "" {
		db, err = OpenPostgres(context.Background(), w.dsn)
	} else {
		db, err = OpenSQLite(w.dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if w.keys != nil {
		if err := db.UseKeys(context.Background(), w.keys); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// newDB opens a fresh catalogue at w with the household form published to
// township and returns it with an enrolled device of that township.
func newDB(t testing.TB, w where) (*DB, *wire.Device) {
	t.Helper()
	db := openDB(t, w)
	if _, err := db.Publish(context.Background(), "household_visit.xlsx", household(t), []string{township}); err != nil {
		t.Fatal(err)
	}
	return db, enrol(t, db, township, "laptop-1")
}

func enrol(t testing.TB, db *DB, township, deviceID string) *wire.Device {
	t.Helper()
	ctx := context.Background()
	code, err := db.AddDevice(ctx, township)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := db.Enrol(ctx, code, deviceID, tokenHash("token-"+deviceID))
	if err != nil {
		t.Fatal(err)
	}
	return dev
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// rec builds a household record version whose hash matches its data.
func rec(recordID, versionID, replaces, name string) wire.Record {
	data := []byte(fmt.Sprintf(`{"head_name":%q}`, name))
	sum := sha256.Sum256(data)
	return wire.Record{RecordID: recordID, VersionID: versionID, Replaces: replaces, FormID: formID, FormVersion: formVer,
		SHA256: hex.EncodeToString(sum[:]), Data: data, Collector: "王芳", CreatedAt: "2026-03-01T08:00:00Z"}
}

func batch(id string, dev *wire.Device, recs ...wire.Record) *wire.Batch {
	return &wire.Batch{BatchID: id, DeviceID: dev.ID, Records: recs}
}

// send stores a batch under its id as fingerprint, with no form check.
func send(t testing.TB, db *DB, dev *wire.Device, b *wire.Batch) *wire.Receipt {
	t.Helper()
	rc, err := db.StoreBatch(context.Background(), dev, b, "fp-"+b.BatchID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

// storeAccepted stores a batch with no form check and fails unless every
// record of it is accepted; safe to call from several goroutines.
func storeAccepted(db *DB, dev *wire.Device, b *wire.Batch) (*wire.Receipt, error) {
	rc, err := db.StoreBatch(context.Background(), dev, b, "fp-"+b.BatchID, nil)
	if err != nil {
		return nil, err
	}
	for _, r := range rc.Results {
		if r.Status != wire.StatusAccepted {
			return nil, fmt.Errorf("%s: %s %s", r.VersionID, r.Status, r.Reason)
		}
	}
	return rc, nil
}

func statuses(rc *wire.Receipt) []string {
	var out []string
	for _, r := range rc.Results {
		out = append(out, r.Status)
	}
	return out
}

// query reads one value straight from the database.
func query[T any](t testing.TB, db *DB, q string, args ...any) T {
	t.Helper()
	var v T
	if err := db.queryRow(context.Background(), q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// fixedClock makes received_at predictable.
func fixedClock(db *DB) {
	at := time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.FixedZone("CST", 8*3600))
	db.now = func() time.Time { return at }
}
