// Package cnid checks Chinese identifiers typed into forms: resident ID
// numbers (GB 11643-1999), unified social credit codes (GB 32100-2015),
// mobile numbers, postcodes and statistical division codes.
//
// Each check is a pure function that returns the normalised value, which the
// caller should store, and a *Error whose Reason is machine-readable and
// whose Message is available in zh-Hans, zh-Hant and English. The same checks
// are available as go-playground/validator tags (see Register) and through
// Checker, which also translates validator's standard tags.
//
// Every check first removes white space (ID numbers and codes never contain
// any) and folds full-width ASCII such as "１２３Ｘ" to "123X", because Chinese
// input methods in full-width mode produce those characters and a typist
// cannot see the difference. On error the returned string is the input after
// that clean-up, useful for display but not for storing.
package cnid

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms/divisions"
)

// chinaTime is fixed at UTC+8 rather than loaded as Asia/Shanghai so that no
// tz database is needed on the tablet; China has had no daylight saving since
// 1991, long before any 18-digit number was issued.
var chinaTime = time.FixedZone("CST", 8*60*60)

// ResidentID checks an 18-character resident ID number (GB 11643-1999):
// 17 digits and a check character (digit or X; a lower-case x is accepted
// and stored as X), a real birth date between 1850-01-01 and today (China
// time) and the ISO 7064 MOD 11-2 check character.
//
// A 15-digit first-generation number is rejected with ReasonOld15 rather
// than upgraded silently: those cards stopped being valid on 2013-01-01, so
// the person has an 18-digit card to copy from, and the 15-digit form has no
// check digit, so converting it would compute a fresh check character for
// whatever typo it contains. Use Upgrade15 where converting is really wanted.
//
// An address code missing from the bundled division list is not an error;
// see ResidentIDAddressKnown.
func ResidentID(s string) (string, error) {
	return residentID(s, time.Now())
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

func residentID(s string, now time.Time) (string, error) {
	n := clean(s, false)
	if strings.IndexByte(n, 'x') >= 0 {
		n = strings.ReplaceAll(n, "x", "X")
	}
	if n == "" {
		return n, idErr(ReasonEmpty, 0, "")
	}
	for _, r := range n {
		if (r < '0' || r > '9') && r != 'X' {
			return n, idErr(ReasonChars, 0, showRune(r))
		}
	}
	if len(n) == 15 && allDigits(n) {
		return n, idErr(ReasonOld15, 15, "")
	}
	if len(n) != 18 {
		return n, idErr(ReasonLength, len(n), "")
	}
	if !allDigits(n[:17]) {
		return n, idErr(ReasonChars, 0, "X")
	}
	if r := checkBirth(n[6:14], now); r != "" {
		return n, idErr(r, 0, n[6:14])
	}
	if idCheckChar(n[:17]) != n[17] {
		return n, idErr(ReasonChecksum, 0, "")
	}
	return n, nil
}

func idErr(r Reason, n int, detail string) error {
	return &Error{Kind: KindResidentID, Reason: r, Len: n, Detail: detail}
}

// idCheckChar computes the ISO 7064 MOD 11-2 check character of 17 digits.
func idCheckChar(d17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(d17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// checkBirth validates YYYYMMDD; it returns "" when the date is acceptable.
func checkBirth(ymd string, now time.Time) Reason {
	y, m, d := atoi(ymd[:4]), atoi(ymd[4:6]), atoi(ymd[6:8])
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return ReasonBirthDate
	}
	if y < 1850 {
		return ReasonBirthEarly
	}
	ty, tm, td := now.In(chinaTime).Date()
	if y*10000+m*100+d > ty*10000+int(tm)*100+td {
		return ReasonBirthFuture
	}
	return ""
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

// Upgrade15 converts a 15-digit first-generation ID number to 18 digits by
// inserting the century "19" after the 6-digit address code and appending
// the check character. The result is checked like ResidentID (a real birth
// date); the conversion cannot detect typos in the original.
func Upgrade15(s string) (string, error) {
	return upgrade15(s, time.Now())
}

func upgrade15(s string, now time.Time) (string, error) {
	n := clean(s, false)
	if n == "" {
		return n, idErr(ReasonEmpty, 0, "")
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return n, idErr(ReasonChars, 0, showRune(r))
		}
	}
	if len(n) != 15 {
		return n, idErr(ReasonLength, len(n), "")
	}
	d17 := n[:6] + "19" + n[6:]
	return residentID(d17+string(idCheckChar(d17)), now)
}

// ResidentIDInfo decodes a number accepted by ResidentID: the birth date (a
// calendar date, given as midnight UTC), the sex (odd sequence number =
// male) and the 6-digit address code of the place of first registration.
// Anything that is not a valid 18-character number gives zero values.
func ResidentIDInfo(norm string) (birth time.Time, male bool, address string) {
	if len(norm) != 18 || !allDigits(norm[:17]) {
		return time.Time{}, false, ""
	}
	y, m, d := atoi(norm[6:10]), atoi(norm[10:12]), atoi(norm[12:14])
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return time.Time{}, false, ""
	}
	birth = time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return birth, (norm[16]-'0')%2 == 1, norm[:6]
}

// ResidentIDAddressKnown reports whether the number's address code is in the
// bundled division list. A false answer deserves a warning at most: the code
// records where the number was first issued, and many such counties have
// since been merged or recoded (440524 潮阳县, for one).
func ResidentIDAddressKnown(norm string) bool {
	if len(norm) < 6 {
		return false
	}
	return divisions.Known(norm[:6])
}

// usccChars is the GB 32100 alphabet: digits and capitals without I O S V Z,
// each character's value being its index.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccValue maps a byte to its value in usccChars, or -1.
var usccValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(usccChars); i++ {
		t[usccChars[i]] = int8(i)
	}
	return t
}()

// CreditCode checks an 18-character unified social credit code
// (GB 32100-2015) and returns it upper-cased. Letters are allowed anywhere,
// including the registration-authority and type characters at the start
// (N for rural collectives, Y for "other"), unlike python-stdnum. The
// embedded organisation code's own check digit is not verified, because
// codes assigned outside GB 11714 (e.g. to individual businesses) need not
// satisfy it; the outer check character already catches single typos.
func CreditCode(s string) (string, error) {
	n := strings.ToUpper(clean(s, false))
	if n == "" {
		return n, usccErr(ReasonEmpty, 0, "")
	}
	for _, r := range n {
		if r >= utf8.RuneSelf || usccValue[r] < 0 {
			return n, usccErr(ReasonChars, 0, showRune(r))
		}
	}
	if len(n) != 18 {
		return n, usccErr(ReasonLength, len(n), "")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(usccValue[n[i]]) * usccWeights[i]
	}
	if usccChars[(31-sum%31)%31] != n[17] {
		return n, usccErr(ReasonChecksum, 0, "")
	}
	return n, nil
}

func usccErr(r Reason, n int, detail string) error {
	return &Error{Kind: KindCreditCode, Reason: r, Len: n, Detail: detail}
}

// Mobile checks a mainland mobile number and returns its 11 digits. Spaces,
// hyphens and a country prefix (+86, 0086 or 86 followed by 11 digits) are
// removed first. Number segments are not hard-coded beyond 13-19, because
// new ones keep being opened.
func Mobile(s string) (string, error) {
	n := clean(s, true)
	for _, p := range [...]string{"+86", "0086", "86"} {
		if rest, ok := strings.CutPrefix(n, p); ok && len(rest) == 11 && allDigits(rest) {
			n = rest
			break
		}
	}
	if err := digitsOnly(KindMobile, n); err != nil {
		return n, err
	}
	if len(n) != 11 {
		return n, &Error{Kind: KindMobile, Reason: ReasonLength, Len: len(n)}
	}
	if n[0] != '1' || n[1] < '3' {
		return n, &Error{Kind: KindMobile, Reason: ReasonPrefix}
	}
	return n, nil
}

// Postcode checks a 6-digit postcode. There is no check digit, and a
// postcode that does not match the division is at most a warning for the
// caller, since postal areas do not follow county borders.
func Postcode(s string) (string, error) {
	n := clean(s, false)
	if err := digitsOnly(KindPostcode, n); err != nil {
		return n, err
	}
	if len(n) != 6 {
		return n, &Error{Kind: KindPostcode, Reason: ReasonLength, Len: len(n)}
	}
	return n, nil
}

// Division checks a statistical division code of 2, 4, 6, 9 or 12 digits.
// A well-formed code that is not in the bundled edition gives
// ErrUnknownDivision (a warning: codes change every year) together with the
// code, which the caller may still store. Zero-padded forms of known codes
// (320500 for 苏州市) count as known; the code is returned as typed, not
// shortened, so the stored value is what the form asked for.
func Division(s string) (string, error) {
	n := clean(s, false)
	if err := digitsOnly(KindDivision, n); err != nil {
		return n, err
	}
	switch len(n) {
	case 2, 4, 6, 9, 12:
	default:
		return n, &Error{Kind: KindDivision, Reason: ReasonLength, Len: len(n)}
	}
	if !divisions.Known(n) {
		if _, ok := divisions.Resolve(n); !ok {
			return n, &Error{Kind: KindDivision, Reason: ReasonUnknown, Detail: n}
		}
	}
	return n, nil
}

func digitsOnly(k Kind, n string) error {
	if n == "" {
		return &Error{Kind: k, Reason: ReasonEmpty}
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return &Error{Kind: k, Reason: ReasonChars, Detail: showRune(r)}
		}
	}
	return nil
}

// clean removes white space, control and format characters (and, for phone
// numbers, dashes) and folds full-width ASCII variants (U+FF01-U+FF5E) to
// ASCII.
func clean(s string, dropDashes bool) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c <= ' ' || (dropDashes && c == '-') {
			ascii = false
			break
		}
	}
	if ascii {
		return s // the common case allocates nothing
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		// Format characters (zero-width space, BOM) come along with text
		// pasted from web pages and spreadsheets and are invisible.
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		if dropDashes && (r == '-' || (r >= 0x2010 && r <= 0x2015) || r == 0x2212) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// showRune makes an offending character visible in a message even when it
// is a control character or an unusual space.
func showRune(r rune) string {
	if unicode.IsGraphic(r) && !unicode.IsSpace(r) {
		return string(r)
	}
	return fmt.Sprintf("U+%04X", r)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads a short run of ASCII digits already known to be digits.
func atoi(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}
