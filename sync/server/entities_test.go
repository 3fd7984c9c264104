package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

const (
	townA = "110105001"
	townC = "110105002"
	hh    = "0193a000-0000-7000-8000-000000000001"
)

// entityWorld is a catalogue on one backend served over HTTP, with the
// household form published to two townships, a laptop in each and a
// reviewer of their county, whose tokens are their names.
type entityWorld struct {
	db   *catalogue.DB
	url  string
	devs map[string]*wire.Device
	user *wire.User
	tok  map[string]string
}

func newEntityWorld(t *testing.T, postgres bool) *entityWorld {
	t.Helper()
	ctx := context.Background()
	var db *catalogue.DB
	var err error
	if postgres {
		db, err = catalogue.OpenPostgres(ctx, pgtest.DSN(t))
	} else {
		db, err = catalogue.OpenSQLite(t.TempDir())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	form, err := samples.FS.ReadFile("household_visit.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Publish(ctx, "household_visit.xlsx", form, []string{townA, townC}); err != nil {
		t.Fatal(err)
	}
	w := &entityWorld{db: db, devs: map[string]*wire.Device{}, tok: map[string]string{}}
	for name, town := range map[string]string{"A": townA, "B": townA, "C": townC} {
		code, err := db.AddDevice(ctx, town)
		if err != nil {
			t.Fatal(err)
		}
		if w.devs[name], err = db.Enrol(ctx, code, "laptop-"+name, wire.HashToken(name)); err != nil {
			t.Fatal(err)
		}
		w.tok[name] = name
	}
	u, token, err := db.AddUser(ctx, "李审核", wire.RoleReviewer, "110105", false)
	if err != nil {
		t.Fatal(err)
	}
	w.user, w.tok["reviewer"] = u, token
	if _, w.tok["other county"], err = db.AddUser(ctx, "外县", wire.RoleReviewer, "110106", false); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&api.Server{Cat: db, Reviews: db, Entities: db, Form: db.FormDefinition}).Handler())
	t.Cleanup(srv.Close)
	w.url = srv.URL
	return w
}

// send stores one record with entity changes from a laptop.
func (w *entityWorld) send(t *testing.T, laptop, recordID string, changes ...forms.EntityChange) {
	t.Helper()
	data, _ := json.Marshal(map[string]any{"head_name": "张三", forms.EntitiesKey: changes})
	sum := sha256.Sum256(data)
	r := wire.Record{RecordID: recordID, VersionID: recordID + "-v1", FormID: "household_visit", FormVersion: samples.HouseholdVisitVersion,
		SHA256: hex.EncodeToString(sum[:]), Data: data, Collector: "王芳", CreatedAt: "2026-03-01T08:00:00Z"}
	dev := w.devs[laptop]
	b := &wire.Batch{BatchID: "batch-" + recordID, DeviceID: dev.ID, Records: []wire.Record{r}}
	rc, err := w.db.StoreBatch(context.Background(), dev, b, "fp-"+recordID, nil)
	if err != nil || rc.Results[0].Status != wire.StatusAccepted {
		t.Fatalf("send %s: %+v %v", recordID, rc, err)
	}
}

// call makes a request with who's token and decodes a 200 answer into v;
// it returns the status.
func (w *entityWorld) call(t *testing.T, who, method, path string, body []byte, v any) int {
	t.Helper()
	req, _ := http.NewRequest(method, w.url+path, bytes.NewReader(body))
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+w.tok[who])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if method == "GET" && strings.HasPrefix(path, wire.EntitiesPath) && resp.StatusCode == http.StatusOK && !resp.Uncompressed {
		t.Errorf("GET %s: not gzipped for a client that takes gzip", path)
	}
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK && v != nil {
		if err := json.Unmarshal(got, v); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, got)
		}
	}
	return resp.StatusCode
}

func TestEntitiesOverHTTP(t *testing.T) {
	t.Parallel()
	for _, be := range []string{"sqlite", "postgres"} {
		t.Run(be, func(t *testing.T) {
			t.Parallel()
			w := newEntityWorld(t, be == "postgres")
			w.send(t, "A", "r1", forms.EntityChange{List: "households", ID: hh, Create: true, Label: "张三家",
				Properties: map[string]string{"size": "3", "village": "身份证110105196805140036"}})

			// A laptop of the township gets it, masked (village is a property the
			// published household form reads); one of another township does not.
			var page wire.EntityPage
			if st := w.call(t, "B", "GET", wire.EntitiesPath+"?since=0", nil, &page); st != 200 || len(page.Entities) != 1 ||
				page.Entities[0].Properties["village"] != "身份证110105********0036" || page.Entities[0].Version != 1 {
				t.Fatalf("laptop B: %d %+v", st, page)
			}
			// One list at a time, each page saying which properties it holds.
			var persons wire.EntityPage
			if st := w.call(t, "B", "GET", wire.EntitiesPath+"?since=0&list=persons", nil, &persons); st != 200 || len(persons.Entities) != 0 ||
				len(persons.PropertySets) != 1 || persons.PropertySets["persons"] == "" || page.PropertySets["households"] == "" {
				t.Fatalf("laptop B, persons only: %d %+v (all: %v)", st, persons, page.PropertySets)
			}
			var other wire.EntityPage
			if st := w.call(t, "C", "GET", wire.EntitiesPath+"?since=0", nil, &other); st != 200 || len(other.Entities) != 0 || other.Entities == nil {
				t.Fatalf("laptop C: %d %+v", st, other)
			}
			for path, want := range map[string]int{"?since=x": 400, "?since=-1": 400, "?since=0&limit=1001": 400, "?since=0&limit=0": 400} {
				if st := w.call(t, "B", "GET", wire.EntitiesPath+path, nil, nil); st != want {
					t.Errorf("%s: %d, want %d", path, st, want)
				}
			}
			if st := w.call(t, "", "GET", wire.EntitiesPath, nil, nil); st != 401 {
				t.Errorf("without a token: %d", st)
			}

			// A and B update version 1 offline; the later one is a conflict.
			w.send(t, "A", "r2", forms.EntityChange{List: "households", ID: hh, BaseVersion: 1, Properties: map[string]string{"size": "4"}})
			w.send(t, "B", "r3", forms.EntityChange{List: "households", ID: hh, BaseVersion: 1, Properties: map[string]string{"size": "5"}})
			var conflicts []wire.EntityConflict
			if st := w.call(t, "reviewer", "GET", wire.EntityConflictsPath, nil, &conflicts); st != 200 || len(conflicts) != 1 ||
				conflicts[0].Current["size"] != "5" || conflicts[0].Before["size"] != "4" {
				t.Fatalf("conflicts: %d %+v", st, conflicts)
			}
			if st := w.call(t, "reviewer", "GET", wire.EntityConflictsPath+"?clear=1", nil, nil); st != 403 {
				t.Errorf("clear without clearance: %d", st)
			}
			if st := w.call(t, "A", "GET", wire.EntityConflictsPath, nil, nil); st != 403 {
				t.Errorf("a device's token: %d", st)
			}
			resolve := wire.EntityConflictsPath + "/" + conflicts[0].ID + "/resolve"
			keep := []byte(`{"keep":"previous"}`)
			if st := w.call(t, "other county", "POST", resolve, keep, nil); st != 404 {
				t.Errorf("another county: %d", st)
			}
			if st := w.call(t, "reviewer", "POST", resolve, []byte(`{"keep":"nothing"}`), nil); st != 422 {
				t.Errorf("no resolution: %d", st)
			}
			huge := []byte(`{"keep":"set","properties":{"note":"` + strings.Repeat("x", 70<<10) + `"}}`)
			if st := w.call(t, "reviewer", "POST", resolve, huge, nil); st != 413 {
				t.Errorf("a huge body: %d", st)
			}
			var e wire.Entity
			if st := w.call(t, "reviewer", "POST", resolve, keep, &e); st != 200 || e.Version != 4 || e.Conflict || e.Properties["size"] != "4" {
				t.Fatalf("resolve: %d %+v", st, e)
			}
			// Both laptops receive the resolution on their next sync.
			var next wire.EntityPage
			if st := w.call(t, "A", "GET", wire.EntitiesPath+"?since="+strconv.FormatInt(page.Next, 10), nil, &next); st != 200 || len(next.Entities) != 1 ||
				next.Entities[0].Version != 4 || next.Entities[0].Properties["size"] != "4" || next.Entities[0].Conflict {
				t.Fatalf("after resolution: %d %+v", st, next)
			}

			// An update of an entity the catalogue does not hold: the
			// county's reviewers see it, masked; no laptop does.
			w.send(t, "A", "r4", forms.EntityChange{List: "households", ID: "110105196805140036", BaseVersion: 2})
			var errs []wire.EntityError
			if st := w.call(t, "reviewer", "GET", wire.EntityErrorsPath, nil, &errs); st != 200 || len(errs) != 1 ||
				errs[0].RecordID != "r4" || errs[0].EntityID != "110105********0036" || !errs[0].Masked || errs[0].BaseVersion != 2 {
				t.Fatalf("entity errors: %d %+v", st, errs)
			}
			if st := w.call(t, "other county", "GET", wire.EntityErrorsPath, nil, &errs); st != 200 || len(errs) != 0 {
				t.Errorf("another county's reviewer: %d %+v", st, errs)
			}
			for who, want := range map[string]int{"A": 403, "": 401} {
				if st := w.call(t, who, "GET", wire.EntityErrorsPath, nil, nil); st != want {
					t.Errorf("entity errors with %q's token: %d, want %d", who, st, want)
				}
			}
			if st := w.call(t, "reviewer", "GET", wire.EntityErrorsPath+"?clear=1", nil, nil); st != 403 {
				t.Errorf("entity errors in clear without clearance: %d", st)
			}
		})
	}
}
