package forms

// NOTE FOR THE LEAD: this file is a RECONSTRUCTION. The XLSForm-loader helper
// accidentally overwrote the lead's forms/types.go (created while the helper
// was writing its own file of that name, now xlstypes.go). Only checkType was
// referenced by the other files, so only it is rebuilt here, from its use in
// validate.go and the message keys in messages.go. Replace this file with the
// original version.

import (
	"strconv"
	"strings"
	"time"
)

// checkType reports whether val is a well-formed answer for a question of
// type t; when not, the message key saying what was expected.
func checkType(t Type, val string) (msgKey, bool) {
	switch t {
	case TypeInteger:
		if _, err := strconv.ParseInt(strings.TrimPrefix(val, "+"), 10, 64); err != nil {
			return msgNotInteger, false
		}
	case TypeDecimal:
		if _, err := strconv.ParseFloat(val, 64); err != nil || strings.ContainsAny(val, "xXpPnN_") {
			return msgNotDecimal, false
		}
	case TypeDate:
		if _, err := time.Parse("2006-01-02", val); err != nil {
			return msgNotDate, false
		}
	case TypeTime:
		if !isTime(val) {
			return msgNotTime, false
		}
	case TypeDateTime:
		d, tm, ok := strings.Cut(val, "T")
		if _, err := time.Parse("2006-01-02", d); err != nil || !ok || !isTime(tm) {
			return msgNotDateTime, false
		}
	case TypeGeopoint:
		if !isGeopoint(val) {
			return msgNotGeopoint, false
		}
	case TypeAcknowledge:
		if val != "OK" {
			return msgNotAcknowledge, false
		}
	}
	return "", true
}

// isTime accepts HH:MM, HH:MM:SS and HH:MM:SS.sss with an optional Z or
// ±HH:MM offset.
func isTime(s string) bool {
	if i := strings.IndexAny(s, "Z+-"); i >= 0 {
		off := s[i:]
		s = s[:i]
		if off != "Z" {
			if _, err := time.Parse("15:04", off[1:]); err != nil {
				return false
			}
		}
	}
	for _, layout := range []string{"15:04", "15:04:05", "15:04:05.000", "15:04:05.999999999"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// isGeopoint accepts "lat lon [alt [accuracy]]".
func isGeopoint(s string) bool {
	parts := strings.Fields(s)
	if len(parts) < 2 || len(parts) > 4 {
		return false
	}
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return false
		}
		if (i == 0 && (v < -90 || v > 90)) || (i == 1 && (v < -180 || v > 180)) || (i == 3 && v < 0) {
			return false
		}
	}
	return true
}
