package laptop

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// newWorldLimited is newWorld with the server's decoded body limit set
// (0: the default).
func newWorldLimited(t *testing.T, be backend, maxBody int64) *world {
	return newWorldWith(t, be, func(s *api.Server) { s.MaxBodyBytes = maxBody }, nil)
}

// household is the first sample household record, decoded, for a test to
// change.
func household(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

// insertHousehold stores rec on the laptop as finalized, as an import
// does (no finalize, no checks).
func (w *world) insertHousehold(t *testing.T, rec map[string]any) string {
	t.Helper()
	line, _ := json.Marshal(rec)
	id, _, err := w.laptop.InsertFinalized(context.Background(), "household_visit", samples.HouseholdVisitVersion, "", line)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A record larger than the catalogue takes in a batch (stored bypassing
// finalize's limit, as an older fieldbench or a database edited by hand
// could) is not sent; every other record is, and the record is named for
// a person, on every backend. It used to make every sync fail with 413,
// holding back the whole queue.
func TestOversizedRecordDoesNotBlockTheQueue(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		w.finalize(t, 5)
		rec := household(t)
		rec["address"] = strings.Repeat("很长的地址", 33<<20/15) // 33 MB: over the server's default 32 MB
		big := w.insertHousehold(t, rec)
		w.finalize(t, 5)

		sum, err := Run(ctx, w.laptop, w.client, nil)
		if err != nil {
			t.Fatalf("sync: %v", err)
		}
		if sum.Sent != 10 || len(sum.Rejected) != 1 || sum.Rejected[0].RecordID != big ||
			!strings.Contains(sum.Rejected[0].Reason, "not sent: the record's data is 33.0 MB") {
			t.Fatalf("summary: sent %d, rejected %+v", sum.Sent, sum.Rejected)
		}
		if got := w.catalogueTotal(t); got != 10 {
			t.Errorf("the catalogue holds %d records, want 10", got)
		}
		r, err := w.laptop.Record(ctx, big)
		if err != nil || r.State != store.Rejected {
			t.Fatalf("the large record: %+v %v", r, err)
		}
		if note, _ := w.laptop.SyncNote(ctx, big); !strings.Contains(note, "edit the record") {
			t.Errorf("its note: %q", note)
		}
		// It stays for a person: the next sync has nothing to send.
		sum, err = Run(ctx, w.laptop, w.client, nil)
		if err != nil || sum.Sent != 0 || sum.NeedsAttention() {
			t.Errorf("next sync: %+v %v", sum, err)
		}
	})
}

// A batch an earlier fieldbench queued by count alone, too large for the
// catalogue, is taken back after its 413 and its records go in batches
// cut to size; the one too large for any batch is set aside.
func TestOversizedQueuedBatchIsRecut(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorldLimited(t, be, 256<<10)
		rec := household(t)
		var ids []string
		for i := range 20 {
			rec["head_name"] = "户主" + string(rune('甲'+i))
			rec["address"] = strings.Repeat("地址", 3<<10) // 18 KB each: 360 KB in all
			ids = append(ids, w.insertHousehold(t, rec))
		}
		rec["address"] = strings.Repeat("地址", 50<<10) // 300 KB: fits in no batch
		big := w.insertHousehold(t, rec)
		ids = append(ids, big)
		// As the earlier fieldbench queued them: all in one batch.
		_, err := w.laptop.QueueBatch(ctx, 100, func(vs []store.QueuedVersion) (string, []byte, error) {
			b := wire.Batch{BatchID: "0190a000-0000-7000-8000-000000000001", DeviceID: w.laptop.DeviceID()}
			for _, v := range vs {
				rec := wire.Record{RecordID: v.RecordID, VersionID: v.VersionID, FormID: v.FormID,
					FormVersion: v.FormVersion, Collector: v.Collector, CreatedAt: when.Stored(v.CreatedAt)}
				if err := (*batchSealer)(nil).fill(&rec, &v); err != nil {
					return "", nil, err
				}
				b.Records = append(b.Records, rec)
			}
			body, err := json.Marshal(b)
			return b.BatchID, body, err
		})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := Run(ctx, w.laptop, w.client, nil)
		if err != nil {
			t.Fatalf("sync: %v", err)
		}
		if sum.Sent != 20 || len(sum.Rejected) != 1 || sum.Rejected[0].RecordID != big || sum.Batches < 2 {
			t.Fatalf("summary: %d sent in %d batches, rejected %+v", sum.Sent, sum.Batches, sum.Rejected)
		}
		if got := w.catalogueTotal(t); got != 20 {
			t.Errorf("the catalogue holds %d records, want 20", got)
		}
		for _, id := range ids[:20] {
			if r, _ := w.laptop.Record(ctx, id); r.State != store.Sent {
				t.Errorf("record %s is %s", id, r.State)
			}
		}
		if pending, _ := w.laptop.PendingBatches(ctx); len(pending) != 0 {
			t.Errorf("%d batches still wait", len(pending))
		}
	})
}

// The catalogue's check of every synced record refuses what DecodeRecord
// and ValidateRecord now refuse, on every backend: a name given twice (the
// check saw the last head_id, a reader keeping the first would see
// another), and a confirmed warning no rule of the form could have shown.
// Before, both were accepted and stored.
func TestCatalogueRefusesRepeatedNamesAndForgedWarnings(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		good, _ := json.Marshal(household(t))
		twice := append([]byte(`{"head_id":"not an id",`), good[1:]...)
		rec := household(t)
		rec["__warnings"] = []map[string]string{{"field": "head_name", "path": "head_name", "rule": "warning", "message": "审核员请直接通过"}}
		forged, _ := json.Marshal(rec)
		record := func(i int, data []byte) wire.Record {
			return wire.Record{RecordID: "01900000-0000-7000-8000-00000000000" + string(rune('0'+i)),
				VersionID: "01900000-0000-7000-8000-0000000001" + string(rune('0'+i)) + "0",
				FormID:    "household_visit", FormVersion: samples.HouseholdVisitVersion, SHA256: sum(data), Data: data}
		}
		batch := wire.Batch{BatchID: "input-1", DeviceID: w.laptop.DeviceID(),
			Records: []wire.Record{record(1, twice), record(2, forged), record(3, good)}}
		body, _ := json.Marshal(batch)
		r, err := w.client.SendBatch(ctx, "input-1", body)
		if err != nil {
			t.Fatal(err)
		}
		if r.Results[0].Status != wire.StatusRejected || !strings.Contains(r.Results[0].Reason, `the name "head_id" appears twice`) {
			t.Errorf("a repeated name: %+v", r.Results[0])
		}
		if r.Results[1].Status != wire.StatusRejected || !strings.Contains(r.Results[1].Reason, "__warnings[1]: ") ||
			!strings.Contains(r.Results[1].Reason, "head_name") {
			t.Errorf("a forged warning: %+v", r.Results[1])
		}
		if r.Results[2].Status != wire.StatusAccepted {
			t.Errorf("the good record: %+v", r.Results[2])
		}
		if got := w.catalogueTotal(t); got != 1 {
			t.Errorf("the catalogue stored %d records, want 1", got)
		}
	})
}
