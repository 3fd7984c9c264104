package forms

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms/expr"
)

// checkType reports whether a non-blank answer has the shape of its type,
// and the message key to show when it does not.
func checkType(t Type, v string) (msgKey, bool) {
	switch t {
	case TypeInteger:
		if !isInteger(v) {
			return msgNotInteger, false
		}
		// XForms integers are xsd:int, 32 bits in ODK's engines: a larger
		// number could not be stored there, so it is refused here too.
		if _, err := strconv.ParseInt(v, 10, 32); err != nil {
			return msgNotInteger, false
		}
	case TypeDecimal:
		if !isDecimal(v) {
			return msgNotDecimal, false
		}
		// 1e400 has the shape but no float64 (nor any engine's double)
		// holds it.
		if f, err := strconv.ParseFloat(v, 64); err != nil || math.IsInf(f, 0) {
			return msgNotDecimal, false
		}
	case TypeDate, TypeToday:
		if !isDate(v) {
			return msgNotDate, false
		}
	case TypeTime:
		if !isTime(v) {
			return msgNotTime, false
		}
	case TypeDateTime, TypeStart, TypeEnd:
		if !isDateTime(v) {
			return msgNotDateTime, false
		}
	case TypeGeopoint, TypeStartGeopoint, TypeBackgroundGeopoint:
		if !isGeopoint(v) {
			return msgNotGeopoint, false
		}
	case TypeGeotrace:
		if points, ok := expr.GeoPoints(v); !ok || len(points) < 2 {
			return msgNotGeotrace, false
		}
	case TypeGeoshape:
		// ODK's geoshape is closed: at least three corners and the first
		// again at the end.
		if points, ok := expr.GeoPoints(v); !ok || len(points) < 4 || !samePlace(points[0], points[len(points)-1]) {
			return msgNotGeoshape, false
		}
	case TypeAcknowledge:
		if v != "OK" {
			return msgNotAcknowledge, false
		}
	}
	return "", true
}

// The shapes below are checked by hand, not with regular expressions or
// time.Parse: every answer of a record goes through them, and the matchers
// were a tenth of a validation. types_test.go holds each to the regular
// expression it replaced.

// isInteger matches ^[-+]?[0-9]+$.
func isInteger(v string) bool {
	i := skipSign(v)
	return i < len(v) && digitsTo(v, i) == len(v)
}

// isDecimal matches ^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$.
func isDecimal(v string) bool {
	i := skipSign(v)
	j := digitsTo(v, i)
	whole := j > i
	if j < len(v) && v[j] == '.' {
		k := digitsTo(v, j+1)
		if !whole && k == j+1 {
			return false // "." or "-." without digits
		}
		j = k
	} else if !whole {
		return false
	}
	if j < len(v) && (v[j] == 'e' || v[j] == 'E') {
		k := skipSign(v[j+1:]) + j + 1
		if j = digitsTo(v, k); j == k {
			return false
		}
	}
	return j == len(v)
}

// plainNumber writes an integer or decimal answer the way XPath reads
// numbers, so that the type check and the expression engine agree on it:
// a leading + is dropped and an exponent written out (1e1 is 10,
// 1.5e-3 is 0.0015). XPath 1.0's number() reads neither, and ODK's engines
// keep such an answer as the number it stands for (JavaRosa parses it into
// IntegerData or DecimalData; ODK Web Forms stores "+5" as 5 and 1e1 as
// 10.0), so fieldbench stores that number. Anything else, well-formed or
// not, is left for the type check.
func plainNumber(v string) string {
	if !strings.ContainsAny(v, "+eE") || !isDecimal(v) {
		return v
	}
	if !strings.ContainsAny(v, "eE") {
		return strings.TrimPrefix(v, "+")
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) {
		return v // refused by the type check
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// isTime matches ^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[-+]([01][0-9]|2[0-3]):?[0-5][0-9])?$.
func isTime(v string) bool {
	if !isHour(v, 0) || len(v) < 5 || v[2] != ':' || !isMinute(v, 3) {
		return false
	}
	i := 5
	if i < len(v) && v[i] == ':' {
		if !isMinute(v, i+1) {
			return false
		}
		i += 3
		if i < len(v) && v[i] == '.' {
			if i = digitsTo(v, i+1); v[i-1] == '.' {
				return false
			}
		}
	}
	if i == len(v) {
		return true
	}
	switch v[i] {
	case 'Z':
		return i+1 == len(v)
	case '+', '-':
		if !isHour(v, i+1) {
			return false
		}
		i += 3
		if i < len(v) && v[i] == ':' {
			i++
		}
		return isMinute(v, i) && i+2 == len(v)
	}
	return false
}

// isHour matches [01][0-9]|2[0-3] at v[i:].
func isHour(v string, i int) bool {
	if i+2 > len(v) || !isDigit(v[i+1]) {
		return false
	}
	return v[i] == '0' || v[i] == '1' || v[i] == '2' && v[i+1] <= '3'
}

// isMinute matches [0-5][0-9] at v[i:].
func isMinute(v string, i int) bool {
	return i+2 <= len(v) && v[i] >= '0' && v[i] <= '5' && isDigit(v[i+1])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skipSign is 1 when v starts with + or -, else 0.
func skipSign(v string) int {
	if len(v) > 0 && (v[0] == '+' || v[0] == '-') {
		return 1
	}
	return 0
}

// digitsTo is where the run of ASCII digits starting at v[i] ends.
func digitsTo(v string, i int) int {
	for i < len(v) && isDigit(v[i]) {
		i++
	}
	return i
}

// isDate accepts YYYY-MM-DD for a day that exists, as
// time.Parse("2006-01-02", v) does.
func isDate(v string) bool {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return false
	}
	num := 0
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9} {
		if !isDigit(v[i]) {
			return false
		}
		num = num*10 + int(v[i]-'0')
	}
	year, month, day := num/10000, num/100%100, num%100
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	// The day after the last of the month is the first of the next.
	return day <= 28 || time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() == day
}

// isDateTime accepts an ISO date and time with an optional offset.
func isDateTime(v string) bool {
	d, t, ok := strings.Cut(v, "T")
	return ok && isDate(d) && isTime(t)
}

// isGeopoint accepts "latitude longitude [altitude [accuracy]]".
func isGeopoint(v string) bool {
	_, ok := expr.Geopoint(v)
	return ok
}

// samePlace reports whether two points have the same latitude and
// longitude: the corner a closed shape starts and ends at.
func samePlace(a, b []float64) bool { return a[0] == b[0] && a[1] == b[1] }

// normalizeGeoPoints writes a geotrace or geoshape as ODK does: points
// separated by ";" without spaces around them, numbers by single spaces.
func normalizeGeoPoints(v string) string {
	parts := strings.Split(strings.TrimSuffix(strings.TrimSpace(v), ";"), ";")
	for i, p := range parts {
		parts[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(parts, ";")
}
