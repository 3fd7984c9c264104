package api

import (
	"testing"
)

// Handler may be called more than once on one Server (a test wrapping
// it, a second mux): every handler it returns must share the server's
// limits. Replacing them would let the next requests in past the ones
// already holding a slot or body memory, and a batch in flight would
// hand its slot back to a channel it never took one from, and wait for
// ever.
func TestHandlerTwiceSharesLimits(t *testing.T) {
	const memory = 4 << 10
	s := &Server{Cat: stubCatalogue{}, Exports: &stubExporter{}, MaxConcurrent: 1, MaxExports: 1, BodyMemory: memory}
	first := s.Handler()
	// What a batch being stored, an export streaming and a body being
	// read hold while the second handler is made.
	s.slots <- struct{}{}
	s.exportSlots <- struct{}{}
	if !s.mem.sem.TryAcquire(memory) {
		t.Fatal("the body memory is not free before any request")
	}
	second := s.Handler()
	if second == nil || first == nil {
		t.Fatal("Handler returned nil")
	}
	select {
	case s.slots <- struct{}{}:
		t.Error("the second Handler call gave a new batch slot while the only one was taken")
	default:
	}
	select {
	case s.exportSlots <- struct{}{}:
		t.Error("the second Handler call gave a new export slot while the only one was taken")
	default:
	}
	if s.mem.sem.TryAcquire(1) {
		t.Error("the second Handler call gave new body memory while all of it was held")
	}
	if s.MaxConcurrent != 1 || s.MaxExports != 1 || s.BodyMemory != memory {
		t.Errorf("limits changed to %d batches, %d exports, %d bytes", s.MaxConcurrent, s.MaxExports, s.BodyMemory)
	}
}
