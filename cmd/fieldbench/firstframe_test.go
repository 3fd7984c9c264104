//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store/storetest"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: the master to read what the
// program draws, the slave to be its terminal.
func openPTY(t testing.TB) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: 80})
	return m, s
}

// firstFrame starts the workbench on a terminal that answers nothing (no
// colour query, no cursor report: some Windows consoles, serial links) and
// returns how long the home screen took to appear.
func firstFrame(t testing.TB, bin, home string) time.Duration {
	t.Helper()
	master, slave := openPTY(t)
	defer master.Close()
	cmd := exec.Command(bin, "--collector", "王芳") // past the first-run setup, to Home
	cmd.Env = []string{"TERM=xterm-256color", "HOME=" + home, "XDG_DATA_HOME=" + home, "LANG=zh_CN.UTF-8", "PATH=" + os.Getenv("PATH")}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	var seen bytes.Buffer
	buf := make([]byte, 4096)
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		master.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		n, _ := master.Read(buf)
		seen.Write(buf[:n])
		if strings.Contains(seen.String(), "入户登记") {
			return time.Since(start)
		}
	}
	t.Fatalf("no home screen after 15 s; the terminal saw:\n%q", seen.String())
	return 0
}

// TestNoStallOnSilentTerminal: bubbletea v1 asks the terminal for its
// background colour at start-up and waits 5 s for an answer that a silent
// terminal never gives (see tui/termguard). The home screen must come
// without that wait.
func TestNoStallOnSilentTerminal(t *testing.T) {
	// Not parallel: it bounds the time to the first frame, which other tests running beside it would disturb.
	bin := buildBinary(t)
	home := t.TempDir()
	firstFrame(t, bin, home) // the first run creates the database
	if d := firstFrame(t, bin, home); d > 2*time.Second {
		t.Fatalf("the first frame took %v on a terminal that answers no queries", d)
	}
}

// BenchmarkFirstFrameBinary is the time from starting the binary to the
// home screen on a pseudo-terminal that answers nothing, database created.
func BenchmarkFirstFrameBinary(b *testing.B) {
	bin := buildBinary(b)
	home := b.TempDir()
	firstFrame(b, bin, home)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		total += firstFrame(b, bin, home)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/first-frame")
}

// BenchmarkFirstFrameBinary100k is BenchmarkFirstFrameBinary on a database
// holding 100,000 finalized household records.
func BenchmarkFirstFrameBinary100k(b *testing.B) {
	bin := buildBinary(b)
	home := b.TempDir()
	firstFrame(b, bin, home) // creates the database with the sample forms
	lines := storetest.HouseholdLines(b, 100000)
	input := home + "/households.jsonl"
	os.WriteFile(input, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644)
	db := home + "/fieldbench/fieldbench.db"
	if out, err := exec.Command(bin, "import", "--db", db, "--form", "household_visit", input).CombinedOutput(); err != nil {
		b.Fatalf("import: %v\n%s", err, out)
	}
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		total += firstFrame(b, bin, home)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/first-frame")
}
