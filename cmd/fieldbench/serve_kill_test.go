package main

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/fieldbench/fieldbench/store/storetest"
	"github.com/fieldbench/fieldbench/sync/laptop"
)

// catalogueAt is the flag naming a new, empty catalogue on a backend:
// --data DIR for SQLite, --postgres DSN (a schema of the test's own) for
// PostgreSQL.
func catalogueAt(t testing.TB, be string) []string {
	if be == "postgres" {
		return pgWhere(t, pgtest.DSN(t))
	}
	return []string{"--data", filepath.Join(t.TempDir(), "catalogue")}
}

// pgWhere names a PostgreSQL catalogue and its key file (which
// --postgres has no directory for).
func pgWhere(t testing.TB, dsn string) []string {
	return []string{"--postgres", dsn, "--key", filepath.Join(t.TempDir(), "catalogue.key")}
}

// eachBackend runs test on a catalogue in SQLite and in PostgreSQL.
func eachBackend(t *testing.T, test func(t *testing.T, where []string)) {
	for _, be := range []string{"sqlite", "postgres"} {
		t.Run(be, func(t *testing.T) { test(t, catalogueAt(t, be)) })
	}
}

// startServe runs fieldbench serve on addr and waits until it answers.
func startServe(t *testing.T, bin string, where []string, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, where...)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return cmd
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("fieldbench serve did not start")
	return nil
}

// TestServerKilledMidSync kills the catalogue server with SIGKILL while a
// laptop is sending batches, restarts it, and syncs again: the catalogue
// holds every record exactly once.
func TestServerKilledMidSync(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, where []string) { serverStoppedMidSync(t, where, syscall.SIGKILL) })
}

// TestServerStoppedMidSync does the same with SIGTERM, which an
// administrator or a service manager sends: the server finishes the
// batches in flight, exits 0, and the sync after the restart completes.
func TestServerStoppedMidSync(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, where []string) { serverStoppedMidSync(t, where, syscall.SIGTERM) })
}

func serverStoppedMidSync(t *testing.T, where []string, sig syscall.Signal) {
	const n = 6000
	ctx := context.Background()
	bin := buildBinary(t)
	dir := t.TempDir()
	code, addr, server := publishAndServe(t, bin, where)

	laptopDB, err := store.Open(filepath.Join(dir, "fb.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer laptopDB.Close()
	run(t, "", "forms", "add", "--db", filepath.Join(dir, "fb.db"), household)
	lines := storetest.HouseholdLines(t, n)
	items := make([]store.ImportItem, n)
	for i, l := range lines {
		items[i] = store.ImportItem{FormID: "household_visit", Version: samples.HouseholdVisitVersion, Data: l}
	}
	if _, err := laptopDB.InsertFinalizedBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	client := &laptop.Client{BaseURL: "http://" + addr, MaxAttempts: 1}
	if _, err := laptop.Enrol(ctx, laptopDB, client, code); err != nil {
		t.Fatal(err)
	}
	client.Token, _ = laptopDB.Setting(ctx, laptop.SettingToken)

	done := make(chan error, 1)
	go func() { _, err := laptop.Run(ctx, laptopDB, client, nil); done <- err }()
	// Kill once a few batches are in: the server is then mid-batch.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		sent, _ := laptopDB.Records(ctx, store.Filter{State: store.Sent})
		if len(sent) >= 1000 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	server.Process.Signal(sig)
	exit := server.Wait()
	if err := <-done; err == nil {
		t.Fatalf("the sync finished before the %v; the test no longer stops the server mid-sync", sig)
	}
	if sig == syscall.SIGTERM && exit != nil {
		t.Fatalf("after SIGTERM the server exited with %v, want 0", exit)
	}
	server = startServe(t, bin, where, addr)
	defer func() { server.Process.Signal(syscall.SIGTERM); server.Wait() }()
	client.MaxAttempts = 0
	sum, err := laptop.Run(ctx, laptopDB, client, nil)
	if err != nil || sum.NeedsAttention() {
		t.Fatalf("the sync after the restart: %+v %v", sum, err)
	}
	sent, _ := laptopDB.Records(ctx, store.Filter{State: store.Sent})
	if len(sent) != n {
		t.Fatalf("%d records marked sent, want %d", len(sent), n)
	}
	out, err := inEnglish(exec.Command(bin, append([]string{"catalogue", "records"}, where...)...)).Output()
	if err != nil || !strings.Contains(string(out), fmt.Sprintf("%d records", n)) {
		t.Fatalf("catalogue after the kill and restart:\n%s %v", out, err)
	}
}

// publishAndServe publishes the household sample to township 110105 on
// the catalogue where names, starts the built binary's serve on a free
// port, and returns an enrolment code for a laptop, the address and the
// server's process.
func publishAndServe(t *testing.T, bin string, where []string) (code, addr string, server *exec.Cmd) {
	t.Helper()
	if out, err := exec.Command(bin, append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...).CombinedOutput(); err != nil {
		t.Fatalf("publish: %v %s", err, out)
	}
	out, err := exec.Command(bin, append([]string{"catalogue", "device", "add", "--township", "110105"}, where...)...).Output()
	if err != nil {
		t.Fatal(err)
	}
	code = strings.Fields(string(out))[len(strings.Fields(string(out)))-1]
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr = ln.Addr().String()
	ln.Close()
	return code, addr, startServe(t, bin, where, addr)
}
