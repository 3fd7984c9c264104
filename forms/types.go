package forms

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	reInteger = regexp.MustCompile(`^[-+]?[0-9]+$`)
	reDecimal = regexp.MustCompile(`^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$`)
	reTime    = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[-+]([01][0-9]|2[0-3]):?[0-5][0-9])?$`)
)

// checkType reports whether a non-blank answer has the shape of its type,
// and the message key to show when it does not.
func checkType(t Type, v string) (msgKey, bool) {
	switch t {
	case TypeInteger:
		if !reInteger.MatchString(v) {
			return msgNotInteger, false
		}
		// XForms integers are xsd:int, 32 bits in ODK's engines: a larger
		// number could not be stored there, so it is refused here too.
		if _, err := strconv.ParseInt(v, 10, 32); err != nil {
			return msgNotInteger, false
		}
	case TypeDecimal:
		if !reDecimal.MatchString(v) {
			return msgNotDecimal, false
		}
	case TypeDate, TypeToday:
		if !isDate(v) {
			return msgNotDate, false
		}
	case TypeTime:
		if !reTime.MatchString(v) {
			return msgNotTime, false
		}
	case TypeDateTime, TypeStart, TypeEnd:
		if !isDateTime(v) {
			return msgNotDateTime, false
		}
	case TypeGeopoint:
		if !isGeopoint(v) {
			return msgNotGeopoint, false
		}
	case TypeAcknowledge:
		if v != "OK" {
			return msgNotAcknowledge, false
		}
	}
	return "", true
}

// isDate accepts YYYY-MM-DD for a day that exists.
func isDate(v string) bool {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return false
	}
	_, err := time.Parse("2006-01-02", v)
	return err == nil
}

// isDateTime accepts an ISO date and time with an optional offset.
func isDateTime(v string) bool {
	d, t, ok := strings.Cut(v, "T")
	return ok && isDate(d) && reTime.MatchString(t)
}

// isGeopoint accepts "latitude longitude [altitude [accuracy]]".
func isGeopoint(v string) bool {
	parts := strings.Fields(v)
	if len(parts) < 2 || len(parts) > 4 {
		return false
	}
	nums := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || f != f {
			return false
		}
		nums[i] = f
	}
	return nums[0] >= -90 && nums[0] <= 90 && nums[1] >= -180 && nums[1] <= 180
}
