//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store/storetest"
)

// A real export, CSV set and backup killed with SIGKILL mid-way leave
// nothing under their final names: each is written under a temporary name
// and renamed once whole. The kill comes the moment anything appears in
// the output directory, so it lands in the writing.
func TestKilledOutputsLeaveNoFinalFile(t *testing.T) {
	t.Parallel()
	n := 20000
	if testing.Short() {
		n = 5000
	}
	bin := buildBinary(t)
	// The records are stored in this process, as the sync tests store
	// their laptops': what is killed here is the writing of the outputs,
	// and importing them through the binary's checks took about twice the
	// CPU of the four killed runs.
	db := storetest.Closed(t, storetest.Laptops(t, t.TempDir(), 1, storetest.HouseholdLines(t, n)))[0]

	for _, c := range []struct {
		name  string
		args  []string
		final []string // relative to the output directory
	}{
		{"jsonl", []string{"export", "--form", "household_visit", "--format", "jsonl", "--out"}, []string{"hh.jsonl"}},
		{"xlsx", []string{"export", "--form", "household_visit", "--format", "xlsx", "--out"}, []string{"hh.xlsx"}},
		{"csv", []string{"export", "--form", "household_visit", "--format", "csv", "--out"}, []string{"household_visit.csv", "household_visit-members.csv"}},
		{"backup", []string{"backup"}, []string{"hh.db"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			target := filepath.Join(out, c.final[0])
			if c.name == "csv" {
				target = out
			}
			cmd := exec.Command(bin, append(append(c.args, target), "--db", db)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var seen []string
			deadline := time.Now().Add(time.Minute)
			for len(seen) == 0 && time.Now().Before(deadline) {
				select {
				case err := <-done:
					t.Fatalf("finished before anything appeared to kill it at: %v %s", err, stderr.String())
				default:
				}
				entries, _ := os.ReadDir(out)
				for _, e := range entries {
					seen = append(seen, e.Name())
				}
			}
			cmd.Process.Signal(syscall.SIGKILL)
			if err := <-done; err == nil {
				// It won the race and finished whole: nothing to judge.
				t.Skipf("the %s finished before the kill (%s)", c.name, stderr.String())
			}
			for _, name := range c.final {
				if _, err := os.Stat(filepath.Join(out, name)); err == nil {
					t.Errorf("killed after %v appeared: %s is there under its final name", seen, name)
				}
			}
			entries, _ := os.ReadDir(out)
			for _, e := range entries {
				if !strings.Contains(e.Name(), ".partial") || !strings.HasPrefix(e.Name(), ".") { // a backup's has its -journal
					t.Errorf("left %s, not a hidden .partial file", e.Name())
				}
			}
			t.Logf("killed once %v appeared; left %d partial files", seen, len(entries))
		})
	}
}
