package laptop

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/fieldbench/fieldbench/forms/samples"
)

// A record carrying the warnings its collector confirmed (__warnings) is
// accepted by the catalogue, which validates it with the same engine, and
// kept there as sent, so the reviewer sees them.
func TestConfirmedWarningsReachTheCatalogue(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		data, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		var rec map[string]any
		json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &rec)
		members := rec["members"].([]any)
		for len(members) < 11 {
			members = append(members, members[len(members)-1])
		}
		rec["members"], rec["hh_size"] = members, "11"
		rec["__warnings"] = []map[string]string{{"field": "hh_size", "path": "hh_size", "rule": "warning", "message": "户人数超过10人，请核实"}}
		line, _ := json.Marshal(rec)
		if _, _, err := w.laptop.InsertFinalized(ctx, "household_visit", samples.HouseholdVisitVersion, "", line); err != nil {
			t.Fatal(err)
		}
		sum, err := Run(ctx, w.laptop, w.client, nil)
		if err != nil || sum.Sent != 1 || sum.NeedsAttention() {
			t.Fatalf("sync: %+v %v", sum, err)
		}
		var stored []string
		w.cat.Records(ctx, "household_visit", true, func(_ string, data []byte) error {
			stored = append(stored, string(data))
			return nil
		})
		if len(stored) != 1 {
			t.Fatalf("the catalogue holds %d records", len(stored))
		}
		var back struct {
			Warnings []map[string]string `json:"__warnings"`
		}
		json.Unmarshal([]byte(stored[0]), &back)
		if len(back.Warnings) != 1 || back.Warnings[0]["path"] != "hh_size" || back.Warnings[0]["message"] != "户人数超过10人，请核实" {
			t.Fatalf("the catalogue's record lost its confirmed warning: %s", stored[0])
		}
	})
}
