package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/semaphore"
)

// A body is charged as it arrives, not as announced, and every byte comes
// back: a body that announces a megabyte and sends little holds little.
func TestBodyMemoryCharges(t *testing.T) {
	m := &bodyMemory{size: 1 << 20, wait: 50 * time.Millisecond}
	m.sem = semaphore.NewWeighted(m.size)
	h := m.hold(context.Background())
	data, err := h.readAll(strings.NewReader("short"), 1<<20, 1<<20)
	if err != nil || string(data) != "short" || h.n > bodyChunk {
		t.Fatalf("a short body announced as 1 MiB: %q %v, holding %d", data, err, h.n)
	}
	big, err := h.readAll(bytes.NewReader(make([]byte, 700<<10)), -1, 1<<20)
	if err != nil || len(big) != 700<<10 {
		t.Fatalf("700 KB of unknown length: %d %v", len(big), err)
	}
	other := m.hold(context.Background())
	if err := other.take(512 << 10); err != errBodyMemory {
		t.Fatalf("more than is left, after waiting: %v", err)
	}
	h.release()
	if err := other.take(512 << 10); err != nil {
		t.Fatalf("once the first gave its memory back: %v", err)
	}
	other.release()
	if !m.sem.TryAcquire(m.size) {
		t.Fatal("memory still held after both gave theirs back")
	}
}

// The floor allows grace plus the bytes at rate for one stalled read, and
// takes back the credit a slow client has used up.
func TestRateFloor(t *testing.T) {
	now := time.Now()
	f := rateFloor{rate: 1000, grace: 10 * time.Second}
	if got := f.deadline(now, 1000).Sub(now); got != 11*time.Second {
		t.Errorf("a fresh floor for 1000 bytes: %v", got)
	}
	f.moved, f.spent = 10, 20*time.Second // 10 bytes in 20 s
	if got := f.deadline(now, 1).Sub(now); got > -9*time.Second {
		t.Errorf("after 10 bytes in 20 s at a floor of 1000/s: %v, want past", got)
	}
	f.moved, f.spent = 1<<20, time.Second // fast so far: no credit beyond grace for a stall
	if got := f.deadline(now, 1).Sub(now); got > 10*time.Second+time.Millisecond {
		t.Errorf("a stall after a fast start: %v", got)
	}
}

// FuzzReadBody holds readBodyHeld to what it promises whatever the body:
// what it accepts is what json.Unmarshal makes of the body (gunzipped), at
// most the limit after decoding; and once it has answered and the caller
// has released, no body memory stays taken.
func FuzzReadBody(f *testing.F) {
	zip := func(parts ...string) []byte {
		var b bytes.Buffer
		for _, p := range parts {
			zw := gzip.NewWriter(&b)
			zw.Write([]byte(p))
			zw.Close()
		}
		return b.Bytes()
	}
	lying := zip(`{"code":"c","device_id":"d"}`)
	binary.LittleEndian.PutUint32(lying[len(lying)-4:], 3)
	f.Add([]byte(`{"code":"c","device_id":"d"}`), false)
	f.Add(zip(`{"code":"c","device_id":"d"}`), true)
	f.Add(zip(`{"code":"c",`, `"device_id":"d"}`), true)
	f.Add(lying, true)
	f.Add(zip(strings.Repeat(" ", 5000)+`{}`), true)
	f.Add(zip(`{}`)[:10], true)
	f.Fuzz(func(t *testing.T, body []byte, gz bool) {
		const limit = 4 << 10
		s := &Server{BodyMemory: 64 << 10, BodyWait: time.Millisecond}
		s.Handler()
		r := httptest.NewRequest("POST", "/v1/enrol", bytes.NewReader(body))
		if gz {
			r.Header.Set("Content-Encoding", "gzip")
		}
		var got map[string]any
		release, err := s.readBodyHeld(httptest.NewRecorder(), r, &got, limit)
		if err == nil {
			decoded := body
			if gz {
				zr, zerr := gzip.NewReader(bytes.NewReader(body))
				if zerr != nil {
					t.Fatalf("accepted a body that is not gzip: %v", zerr)
				}
				if decoded, zerr = io.ReadAll(zr); zerr != nil {
					t.Fatalf("accepted a gzip body that does not inflate: %v", zerr)
				}
			}
			var want map[string]any
			if len(decoded) > limit || json.Unmarshal(decoded, &want) != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("accepted %d decoded bytes as %v; json.Unmarshal: %v", len(decoded), got, want)
			}
			release()
		}
		if !s.mem.sem.TryAcquire(s.mem.size) {
			t.Fatal("body memory still held after the body was answered")
		}
	})
}
