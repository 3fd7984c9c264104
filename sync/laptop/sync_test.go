package laptop

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

const township = "110105"

// world is a catalogue server on loopback and a laptop enrolled with it.
type world struct {
	cat    *catalogue.DB
	server *httptest.Server
	laptop *store.DB
	client *Client
}

// backend is the database behind the catalogue: every test runs on both.
type backend string

// backends runs test on each backend, the two at once and beside the
// package's other tests: each has a catalogue, a server and a laptop of
// its own, and much of a test's time is spent waiting for a commit or an
// answer, during which another test can use the processor.
func backends(t *testing.T, test func(t *testing.T, be backend)) {
	t.Parallel()
	for _, be := range []backend{"sqlite", "postgres"} {
		t.Run(string(be), func(t *testing.T) { t.Parallel(); test(t, be) })
	}
}

// backendsAlone is backends for a test that bounds how long something
// takes: Go runs it, one backend after the other, before any parallel
// test starts, so that the package's own tests do not slow what it times.
func backendsAlone(t *testing.T, test func(t *testing.T, be backend)) {
	for _, be := range []backend{"sqlite", "postgres"} {
		t.Run(string(be), func(t *testing.T) { test(t, be) })
	}
}

// open makes a new, empty catalogue, closed when the test ends.
func (be backend) open(t *testing.T) *catalogue.DB {
	t.Helper()
	var cat *catalogue.DB
	var err error
	if be == "postgres" {
		cat, err = catalogue.OpenPostgres(context.Background(), pgtest.DSN(t))
	} else {
		cat, err = catalogue.OpenSQLite(t.TempDir())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	return cat
}

func newWorld(t *testing.T, be backend) *world { return newWorldWith(t, be, nil, nil) }

// newWorldWith lets configure set the server's limits (nil: the
// defaults) and puts wrap (a fault injector) between client and server.
func newWorldWith(t *testing.T, be backend, configure func(*api.Server), wrap func(http.Handler) http.Handler) *world {
	t.Helper()
	return newWorldOpts(t, be, configure, wrap)
}

// newWorldOpts is newWorldWith with options for the laptop's store.
func newWorldOpts(t *testing.T, be backend, configure func(*api.Server), wrap func(http.Handler) http.Handler, opts ...store.Option) *world {
	t.Helper()
	ctx := context.Background()
	cat := be.open(t)
	def, _ := samples.FS.ReadFile("household_visit.xlsx")
	if _, err := cat.Publish(ctx, "household_visit.xlsx", def, []string{township}); err != nil {
		t.Fatal(err)
	}
	srv := &api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition}
	if configure != nil {
		configure(srv)
	}
	h := srv.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	server := httptest.NewServer(h)
	t.Cleanup(server.Close)
	laptop, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), append([]store.Option{store.WithCollector("王芳")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { laptop.Close() })
	if _, err := laptop.AddForm(ctx, "household_visit.xlsx", def); err != nil {
		t.Fatal(err)
	}
	code, err := cat.AddDevice(ctx, township)
	if err != nil {
		t.Fatal(err)
	}
	client := &Client{BaseURL: server.URL, Sleep: func(context.Context, time.Duration) error { return nil }}
	if _, err := Enrol(ctx, laptop, client, code); err != nil {
		t.Fatal(err)
	}
	client.Token, _ = laptop.Setting(ctx, SettingToken)
	return &world{cat: cat, server: server, laptop: laptop, client: client}
}

// finalize stores n valid household records on the laptop.
func (w *world) finalize(t *testing.T, n int) []string {
	t.Helper()
	data, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var base map[string]any
	json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &base)
	var ids []string
	for i := 0; i < n; i++ {
		base["head_name"] = fmt.Sprintf("户主%05d%d", i, time.Now().UnixNano()%1000)
		line, _ := json.Marshal(base)
		id, _, err := w.laptop.InsertFinalized(context.Background(), "household_visit", samples.HouseholdVisitVersion, "", line)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func (w *world) catalogueTotal(t *testing.T) int {
	t.Helper()
	counts, err := w.cat.RecordCounts(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range counts {
		n += c.N
	}
	return n
}

func TestSyncSendsOnceAndResumes(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		w.finalize(t, 30)
		sum, err := Run(ctx, w.laptop, w.client, nil)
		if err != nil || sum.Sent != 30 || sum.NeedsAttention() {
			t.Fatalf("first sync: %+v %v", sum, err)
		}
		if got := w.catalogueTotal(t); got != 30 {
			t.Fatalf("catalogue holds %d records", got)
		}
		sent, _ := w.laptop.Records(ctx, store.Filter{State: store.Sent})
		if len(sent) != 30 {
			t.Fatalf("%d records marked sent", len(sent))
		}
		// Nothing new: nothing sent.
		if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || sum.Sent+sum.Duplicates != 0 {
			t.Fatalf("second sync: %+v %v", sum, err)
		}

		// A batch whose receipt was lost on the way back: queued and sent,
		// but the laptop never stored the answer. The next sync sends the same
		// bytes again; the catalogue replays its receipt and stores nothing twice.
		w.finalize(t, 5)
		var body []byte
		b, err := w.laptop.QueueBatch(ctx, 100, func(vs []store.QueuedVersion) (string, []byte, error) {
			id := fmt.Sprintf("lost-%d", time.Now().UnixNano())
			recs := make([]wire.Record, len(vs))
			for i, v := range vs {
				recs[i] = wire.Record{RecordID: v.RecordID, VersionID: v.VersionID, FormID: v.FormID, FormVersion: v.FormVersion,
					Collector: v.Collector, CreatedAt: when.WithOffset(v.CreatedAt)}
				if err := (*batchSealer)(nil).fill(&recs[i], &v); err != nil {
					return "", nil, err
				}
			}
			body, _ = json.Marshal(wire.Batch{BatchID: id, DeviceID: w.laptop.DeviceID(), Records: recs})
			return id, body, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.client.SendBatch(ctx, b.ID, b.Body); err != nil {
			t.Fatal(err)
		}
		sum, err = Run(ctx, w.laptop, w.client, nil)
		if err != nil || sum.Sent != 5 || sum.Batches != 1 {
			t.Fatalf("sync after a lost receipt: %+v %v", sum, err)
		}
		if got := w.catalogueTotal(t); got != 35 {
			t.Fatalf("catalogue holds %d records, want 35", got)
		}
		// The same batch id with other contents is a bug, refused with 422.
		var other wire.Batch
		json.Unmarshal(body, &other)
		other.Records = other.Records[:1]
		changed, _ := json.Marshal(other)
		var se *StatusError
		if _, err := w.client.SendBatch(ctx, b.ID, changed); !errors.As(err, &se) || se.Status != 422 {
			t.Fatalf("same batch id, other records: %v", err)
		}
	})
}

func TestEditAfterSyncAndStaleEdit(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		ids := w.finalize(t, 1)
		if _, err := Run(ctx, w.laptop, w.client, nil); err != nil {
			t.Fatal(err)
		}
		rec, _ := w.laptop.Record(ctx, ids[0])
		edited := bytes.Replace(rec.Data, []byte(`"low_income":"no"`), []byte(`"low_income":"yes","subsidy_amount":"300"`), 1)
		if _, err := w.laptop.Edit(ctx, ids[0], edited); err != nil {
			t.Fatal(err)
		}
		sum, err := Run(ctx, w.laptop, w.client, nil)
		if err != nil || sum.Sent != 1 || sum.NeedsAttention() {
			t.Fatalf("an edit after sync: %+v %v", sum, err)
		}
		// An edit made from a version the catalogue no longer holds as the
		// latest (another laptop edited it meanwhile) comes back a conflict.
		versions, _ := w.laptop.Versions(ctx, ids[0])
		stale := wire.Batch{BatchID: "stale-1", DeviceID: w.laptop.DeviceID(), Records: []wire.Record{{
			RecordID: ids[0], VersionID: "01900000-0000-7000-8000-000000000001", Replaces: versions[0].ID,
			FormID: "household_visit", FormVersion: samples.HouseholdVisitVersion, SHA256: clearSum(versions[0].Data), Data: versions[0].Data}}}
		body, _ := json.Marshal(stale)
		r, err := w.client.SendBatch(ctx, "stale-1", body)
		if err != nil || len(r.Results) != 1 || r.Results[0].Status != wire.StatusConflict {
			t.Fatalf("stale edit: %+v %v", r, err)
		}
	})
}

func TestSyncFailuresAreClear(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		w.finalize(t, 3)
		// A captive portal answers 200 with a login page.
		portal := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/html")
			fmt.Fprint(rw, "<html>请登录 Wi-Fi</html>")
		}))
		defer portal.Close()
		c := *w.client
		c.BaseURL = portal.URL
		if _, err := Run(ctx, w.laptop, &c, nil); !errors.Is(err, ErrNotCatalogue) {
			t.Fatalf("captive portal: %v", err)
		}
		c.BaseURL = "http://127.0.0.1:1"
		if _, err := Run(ctx, w.laptop, &c, nil); !errors.Is(err, ErrUnreachable) {
			t.Fatalf("no server: %v", err)
		}
		if fin, _ := w.laptop.Records(ctx, store.Filter{State: store.Finalized}); len(fin) != 3 {
			t.Fatalf("failed syncs changed the records: %d finalized", len(fin))
		}
		c = *w.client
		c.Token = "not-a-token"
		if _, err := Run(ctx, w.laptop, &c, nil); !errors.Is(err, ErrRevoked) {
			t.Fatalf("wrong token: %v", err)
		}
		if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || sum.Sent != 3 {
			t.Fatalf("after the failures: %+v %v", sum, err)
		}
	})
}

func TestServerRefusesBadInput(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		w := newWorld(t, be)
		post := func(body []byte, header map[string]string) (int, string) {
			h := map[string]string{"Authorization": "Bearer " + w.client.Token}
			for k, v := range header {
				h[k] = v
			}
			return postRaw(t, w.server.URL+"/v1/batches", body, h)
		}
		if code, msg := post([]byte("{not json"), map[string]string{"Idempotency-Key": "x"}); code != 400 || !strings.Contains(msg, "malformed JSON") {
			t.Errorf("malformed JSON: %d %s", code, msg)
		}
		// A gzip bomb: a few KB that inflate past the limit.
		var bomb bytes.Buffer
		zw := newGzip(&bomb)
		zw.Write(bytes.Repeat([]byte(" "), 40<<20))
		zw.Close()
		if code, msg := post(bomb.Bytes(), map[string]string{"Content-Encoding": "gzip", "Idempotency-Key": "x"}); code != 413 {
			t.Errorf("gzip bomb: %d %s", code, msg)
		}
		// The server sizes its buffer from the gzip trailer: a trailer
		// that lies (a huge size, or none at all) is refused, not trusted.
		var small bytes.Buffer
		zw = newGzip(&small)
		zw.Write([]byte(`{"batch_id":"x","device_id":"` + w.laptop.DeviceID() + `","records":[]}`))
		zw.Close()
		lying := bytes.Clone(small.Bytes())
		binary.LittleEndian.PutUint32(lying[len(lying)-4:], 1<<31)
		cut := small.Bytes()[:small.Len()-8]
		for name, body := range map[string][]byte{"a lying trailer": lying, "no trailer": cut} {
			if code, msg := post(body, map[string]string{"Content-Encoding": "gzip", "Idempotency-Key": "x"}); code != 400 || !strings.Contains(msg, "could not be read") {
				t.Errorf("%s: %d %s", name, code, msg)
			}
		}
		if code, msg := post(small.Bytes(), map[string]string{"Content-Encoding": "gzip", "Idempotency-Key": "x"}); code != 200 {
			t.Errorf("the same batch with its true trailer: %d %s", code, msg)
		}
		if code, _ := post([]byte(`{"batch_id":"b","device_id":"someone-else","records":[]}`), map[string]string{"Idempotency-Key": "b"}); code != 403 {
			t.Errorf("another device's batch: %d", code)
		}
		if got := w.catalogueTotal(t); got != 0 {
			t.Errorf("bad input stored %d records", got)
		}
	})
}

func newGzip(w *bytes.Buffer) *gzip.Writer { return gzip.NewWriter(w) }

// A revoked laptop is told so in words, and its records stay to be sent.
func TestRevokedDevice(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		w.finalize(t, 2)
		if err := w.cat.RevokeDevice(ctx, w.laptop.DeviceID()); err != nil {
			t.Fatal(err)
		}
		_, err := Run(ctx, w.laptop, w.client, nil)
		if !errors.Is(err, ErrRevoked) {
			t.Fatalf("sync of a revoked laptop: %v", err)
		}
		if fin, _ := w.laptop.Records(ctx, store.Filter{State: store.Finalized}); len(fin) != 2 {
			t.Fatalf("%d records still to send, want 2", len(fin))
		}
	})
}

// Records the catalogue must not take come back rejected with a reason and
// are not stored: a form of another township, and data that fails the
// form's checks (the server trusts no laptop's validation).
func TestServerRejectsWhatItMustNotStore(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		def, _ := samples.FS.ReadFile("business_census.xlsx")
		if _, err := w.cat.Publish(ctx, "business_census.xlsx", def, []string{"320106"}); err != nil {
			t.Fatal(err)
		}
		data := []byte(`{"head_name":"张建国"}`) // required answers missing
		other := []byte(`{"name":"某公司"}`)
		batch := wire.Batch{BatchID: "bad-1", DeviceID: w.laptop.DeviceID(), Records: []wire.Record{
			{RecordID: "01900000-0000-7000-8000-0000000000a1", VersionID: "01900000-0000-7000-8000-0000000000b1",
				FormID: "household_visit", FormVersion: samples.HouseholdVisitVersion, SHA256: sum(data), Data: data},
			{RecordID: "01900000-0000-7000-8000-0000000000a2", VersionID: "01900000-0000-7000-8000-0000000000b2",
				FormID: "business_census", FormVersion: "2026112701", SHA256: sum(other), Data: other},
		}}
		body, _ := json.Marshal(batch)
		r, err := w.client.SendBatch(ctx, "bad-1", body)
		if err != nil {
			t.Fatal(err)
		}
		if r.Results[0].Status != wire.StatusRejected || !strings.Contains(r.Results[0].Reason, "fails the form's checks") {
			t.Errorf("invalid record: %+v", r.Results[0])
		}
		if r.Results[1].Status != wire.StatusRejected || !strings.Contains(r.Results[1].Reason, "not published") {
			t.Errorf("another township's form: %+v", r.Results[1])
		}
		if got := w.catalogueTotal(t); got != 0 {
			t.Errorf("the catalogue stored %d of them", got)
		}
	})
}

// A body over the limit is refused before it is read whole.
func TestServerRefusesOversizedBody(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		w := newWorld(t, be)
		big := bytes.Repeat([]byte("x"), 33<<20)
		req, _ := http.NewRequest("POST", w.server.URL+"/v1/batches", bytes.NewReader(big))
		req.Header.Set("Authorization", "Bearer "+w.client.Token)
		req.Header.Set("Idempotency-Key", "big")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("a 33 MB body: %d", resp.StatusCode)
		}
	})
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// When a record cannot be checked just now (its form does not load), the
// batch is answered 503 and nothing is stored; it is not rejected for good.
func TestUncheckableBatchIsRetriedNotRejected(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		w.finalize(t, 3)
		broken := &api.Server{Cat: w.cat, Reviews: w.cat, Form: func(context.Context, string, string) (*forms.Form, error) {
			return nil, errors.New("database is closed")
		}}
		server := httptest.NewServer(broken.Handler())
		defer server.Close()
		c := *w.client
		c.BaseURL = server.URL
		c.MaxAttempts = 2
		var se *StatusError
		if _, err := Run(ctx, w.laptop, &c, nil); !errors.As(err, &se) || se.Status != 503 {
			t.Fatalf("sync while forms cannot load: %v", err)
		}
		if got := w.catalogueTotal(t); got != 0 {
			t.Fatalf("stored %d records it could not check", got)
		}
		if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || sum.Sent != 3 || sum.NeedsAttention() {
			t.Fatalf("the next sync: %+v %v", sum, err)
		}
	})
}

// clearSum is the hash of a version's clear data, which a batch names
// while batches carry clear records (a stored version's SHA256 is its
// masked data's: store/sealing.go).
func clearSum(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
