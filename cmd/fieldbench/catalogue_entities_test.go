package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
	"github.com/xuri/excelize/v2"
)

// `catalogue entities` prints a list masked, or in clear with --clear,
// which the audit of exports keeps; `review conflicts` and `review
// resolve` resolve a conflict two laptops made, and the list shows the
// resolution. On both backends.
func TestCatalogueEntitiesAndConflictCommands(t *testing.T) {
	t.Parallel()
	for _, be := range []string{"sqlite", "postgres"} {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var db *catalogue.DB
			var err error
			where := []string{"--data", t.TempDir()}
			if be == "postgres" {
				dsn := pgtest.DSN(t)
				where = pgWhere(t, dsn)
				db, err = catalogue.OpenPostgres(ctx, dsn)
			} else {
				db, err = catalogue.OpenSQLite(where[1])
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			form, err := os.ReadFile(sample)
			if err != nil {
				t.Fatal(err)
			}
			fi, err := db.Publish(ctx, "household_visit.xlsx", form, []string{"110105001"})
			if err != nil {
				t.Fatal(err)
			}
			send := func(laptop, recordID string, c forms.EntityChange) {
				code, err := db.AddDevice(ctx, "110105001")
				if err != nil {
					t.Fatal(err)
				}
				dev, err := db.Enrol(ctx, code, "laptop-"+recordID, wire.HashToken(recordID))
				if err != nil {
					t.Fatal(err)
				}
				// The sample's end metadata: when the visit was made.
				data, _ := json.Marshal(map[string]any{"end": "2026-03-01T09:3" + recordID[1:] + ":00+08:00", forms.EntitiesKey: []forms.EntityChange{c}})
				sum := sha256.Sum256(data)
				b := &wire.Batch{BatchID: recordID, DeviceID: dev.ID, Records: []wire.Record{{RecordID: recordID, VersionID: recordID + "v",
					FormID: fi.FormID, FormVersion: fi.Version, SHA256: hex.EncodeToString(sum[:]), Data: data}}}
				if rc, err := db.StoreBatch(ctx, dev, b, recordID, nil); err != nil || rc.Results[0].Status != wire.StatusAccepted {
					t.Fatalf("%s: %+v %v", recordID, rc, err)
				}
			}
			const id = "0193a000-0000-7000-8000-000000000001"
			send("A", "r1", forms.EntityChange{List: "households", ID: id, Create: true, Label: "张三家",
				Properties: map[string]string{"head_phone": "13811062547", "size": "3"}})
			send("A", "r2", forms.EntityChange{List: "households", ID: id, BaseVersion: 1, Properties: map[string]string{"size": "4"}})
			send("B", "r3", forms.EntityChange{List: "households", ID: id, BaseVersion: 1, Properties: map[string]string{"size": "5"}})

			list := func(extra ...string) string {
				t.Helper()
				code, out, errs := run(t, "", append(append([]string{"catalogue", "entities", "households"}, where...), extra...)...)
				if code != 0 {
					t.Fatalf("catalogue entities %q: exit %d\n%s%s", extra, code, out, errs)
				}
				return out
			}
			out := list()
			if !strings.Contains(out, "CONFLICT") || !strings.Contains(out, "head_phone=138****2547 size=5") || !strings.Contains(out, "yes") ||
				!strings.Contains(out, "1 entity") || !strings.Contains(out, "LAST VISIT") {
				t.Errorf("table:\n%s", out)
			}
			var line map[string]any
			if err := json.Unmarshal([]byte(list("--format", "jsonl")), &line); err != nil || line["id"] != id || line["conflict"] != true ||
				line["version"] != 3.0 || line["label"] != "张三家" || line["last_visit"] != "2026-03-01T01:33:00.000000000Z" {
				t.Errorf("jsonl: %v %v", line, err)
			}
			if out := list("--clear"); !strings.Contains(out, "13811062547") {
				t.Errorf("--clear:\n%s", out)
			}
			events, err := db.ExportEvents(ctx, fi.FormID)
			if err != nil || len(events) != 1 || events[0].Format != "entities" || !strings.Contains(events[0].Command, "--clear") {
				t.Errorf("the clear listing's audit: %+v %v", events, err)
			}
			if code, _, errs := run(t, "", append([]string{"catalogue", "entities", "nosuch"}, where...)...); code == 0 || !strings.Contains(errs, "nosuch") {
				t.Errorf("unknown list: exit %d %s", code, errs)
			}
			exportTo := func(format string, extra ...string) (string, string) {
				t.Helper()
				path := filepath.Join(t.TempDir(), "households."+format)
				args := append([]string{"catalogue", "entities", "export", "households", "--format", format, "--out", path, "--lang", "en"}, extra...)
				code, out, errs := run(t, "", append(args, where...)...)
				if code != 0 || !strings.Contains(errs, "exported 1 entity of list households") {
					t.Fatalf("export %s %q: exit %d\n%s%s", format, extra, code, out, errs)
				}
				st, err := os.Stat(path)
				if err != nil || st.Mode().Perm() != 0o600 {
					t.Fatalf("export %s: %v %v", format, st, err)
				}
				data, _ := os.ReadFile(path)
				return path, string(data)
			}
			if _, data := exportTo("csv"); strings.Count(data, "\n") != 2 || strings.Contains(data, "13811062547") || !strings.Contains(data, "138****2547") {
				t.Errorf("masked csv export:\n%s", data)
			}
			if _, data := exportTo("jsonl", "--clear"); strings.Count(data, "\n") != 1 || !strings.Contains(data, `"head_phone":"13811062547"`) {
				t.Errorf("clear jsonl export:\n%s", data)
			}
			path, _ := exportTo("xlsx")
			book, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if rows, err := book.GetRows("households"); err != nil || len(rows) != 2 || rows[1][0] != id {
				t.Errorf("xlsx export: %q %v", rows, err)
			}
			book.Close()
			if code, _, errs := run(t, "", append([]string{"catalogue", "entities", "export", "households", "--format", "csv"}, where...)...); code != exitUnusable || !strings.Contains(errs, "--out") {
				t.Errorf("export without --out: exit %d %s", code, errs)
			}
			if events, err = db.ExportEvents(ctx, fi.FormID); err != nil || len(events) != 4 || events[2].Format != "entities-jsonl" || events[2].Masked ||
				!strings.Contains(events[2].Command, "--clear") || !events[1].Masked || events[1].Records != 1 {
				t.Errorf("the exports' audit: %+v %v", events, err)
			}

			_, token, err := db.AddUser(ctx, "李审核", wire.RoleReviewer, "110105", false)
			if err != nil {
				t.Fatal(err)
			}
			useKeyFile(t, db, where)
			srv := httptest.NewServer((&api.Server{Cat: db, Reviews: db, Entities: db, Form: db.FormDefinition}).Handler())
			defer srv.Close()
			review := func(args ...string) (int, string, string) {
				return run(t, "", append(append([]string{"review"}, args...), "--url", srv.URL, "--token", token)...)
			}
			code, out, errs := review("conflicts")
			fields := strings.Fields(strings.Split(out, "\n")[1])
			if code != 0 || len(fields) < 3 || fields[2] != id || !strings.Contains(out, "1 open conflict") {
				t.Fatalf("review conflicts: exit %d\n%s%s", code, out, errs)
			}
			if code, _, errs := review("conflicts", "--clear"); code != exitRejected || !strings.Contains(errs, "clearance") {
				t.Errorf("conflicts --clear without clearance: exit %d %s", code, errs)
			}
			if code, _, errs := review("resolve", fields[0], "--keep", "set", "--set", "nosign"); code == 0 || !strings.Contains(errs, "nosign") {
				t.Errorf("a bad --set: exit %d %s", code, errs)
			}
			if code, out, errs := review("resolve", fields[0], "--keep", "set", "--set", "size=9"); code != 0 || !strings.Contains(out, "version 4") {
				t.Fatalf("review resolve: exit %d\n%s%s", code, out, errs)
			}
			if out := list(); !strings.Contains(out, "size=9") || strings.Contains(out, "yes") {
				t.Errorf("after the resolution:\n%s", out)
			}

			// An update of an entity the catalogue does not hold (its id
			// an ID number, as a preload file may give) is shown masked.
			send("C", "r4", forms.EntityChange{List: "households", ID: "110105196805140036", BaseVersion: 2, Properties: map[string]string{"size": "2"}})
			code, out, errs = review("entity-errors")
			if lines := strings.Split(out, "\n"); code != 0 || len(lines) < 3 || !strings.Contains(lines[1], "r4 ") ||
				!strings.Contains(lines[1], "110105********0036") || !strings.Contains(lines[1], " 2 ") || !strings.Contains(out, "1 entity error:") ||
				strings.Contains(out, "110105196805140036") {
				t.Errorf("review entity-errors: exit %d\n%s%s", code, out, errs)
			}
			if code, _, errs := review("entity-errors", "--clear"); code != exitRejected || !strings.Contains(errs, "clearance") {
				t.Errorf("entity-errors --clear without clearance: exit %d %s", code, errs)
			}
		})
	}
}

// `catalogue entities import` lists every bad cell as FILE:ROW:COLUMN and
// stores nothing; a good XLSX is stored, its assignees with it.
func TestCatalogueEntitiesImport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	where := []string{"--data", filepath.Join(dir, "cat"), "--lang", "en"}
	bad := filepath.Join(dir, "visits.csv")
	os.WriteFile(bad, []byte("label,township,collector,address\n张三家,110105001,王芳,1号\n,999,赵六,2号\n"), 0o600)
	code, out, errs := run(t, "", append([]string{"catalogue", "entities", "import", "visits", bad, "--township", "township", "--assign", "collector"}, where...)...)
	if code != exitRejected || !strings.Contains(errs, bad+":3:label: the label is empty") ||
		!strings.Contains(errs, bad+`:3:township: "999" is not a known township code`) || !strings.Contains(errs, "2 problems; nothing was stored") {
		t.Fatalf("bad file: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := run(t, "", append([]string{"catalogue", "entities", "visits"}, where...)...); code == 0 || !strings.Contains(errs, "visits") {
		t.Fatalf("a refused import made the list: exit %d %s", code, errs)
	}
	f := excelize.NewFile()
	for i, row := range [][]any{{"label", "township", "collector", "address"}, {"张三家", "110105001", "王芳", "1号"}, {"李四家", "110105001", "", "2号"}} {
		f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+1), &row)
	}
	good := filepath.Join(dir, "visits.xlsx")
	if err := f.SaveAs(good); err != nil {
		t.Fatal(err)
	}
	code, out, errs = run(t, "", append([]string{"catalogue", "entities", "import", "visits", good, "--township", "township", "--assign", "collector"}, where...)...)
	if code != 0 || !strings.Contains(out, "preloaded 2 entities into list visits") {
		t.Fatalf("good file: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = run(t, "", append([]string{"catalogue", "entities", "visits", "--format", "jsonl"}, where...)...)
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, `"assigned_to":"王芳"`) || !strings.Contains(out, `"address":"1号"`) {
		t.Fatalf("listing: exit %d\n%s", code, out)
	}
	if code, _, _ := run(t, "", append([]string{"catalogue", "entities", "import", "visits", good}, where...)...); code != exitUnusable {
		t.Errorf("import without --township: exit %d", code)
	}
}
