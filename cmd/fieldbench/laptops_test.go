package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/storetest"
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
// records, each enrolled (with a code of a device added to the catalogue)
// with the server at url.
func newLaptops(tb testing.TB, bin string, where []string, url string, laptops, each int) ([]*store.DB, []*laptop.Client) {
	tb.Helper()
	ctx := context.Background()
	dbs := storetest.Laptops(tb, tb.TempDir(), laptops, storetest.HouseholdLines(tb, each))
	clients := make([]*laptop.Client, laptops)
	for k, code := range deviceCodes(tb, where, "110105", laptops) {
		c := &laptop.Client{BaseURL: url}
		if _, err := laptop.Enrol(ctx, dbs[k], c, code); err != nil {
			tb.Fatalf("laptop %d: %v", k, err)
		}
		var err error
		if c.Token, err = dbs[k].Setting(ctx, laptop.SettingToken); err != nil {
			tb.Fatal(err)
		}
		clients[k] = c
	}
	return dbs, clients
}

// deviceCodes adds n devices of township to the catalogue where names and
// returns their enrolment codes. It opens the catalogue in this process,
// as `catalogue device add` would in its own: tests that need dozens of
// codes spent seconds starting that command once a code.
func deviceCodes(tb testing.TB, where []string, township string, n int) []string {
	tb.Helper()
	ctx := context.Background()
	var cat *catalogue.DB
	var err error
	if where[0] == "--postgres" {
		cat, err = catalogue.OpenPostgres(ctx, where[1])
	} else {
		cat, err = catalogue.OpenSQLite(where[1])
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer cat.Close()
	codes := make([]string, n)
	for k := range codes {
		if codes[k], err = cat.AddDevice(ctx, township); err != nil {
			tb.Fatal(err)
		}
	}
	return codes
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
