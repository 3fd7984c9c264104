package expr

import (
	"math"
	"strconv"
	"strings"
	"time"
)

const (
	layoutDate     = "2006-01-02"
	layoutDateTime = "2006-01-02T15:04:05.000-07:00"
	secondsPerDay  = 86400
	// maxDays keeps day counts inside the range time.Time handles without
	// overflowing; it is about 270,000 years either side of the epoch.
	maxDays = 1e8
)

// isoTime is a parsed ISO 8601 date or dateTime as ODK writes them.
type isoTime struct {
	y, mo, d       int
	h, mi, s, nsec int
	off            int // seconds east of UTC, valid when hasOff
	hasTime        bool
	hasOff         bool
}

func digits(s string, n int) (int, bool) {
	if len(s) < n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseISO accepts YYYY-MM-DD optionally followed by T and a clock time
// (see parseClock). The caller has already trimmed surrounding space.
func parseISO(s string) (isoTime, bool) {
	var t isoTime
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return t, false
	}
	var ok1, ok2, ok3 bool
	t.y, ok1 = digits(s, 4)
	t.mo, ok2 = digits(s[5:], 2)
	t.d, ok3 = digits(s[8:], 2)
	if !ok1 || !ok2 || !ok3 || t.mo < 1 || t.mo > 12 || t.d < 1 || t.d > daysIn(t.y, t.mo) {
		return t, false
	}
	if len(s) == 10 {
		return t, true
	}
	if s[10] != 'T' {
		return t, false
	}
	if !parseClock(s[11:], &t) {
		return t, false
	}
	t.hasTime = true
	return t, true
}

// parseClock accepts HH:MM[:SS[.fff]][Z|±HH[:MM]|±HHMM] into t.
func parseClock(s string, t *isoTime) bool {
	var ok1, ok2 bool
	t.h, ok1 = digits(s, 2)
	if !ok1 || len(s) < 5 || s[2] != ':' {
		return false
	}
	t.mi, ok2 = digits(s[3:], 2)
	if !ok2 || t.h > 23 || t.mi > 59 {
		return false
	}
	s = s[5:]
	if len(s) > 0 && s[0] == ':' {
		var ok bool
		if t.s, ok = digits(s[1:], 2); !ok || t.s > 59 {
			return false
		}
		s = s[3:]
		if len(s) > 0 && s[0] == '.' {
			i := 1
			scale := int(1e8)
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				t.nsec += int(s[i]-'0') * scale
				scale /= 10
				i++
			}
			if i == 1 {
				return false
			}
			s = s[i:]
		}
	}
	switch {
	case s == "":
		return true
	case s == "Z":
		t.hasOff = true
		return true
	case s[0] == '+' || s[0] == '-':
		oh, ok := digits(s[1:], 2)
		if !ok || oh > 23 {
			return false
		}
		rest := s[3:]
		om := 0
		switch {
		case rest == "":
		case len(rest) == 3 && rest[0] == ':':
			om, ok = digits(rest[1:], 2)
		case len(rest) == 2:
			om, ok = digits(rest, 2)
		default:
			ok = false
		}
		if !ok || om > 59 {
			return false
		}
		t.off = oh*3600 + om*60
		if s[0] == '-' {
			t.off = -t.off
		}
		t.hasOff = true
		return true
	}
	return false
}

// utc is the instant of t, reading a dateTime without offset as UTC so that
// Number() does not depend on the machine's zone.
func (t isoTime) utc() time.Time {
	u := time.Date(t.y, time.Month(t.mo), t.d, t.h, t.mi, t.s, t.nsec, time.UTC)
	if t.hasOff {
		u = u.Add(-time.Duration(t.off) * time.Second)
	}
	return u
}

// dateToDays converts an ISO date or dateTime to days since the epoch.
func dateToDays(s string) (float64, bool) {
	t, ok := parseISO(s)
	if !ok {
		return 0, false
	}
	if !t.hasTime {
		// A plain date, as most answers compared with today() are: the
		// same whole number of days, without building a time.Time.
		return float64(daysFromCivil(t.y, t.mo, t.d)), true
	}
	u := t.utc()
	secs := float64(u.Unix()) + float64(u.Nanosecond())/1e9
	return secs / secondsPerDay, true
}

// daysFromCivil is the number of days from 1970-01-01 to a valid
// proleptic Gregorian date (H. Hinnant's days_from_civil).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era-- // floor division for years before 0
	}
	yoe := y - era*400
	mp := (m + 9) % 12 // March is 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// toTime interprets v as a moment shown in loc. ISO strings keep the wall
// clock they were written with unless they carry an offset, which is then
// converted to loc, as ODK displays them on the device. A number is days since
// the epoch; calendar selects whether it names a calendar day (date(),
// format-date()) or an instant (date-time(), format-date-time()).
func toTime(v Value, loc *time.Location, calendar bool) (time.Time, bool) {
	if v.Kind != KindNumber && v.Kind != KindBool {
		s := trimXMLSpace(v.String())
		if t, ok := parseISO(s); ok {
			if t.hasOff {
				return t.utc().In(loc), true
			}
			return time.Date(t.y, time.Month(t.mo), t.d, t.h, t.mi, t.s, t.nsec, loc), true
		}
	}
	n := v.Number()
	if math.IsNaN(n) || math.IsInf(n, 0) || math.Abs(n) > maxDays {
		return time.Time{}, false
	}
	if calendar {
		days := math.Floor(n)
		u := time.Unix(int64(days)*secondsPerDay, 0).UTC()
		frac := time.Duration((n - days) * secondsPerDay * float64(time.Second))
		y, m, d := u.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, loc).Add(frac), true
	}
	ms := math.Round(n * secondsPerDay * 1000)
	return time.UnixMilli(int64(ms)).In(loc), true
}

// decimalTime converts a clock time (or a dateTime's clock) to a fraction of
// a day in loc, shifting by the difference between its offset and loc's.
func decimalTime(s string, loc *time.Location, now time.Time) float64 {
	s = trimXMLSpace(s)
	var t isoTime
	if len(s) > 10 && s[4] == '-' {
		full, ok := parseISO(s)
		if !ok || !full.hasTime {
			return math.NaN()
		}
		t = full
	} else if !parseClock(s, &t) {
		return math.NaN()
	}
	secs := float64(t.h*3600+t.mi*60+t.s) + float64(t.nsec)/1e9
	if t.hasOff {
		_, local := now.In(loc).Zone()
		secs += float64(local - t.off)
		secs = math.Mod(secs, secondsPerDay)
		if secs < 0 {
			secs += secondsPerDay
		}
	}
	return secs / secondsPerDay
}

var (
	monthAbbr = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	dayAbbr   = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
)

func pad(b *strings.Builder, v, width int) {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b.WriteByte('0')
	}
	b.WriteString(s)
}

// formatDate implements the %-directives of ODK's format-date. Unknown
// directives are copied through so a typo stays visible to the form author.
func formatDate(t time.Time, f string) string {
	var b strings.Builder
	b.Grow(len(f) + 8)
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' || i+1 == len(f) {
			b.WriteByte(c)
			continue
		}
		i++
		switch f[i] {
		case 'Y':
			pad(&b, t.Year(), 4)
		case 'y':
			pad(&b, t.Year()%100, 2)
		case 'm':
			pad(&b, int(t.Month()), 2)
		case 'n':
			b.WriteString(strconv.Itoa(int(t.Month())))
		case 'b':
			b.WriteString(monthAbbr[t.Month()-1])
		case 'd':
			pad(&b, t.Day(), 2)
		case 'e':
			b.WriteString(strconv.Itoa(t.Day()))
		case 'a':
			b.WriteString(dayAbbr[t.Weekday()])
		case 'H':
			pad(&b, t.Hour(), 2)
		case 'h':
			b.WriteString(strconv.Itoa(t.Hour()))
		case 'M':
			pad(&b, t.Minute(), 2)
		case 'S':
			pad(&b, t.Second(), 2)
		case '3':
			pad(&b, t.Nanosecond()/1e6, 3)
		default:
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
	}
	return b.String()
}
