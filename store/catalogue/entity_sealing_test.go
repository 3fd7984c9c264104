package catalogue

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// registrations are n records of the registration form (clearForm), each
// creating a household entity with a generated resident ID and mobile
// number; then an update of every tenth, to a new mobile number, and a
// stale update of the first (a conflict). It returns the batches, the
// numbers (secret) and each entity's clear properties at the end.
func registrations(t *testing.T, dev, dev2 *wire.Device, n int) ([]*wire.Batch, map[string]bool, map[string]map[string]string) {
	_, ids, _ := piitest.HouseholdsWithNumbers(t, n/4+1)
	secret := map[string]bool{}
	want := map[string]map[string]string{}
	reg := func(r wire.Record) wire.Record {
		r.FormID, r.FormVersion = "hh_register", "1"
		return r
	}
	var creates, updates []wire.Record
	for i := range n {
		id, phone := ids[i], fmt.Sprintf("139%08d", 10000000+i*7919)
		secret[id], secret[phone] = true, true
		eid := fmt.Sprintf("0193a000-0000-7000-8000-%012d", i)
		props := map[string]string{"head_id": id, "head_phone": phone, "head_name": "张三", "note": "联系 " + phone}
		want[eid] = props
		creates = append(creates, reg(entRec(fmt.Sprintf("c%d", i), fmt.Sprintf("cv%d", i),
			forms.EntityChange{List: "households", ID: eid, Create: true, Label: "张三家 " + phone, Properties: props})))
		if i%10 == 0 {
			moved := fmt.Sprintf("137%08d", 20000000+i*104729)
			secret[moved] = true
			updates = append(updates, reg(entRec(fmt.Sprintf("u%d", i), fmt.Sprintf("uv%d", i),
				forms.EntityChange{List: "households", ID: eid, BaseVersion: 1, Properties: map[string]string{"head_phone": moved}})))
			want[eid] = map[string]string{"head_id": id, "head_phone": moved, "head_name": "张三", "note": "联系 " + phone}
		}
	}
	stale := reg(entRec("s0", "sv0", forms.EntityChange{List: "households", ID: "0193a000-0000-7000-8000-000000000000", BaseVersion: 1,
		Properties: map[string]string{"note": "新号 13800138000"}}))
	secret["13800138000"] = true
	want["0193a000-0000-7000-8000-000000000000"]["note"] = "新号 13800138000"
	return []*wire.Batch{batch("b1", dev, creates...), batch("b2", dev, updates...), batch("s1", dev2, stale)}, secret, want
}

// TestEntitiesSealedAtRest: after a sync of registrations that create
// entities (and update some, one of them in conflict), neither the SQLite
// file and WAL nor a pg_dump holds any of their ID or mobile numbers in
// clear, in the entities, their history or the conflict's resolution; the
// clear paths (listing, export, the laptops' entities_clear properties, a
// conflict shown in clear) give them back, and a resolution still works.
// The control (TestEntitiesClearWithoutKey): without a key, the same
// scan finds them.
func TestEntitiesSealedAtRest(t *testing.T) {
	const n = 120
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev, ring := keyedDB(t, w)
		dev2 := enrol(t, db, township, "laptop-2")
		if _, err := db.Publish(ctx, "hh_register.xlsx", clearForm(t), []string{township}); err != nil {
			t.Fatal(err)
		}
		publishReader(t, db, "hh_count", "households", "count(instance('households')/root/item)")
		batches, secret, want := registrations(t, dev, dev2, n)
		for _, b := range batches {
			for _, res := range send(t, db, deviceOf(b, dev, dev2), b).Results {
				if res.Status != wire.StatusAccepted {
					t.Fatalf("%s: %s %s", res.VersionID, res.Status, res.Reason)
				}
			}
		}
		u, _, err := db.AddUser(ctx, "李审核", wire.RoleReviewer, "110105", true)
		if err != nil {
			t.Fatal(err)
		}
		conflicts, err := db.EntityConflicts(ctx, u, wire.ReviewView{Clear: true})
		if err != nil || len(conflicts) != 1 || conflicts[0].Current["note"] != "新号 13800138000" || conflicts[0].Before["note"] == "" ||
			!strings.HasPrefix(conflicts[0].Label, "张三家 139") {
			t.Fatalf("the conflict in clear: %+v %v", conflicts, err)
		}
		masked, err := db.EntityConflicts(ctx, u, wire.ReviewView{})
		if err != nil || len(masked) != 1 || masked[0].Current["head_id"] == want[masked[0].EntityID]["head_id"] {
			t.Fatalf("the conflict masked: %+v %v", masked, err)
		}
		set := "13600136000"
		secret[set] = true
		e, err := db.ResolveEntityConflict(ctx, u, conflicts[0].ID, wire.EntityResolution{Keep: wire.KeepSet, Properties: map[string]string{"head_phone": set}})
		if err != nil || e.Properties["head_phone"] != set || e.Properties["head_id"] != want[e.ID]["head_id"] {
			t.Fatalf("resolved %+v %v", e, err)
		}
		want[e.ID]["head_phone"] = set

		if found := clearNumbers(t, w, secret); len(found) > 0 {
			t.Fatalf("%d numbers in clear in the catalogue's files: %v", len(found), found)
		}
		list, err := db.ListEntities(ctx, "households", true, "test")
		if err != nil || len(list) != n {
			t.Fatalf("clear listing: %d %v", len(list), err)
		}
		for _, e := range list {
			for p, v := range want[e.ID] {
				if e.Properties[p] != v {
					t.Fatalf("%s: clear %s %q, want %q", e.ID, p, e.Properties[p], v)
				}
			}
		}
		page, err := db.EntitiesSince(ctx, []string{township}, "", 0, 0)
		if err != nil || len(page.Entities) != n {
			t.Fatalf("download: %d %v", len(page.Entities), err)
		}
		for _, e := range page.Entities {
			if e.Properties["head_phone"] != want[e.ID]["head_phone"] || e.Properties["head_id"] == want[e.ID]["head_id"] {
				t.Fatalf("the laptops' copy of %s: %+v", e.ID, e.Properties)
			}
		}
		clearCSV := entityCSV(t, db, true)
		maskedCSV := entityCSV(t, db, false)
		for eid, props := range want {
			if !strings.Contains(clearCSV, props["head_id"]) || strings.Contains(maskedCSV, props["head_id"]) {
				t.Fatalf("%s: the ID in the clear export %v, in the masked one %v", eid,
					strings.Contains(clearCSV, props["head_id"]), strings.Contains(maskedCSV, props["head_id"]))
			}
		}
		ps, err := db.PseudonymKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p := forms.NewPseudonymizer(ps).Of(want[e.ID]["head_id"]); !strings.Contains(maskedCSV, p) {
			t.Fatalf("the masked export lacks the pseudonym %s", p)
		}

		// A rekey seals the entities again under a new key; the old one
		// then opens nothing still needed, and its data keys go.
		next, err := seal.NewIdentity()
		if err != nil {
			t.Fatal(err)
		}
		if err := db.UseKeys(ctx, append(ring, next)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Rekey(ctx, 50, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DropUnusedKeys(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.UseKeys(ctx, seal.KeyRing{next}); err != nil {
			t.Fatal(err)
		}
		if got := entityCSV(t, db, true); got != clearCSV {
			t.Fatalf("after the rekey, the clear export changed:\n%s\nwas\n%s", got, clearCSV)
		}
		if _, err := db.EntityConflicts(ctx, u, wire.ReviewView{Clear: true}); err != nil {
			t.Fatalf("the history after the rekey: %v", err)
		}
	})
}

// The control of TestEntitiesSealedAtRest: the scan finds the numbers on
// a catalogue without a key.
func TestEntitiesClearWithoutKey(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		dev2 := enrol(t, db, township, "laptop-2")
		if _, err := db.Publish(ctx, "hh_register.xlsx", clearForm(t), []string{township}); err != nil {
			t.Fatal(err)
		}
		batches, secret, _ := registrations(t, dev, dev2, 20)
		for _, b := range batches {
			send(t, db, deviceOf(b, dev, dev2), b)
		}
		if found := clearNumbers(t, w, secret); len(found) == 0 {
			t.Fatal("the control found no number in clear: the scan sees nothing")
		}
	})
}

// entityCSV is the households list exported as CSV, in clear or masked.
func entityCSV(t *testing.T, db *DB, clear bool) string {
	t.Helper()
	x, err := db.NewEntityExport(context.Background(), wire.EntityExportRequest{List: "households", Format: "csv", Clear: clear, Command: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := x.Write(context.Background(), func(string) (io.Writer, error) { return &buf, nil }); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// deviceOf is the device of devs that sends b.
func deviceOf(b *wire.Batch, devs ...*wire.Device) *wire.Device {
	for _, d := range devs {
		if d.ID == b.DeviceID {
			return d
		}
	}
	return nil
}

// TestEntityVersionsSealedOnce: a batch that creates an entity and
// updates it keeps each version sealed as it stood, and the entity's row
// holds its newest version's sealed part itself (sealed once for both
// rows), each opening to its own clear properties.
func TestEntityVersionsSealedOnce(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev, _ := keyedDB(t, w)
		if _, err := db.Publish(ctx, "hh_register.xlsx", clearForm(t), []string{township}); err != nil {
			t.Fatal(err)
		}
		const eid = "0193a000-0000-7000-8000-000000000001"
		reg := func(r wire.Record) wire.Record {
			r.FormID, r.FormVersion = "hh_register", "1"
			return r
		}
		v1 := map[string]string{"head_id": "11010519491231002X", "head_phone": "13912345678", "head_name": "张三"}
		create := reg(entRec("c1", "cv1", forms.EntityChange{List: "households", ID: eid, Create: true, Label: "张三家", Properties: v1}))
		update := reg(entRec("u1", "uv1", forms.EntityChange{List: "households", ID: eid, BaseVersion: 1,
			Properties: map[string]string{"head_phone": "13787654321"}}))
		for _, res := range send(t, db, dev, batch("b1", dev, create, update)).Results {
			if res.Status != wire.StatusAccepted {
				t.Fatalf("%s: %s %s", res.VersionID, res.Status, res.Reason)
			}
		}
		want := map[int64]map[string]string{1: v1, 2: {"head_id": v1["head_id"], "head_phone": "13787654321", "head_name": "张三"}}
		u := db.unsealer()
		sealed := map[int64][]byte{}
		rows, err := db.sql.QueryContext(ctx, `SELECT version, label, properties, sealed, sealed_key FROM entity_versions ORDER BY version`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var version int64
			var label, props, keyID string
			var blob []byte
			if err := rows.Scan(&version, &label, &props, &blob, &keyID); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			if err := json.Unmarshal([]byte(props), &got); err != nil {
				t.Fatal(err)
			}
			if got["head_id"] == v1["head_id"] {
				t.Fatalf("version %d stores the ID in clear: %s", version, props)
			}
			if err := u.openEntity(ctx, entityKey{"households", eid}, version, blob, keyID, &label, got); err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, want[version]) || label != "张三家" {
				t.Fatalf("version %d opens to %q %v, want %v", version, label, got, want[version])
			}
			sealed[version] = blob
		}
		if err := rows.Err(); err != nil || len(sealed) != 2 || bytes.Equal(sealed[1], sealed[2]) {
			t.Fatalf("history: %d versions, %v; the two sealed alike: %v", len(sealed), err, bytes.Equal(sealed[1], sealed[2]))
		}
		var version int64
		var blob []byte
		if err := db.sql.QueryRowContext(ctx, `SELECT version, sealed FROM entities`).Scan(&version, &blob); err != nil {
			t.Fatal(err)
		}
		if version != 2 || !bytes.Equal(blob, sealed[2]) {
			t.Fatalf("the entity at version %d holds its newest version's sealed part: %v", version, bytes.Equal(blob, sealed[2]))
		}
	})
}
