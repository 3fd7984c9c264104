package forms

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"
	"unicode"
	"unicode/utf8"
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
// `sensitive` column, or id_number for a resident-ID field whose author
// left that column empty (the validate column already says what it holds,
// and a masked export must not let an ID number through for a missing
// word in a spreadsheet).
func MaskClass(fd *Field) string {
	if fd.Sensitive != "" {
		return fd.Sensitive
	}
	if hasTag(fd.Validate, "cn_id") {
		return SensitiveIDNumber
	}
	return ""
}

// hasTag reports whether a validate column names tag, alone or among
// others (validator separates tags with ',' and alternatives with '|').
func hasTag(tags, tag string) bool {
	for _, t := range strings.FieldsFunc(tags, func(r rune) bool { return r == ',' || r == '|' }) {
		if strings.TrimSpace(t) == tag {
			return true
		}
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

// MaskEmbeddedIDs masks, as Mask does an id_number answer, every resident
// ID number that appears inside a longer text: a collector who types "户主
// 身份证110105194912310021" into a remarks question has put an ID where no
// `sensitive` column covers it, and a masked export must not carry it.
//
// Digits typed in full width (１１０１０５…, a Chinese input method's
// full-width mode), alone or mixed with ASCII ones, count too; a masked
// full-width digit becomes ＊, so the text keeps its length in bytes.
func MaskEmbeddedIDs(s string) string {
	if len(s) < 18 {
		return s
	}
	if strings.Contains(s, "\xef\xbc") || strings.Contains(s, "\xef\xbd") { // U+FF00..U+FF7F
		return maskWideIDs(s)
	}
	var b []byte // made on the first ID found: most texts have none
	for i := 0; i+18 <= len(s); {
		if !LooksLikeResidentID(s[i : i+18]) {
			i++
			continue
		}
		if b == nil {
			b = []byte(s)
		}
		for j := i + 6; j < i+14; j++ {
			b[j] = '*'
		}
		// Every window starting before i+14 now holds a '*'; the one
		// starting there may still be a second ID overlapping this one.
		i += 14
	}
	if b == nil {
		return s
	}
	return string(b)
}

// idRune is one character of a run that could be part of an ID number:
// the ASCII character it stands for, and where it lies in the text.
type idRune struct {
	c         byte
	off, size int
}

// idChar is the ASCII digit or X that r stands for in an ID number, in
// ASCII or full width; 0 for any other rune.
func idChar(r rune) byte {
	switch {
	case r >= '0' && r <= '9':
		return byte(r)
	case r >= '０' && r <= '９':
		return byte(r-'０') + '0'
	case r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ':
		return 'X'
	}
	return 0
}

// maskWideIDs is MaskEmbeddedIDs for a text with full-width characters:
// it reads runs of ID characters whatever their width.
func maskWideIDs(s string) string {
	var b []byte
	var run []idRune
	flush := func() {
		var w [18]byte
		for i := 0; i+18 <= len(run); {
			for k := range w {
				w[k] = run[i+k].c
			}
			if !LooksLikeResidentID(string(w[:])) {
				i++
				continue
			}
			if b == nil {
				b = []byte(s)
			}
			for _, r := range run[i+6 : i+14] {
				if r.size == 1 {
					b[r.off] = '*'
				} else {
					copy(b[r.off:], "＊") // as long as a full-width digit
				}
			}
			i += 14 // as in MaskEmbeddedIDs
		}
		run = run[:0]
	}
	for off, r := range s {
		c := idChar(r)
		if c == 0 {
			flush()
			continue
		}
		run = append(run, idRune{c, off, utf8.RuneLen(r)})
	}
	flush()
	if b == nil {
		return s
	}
	return string(b)
}
