package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"
)

// What the server gives a client before it counts as too slow, too big
// or too busy. Bodies are read (and a gzip body inflated) before any
// batch slot is taken, in memory shared by every request (BodyMemory), so
// neither a slow uploader nor a body that inflates a thousandfold holds
// up or blows up the server.
const (
	DefaultBodyMemory = 64 << 20
	DefaultBodyWait   = 20 * time.Second
	DefaultMinRate    = 1024 // bytes a second
	DefaultGrace      = 10 * time.Second
	// DefaultPerDevice is what a laptop sends at once (sync/laptop's
	// inFlight): a third is a retry of one still being stored, or not a
	// laptop.
	DefaultPerDevice = 2
	// exportsPerUser: one export at a time per user, so a user's slow
	// readers cannot take every export slot.
	exportsPerUser = 1
	// maxEnrolBody bounds an enrolment: a code and a device id.
	maxEnrolBody = 4 << 10
)

// bodyChunk is the first share of body memory a body of unknown or large
// size is given; it gets more as it actually arrives, so a client that
// announces megabytes and sends a byte a second holds no more than that.
const bodyChunk = 256 << 10

// errBodyMemory: the body memory stayed taken for BodyWait.
var errBodyMemory = &httpError{http.StatusServiceUnavailable, "the server is busy reading other uploads; try again shortly"}

// bodyMemory is the memory for request bodies being read, inflated and
// decoded at once.
type bodyMemory struct {
	sem  *semaphore.Weighted
	size int64
	wait time.Duration
}

// bodyHold is what one request holds of the body memory.
type bodyHold struct {
	m   *bodyMemory
	ctx context.Context
	n   int64
}

func (m *bodyMemory) hold(ctx context.Context) *bodyHold { return &bodyHold{m: m, ctx: ctx} }

// take adds n bytes to the hold, waiting at most the memory's wait for
// them. A hold never asks for more than the whole memory: a body larger
// than that is read alone.
func (h *bodyHold) take(n int64) error {
	n = min(n, h.m.size-h.n)
	if n <= 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(h.ctx, h.m.wait)
	defer cancel()
	if err := h.m.sem.Acquire(ctx, n); err != nil {
		if h.ctx.Err() != nil {
			return &httpError{http.StatusBadRequest, "the request was abandoned"}
		}
		return errBodyMemory
	}
	h.n += n
	return nil
}

// give returns n bytes of the hold.
func (h *bodyHold) give(n int64) {
	n = min(n, h.n)
	h.m.sem.Release(n)
	h.n -= n
}

func (h *bodyHold) release() { h.give(h.n) }

// readAll reads r whole, with the buffer's memory taken from the hold as
// it grows: expect is the announced size (-1 unknown), limit the most r
// gives.
func (h *bodyHold) readAll(r io.Reader, expect, limit int64) ([]byte, error) {
	// 512 bytes of room past the end let the final read see EOF without
	// growing the buffer.
	size := min(int64(bodyChunk), limit+512)
	if expect >= 0 {
		size = min(size, expect+512)
	}
	if err := h.take(size); err != nil {
		return nil, err
	}
	b := make([]byte, 0, size)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) < cap(b) {
			continue
		}
		next := min(2*int64(cap(b)), limit+512)
		if expect > int64(cap(b)) {
			next = min(next, expect+512)
		}
		if next <= int64(cap(b)) {
			next = int64(cap(b)) + 512 // past the announced size: the reader's limit answers
		}
		if err := h.take(next - int64(cap(b))); err != nil {
			return b, err
		}
		grown := make([]byte, len(b), next)
		copy(grown, b)
		b = grown
	}
}

// rateFloor is the slowest a client may be. No read or write waits on
// the client longer than grace plus its size at rate; and over the whole
// body or answer, the time spent waiting on the client (not the server's
// own waits for memory, slots or the database) stays within grace plus
// what was moved at rate. The first catches a client that stops; the
// second one that trickles, though only once the bytes that went into
// the kernel's buffers without waiting are paid for.
type rateFloor struct {
	rate  int64
	grace time.Duration
	moved int64
	spent time.Duration
}

// deadline is when next more bytes must have moved, from now.
func (f *rateFloor) deadline(now time.Time, next int64) time.Time {
	at := func(n int64) time.Duration { return time.Duration(float64(n) / float64(f.rate) * float64(time.Second)) }
	return now.Add(f.grace + at(next) + min(0, at(f.moved)-f.spent))
}

func (f *rateFloor) count(n int, since time.Time) {
	f.moved += int64(n)
	f.spent += time.Since(since)
}

// floorReader reads a request body under the floor, moving the
// connection's read deadline before every read.
type floorReader struct {
	r     io.Reader
	rc    *http.ResponseController
	floor rateFloor
}

func (f *floorReader) Read(p []byte) (int, error) {
	now := time.Now()
	f.rc.SetReadDeadline(f.floor.deadline(now, 1))
	n, err := f.r.Read(p)
	f.floor.count(n, now)
	return n, err
}

// floorWriter writes an answer under the floor: a client that reads
// slower loses the connection rather than holding an export slot.
type floorWriter struct {
	w     io.Writer
	rc    *http.ResponseController
	floor rateFloor
}

func (f *floorWriter) Write(p []byte) (int, error) {
	now := time.Now()
	f.rc.SetWriteDeadline(f.floor.deadline(now, int64(len(p))))
	n, err := f.w.Write(p)
	f.floor.count(n, now)
	return n, err
}

// slowBody wraps r's body in the floor; done clears the read deadline,
// which must not outlive the body: the server's read that watches for a
// closed connection would take its expiry for one and cancel the
// request's context while the batch is being stored.
func (s *Server) slowBody(w http.ResponseWriter, r *http.Request) (body io.Reader, done func()) {
	rc := http.NewResponseController(w)
	if err := rc.SetReadDeadline(time.Time{}); err != nil {
		return r.Body, func() {} // a writer without deadlines (tests' recorders)
	}
	return &floorReader{r: r.Body, rc: rc, floor: rateFloor{rate: s.MinRate, grace: s.Grace}},
		func() { rc.SetReadDeadline(time.Time{}) }
}

// tooSlow is the answer to a body that missed the floor.
func (s *Server) tooSlow(err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return &httpError{http.StatusRequestTimeout, fmt.Sprintf("the body arrived slower than %d bytes a second", s.MinRate)}
	}
	return nil
}

// inProgress counts what each device or user has under way.
type inProgress struct {
	mu sync.Mutex
	n  map[string]int
}

// take counts one more for key unless it has most under way already.
func (p *inProgress) take(key string, most int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n == nil {
		p.n = map[string]int{}
	}
	if p.n[key] >= most {
		return false
	}
	p.n[key]++
	return true
}

func (p *inProgress) done(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n[key]--; p.n[key] <= 0 {
		delete(p.n, key)
	}
}
