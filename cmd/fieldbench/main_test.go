package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/rogpeppe/go-internal/testscript"
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

// measuring is held by a test while it measures a process's peak memory
// or bounds the time something takes, so that no two such measurements
// run at once. Those tests run in parallel with the rest and build their
// data (catalogues, devices, laptops) beside other tests; only the
// measured section waits here.
var measuring sync.Mutex

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

// TestMain registers the command line as the scripts' fieldbench command:
// the test binary runs it, as main does, when started under that name, so
// the scripts need no build.
func TestMain(m *testing.M) {
	testscript.RunMain(cleanupM{m}, map[string]func() int{"fieldbench": fieldbench})
}

// TestScripts runs the command-line contracts the README states (exit
// codes, located error lines, report shapes) from testdata/script: each
// script a process of its own, in parallel, in a directory of its own
// holding the sample forms, with the household sample's version in
// $SAMPLE_VERSION. Scripts set the language themselves: the command
// speaks Simplified Chinese unless told otherwise.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			for _, name := range []string{"household_visit.xlsx", "business_census.xlsx"} {
				data, err := os.ReadFile(filepath.Join("..", "..", "forms", "samples", name))
				if err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(env.WorkDir, name), data, 0o600); err != nil {
					return err
				}
			}
			env.Setenv("SAMPLE_VERSION", samples.HouseholdVisitVersion)
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){"exits": exits},
	})
}

// exits runs a command, as exec does, and fails unless it exits with the
// code given first: exec tells only zero from non-zero, and the README
// gives 1 (rejected input) and 2 (unusable input) different meanings.
//
//	exits 2 fieldbench validate --form missing.xlsx answers.jsonl
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE COMMAND [ARG...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %q is not an exit code", args[0])
	}
	code := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("exits: %v", err)
		}
		code = exit.ExitCode()
	}
	if code != want {
		ts.Fatalf("%s exited %d, want %d", args[1], code, want)
	}
}

// runner is a function that runs the binary bin with args and returns what
// it printed, failing the test when it fails.
func runner(t *testing.T, bin string) func(args ...string) string {
	return func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("fieldbench %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
}
