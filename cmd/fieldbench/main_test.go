package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The binary the process-level tests run is built once per run of the
// package, not once per test: a link of fieldbench takes seconds, and some
// twenty tests need it. It is built lazily, so a run of in-process tests
// alone (-run TestFormsCheck) builds nothing.
var built struct {
	once sync.Once
	dir  string // removed when the tests end
	bin  string
	err  error
	out  []byte
}

// buildBinary returns the fieldbench binary built for this run of the
// tests, building it on first use: the tests that run it as a separate
// process share it (none of them writes to it).
func buildBinary(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "fieldbench-test-bin")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "fieldbench")
		// A plain go build with the toolchain running the tests, as
		// before: the binary under test is the one users get, whatever
		// flags (-race, -cover) the test binary itself was built with.
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// removeBinary removes the shared binary's directory once every test has
// run.
func removeBinary() {
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
}

// cleanupM runs the tests, then removes the shared binary: testscript's
// RunMain exits the process itself, so the removal cannot follow it in
// TestMain.
type cleanupM struct{ m *testing.M }

func (c cleanupM) Run() int {
	defer removeBinary()
	return c.m.Run()
}

func TestMain(m *testing.M) {
	os.Exit(cleanupM{m}.Run())
}
