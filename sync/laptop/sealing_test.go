package laptop

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// sealedWorld is a world whose catalogue has a key (enrolment pins it),
// with every request body the laptop sent kept, decoded.
type sealedWorld struct {
	*world
	ring   seal.KeyRing
	mu     sync.Mutex
	bodies [][]byte
}

func newSealedWorld(t *testing.T, be backend, configure func(*api.Server), opts ...store.Option) *sealedWorld {
	t.Helper()
	id, err := seal.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	sw := &sealedWorld{ring: seal.KeyRing{id}}
	keyed := func(srv *api.Server) {
		if err := srv.Cat.(*catalogue.DB).UseKeys(context.Background(), sw.ring); err != nil {
			t.Fatal(err)
		}
		if configure != nil {
			configure(srv)
		}
	}
	keep := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			sw.mu.Lock()
			if isGzip(body) {
				sw.bodies = append(sw.bodies, gunzip(t, body))
			} else {
				sw.bodies = append(sw.bodies, body)
			}
			sw.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
			next.ServeHTTP(w, r)
		})
	}
	sw.world = newWorldOpts(t, be, keyed, keep, opts...)
	return sw
}

// insertNumbered finalizes households full of valid ID and mobile
// numbers; it returns their record ids, every number as typed (to scan
// for) and the ID numbers alone.
func (w *world) insertNumbered(t *testing.T, n int) (ids []string, secret, idNumbers map[string]bool) {
	t.Helper()
	records, numbers, typed := piitest.HouseholdsWithNumbers(t, n)
	secret, idNumbers = map[string]bool{}, map[string]bool{}
	for _, s := range append(numbers, typed...) {
		secret[s] = true
	}
	for _, s := range numbers {
		idNumbers[s] = true
	}
	for _, r := range records {
		id, _, err := w.laptop.InsertFinalized(context.Background(), "household_visit", samples.HouseholdVisitVersion, "", r)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids, secret, idNumbers
}

// clearExport is the catalogue's clearance export of the household form
// (JSON lines).
func (w *world) clearExport(t *testing.T) []byte {
	t.Helper()
	ctx := context.Background()
	x, err := w.cat.NewExport(ctx, wire.ExportRequest{FormID: "household_visit", Format: "jsonl", Command: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := x.Write(ctx, func(string) (io.Writer, error) { return &out, nil }); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// auditDetails are the details of the laptop's audit rows of one event.
func (w *world) auditDetails(t *testing.T, ev store.Event) []string {
	t.Helper()
	rows, err := w.laptop.Audit(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		if r.Event == ev {
			out = append(out, r.Detail)
		}
	}
	return out
}

// TestSyncSealsEndToEnd: the outbox and every request body hold no clear
// ID or mobile number, the batch's key is wrapped to the catalogue key the
// laptop pinned at enrolment, and the catalogue's clearance export gives
// every number back.
func TestSyncSealsEndToEnd(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newSealedWorld(t, be, nil)
		pinned, err := w.laptop.PinnedCatalogueKey(ctx)
		want := w.cat.CatalogueKey()
		if err != nil || pinned == nil || pinned.ID != want.ID || pinned.Recipient != want.Recipient {
			t.Fatalf("pinned at enrolment: %+v %v, want %+v", pinned, err, want)
		}
		if got := w.auditDetails(t, store.EventCatalogueKeyPinned); len(got) != 1 || !strings.Contains(got[0], want.ID) {
			t.Fatalf("audit of the pinning: %q", got)
		}
		ids, secret, idSet := w.insertNumbered(t, 40)

		// A batch written to the outbox, as a sync writes it, then sent.
		sealer, err := newBatchSealer(pinned)
		if err != nil {
			t.Fatal(err)
		}
		q, err := w.laptop.QueuePlanned(ctx, 15, func(vs []store.QueuedVersion) (store.BatchPlan, error) {
			return planBatch(w.laptop.DeviceID(), vs, 1<<30, sealer)
		})
		if err != nil || q == nil || q.Batch == nil {
			t.Fatalf("queue: %+v %v", q, err)
		}
		pending, err := w.laptop.PendingBatches(ctx)
		if err != nil || len(pending) != 1 {
			t.Fatalf("outbox: %d %v", len(pending), err)
		}
		outbox := gunzip(t, pending[0].Body)
		var b wire.Batch
		if err := json.Unmarshal(outbox, &b); err != nil {
			t.Fatal(err)
		}
		if len(b.Keys) != 1 || b.Keys[0].CatalogueKey != want.ID || b.Records[0].Sealed == nil {
			t.Errorf("the batch has %d keys (want one wrapped to %s); its first record's sealed part is %d bytes", len(b.Keys), want.ID, len(b.Records[0].Sealed))
		}
		if found := piitest.NumbersIn(outbox, secret); len(found) > 0 {
			t.Errorf("the outbox body holds %d numbers in clear, e.g. %s", len(found), found[0])
		}
		sum, err := Run(ctx, w.laptop, w.client, nil)
		if err != nil || sum.Sent != len(ids) || sum.NeedsAttention() {
			t.Fatalf("sync: %+v %v", sum, err)
		}
		w.mu.Lock()
		for i, body := range w.bodies {
			if found := piitest.NumbersIn(body, secret); len(found) > 0 {
				t.Errorf("request %d holds %d numbers in clear, e.g. %s", i, len(found), found[0])
			}
			if found := piitest.ClearIDs(body, secret); len(found) > 0 {
				t.Errorf("request %d holds %d valid ID numbers in clear", i, len(found))
			}
		}
		w.mu.Unlock()
		export := w.clearExport(t)
		if found := piitest.NumbersIn(export, idSet); len(found) != len(idSet) {
			t.Errorf("the clearance export gives back %d of %d ID numbers", len(found), len(idSet))
		}
	})
}

// TestSyncAdoptsRotatedKey: after the catalogue rotates its key, the next
// sync pins the new key (audited) and wraps its batch key to it; records
// sent before and after open at the catalogue.
func TestSyncAdoptsRotatedKey(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newSealedWorld(t, be, nil)
		old := w.cat.CatalogueKey()
		w.insertNumbered(t, 5)
		if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || sum.Sent != 5 {
			t.Fatalf("first sync: %+v %v", sum, err)
		}
		id, err := seal.NewIdentity()
		if err != nil {
			t.Fatal(err)
		}
		w.ring = append(w.ring, id)
		if err := w.cat.UseKeys(ctx, w.ring); err != nil {
			t.Fatal(err)
		}
		w.insertNumbered(t, 5)
		w.mu.Lock()
		w.bodies = nil
		w.mu.Unlock()
		if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || sum.Sent != 5 || sum.NeedsAttention() {
			t.Fatalf("sync after the rotation: %+v %v", sum, err)
		}
		pinned, err := w.laptop.PinnedCatalogueKey(ctx)
		if err != nil || pinned.ID != id.KeyID() || pinned.ID == old.ID {
			t.Fatalf("pinned after the rotation: %+v %v (new key %s)", pinned, err, id.KeyID())
		}
		if got := w.auditDetails(t, store.EventCatalogueKeyPinned); len(got) != 2 || !strings.Contains(got[1], id.KeyID()) || !strings.Contains(got[1], old.ID) {
			t.Fatalf("audit of the pinnings: %q", got)
		}
		w.mu.Lock()
		wrappedTo := ""
		for _, body := range w.bodies {
			var b wire.Batch
			if json.Unmarshal(body, &b) == nil && len(b.Keys) > 0 {
				wrappedTo = b.Keys[0].CatalogueKey
			}
		}
		w.mu.Unlock()
		if wrappedTo != id.KeyID() {
			t.Fatalf("the batch key after the rotation is wrapped to %q, want %s", wrappedTo, id.KeyID())
		}
		if got := w.catalogueTotal(t); got != 10 {
			t.Fatalf("the catalogue holds %d records", got)
		}
		if n := strings.Count(string(w.clearExport(t)), "\n"); n != 10 {
			t.Fatalf("the clearance export has %d lines", n)
		}
	})
}

// TestSyncDropsExpiredSealedParts: the sealed parts of versions the
// catalogue acknowledged more than its retention_days ago go (audited
// with their count); later versions keep theirs, and a record whose part
// went keeps its masked data, flagged as masked only.
func TestSyncDropsExpiredSealedParts(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		var mu sync.Mutex
		now := time.Now()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		w := newSealedWorld(t, be, func(srv *api.Server) { srv.RetentionDays = 10 }, store.WithClock(clock))
		old, secret, _ := w.insertNumbered(t, 3)
		if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || sum.Sent != 3 || sum.SealedExpired != 0 {
			t.Fatalf("first sync: %+v %v", sum, err)
		}
		mu.Lock()
		now = now.Add(9 * 24 * time.Hour)
		mu.Unlock()
		if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || sum.SealedExpired != 0 {
			t.Fatalf("sync within the retention period: %+v %v", sum, err)
		}
		mu.Lock()
		now = now.Add(2 * 24 * time.Hour)
		mu.Unlock()
		recent, _, _ := w.insertNumbered(t, 2)
		sum, err := Run(ctx, w.laptop, w.client, nil)
		if err != nil || sum.Sent != 2 || sum.SealedExpired != 3 {
			t.Fatalf("sync after the retention period: %+v %v", sum, err)
		}
		if got := w.auditDetails(t, store.EventSealedExpired); len(got) != 1 || !strings.Contains(got[0], `"versions":3`) {
			t.Fatalf("audit of the deletion: %q", got)
		}
		for _, id := range old {
			r, err := w.laptop.Record(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if found := piitest.NumbersIn(r.Data, secret); len(found) > 0 || !bytes.Contains(r.Data, []byte("*")) || !r.MaskedOnly {
				t.Fatalf("an expired record holds %v, or nothing masked, or is not flagged masked only (%v): %.200s", found, r.MaskedOnly, r.Data)
			}
		}
		for _, id := range recent {
			r, err := w.laptop.Record(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(r.Data, []byte("*")) || r.MaskedOnly {
				t.Fatalf("a recent record lost its sealed part: %.200s", r.Data)
			}
		}
		if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || sum.SealedExpired != 0 {
			t.Fatalf("a sync with nothing left to drop: %+v %v", sum, err)
		}
	})
}
