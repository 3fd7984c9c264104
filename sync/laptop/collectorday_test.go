package laptop

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/forms/when/whentest"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// A record made at 07:30 Beijing time is 23:30 UTC the day before. The
// laptop counts it on the Beijing date; the catalogue used to count it on
// the UTC date, so the two reports of records per collector per day
// disagreed for everything made before 08:00. The laptop now sends its
// offset with created_at, and the catalogue counts by the collector's day.
func TestCatalogueCountsByTheCollectorsDay(t *testing.T) {
	beijing := whentest.Shanghai(t)
	made := time.Date(2026, 11, 27, 7, 30, 0, 0, beijing)
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		// A second laptop whose clock reads 07:30 in Beijing, enrolled
		// with the same catalogue.
		laptop, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("李娜"),
			store.WithClock(func() time.Time { return made }))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { laptop.Close() })
		def, _ := samples.FS.ReadFile("household_visit.xlsx")
		if _, err := laptop.AddForm(ctx, "household_visit.xlsx", def); err != nil {
			t.Fatal(err)
		}
		code, err := w.cat.AddDevice(ctx, township)
		if err != nil {
			t.Fatal(err)
		}
		client := &Client{BaseURL: w.server.URL, Sleep: func(context.Context, time.Duration) error { return nil }}
		if _, err := Enrol(ctx, laptop, client, code); err != nil {
			t.Fatal(err)
		}
		client.Token, _ = laptop.Setting(ctx, SettingToken)
		id := (&world{laptop: laptop}).insertHousehold(t, household(t))

		local, err := laptop.Quality(ctx, "household_visit", quality.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(local.Days) != 1 || local.Days[0].Day != "2026-11-27" {
			t.Fatalf("the laptop counts %+v, want one record on 2026-11-27", local.Days)
		}
		if sum, err := Run(ctx, laptop, client, nil); err != nil || sum.Sent != 1 {
			t.Fatalf("sync: %+v, %v", sum, err)
		}
		reports, err := w.cat.Quality(ctx, "household_visit", quality.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(reports) != 1 || !slicesEqualDays(reports[0].Report.Days, local.Days) {
			t.Fatalf("the catalogue counts %+v, the laptop %+v", reports[0].Report.Days, local.Days)
		}
		// The stored instant is the one the laptop made, whatever offset
		// it came with.
		reviewer, _, err := w.cat.AddUser(ctx, "审核员", wire.RoleReviewer, township, false)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := w.cat.ReviewRecord(ctx, reviewer, id, wire.ReviewView{})
		if err != nil || len(rec.Versions) != 1 {
			t.Fatalf("the record in the catalogue: %+v, %v", rec, err)
		}
		created := rec.Versions[0].CreatedAt
		if !strings.HasSuffix(created, "+08:00") {
			t.Errorf("created_at %q carries no offset", created)
		}
		if at, err := time.Parse(time.RFC3339Nano, created); err != nil || !at.Equal(made) {
			t.Errorf("created_at %q is not the instant %s", created, made.UTC())
		}
	})
}

func slicesEqualDays(a, b []quality.CollectorDay) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Day != b[i].Day || a[i].Records != b[i].Records {
			return false
		}
	}
	return true
}
