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
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// "pid (comm) state ...": the fields are counted after comm's
		// closing parenthesis, comm being free to hold spaces.
		s := string(b)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open || s[open+1:end] != "postgres" {
			continue
		}
		f := strings.Fields(s[end+1:])
		if len(f) < 15 {
			continue
		}
		for _, v := range f[11:15] { // utime stime cutime cstime
			n, _ := strconv.ParseInt(v, 10, 64)
			ticks += n
		}
	}
	// The kernel counts these in USER_HZ, which is 100 on Linux.
	return time.Duration(ticks) * 10 * time.Millisecond
}
