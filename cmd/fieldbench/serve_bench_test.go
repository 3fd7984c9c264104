package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync"
)

// BenchmarkServe50Laptops runs fieldbench serve as its own process while
// 50 laptops of 2,000 records each sync to it at once, and reports the
// server's peak resident memory and the records per second it stored.
//
//	go test ./cmd/fieldbench -run NONE -bench Serve50Laptops -benchtime 1x
func BenchmarkServe50Laptops(b *testing.B) {
	const laptops, each = 50, 2000
	ctx := context.Background()
	bin := buildBinary(b)
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		data := filepath.Join(dir, "catalogue")
		if out, err := exec.Command(bin, "catalogue", "publish", "--data", data, household, "--township", "110105").CombinedOutput(); err != nil {
			b.Fatalf("publish: %v %s", err, out)
		}
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		server := exec.Command(bin, "serve", "--data", data, "--addr", addr)
		if err := server.Start(); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 100; j++ {
			if c, err := net.Dial("tcp", addr); err == nil {
				c.Close()
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		lines := householdLines(b, each)
		dbs := make([]*store.DB, laptops)
		clients := make([]*sync.Client, laptops)
		for k := range dbs {
			out, err := exec.Command(bin, "catalogue", "device", "add", "--data", data, "--township", "110105").Output()
			if err != nil {
				b.Fatal(err)
			}
			f := strings.Fields(string(out))
			db, err := store.Open(filepath.Join(dir, fmt.Sprintf("laptop%d.db", k)))
			if err != nil {
				b.Fatal(err)
			}
			def, _ := os.ReadFile(household)
			db.AddForm(ctx, "household_visit.xlsx", def)
			items := make([]store.ImportItem, each)
			for n, l := range lines {
				items[n] = store.ImportItem{FormID: "household_visit", Version: "2026112701", Data: l}
			}
			if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
				b.Fatal(err)
			}
			c := &sync.Client{BaseURL: "http://" + addr}
			if _, err := sync.Enrol(ctx, db, c, f[len(f)-1]); err != nil {
				b.Fatal(err)
			}
			c.Token, _ = db.Setting(ctx, sync.SettingToken)
			dbs[k], clients[k] = db, c
		}
		start := time.Now()
		var wg gosync.WaitGroup
		for k := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if sum, err := sync.Run(ctx, dbs[k], clients[k], nil); err != nil || sum.Sent != each {
					b.Errorf("laptop %d: %+v %v", k, sum, err)
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", server.Process.Pid))
		var kb float64
		for _, line := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(line, "VmHWM:") {
				fmt.Sscan(strings.TrimPrefix(line, "VmHWM:"), &kb)
			}
		}
		server.Process.Signal(syscall.SIGTERM)
		server.Wait()
		for _, db := range dbs {
			db.Close()
		}
		b.ReportMetric(kb/1024, "server-peak-RSS-MB")
		b.ReportMetric(float64(laptops*each)/elapsed.Seconds(), "records/s")
	}
}
