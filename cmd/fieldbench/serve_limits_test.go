//go:build linux

package main

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/sync/laptop"
)

// serveWith runs `fieldbench serve` with extra flags on a free loopback
// port, returning it and its address once it answers; stopped with
// SIGTERM when the test ends. Its log goes to log.
func serveWith(tb testing.TB, bin string, where []string, log io.Writer, extra ...string) (*exec.Cmd, string) {
	tb.Helper()
	return serveWithEnv(tb, bin, nil, where, log, extra...)
}

// serveWithEnv is serveWith with env added to the server's environment:
// a test that sets the environment of its child this way, rather than
// with t.Setenv, can run in parallel with others.
func serveWithEnv(tb testing.TB, bin string, env, where []string, log io.Writer, extra ...string) (*exec.Cmd, string) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, append(append([]string{"serve", "--addr", addr}, where...), extra...)...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	tb.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); <-exited })
	for i := 0; i < 250; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return cmd, addr
		}
		select {
		case err := <-exited:
			exited <- err
			tb.Fatalf("fieldbench serve %v exited: %v", extra, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	tb.Fatal("fieldbench serve did not start")
	return nil, ""
}

// enrolDevices adds n devices of township 110105001 to the catalogue and
// enrols each over HTTP, returning their ids and tokens.
func enrolDevices(tb testing.TB, where []string, url string, n int) (ids, tokens []string) {
	tb.Helper()
	for k, code := range deviceCodes(tb, where, "110105001", n) {
		c := &laptop.Client{BaseURL: url}
		resp, err := c.Enrol(context.Background(), code, fmt.Sprintf("attacker-%03d", k))
		if err != nil {
			tb.Fatal(err)
		}
		ids, tokens = append(ids, resp.ID), append(tokens, resp.Token)
	}
	return ids, tokens
}

// deflatedRun is size bytes of 'a' as deflate blocks ending in a sync
// flush, made once: compressing 31 MB at the best level takes a tenth of a
// second, and a test sends 160 such bodies.
type deflatedRun struct {
	once   sync.Once
	blocks []byte
}

var deflatedRuns sync.Map // size -> *deflatedRun

// inflating is a gzip body of prefix, size bytes of 'a' and suffix: a few
// tens of KB that inflate to size. It is one gzip member, as a client's
// would be: the deflate blocks of prefix, of the run (shared by every
// body; its matches reach back only into itself) and of suffix, each
// flushed to a byte boundary, between gzip's header and trailer.
func inflating(prefix string, size int, suffix string) []byte {
	v, _ := deflatedRuns.LoadOrStore(size, &deflatedRun{})
	run := v.(*deflatedRun)
	a := bytes.Repeat([]byte{'a'}, min(size, 1<<16))
	run.once.Do(func() {
		var b bytes.Buffer
		fw, _ := flate.NewWriter(&b, flate.BestCompression)
		for left := size; left > 0; left -= len(a) {
			fw.Write(a[:min(left, len(a))])
		}
		fw.Flush()
		run.blocks = b.Bytes()
	})
	var b bytes.Buffer
	b.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}) // deflate, no name, no time, unknown OS
	fw, _ := flate.NewWriter(&b, flate.BestCompression)
	fw.Write([]byte(prefix))
	fw.Flush()
	b.Write(run.blocks)
	fw.Reset(&b)
	fw.Write([]byte(suffix))
	fw.Close()
	crc := crc32.ChecksumIEEE([]byte(prefix))
	for left := size; left > 0; left -= len(a) {
		crc = crc32.Update(crc, crc32.IEEETable, a[:min(left, len(a))])
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(suffix))
	b.Write(binary.LittleEndian.AppendUint32(nil, crc))
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(prefix)+size+len(suffix))))
	return b.Bytes()
}

// TestServeBoundsInflatingBodies sends 80 gzip bodies of 31 KB that
// inflate to 31 MB at once, to the unauthenticated enrolment and then to
// /v1/batches with 80 devices' valid tokens, and holds the server's peak
// resident memory (VmHWM, from /proc) to a bound: a server that inflated
// them all at once took 2.6 GB. The backend does not matter here (bodies
// are bounded before the catalogue sees them): SQLite only.
func TestServeBoundsInflatingBodies(t *testing.T) {
	t.Parallel()
	const bodies, inflated = 80, 31 << 20
	bin := buildBinary(t)
	where := catalogueAt(t, "sqlite")
	publishHousehold(t, bin, where)
	server, addr := serveWith(t, bin, where, os.Stderr)
	url := "http://" + addr
	ids, tokens := enrolDevices(t, where, url, bodies)
	// Its setup runs beside other tests; the attack and the readings of
	// the server's memory, one measurement at a time.
	measuring.Lock()
	defer measuring.Unlock()
	status := fmt.Sprintf("/proc/%d/status", server.Process.Pid)
	idle := vmHWM(status) / 1024

	send := func(path string, body []byte, header http.Header) (int, error) {
		req, _ := http.NewRequest(http.MethodPost, url+path, bytes.NewReader(body))
		req.Header = header
		req.Header.Set("Content-Encoding", "gzip")
		resp, err := (&http.Client{Timeout: 90 * time.Second}).Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	attack := func(what string, body func(k int) ([]byte, http.Header)) {
		reqs := make([][]byte, bodies)
		headers := make([]http.Header, bodies)
		for k := range reqs {
			reqs[k], headers[k] = body(k)
		}
		began := time.Now()
		var wg sync.WaitGroup
		var mu sync.Mutex
		answers := map[int]int{}
		for k := range reqs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, err := send(map[bool]string{true: "/v1/enrol", false: "/v1/batches"}[what == "enrol"], reqs[k], headers[k])
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("%s %d: %v", what, k, err)
				}
				answers[code]++
			}()
		}
		wg.Wait()
		t.Logf("%d inflating bodies to %s: answers %v in %v; server peak RSS %.0f MB (idle %.0f MB)",
			bodies, what, answers, time.Since(began).Round(time.Millisecond), vmHWM(status)/1024, idle)
	}
	attack("enrol", func(k int) ([]byte, http.Header) {
		return inflating(`{"code":"nope","device_id":"`, inflated, `"}`), http.Header{}
	})
	attack("batches", func(k int) ([]byte, http.Header) {
		batch := fmt.Sprintf("batch-%03d", k)
		prefix := fmt.Sprintf(`{"batch_id":%q,"device_id":%q,"records":[{"record_id":"r%03d","version_id":"v%03d","form_id":"household_visit",`+
			`"form_version":samples.HouseholdVisitVersion,"sha256":"00","collector":"x","created_at":"2026-03-01T08:00:00Z","data":{"head_name":"`, batch, ids[k], k, k)
		// Refused once decoded (the Idempotency-Key is not the batch's),
		// so that the test takes seconds, not the minutes of checking 80
		// records of 31 MB; decoding is what costs the memory.
		return inflating(prefix, inflated, `"}}]}`), http.Header{"Authorization": {"Bearer " + tokens[k]}, "Idempotency-Key": {"other"}}
	})
	// The bound: the body memory (64 MiB by default), what the garbage
	// collector lets pile up above it, and the decoding of the batches
	// being checked, each a 31 MB string; 2.6 GB were seen without it.
	if peak := vmHWM(status) / 1024; peak-idle > 400 {
		t.Fatalf("the server's peak RSS went from %.0f MB idle to %.0f MB under %d bodies inflating to %d MB", idle, peak, bodies, inflated>>20)
	}
}

// answered is how a slow upload ended: the status line of the answer (or
// how the connection ended) and when.
type answered struct {
	status string
	after  time.Duration
}

// trickle sends a batch upload to addr with token, one byte a second,
// until the server answers or closes the connection, or ctx ends.
func trickle(ctx context.Context, addr, token string, done chan<- answered) {
	began := time.Now()
	status := "still sending when the test ended"
	defer func() { done <- answered{status, time.Since(began)} }()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		status = err.Error()
		return
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /v1/batches HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nIdempotency-Key: slow\r\n"+
		"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n", addr, token)
	closed := make(chan string, 1)
	go func() {
		// The server's answer (or a closed connection) ends it.
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			line = err.Error()
		}
		closed <- strings.TrimSpace(line)
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case status = <-closed:
			return
		case <-tick.C:
			c.Write([]byte(" "))
		}
	}
}

// TestServeSlowUploadsDoNotStallOthers has four connections of one device
// trickle batch uploads at 1 byte a second while another laptop syncs
// 1,000 records: the other laptop finishes in seconds (it hung while the
// slow bodies held every batch slot); the device's third and fourth
// uploads are refused at once, and the slow ones cut off once the grace
// given to slow clients has passed. The backend does not
// matter here (the body is read before the catalogue is asked): SQLite
// only.
func TestServeSlowUploadsDoNotStallOthers(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	where := catalogueAt(t, "sqlite")
	publishHousehold(t, bin, where)
	_, addr := serveWith(t, bin, where, os.Stderr)
	dbs, clients := newLaptops(t, bin, where, "http://"+addr, 2, 1000)

	// The bounded sync is measured alone (the lock is let go before the
	// slow uploads' 10 s of grace, when nothing is timed closely).
	measuring.Lock()
	locked := true
	defer func() {
		if locked {
			measuring.Unlock()
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	slow := make(chan answered, 4)
	for range 4 {
		go trickle(ctx, addr, clients[0].Token, slow)
	}
	time.Sleep(time.Second) // the slow uploads are in

	began := time.Now()
	done := make(chan error, 1)
	syncCtx, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	go func() {
		sum, err := laptop.Run(syncCtx, dbs[1], clients[1], nil)
		if err == nil && (sum.Sent != 1000 || sum.NeedsAttention()) {
			err = fmt.Errorf("the sync sent %d records: %+v", sum.Sent, sum)
		}
		done <- err
	}()
	select {
	case err := <-done:
		took := time.Since(began)
		t.Logf("the other laptop synced 1,000 records in %v while 4 slow uploads ran", took.Round(time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the other laptop's sync did not finish within 15 s while one device trickled 4 uploads")
	}
	measuring.Unlock()
	locked = false
	// Two are answered 429 at once (a device has at most two batches in
	// progress), two 408 once they have had 10 s of grace.
	answers := map[string]int{}
	for range 4 {
		select {
		case a := <-slow:
			t.Logf("a slow upload was answered %q after %v", a.status, a.after.Round(time.Millisecond))
			answers[strings.Fields(a.status + " ?")[1]]++
		case <-time.After(20 * time.Second):
			t.Fatal("a slow upload was still open 20 s later")
		}
	}
	if answers["429"] != 2 || answers["408"] != 2 {
		t.Errorf("the slow uploads were answered %v, want 429 twice and 408 twice", answers)
	}
}

// TestServeJSONLDIgnoresHost asks for the catalogue's JSON-LD with a
// forged Host header: its addresses come from --public-url, or from the
// address the server listens on, never from the request.
func TestServeJSONLDIgnoresHost(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	eachBackend(t, func(t *testing.T, where []string) {
		publishHousehold(t, bin, where)
		jsonld := func(addr string) string {
			req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/catalogue.jsonld", nil)
			req.Host = "attacker.example:666"
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var doc map[string]any
			if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &doc) != nil {
				t.Fatalf("GET /catalogue.jsonld: %d %s", resp.StatusCode, b)
			}
			if strings.Contains(string(b), "attacker.example") {
				t.Errorf("the forged Host reached the JSON-LD:\n%s", b)
			}
			return string(b)
		}
		_, addr := serveWith(t, bin, where, io.Discard)
		if body := jsonld(addr); !strings.Contains(body, `"http://`+addr+`/datasets/household_visit"`) {
			t.Errorf("without --public-url the JSON-LD does not use the address listened on (%s):\n%s", addr, body)
		}
		_, addr = serveWith(t, bin, where, io.Discard, "--public-url", "https://catalogue.example.gov.cn/county")
		if body := jsonld(addr); !strings.Contains(body, `"https://catalogue.example.gov.cn/county/datasets/household_visit"`) {
			t.Errorf("the JSON-LD does not use --public-url:\n%s", body)
		}
	})
}
