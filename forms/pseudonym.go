package forms

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"
	"unicode"
)

// HoldsIDNumber reports whether a field's answers are a person's ID
// number: marked `sensitive` id_number, or checked as a resident ID
// (`validate` cn_id) whatever its sensitive column says. A unified social
// credit code (cn_uscc) is not one: it names a legal person and is printed
// on the business licence and in the public credit register.
func HoldsIDNumber(fd *Field) bool {
	return fd.Sensitive == SensitiveIDNumber || hasTag(fd.Validate, "cn_id")
}

// MaskClass is the sensitivity class masking applies to a field: its
// `sensitive` column; or, where the author left that column empty, what
// the question says it holds: id_number for a resident-ID check (`validate`
// cn_id), phone for a mobile-number check (cn_mobile) or the device's
// phone number (type phonenumber). A masked export must not let a number
// through for a missing word in a spreadsheet. A check among alternatives
// ("cn_mobile|email") counts too: masking an e-mail address as a phone
// hides more than needed, never less.
func MaskClass(fd *Field) string {
	switch {
	case fd.Sensitive != "":
		return fd.Sensitive
	case hasTag(fd.Validate, "cn_id"):
		return SensitiveIDNumber
	case hasTag(fd.Validate, "cn_mobile"), fd.Type == TypePhoneNumber:
		return SensitivePhone
	}
	return ""
}

// hasTag reports whether a validate column names tag, alone or among
// others (validator separates tags with ',' and alternatives with '|').
// It runs for every answer of a masked export, so it does not allocate.
func hasTag(tags, tag string) bool {
	for tags != "" {
		i := strings.IndexAny(tags, ",|")
		if i < 0 {
			i = len(tags)
		}
		if strings.TrimSpace(tags[:i]) == tag {
			return true
		}
		tags = tags[min(i+1, len(tags)):]
	}
	return false
}

// Pseudonymizer turns ID numbers into pseudonyms: HMAC-SHA256 under a
// secret key of the normalised number, as 64 lower-case hex digits. The
// same number always gives the same pseudonym under one key, so records of
// one person link across exports without the number; without the key the
// pseudonym cannot be reversed by trying every number, as a plain hash of
// the ~10^11 possible resident IDs can. It is not safe for concurrent use.
type Pseudonymizer struct {
	mac hash.Hash
	sum []byte
}

// NewPseudonymizer returns a Pseudonymizer keyed with key.
func NewPseudonymizer(key []byte) *Pseudonymizer {
	return &Pseudonymizer{mac: hmac.New(sha256.New, key), sum: make([]byte, 0, sha256.Size)}
}

// Of is the pseudonym of an ID number; "" for an empty answer, so that no
// answer does not look like a person.
func (p *Pseudonymizer) Of(value string) string {
	n := NormaliseIDNumber(value)
	if n == "" {
		return ""
	}
	p.mac.Reset()
	p.mac.Write([]byte(n))
	p.sum = p.mac.Sum(p.sum[:0])
	return hex.EncodeToString(p.sum)
}

// NormaliseIDNumber is the form of an ID number that is pseudonymised:
// without white space, full-width ASCII (from a Chinese input method)
// folded to ASCII, letters in upper case, so "11010519491231002x" and
// "110105 19491231002X" are one person, as the cn_id check stores them.
func NormaliseIDNumber(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r >= '！' && r <= '～': // U+FF01..U+FF5E, full-width ASCII
			r -= 0xFEE0
		}
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		return r
	}, s)
}

// idWeights and idCheckChars are GB 11643's MOD 11-2 check.
var (
	idWeights    = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheckChars = "10X98765432"
)

// LooksLikeResidentID reports whether s is 17 ASCII digits and the MOD 11-2
// check character of GB 11643 (digit or X, either case). The birth date is
// not checked: this finds numbers to hide, and hiding a few that are not
// IDs costs nothing.
func LooksLikeResidentID(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * idWeights[i]
	}
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	return idCheckChars[sum%11] == last
}
