package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// countingListener counts the bytes its connections read and write: what
// crossed the wire, headers and gzip included.
type countingListener struct {
	net.Listener
	bytes atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, n: &l.bytes}, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// BenchmarkEntityDownload is a laptop's sync of its township's entity
// list, over loopback from a real catalogue server: the first download of
// a list of 100,000 households (preloaded), then an incremental sync after
// 1,000 of them were updated by another laptop's follow-ups. It reports
// the time and the bytes on the wire of each; the first sync also brings
// the published form (its xlsx, 15 KB). Run with
//
//	go test ./cmd/fieldbench -run NONE -bench EntityDownload -benchtime 1x
func BenchmarkEntityDownload(b *testing.B) {
	for _, be := range []string{"sqlite", "postgres"} {
		b.Run(be, func(b *testing.B) { benchmarkEntityDownload(b, be) })
	}
}

func benchmarkEntityDownload(b *testing.B, be string) {
	const households, changes, township = 100000, 1000, "110105001"
	ctx := context.Background()
	cat := openCatalogueAt(b, catalogueAt(b, be))
	def, _ := samples.FS.ReadFile("household_visit.xlsx")
	fi, err := cat.Publish(ctx, "household_visit.xlsx", def, []string{"110105"})
	if err != nil {
		b.Fatal(err)
	}
	id := func(n int) string { return fmt.Sprintf("0193a000-0000-7000-8000-%012d", n) }
	rows := [][]string{{"name", "label", "township", "village", "size", "dibao"}}
	for n := range households {
		rows = append(rows, []string{id(n), fmt.Sprintf("户主%d（花家地北里社区%d号）", n, n), township, "花家地北里社区", fmt.Sprint(1 + n%6), "no"})
	}
	if _, problems, err := cat.ImportEntities(ctx, catalogue.EntityImport{List: "households", TownshipCol: "township"}, rows); err != nil || len(problems) > 0 {
		b.Fatalf("preload: %v %+v", err, problems[:min(3, len(problems))])
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	counted := &countingListener{Listener: ln}
	server := httptest.NewUnstartedServer((&api.Server{Cat: cat, Reviews: cat, Entities: cat, Form: cat.FormDefinition}).Handler())
	server.Listener = counted
	server.Start()
	defer server.Close()

	// The visitor's follow-ups are the changes: stored as its sync would
	// store them, each based on the household's current version.
	code, err := cat.AddDevice(ctx, township)
	if err != nil {
		b.Fatal(err)
	}
	visitor, err := cat.Enrol(ctx, code, "visitor", wire.HashToken("visitor"))
	if err != nil {
		b.Fatal(err)
	}
	version := make([]int64, households)
	round := 0
	visit := func() {
		recs := make([]wire.Record, changes)
		for j := range recs {
			n := (round*changes + j*97) % households
			version[n]++
			change := forms.EntityChange{List: "households", ID: id(n), BaseVersion: version[n], Properties: map[string]string{"size": fmt.Sprint(round%9 + 1)}}
			data, _ := json.Marshal(map[string]any{forms.EntitiesKey: []forms.EntityChange{change}})
			sum := sha256.Sum256(data)
			rid := fmt.Sprintf("visit-%d-%d", round, j)
			recs[j] = wire.Record{RecordID: rid, VersionID: rid + "v", FormID: fi.FormID, FormVersion: fi.Version, SHA256: hex.EncodeToString(sum[:]), Data: data}
		}
		batchID := fmt.Sprintf("visits-%d", round)
		rc, err := cat.StoreBatch(ctx, visitor, &wire.Batch{BatchID: batchID, DeviceID: visitor.ID, Records: recs}, batchID, nil)
		if err != nil || rc.Results[0].Status != wire.StatusAccepted {
			b.Fatalf("visits: %v", err)
		}
		round++
	}
	for n := range version {
		version[n] = 1
	}

	var first, incremental time.Duration
	var firstBytes, incrementalBytes int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := store.Open(filepath.Join(b.TempDir(), "fb.db"))
		if err != nil {
			b.Fatal(err)
		}
		code, err := cat.AddDevice(ctx, township)
		if err != nil {
			b.Fatal(err)
		}
		client := &laptop.Client{BaseURL: server.URL}
		if _, err := laptop.Enrol(ctx, db, client, code); err != nil {
			b.Fatal(err)
		}
		client.Token, _ = db.Setting(ctx, laptop.SettingToken)
		sync := func(want int) (time.Duration, int64) {
			before := counted.bytes.Load()
			b.StartTimer()
			start := time.Now()
			sum, err := laptop.Run(ctx, db, client, nil)
			took := time.Since(start)
			b.StopTimer()
			if err != nil || sum.Entities != want {
				b.Fatalf("sync: %d entities, want %d: %v", sum.Entities, want, err)
			}
			return took, counted.bytes.Load() - before
		}
		d, n := sync(households)
		first, firstBytes = first+d, firstBytes+n
		visit()
		d, n = sync(changes)
		incremental, incrementalBytes = incremental+d, incrementalBytes+n
		if ents, err := db.Entities(ctx, "households"); err != nil || len(ents) != households {
			b.Fatalf("the laptop holds %d households: %v", len(ents), err)
		}
		db.Close()
	}
	b.ReportMetric(first.Seconds()/float64(b.N), "s/first")
	b.ReportMetric(float64(firstBytes)/float64(b.N)/1e6, "MB/first")
	b.ReportMetric(float64(incremental.Milliseconds())/float64(b.N), "ms/incremental")
	b.ReportMetric(float64(incrementalBytes)/float64(b.N)/1e3, "KB/incremental")
}
