package laptop

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// Records that come back for a person to look at are named by record in
// the summary, and marked with the catalogue's reason on the laptop.
func TestRunNamesRecordsNeedingAttention(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	ids := w.finalize(t, 3)
	if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || sum.Sent != 3 {
		t.Fatalf("first sync: %+v %v", sum, err)
	}

	// Another laptop edits record 0 first: this laptop's edit then
	// replaces a version that is no longer the catalogue's latest.
	rec, _ := w.laptop.Record(ctx, ids[0])
	theirs := bytes.Replace(rec.Data, []byte(`"low_income":"no"`), []byte(`"low_income":"yes","subsidy_amount":"100"`), 1)
	sum := sha256.Sum256(theirs)
	other := wire.Batch{BatchID: "other-laptop-1", DeviceID: w.laptop.DeviceID(), Records: []wire.Record{{
		RecordID: ids[0], VersionID: "01900000-0000-7000-8000-0000000000c1", Replaces: rec.Head,
		FormID: "household_visit", FormVersion: samples.HouseholdVisitVersion, SHA256: hex.EncodeToString(sum[:]), Data: theirs}}}
	body, _ := json.Marshal(other)
	if r, err := w.client.SendBatch(ctx, other.BatchID, body); err != nil || r.Results[0].Status != wire.StatusAccepted {
		t.Fatalf("the other laptop's edit: %+v %v", r, err)
	}
	mine := bytes.Replace(rec.Data, []byte(`"low_income":"no"`), []byte(`"low_income":"yes","subsidy_amount":"300"`), 1)
	edit, err := w.laptop.Edit(ctx, ids[0], mine)
	if err != nil {
		t.Fatal(err)
	}

	// A form the catalogue never published to this township.
	def, _ := samples.FS.ReadFile("business_census.xlsx")
	if _, err := w.laptop.AddForm(ctx, "business_census.xlsx", def); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../../testdata/forms/business_census.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	census, _, err := w.laptop.InsertFinalized(ctx, "business_census", "2026112701", "", bytes.SplitN(raw, []byte("\n"), 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	// And one that goes through.
	fine := w.finalize(t, 1)[0]

	got, err := Run(ctx, w.laptop, w.client, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Sent != 1 || len(got.Conflicts) != 1 || len(got.Rejected) != 1 || !got.NeedsAttention() {
		t.Fatalf("second sync: %+v", got)
	}
	if c := got.Conflicts[0]; c.RecordID != ids[0] || c.VersionID != edit.ID || c.Reason == "" {
		t.Errorf("conflict %+v, want record %s version %s", c, ids[0], edit.ID)
	}
	if r := got.Rejected[0]; r.RecordID != census || !strings.Contains(r.Reason, "not published") {
		t.Errorf("rejection %+v, want record %s", r, census)
	}
	for id, want := range map[string]store.State{ids[0]: store.Conflict, census: store.Rejected, fine: store.Sent, ids[1]: store.Sent} {
		r, _ := w.laptop.Record(ctx, id)
		note, _ := w.laptop.SyncNote(ctx, id)
		if r.State != want || (want != store.Sent) != (note != "") {
			t.Errorf("record %s: %s %q, want %s", id, r.State, note, want)
		}
	}
}
