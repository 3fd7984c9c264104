package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/laptop"
)

// serveProcess runs `fieldbench serve` on a free loopback port against the
// catalogue where names, returning it and its URL once it answers; it is
// stopped with SIGTERM when the test ends.
func serveProcess(tb testing.TB, bin string, where []string) (*exec.Cmd, string) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, where...)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	for i := 0; i < 250; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return cmd, "http://" + addr
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatal("fieldbench serve did not start")
	return nil, ""
}

// publishHousehold publishes the household form to county 110105 in the
// catalogue where names.
func publishHousehold(tb testing.TB, bin string, where []string) {
	tb.Helper()
	if out, err := exec.Command(bin, append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...).CombinedOutput(); err != nil {
		tb.Fatalf("publish: %v %s", err, out)
	}
}

// newLaptops makes laptops laptop databases of each finalized household
// records, each enrolled (with a code from `catalogue device add`) with
// the server at url.
func newLaptops(tb testing.TB, bin string, where []string, url string, laptops, each int) ([]*store.DB, []*laptop.Client) {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	lines := householdLines(tb, each)
	items := make([]store.ImportItem, each)
	for n, l := range lines {
		items[n] = store.ImportItem{FormID: "household_visit", Version: "2026120701", Data: l}
	}
	def, err := os.ReadFile(household)
	if err != nil {
		tb.Fatal(err)
	}
	dbs := make([]*store.DB, laptops)
	clients := make([]*laptop.Client, laptops)
	for k := range dbs {
		out, err := exec.Command(bin, append([]string{"catalogue", "device", "add", "--township", "110105"}, where...)...).Output()
		if err != nil {
			tb.Fatal(err)
		}
		f := strings.Fields(string(out))
		db, err := store.Open(filepath.Join(dir, fmt.Sprintf("laptop%d.db", k)))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		if _, err := db.AddForm(ctx, "household_visit.xlsx", def); err != nil {
			tb.Fatal(err)
		}
		if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
			tb.Fatal(err)
		}
		c := &laptop.Client{BaseURL: url}
		if _, err := laptop.Enrol(ctx, db, c, f[len(f)-1]); err != nil {
			tb.Fatal(err)
		}
		c.Token, _ = db.Setting(ctx, laptop.SettingToken)
		dbs[k], clients[k] = db, c
	}
	return dbs, clients
}

// syncAll syncs every laptop at once and fails unless each sent all its
// records.
func syncAll(tb testing.TB, dbs []*store.DB, clients []*laptop.Client, each int) time.Duration {
	tb.Helper()
	start := time.Now()
	var wg sync.WaitGroup
	for k := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum, err := laptop.Run(context.Background(), dbs[k], clients[k], nil)
			if err != nil || sum.Sent+sum.Duplicates != each || sum.NeedsAttention() {
				tb.Errorf("laptop %d: %+v %v", k, sum, err)
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}
