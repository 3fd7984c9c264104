package pgtest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ServerCPU is the CPU time used by the PostgreSQL processes on this
// machine: the running ones, and through the postmaster's children's
// time those already gone. It reads /proc, so it is 0 where there is
// none, and says nothing of a server on another machine. Benchmarks that
// share the two cores of a small machine with PostgreSQL report it, since
// their rate follows their own CPU and PostgreSQL's together.
func ServerCPU() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, p := range stats {
		if comm, t := statCPU(p, true); comm == "postgres" {
			ticks += t
		}
	}
	return ticksTime(ticks)
}

// ProcessCPU is the CPU time this process has used, from /proc (0 where
// there is none): on a machine other work shares, a benchmark's rate per
// CPU-second says more than its rate per second.
func ProcessCPU() time.Duration {
	_, t := statCPU("/proc/self/stat", false)
	return ticksTime(t)
}

// statCPU reads a /proc stat file: the command's name and its CPU ticks,
// its own and, with children, those of its children already gone.
func statCPU(path string, children bool) (string, int64) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0
	}
	// "pid (comm) state ...": the fields are counted after comm's
	// closing parenthesis, comm being free to hold spaces.
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", 0
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 15 {
		return "", 0
	}
	last := 13 // utime stime
	if children {
		last = 15 // cutime cstime too
	}
	var ticks int64
	for _, v := range f[11:last] {
		n, _ := strconv.ParseInt(v, 10, 64)
		ticks += n
	}
	return s[open+1 : end], ticks
}

// ticksTime: the kernel counts in USER_HZ, which is 100 on Linux.
func ticksTime(ticks int64) time.Duration { return time.Duration(ticks) * 10 * time.Millisecond }
