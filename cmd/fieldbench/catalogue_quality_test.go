package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// storeSampleHouseholds stores the sample household records in the
// catalogue, the first ten from one township and the rest from another,
// with the first record sent twice under two ids (a duplicate ID number).
func storeSampleHouseholds(t *testing.T, cat *catalogue.DB) {
	t.Helper()
	ctx := context.Background()
	f, err := os.Open("../../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	devices := map[string]*wire.Device{}
	batches := map[string]*wire.Batch{}
	var first []byte
	n := 0
	add := func(data []byte) {
		township := "110105001"
		if n >= 10 {
			township = "110105002"
		}
		dev := devices[township]
		if dev == nil {
			code, err := cat.AddDevice(ctx, township)
			if err != nil {
				t.Fatal(err)
			}
			if dev, err = cat.Enrol(ctx, code, "laptop-"+township, "hash-"+township); err != nil {
				t.Fatal(err)
			}
			devices[township] = dev
			batches[township] = &wire.Batch{BatchID: "batch-" + township, DeviceID: dev.ID}
		}
		sum := sha256.Sum256(data)
		id := fmt.Sprintf("rec-%02d", n)
		batches[township].Records = append(batches[township].Records, wire.Record{RecordID: id, VersionID: id + "-v1",
			FormID: "household_visit", FormVersion: samples.HouseholdVisitVersion, SHA256: hex.EncodeToString(sum[:]), Data: data,
			Collector: "王芳", CreatedAt: "2026-11-27T09:31:40+08:00"})
		n++
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := append([]byte(nil), sc.Bytes()...)
		if first == nil {
			first = line
		}
		add(line)
	}
	add(first)
	for township, b := range batches {
		if _, err := cat.StoreBatch(ctx, devices[township], b, "fp-"+b.BatchID, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// catalogue quality measures each township and keeps the reports; serve's
// background loop does the same for datasets that received records.
func TestCatalogueQuality(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		if code, _, errs := run(t, "", append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...); code != 0 {
			t.Fatalf("publish: %s", errs)
		}
		cat := openCatalogueAt(t, where)
		storeSampleHouseholds(t, cat)

		// The loop first: it finds the dataset stale and measures it.
		ctx, cancel := context.WithCancel(context.Background())
		var logs strings.Builder
		done := make(chan struct{})
		go func() { cat.KeepQualityFresh(ctx, time.Hour, log.New(&logs, "", 0).Printf); close(done) }()
		deadline := time.Now().Add(30 * time.Second)
		for {
			kept, err := cat.KeptQuality(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(kept["household_visit"]) == 2 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the background loop measured nothing: %s", logs.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		<-done
		cat.Close()

		code, out, errs := run(t, "", append([]string{"catalogue", "quality", "--form", "household_visit"}, where...)...)
		if code != 0 {
			t.Fatalf("catalogue quality: %d %s", code, errs)
		}
		for _, want := range []string{"== township 110105001", "== township 110105002", "10 records", "11 records",
			"duplicated identifiers (masked; flagged for a person to check, nothing merged): 1", "head_name"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "110105196805140036") {
			t.Error("an ID number is printed in clear")
		}
		if code, out, _ := run(t, "", append([]string{"catalogue", "quality", "--form", "household_visit", "--json"}, where...)...); code != 0 || !strings.Contains(out, `"township": "110105002"`) {
			t.Errorf("--json: %d\n%s", code, out)
		}
		if code, _, errs := run(t, "", append([]string{"catalogue", "quality", "--form", "nope"}, where...)...); code != exitUnusable || !strings.Contains(errs, "nope") {
			t.Errorf("unknown form: %d %s", code, errs)
		}
	})
}
