package catalogue

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/quality"
)

// Quality is measured per township; the reports are kept, read back, and
// made stale by a later batch of the form (and only of that form).
func TestQualityPerTownship(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		other := "110105002"
		if _, err := db.Publish(ctx, "household_visit.xlsx", household(t), []string{other}); err != nil {
			t.Fatal(err)
		}
		dev2 := enrol(t, db, other, "laptop-2")
		if stale, err := db.StaleQuality(ctx); err != nil || len(stale) != 0 {
			t.Fatalf("no records, nothing stale: %v %v", stale, err)
		}
		// Township 1: two households sharing a head's ID number (flagged,
		// both kept). Township 2: the same number once: not a duplicate
		// within that township.
		send(t, db, dev, batch("b1", dev, hhRecord("r1", "张三", "110105196805140036"), hhRecord("r2", "李四", "110105196805140036")))
		send(t, db, dev2, batch("b2", dev2, hhRecord("r3", "王五", "110105196805140036")))
		if stale, _ := db.StaleQuality(ctx); !slices.Equal(stale, []string{formID}) {
			t.Fatalf("stale after the first records: %v", stale)
		}
		got, err := db.RefreshQuality(ctx, formID, quality.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Township != township || got[1].Township != other {
			t.Fatalf("townships: %+v", got)
		}
		one, two := got[0].Report, got[1].Report
		if one.Records != 2 || two.Records != 1 {
			t.Errorf("records: %d and %d", one.Records, two.Records)
		}
		if len(one.Duplicates) != 1 || one.Duplicates[0].Records != 2 || len(two.Duplicates) != 0 {
			t.Errorf("duplicates: %+v / %+v", one.Duplicates, two.Duplicates)
		}
		for _, d := range one.Duplicates {
			if d.Value == "110105196805140036" {
				t.Error("a duplicated ID number is shown in clear")
			}
		}
		var head *quality.Field
		for i := range one.Fields {
			if one.Fields[i].Key == "head_name" {
				head = &one.Fields[i]
			}
		}
		if head == nil || head.Answered != 2 || head.Relevant != 2 {
			t.Errorf("head_name completeness: %+v", head)
		}
		if stale, _ := db.StaleQuality(ctx); len(stale) != 0 {
			t.Fatalf("stale right after a refresh: %v", stale)
		}
		kept, err := db.KeptQuality(ctx)
		if err != nil || len(kept[formID]) != 2 || kept[formID][0].Report.Records != 2 || kept[formID][0].ComputedAt.IsZero() {
			t.Fatalf("kept: %+v %v", kept, err)
		}
		// An edit is a batch of the form: stale again.
		edit := hhRecord("r1", "张三丰", "110105196805140036")
		edit.VersionID, edit.Replaces = "r1-v2", "r1-v1"
		send(t, db, dev, batch("b3", dev, edit))
		if stale, _ := db.StaleQuality(ctx); !slices.Equal(stale, []string{formID}) {
			t.Fatalf("stale after an edit: %v", stale)
		}
	})
}

// KeepQualityFresh measures a dataset that received records, again after
// more arrive, and returns once its context is cancelled.
func TestKeepQualityFresh(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		send(t, db, dev, batch("b1", dev, hhRecord("r1", "张三", "110105196805140036")))
		records := func() int {
			kept, err := db.KeptQuality(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(kept[formID]) != 1 {
				return 0
			}
			return kept[formID][0].Report.Records
		}

		loop, cancel := context.WithCancel(ctx)
		var mu sync.Mutex
		var said []string
		done := make(chan struct{})
		go func() {
			defer close(done)
			db.KeepQualityFresh(loop, 10*time.Millisecond, func(format string, args ...any) {
				mu.Lock()
				defer mu.Unlock()
				said = append(said, fmt.Sprintf(format, args...))
			})
		}()
		// Until the loop has also said so: it writes its line after the
		// measurement is stored, and once cancelled it stops before the
		// line, so a cancel between the two lost the second line.
		measured := func(n int) bool {
			mu.Lock()
			defer mu.Unlock()
			return len(said) >= n && records() == n
		}
		waitFor := func(n int) {
			t.Helper()
			for deadline := time.Now().Add(30 * time.Second); !measured(n); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					mu.Lock()
					defer mu.Unlock()
					t.Fatalf("the loop did not measure %d records: %q", n, said)
				}
			}
		}
		waitFor(1)
		send(t, db, dev, batch("b2", dev, hhRecord("r2", "李四", "110105196805140044")))
		waitFor(2)
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the loop goes on after its context was cancelled")
		}
		mu.Lock()
		defer mu.Unlock()
		if len(said) < 2 || !strings.HasPrefix(said[0], "quality of "+formID+" measured again: 1 townships") {
			t.Errorf("said %q", said)
		}
	})
}
