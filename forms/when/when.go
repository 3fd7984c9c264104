// Package when owns how times are shown to people and how the laptop's
// clock goes on the wire. Storage keeps UTC; people read their own zone.
//
// Every screen, command and page shows a time through Minute or Stamp, in
// time.Local: the collector's laptop, the reviewer's machine, or, for the
// catalogue page, the zone `fieldbench serve` runs in (set TZ to choose
// it). A time that is shown sliced from its stored text would be UTC to a
// collector in UTC+8, eight hours behind everything else.
package when

import "time"

// minuteLayout is a time as people read it: to the minute, no zone.
const minuteLayout = "2006-01-02 15:04"

// wireLayout is the stored layout (nine fraction digits, so that text
// order is time order) with the zone offset in place of Z; in UTC it
// writes the very text storage holds.
const wireLayout = "2006-01-02T15:04:05.000000000Z07:00"

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

// Date is a stored time's date in the viewer's zone.
func Date(stamp string) string {
	if t, ok := Parse(stamp); ok {
		return t.In(time.Local).Format(time.DateOnly)
	}
	return stamp[:min(len(stamp), 10)]
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

// WithOffset is a stored UTC time as the same instant in this machine's
// zone, with its offset: what the laptop sends as a record's created_at.
// The offset is that of the zone at that instant. Text that is no time is
// sent as it is; the catalogue stores it as data.
func WithOffset(stamp string) string {
	if t, ok := Parse(stamp); ok {
		return t.In(time.Local).Format(wireLayout)
	}
	return stamp
}
