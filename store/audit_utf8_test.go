package store

import (
	"context"
	"testing"
)

// computeHash JSON-encodes the fields, and encoding/json replaces invalid
// UTF-8 with U+FFFD: two different rows then share a hash, so such an edit
// passes VerifyAudit.
func TestAuditInvalidUTF8Tamper(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/fb.db"
	db, err := Open(path, WithCollector("Wang\xff"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddForm(ctx, "household.md", testForm("1")); err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, path)
	unguard(t, raw)
	res, err := raw.Exec(`UPDATE audit SET collector = CAST(X'57616E67FE' AS TEXT) WHERE seq = 1`) // "Wang\xfe"
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatal("no row")
	}
	rows, _ := db.Audit(ctx, 0)
	if rows[0].Collector != "Wang\xfe" {
		t.Fatalf("tamper not applied: %q", rows[0].Collector)
	}
	n, prob, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if prob == nil {
		t.Fatalf("collector changed from %q to %q, yet VerifyAudit says ok (%d events)", "Wang\xff", rows[0].Collector, n)
	}
}
