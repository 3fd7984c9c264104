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
