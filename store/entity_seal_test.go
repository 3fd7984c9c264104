package store

import (
	"context"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
)

// A laptop's change to an entity with a mobile number is stored masked,
// reads back clear, and the catalogue's same version confirms it whether
// it sends the number clear or masked.
func TestSealedEntityConfirmedByDownload(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	const phone = "13800138000"
	for _, id := range []string{"clear", "masked"} {
		ch := forms.EntityChange{List: "households", ID: id, Create: true, Label: "王家",
			Properties: map[string]string{"phone": phone}}
		if _, _, err := db.InsertFinalized(ctx, "household", "1", id, withChanges(t, "王", ch)); err != nil {
			t.Fatal(err)
		}
	}
	var stored string
	var blob []byte
	if err := db.sql.QueryRow(`SELECT properties, sealed FROM entities WHERE id = 'clear'`).Scan(&stored, &blob); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored, phone) || blob == nil {
		t.Fatalf("stored %s, sealed %d bytes", stored, len(blob))
	}
	if e := entityOf(t, db, "households", "clear"); e.Properties["phone"] != phone {
		t.Fatalf("read back %+v", e)
	}
	maskedPhone := strings.TrimPrefix(strings.TrimSuffix(stored, `"}`), `{"phone":"`)
	page := []Entity{
		{List: "households", ID: "clear", Label: "王家", Version: 1, Properties: map[string]string{"phone": phone}, Seq: 1},
		{List: "households", ID: "masked", Label: "王家", Version: 1, Properties: map[string]string{"phone": maskedPhone}, Seq: 2},
	}
	if err := db.ApplyDownloaded(ctx, page, 2); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"clear", "masked"} {
		if e := entityOf(t, db, "households", id); e.Local || e.Seq == 0 {
			t.Errorf("%s: the same version did not confirm the change: %+v", id, e)
		}
	}
}

// An entity downloaded from the catalogue with a mobile number or an ID
// in clear (properties its sharing rules let the laptop see) is stored as
// the laptop's own are: masked, the clear values sealed; it reads back
// clear with the key.
func TestDownloadedEntityStoredSealed(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	const phone, id = "13800138000", "110105194912310021"
	label := "王家（身份证" + id + "）"
	page := []Entity{{List: "households", ID: "down", Label: label, Version: 1,
		Properties: map[string]string{"phone": phone, "size": "4"}, Seq: 1}}
	if err := db.ApplyDownloaded(ctx, page, 1); err != nil {
		t.Fatal(err)
	}
	var storedLabel, stored string
	var blob []byte
	if err := db.sql.QueryRow(`SELECT label, properties, sealed FROM entities WHERE id = 'down'`).Scan(&storedLabel, &stored, &blob); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored+storedLabel, phone) || strings.Contains(storedLabel, id) || blob == nil || !strings.Contains(stored, `"size":"4"`) {
		t.Fatalf("stored %s %s, sealed %d bytes", storedLabel, stored, len(blob))
	}
	if e := entityOf(t, db, "households", "down"); e.Properties["phone"] != phone || e.Label != label {
		t.Fatalf("read back %+v", e)
	}
}
