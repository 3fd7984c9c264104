// Package when owns how times are shown to people and how the laptop's
// clock goes on the wire. Storage keeps UTC; people read their own zone.
//
// Every screen, command and page shows a time through Minute or Stamp, in
// time.Local: the collector's laptop, the reviewer's machine, or, for the
// catalogue page, the zone `fieldbench serve` runs in (set TZ to choose
// it). A time that is shown sliced from its stored text would be UTC to a
// collector in UTC+8, eight hours behind everything else.
package when

import (
	"fmt"
	"time"
)

// minuteLayout is a time as people read it: to the minute, no zone.
const minuteLayout = "2006-01-02 15:04"

// wireLayout is the stored layout (nine fraction digits, so that text
// order is time order) with the zone offset in place of Z; in UTC it
// writes the very text storage holds.
const wireLayout = "2006-01-02T15:04:05.000000000Z07:00"

// storedLayout is how storage writes a time, on the laptop and the
// catalogue alike: UTC, fixed-width nanoseconds, so text order is time order.
const storedLayout = "2006-01-02T15:04:05.000000000Z"

// Stored is t as storage writes it; "" for the zero time, which storage
// keeps as not set.
func Stored(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(storedLayout)
}

// Column reads a stored time column into *t, so that a time is parsed once,
// where it leaves storage, and is a time.Time from there on. NULL and ""
// are the zero time: not set. Text that is no time is an error: storage
// wrote every one of these columns itself.
func Column(t *time.Time) interface{ Scan(any) error } { return column{t} }

type column struct{ t *time.Time }

func (c column) Scan(v any) error {
	var text string
	switch v := v.(type) {
	case nil:
		*c.t = time.Time{}
		return nil
	case time.Time:
		*c.t = v
		return nil
	case string:
		text = v
	case []byte:
		text = string(v)
	default:
		return fmt.Errorf("a stored time is %T, not text", v)
	}
	if text == "" {
		*c.t = time.Time{}
		return nil
	}
	t, ok := Parse(text)
	if !ok {
		return fmt.Errorf("stored time %q is not RFC 3339", text)
	}
	*c.t = t
	return nil
}

// Parse reads a stored or wire time: RFC 3339, with Z or an offset.
func Parse(stamp string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, stamp)
	return t, err == nil
}

// Minute is t in the viewer's zone, to the minute; "" for the zero time.
func Minute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(time.Local).Format(minuteLayout)
}

// Zoned is Minute with the zone's name, for a reader who may be elsewhere
// than the machine that wrote it: the catalogue page.
func Zoned(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(time.Local).Format(minuteLayout + " MST")
}

// Stamp is a stored time in the viewer's zone, to the minute. Text that is
// no time comes back as it is, for the caller to sanitise: a wrong value
// shown beats a blank that hides it.
func Stamp(stamp string) string {
	if t, ok := Parse(stamp); ok {
		return Minute(t)
	}
	return stamp
}

// Date is t's date in the viewer's zone; "" for the zero time.
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(time.Local).Format(time.DateOnly)
}

// CollectorDay is the date a time falls on where it was written: the date
// in the stamp's own offset. The laptop sends its offset with each record
// (see WithOffset), so the catalogue counts a record made at 07:30 in
// Beijing on the Beijing date, as the laptop itself does.
func CollectorDay(stamp string) string {
	if t, ok := Parse(stamp); ok {
		return t.Format(time.DateOnly)
	}
	return stamp[:min(len(stamp), 10)]
}

// WithOffset is t in its own zone, with that zone's offset: what the
// laptop sends as a record's created_at, t being in the zone the laptop
// was in when it made the record (see store.QueuedVersion). In UTC it is
// the stored text. "" for the zero time.
func WithOffset(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(wireLayout)
}
