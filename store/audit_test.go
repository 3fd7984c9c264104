package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// busyDB makes a database with a dozen audit rows.
func busyDB(t *testing.T) (*DB, string) {
	ctx := context.Background()
	db, path := newDB(t)
	for i := 0; i < 5; i++ {
		id, _ := db.NewDraft(ctx, "household", "1")
		db.SaveDraft(ctx, id, household("a", 1), &AnswerChange{Path: "head_name", New: "a"})
	}
	if err := db.Log(ctx, EventExported, "", map[string]any{"format": "csv", "count": 5}); err != nil {
		t.Fatal(err)
	}
	return db, path
}

func TestVerifyAudit(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		tamper string
		seq    int64
		kind   string
		sound  int
	}{
		{"untouched", "", 0, "", 12},
		{"detail edited", `UPDATE audit SET detail = '{"path":"head_name","old":"","new":"b"}' WHERE seq = 4`, 4, "edited", 3},
		{"collector edited", `UPDATE audit SET collector = 'someone' WHERE seq = 7`, 7, "edited", 6},
		{"row deleted", `DELETE FROM audit WHERE seq = 5`, 6, "missing", 4},
		{"first row deleted", `DELETE FROM audit WHERE seq = 1`, 2, "missing", 0},
		// Renumbering after a delete closes the gap but not the chain.
		{"deleted and renumbered", `DELETE FROM audit WHERE seq = 5; UPDATE audit SET seq = seq - 1 WHERE seq > 5`, 5, "edited", 4},
		// Rehashing the edited row itself is caught by the next row.
		{"edited and rehashed", "rehash", 5, "missing", 4},
		// The end of the trail: no next row, but the recorded head.
		{"last rows deleted", `DELETE FROM audit WHERE seq > 10`, 11, "missing", 10},
		{"last row edited", `UPDATE audit SET detail = '{}' WHERE seq = 12`, 12, "edited", 11},
		{"last row rehashed", "rehash-last", 12, "edited", 12},
		// The head deleted together with the rows it would have named.
		{"last rows deleted with the head", `DELETE FROM audit WHERE seq > 10; DELETE FROM meta WHERE key = 'audit_head'`, 11, "missing", 10},
		{"whole trail deleted with the head", `DELETE FROM audit; DELETE FROM meta WHERE key = 'audit_head'`, 0, "unguarded", 0},
		// Nothing changed yet, but the file was opened to change it.
		{"guards dropped", "unguard", 0, "unguarded", 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, path := busyDB(t)
			raw := rawDB(t, path)
			if tt.tamper != "" {
				unguard(t, raw)
			}
			switch tt.tamper {
			case "", "unguard":
			case "rehash-last":
				rows, _ := db.Audit(ctx, 12)
				r := rows[0]
				r.Detail = `{"format":"xlsx","count":5}`
				if _, err := raw.Exec(`UPDATE audit SET detail = ?, hash = ? WHERE seq = 12`, r.Detail, r.computeHash()); err != nil {
					t.Fatal(err)
				}
			case "rehash":
				rows, _ := db.Audit(ctx, 4)
				r := rows[0]
				r.Detail = `{"path":"head_name","old":"","new":"forged"}`
				if _, err := raw.Exec(`UPDATE audit SET detail = ?, hash = ? WHERE seq = 4`, r.Detail, r.computeHash()); err != nil {
					t.Fatal(err)
				}
			default:
				if _, err := raw.Exec(tt.tamper); err != nil {
					t.Fatal(err)
				}
			}
			n, p, err := db.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tt.kind == "" {
				if p != nil || n != tt.sound {
					t.Fatalf("got %d %v, want ok (%d events)", n, p, tt.sound)
				}
				return
			}
			if p == nil || p.Seq != tt.seq || p.Kind != tt.kind || n != tt.sound {
				t.Fatalf("got %d sound, problem %+v; want row %d %s after %d sound", n, p, tt.seq, tt.kind, tt.sound)
			}
			if p.Error() == "" || fmt.Sprint(p.Seq) == "" {
				t.Fatal("empty message")
			}
		})
	}
}

// The trail is append-only in the database itself: plain SQL cannot
// delete or change a row without dropping the triggers first.
func TestAuditTrailRefusesChanges(t *testing.T) {
	_, path := busyDB(t)
	raw := rawDB(t, path)
	for _, q := range []string{`DELETE FROM audit WHERE seq > 10`, `UPDATE audit SET detail = '{}' WHERE seq = 3`} {
		if _, err := raw.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

func TestAuditRowsCarryWhoAndWhere(t *testing.T) {
	ctx := context.Background()
	db, _ := busyDB(t)
	rows, err := db.Audit(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].PrevHash != genesis {
		t.Errorf("first prev_hash %s", rows[0].PrevHash)
	}
	for i, r := range rows {
		if r.Collector != "王芳" || r.DeviceID != db.DeviceID() || r.At.IsZero() || len(r.stamp) != len("2006-01-02T15:04:05.000000000Z") {
			t.Errorf("row %d: %+v", i, r)
		}
		if i > 0 && r.PrevHash != rows[i-1].Hash {
			t.Errorf("row %d does not chain", i)
		}
	}
	if last := rows[len(rows)-1]; last.Event != EventExported || last.Detail != `{"count":5,"format":"csv"}` {
		t.Errorf("Log row %+v", last)
	}
}
