package forms

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The regular expressions and parse the hand-written matchers of types.go
// replaced, and strings.Fields for nextField and singleSpaced (record.go):
// the replacements must agree with them on every string.
var (
	reInteger = regexp.MustCompile(`^[-+]?[0-9]+$`)
	reDecimal = regexp.MustCompile(`^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$`)
	reTime    = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[-+]([01][0-9]|2[0-3]):?[0-5][0-9])?$`)
)

func parseDate(v string) bool {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return false
	}
	_, err := time.Parse("2006-01-02", v)
	return err == nil
}

func checkMatchers(t *testing.T, v string) {
	t.Helper()
	var names []string
	for rest := v; ; {
		var name string
		if name, rest = nextField(rest); name == "" {
			break
		}
		names = append(names, name)
	}
	if want := strings.Fields(v); strings.Join(names, "|") != strings.Join(want, "|") || len(names) != len(want) {
		t.Errorf("nextField splits %q into %q, strings.Fields into %q", v, names, want)
	}
	if got, want := singleSpaced(v), strings.Join(strings.Fields(v), " ") == v; got != want {
		t.Errorf("singleSpaced(%q) = %v, want %v", v, got, want)
	}
	if got, want := isInteger(v), reInteger.MatchString(v); got != want {
		t.Errorf("isInteger(%q) = %v, the regular expression says %v", v, got, want)
	}
	if got, want := isDecimal(v), reDecimal.MatchString(v); got != want {
		t.Errorf("isDecimal(%q) = %v, the regular expression says %v", v, got, want)
	}
	if got, want := isTime(v), reTime.MatchString(v); got != want {
		t.Errorf("isTime(%q) = %v, the regular expression says %v", v, got, want)
	}
	if got, want := isDate(v), parseDate(v); got != want {
		t.Errorf("isDate(%q) = %v, time.Parse says %v", v, got, want)
	}
}

var matcherSeeds = []string{
	"", "0", "-", "+", "+1", "-12", "1-", "1.", ".5", ".", "-.", "-.5", "1.5e3", "1e", "1e+", "1E-7", "e5", ".e1",
	"1.2.3", " 1", "1 ", "١", "12:30", "23:59:59", "24:00", "09:60", "9:30", "12:30:00.5", "12:30:00.", "12:30Z",
	"12:30+08:00", "12:30-0800", "12:30+24:00", "12:30+08:0", "12:30:00.123+05:45", "12:30ZZ", "12:30:61",
	"2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "0000-02-29", "2024-04-31", "2024-00-10", "2024-13-01",
	"2024-12-00", "2024-12-31", "2024-1-011", "+024-01-01", "2024-01-0x", "9999-12-31", "2024/01/01",
	"a b", "a  b", " a", "a ", "a\tb", "a\u00a0b", "a\u0085b", "\u3000", "a\xffb", "\xff \xfe", "salaried retired",
}

func TestMatchersAgreeWithRegexps(t *testing.T) {
	for _, v := range matcherSeeds {
		checkMatchers(t, v)
	}
	// Random strings over the characters the patterns care about, and
	// random dates, catch what the seeds miss.
	const alphabet = "0123456789:.-+eEZ x\t\xc2\xa0\xff"
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 200000 {
		b.Reset()
		for n := r.IntN(14); n > 0; n-- {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		checkMatchers(t, b.String())
	}
	for range 50000 {
		v := []byte("2000-01-01")
		for _, i := range []int{0, 1, 2, 3, 5, 6, 8, 9} {
			v[i] = "0123456789"[r.IntN(10)]
		}
		checkMatchers(t, string(v))
	}
}

func FuzzMatchers(f *testing.F) {
	for _, v := range matcherSeeds {
		f.Add(v)
	}
	f.Fuzz(checkMatchers)
}
