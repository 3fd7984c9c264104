package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkServe50Laptops runs fieldbench serve as its own process while
// 50 laptops of 2,000 records each sync to it at once, and reports the
// server's peak resident memory and the records per second it stored; on
// a SQLite catalogue and on PostgreSQL.
//
//	go test ./cmd/fieldbench -run NONE -bench Serve50Laptops -benchtime 1x
func BenchmarkServe50Laptops(b *testing.B) {
	for _, be := range []string{"sqlite", "postgres"} {
		b.Run(be, func(b *testing.B) {
			const laptops, each = 50, 2000
			bin := buildBinary(b)
			for i := 0; i < b.N; i++ {
				where := catalogueAt(b, be)
				publishHousehold(b, bin, where)
				server, url := serveProcess(b, bin, where)
				dbs, clients := newLaptops(b, bin, where, url, laptops, each)
				elapsed := syncAll(b, dbs, clients, each)
				status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", server.Process.Pid))
				var kb float64
				for _, line := range strings.Split(string(status), "\n") {
					if strings.HasPrefix(line, "VmHWM:") {
						fmt.Sscan(strings.TrimPrefix(line, "VmHWM:"), &kb)
					}
				}
				b.ReportMetric(kb/1024, "server-peak-RSS-MB")
				b.ReportMetric(float64(laptops*each)/elapsed.Seconds(), "records/s")
			}
		})
	}
}
