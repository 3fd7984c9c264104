package when_test

import (
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/forms/when/whentest"
)

func TestShownInTheViewersZone(t *testing.T) {
	whentest.Shanghai(t)
	// 23:30 UTC is 07:30 the next morning in Beijing.
	const stored = "2026-11-26T23:30:00.000000000Z"
	if got := when.Stamp(stored); got != "2026-11-27 07:30" {
		t.Errorf("Stamp = %q, want Beijing time 2026-11-27 07:30", got)
	}
	at, _ := when.Parse(stored)
	if got := when.Date(at); got != "2026-11-27" {
		t.Errorf("Date = %q, want 2026-11-27", got)
	}
	if got := when.Stamp("not a time"); got != "not a time" {
		t.Errorf("Stamp of no time = %q, want it unchanged", got)
	}
	if got := when.Stamp(""); got != "" {
		t.Errorf("Stamp of nothing = %q", got)
	}
}

func TestWireCarriesTheOffsetOfTheSameInstant(t *testing.T) {
	whentest.Shanghai(t)
	const stored = "2026-11-26T23:30:00.123456789Z"
	at, _ := when.Parse(stored)
	wire := when.WithOffset(at.In(time.Local))
	if wire != "2026-11-27T07:30:00.123456789+08:00" {
		t.Fatalf("WithOffset = %q", wire)
	}
	b, ok := when.Parse(wire)
	if !ok || !at.Equal(b) {
		t.Errorf("%s is not the instant %s", wire, stored)
	}
	if got := when.CollectorDay(wire); got != "2026-11-27" {
		t.Errorf("CollectorDay = %q, want the Beijing date 2026-11-27", got)
	}
	if got := when.CollectorDay(stored); got != "2026-11-26" {
		t.Errorf("CollectorDay of a UTC stamp = %q, want its UTC date", got)
	}
}

func TestWireInUTCIsTheStoredText(t *testing.T) {
	// A laptop in UTC sends what it sent before the offset went on the wire.
	old := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = old })
	const stored = "2026-11-26T23:30:00.000000000Z"
	at, _ := when.Parse(stored)
	if got := when.WithOffset(at.In(time.Local)); got != stored {
		t.Errorf("WithOffset in UTC = %q, want %q", got, stored)
	}
}

// Storage's text becomes a time once, where it is read: NULL and "" are
// the zero time (not set), anything else must be a time.
func TestColumnReadsStoredText(t *testing.T) {
	at := time.Date(2026, 11, 26, 23, 30, 0, 5, time.UTC)
	for _, in := range []any{when.Stored(at), []byte(when.Stored(at))} {
		var got time.Time
		if err := when.Column(&got).Scan(in); err != nil || !got.Equal(at) {
			t.Errorf("Scan(%q) = %v, %v; want %v", in, got, err, at)
		}
	}
	for _, in := range []any{nil, ""} {
		got := at
		if err := when.Column(&got).Scan(in); err != nil || !got.IsZero() {
			t.Errorf("Scan(%#v) = %v, %v; want the zero time", in, got, err)
		}
	}
	var got time.Time
	if err := when.Column(&got).Scan("yesterday"); err == nil {
		t.Errorf("text that is no time was read as %v", got)
	}
	if when.Stored(time.Time{}) != "" || when.Minute(time.Time{}) != "" || when.Date(time.Time{}) != "" {
		t.Error("the zero time is shown as something")
	}
}
