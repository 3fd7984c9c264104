package forms

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// How numbers are found in free text.
//
// A person types an ID or mobile number in many spellings: in groups
// (110105 19680514 0036, 138-1106-2547, 1101 0519 6805 1400 36), with
// dots, slashes, NBSP, U+3000 or a line break between the groups, in
// full-width digits from a Chinese input method, with zero-width
// characters pasted from a web page. Masking reads a number as a group of
// digits (ASCII, full-width or any other Unicode decimal digit, plus X as
// an ID's check character) in which consecutive digits are at most maxGap
// characters apart, counting
//   - a run of white space of any kind as one character,
//   - a format character (zero-width space, BOM, bidi marks) or a
//     combining mark as none, since nobody sees it,
//   - any other separator (punctuation, symbols, '*') as one each.
//
// A letter or an ideograph ends the group: it is a word, not a
// separator, and Chinese sentences are dense with numbers a word apart
// ("2024年12月31日至2025年1月15日" would otherwise be one 18-digit group, and
// one such group in 11 passes the ID check by chance).
//
// Within a group every 18 digits that pass GB 11643's check (an X right
// after the 17th digit stands for the check character; any X also counts
// as a separator) lose their 8 middle digits, as an id_number answer
// does (110105********0036), and every 11 digits 1[3-9]xxxxxxxxx (a
// mainland mobile number, also after +86, 86 or 0086, whose digits are
// just more of the group) lose digits 4 to 7 (138****2547). Only digits
// change, one for one: an ASCII digit becomes '*', any other '＊';
// separators and the text around stay as they were, so the text stays
// readable. A long digit run that is neither (a bank card, say) may lose
// some digits where a window of it looks like one: in a masked export that
// is the safe side.
const maxGap = 3

// Sizes of what is looked for.
const (
	idDigits     = 18
	mobileDigits = 11
)

// numRune is one character of a group: the ASCII digit or 'X' it stands
// for, where it lies in the text, and whether it is to be masked.
type numRune struct {
	c      byte
	ascii  bool
	masked bool
	idHere bool // an ID number's first digit
	size   int32
	off    int
}

// digitLead marks the first bytes of UTF-8 encodings of decimal digits
// (ASCII, full-width and every other script's), so that text without
// digits is passed over a byte at a time without decoding it.
var digitLead = func() (t [256]bool) {
	for r := '0'; r <= '9'; r++ {
		t[r] = true
	}
	for _, rg := range unicode.Nd.R16 {
		for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
			t[string(r)[0]] = true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
			t[string(r)[0]] = true
		}
	}
	return t
}()

// hasDigits reports whether s holds at least n decimal digits. Most
// answers have fewer than a mobile number needs, and this is all they cost.
func hasDigits(s string, n int) bool {
	count := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if c-'0' < 10 {
				if count++; count >= n {
					return true
				}
			}
			continue
		}
		if !digitLead[c] {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsDigit(r) {
			if count++; count >= n {
				return true
			}
		}
		i += size - 1
	}
	return false
}

// numChar is the ASCII digit or 'X' that r stands for in a number, and
// whether r is ASCII; 0 for any other rune.
func numChar(r rune) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r), true
	case r == 'X' || r == 'x':
		return 'X', true
	case r < utf8.RuneSelf:
		return 0, false
	case r >= '０' && r <= '９':
		return byte(r-'０') + '0', false
	case r == 'Ｘ' || r == 'ｘ':
		return 'X', false
	case r >= 0x4E00 && r <= 0x9FFF: // CJK ideographs, most of the text
		return 0, false
	case unicode.IsDigit(r):
		// Unicode encodes every script's digits 0 to 9 in a row, and the
		// rows that touch are whole (held by TestDigitValues), so a
		// digit's value is how many digits precede it in its row, mod 10.
		n := 0
		for unicode.IsDigit(r - rune(n) - 1) {
			n++
		}
		return byte(n%10) + '0', false
	}
	return 0, false
}

// What a rune that is not part of a number does to a group.
const (
	sepOne       = iota // adds one to the gap
	sepSpace            // white space: a run of it adds one
	sepInvisible        // adds nothing
	sepWord             // ends the group
)

func sepKind(r rune) int {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case r == ' ' || (r >= '\t' && r <= '\r'):
			return sepSpace
		case (r|0x20) >= 'a' && (r|0x20) <= 'z':
			return sepWord
		}
		return sepOne
	case r >= 0x4E00 && r <= 0x9FFF: // CJK ideographs, most of the text
		return sepWord
	case unicode.IsSpace(r):
		return sepSpace
	case unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me):
		return sepInvisible
	case unicode.IsLetter(r):
		return sepWord
	}
	return sepOne
}

// MaskEmbeddedIDs masks every resident ID number and mainland mobile
// number in a text, in whatever spelling it was typed (see maxGap): a
// collector who types "户主身份证 110105 19680514 0036，电话138-1106-2547"
// into a remarks question has put two numbers where no `sensitive` column
// covers them, and a masked export must not carry them.
func MaskEmbeddedIDs(s string) string {
	if len(s) < mobileDigits || !hasDigits(s, mobileDigits) {
		return s
	}
	return maskNumbers(s, maxGap, true)
}

// maskNumberRuns is MaskEmbeddedIDs for an answer that has the shape of
// its question's type (a number, a date, a time, a geopoint): only digits
// side by side form a number, since the type's own separators (the '.',
// ':' and '-' of "2026-11-27T13:45:12.345+08:00", the spaces of a
// geopoint) join no digits of a person's number; and a mobile number is
// one only as a whole run (+86 or 0086 before it allowed), since a time's
// or a coordinate's fraction is not one. An ID number anywhere in a run is
// masked as in free text.
func maskNumberRuns(s string) string {
	if len(s) < mobileDigits || !hasDigitRun(s, mobileDigits) {
		return s
	}
	return maskNumbers(s, 0, false)
}

// hasDigitRun reports whether s may hold n digits side by side: it has n
// ASCII digits in a row, or a digit of another script (which the typed
// answers this is for never have, and which is left to maskNumbers).
func hasDigitRun(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c-'0' < 10:
			if run++; run >= n {
				return true
			}
		case c >= utf8.RuneSelf && digitLead[c]:
			return true
		default:
			run = 0
		}
	}
	return false
}

// maskNumbers reads the groups of s (digits at most gap apart) and masks
// in each the ID numbers and mobile numbers: in any window of the group
// when windows is set, only a whole group otherwise.
func maskNumbers(s string, gap int, windows bool) string {
	var out strings.Builder // grown on the first number masked
	last := 0               // s[:last] is in out
	// The open group is s[start:end], with digits digits; most groups are
	// a house number or a date, too short to be looked at again.
	start, end, digits := -1, 0, 0
	pending, inSpace := 0, false
	for i := 0; i < len(s); {
		if b := s[i]; start < 0 && (b < utf8.RuneSelf && b-'0' >= 10 || b >= utf8.RuneSelf && !digitLead[b]) {
			i++ // outside a group only a digit matters: pass over the rest a byte at a time
			continue
		}
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		c, _ := numChar(r)
		switch {
		case c == 'X':
			// A check character where it follows an ID's 17th digit, and
			// one more separator all the same: it joins no digits that
			// would be apart without it (a masked number's stars and an X
			// must not make a new one).
			if start >= 0 {
				end = i + size
				pending, inSpace = pending+1, false
			}
		case c != 0:
			if start < 0 {
				start = i
			}
			end, digits = i+size, digits+1
			pending, inSpace = 0, false
		case start >= 0 && gap == 0:
			pending = 1 // side by side means side by side
		case start >= 0:
			switch sepKind(r) {
			case sepOne:
				pending, inSpace = pending+1, false
			case sepSpace:
				if !inSpace {
					pending, inSpace = pending+1, true
				}
			case sepWord:
				pending = gap + 1
			}
		}
		if pending > gap && start >= 0 {
			if digits >= mobileDigits {
				last = flushGroup(s, start, end, windows, &out, last)
			}
			start, digits = -1, 0
		}
		i += size
	}
	if start >= 0 && digits >= mobileDigits {
		last = flushGroup(s, start, end, windows, &out, last)
	}
	if out.Len() == 0 {
		return s
	}
	out.WriteString(s[last:])
	return out.String()
}

// flushGroup masks the numbers of the group s[start:end] and writes s up
// to its last masked digit to out; it returns how far s is written.
func flushGroup(s string, start, end int, windows bool, out *strings.Builder, last int) int {
	var runBuf [2 * idDigits]numRune
	run := runBuf[:0]
	for i := start; i < end; {
		r, size := utf8.DecodeRuneInString(s[i:end])
		if c, ascii := numChar(r); c != 0 {
			run = append(run, numRune{c: c, ascii: ascii, off: i, size: int32(size)})
		}
		i += size
	}
	// The group's digits, without the X characters: an X is a check
	// character after the 17th digit of an ID, and elsewhere one more
	// separator between digits.
	var digBuf [2 * idDigits]int
	dig := digBuf[:0]
	for k := range run {
		if run[k].c != 'X' {
			dig = append(dig, k)
		}
	}
	found := false
	mark := func(from, to int) { // digits from..to-1 of the group are masked
		for _, k := range dig[from:to] {
			run[k].masked = true
		}
		found = true
	}
	n := len(dig)
	for w := 0; w+idDigits-1 <= n; w++ {
		sum := 0
		for j := 0; j < idDigits-1; j++ {
			sum += int(run[dig[w+j]].c-'0') * idWeights[j]
		}
		check := -1 // the run index of the check character
		switch want := idCheckChars[sum%11]; {
		case want == 'X':
			if next := dig[w+idDigits-2] + 1; next < len(run) && run[next].c == 'X' {
				check = next
			}
		case w+idDigits <= n && run[dig[w+idDigits-1]].c == want:
			check = dig[w+idDigits-1]
		}
		if check >= 0 {
			mark(w+6, w+14)
			run[dig[w]].idHere = true
		}
	}
	if windows {
		for w := 0; w+mobileDigits <= n; w++ {
			if isMobileStart(run, dig, w) && !insideID(run, dig, w) {
				mark(w+3, w+7)
			}
		}
	} else {
		// A whole run, or what an ID's mask leaves whole of it (masking
		// once more must find nothing new): 11 digits, or 86 / 0086 and
		// 11 digits.
		for from := 0; from < n; {
			to := from
			for to < n && !run[dig[to]].masked {
				to++
			}
			for _, prefix := range [...]string{"", "86", "0086"} {
				p := from + len(prefix)
				if to-from == len(prefix)+mobileDigits && hasPrefixDigits(run, dig[from:], prefix) && isMobileStart(run, dig, p) {
					mark(p+3, p+7)
				}
			}
			from = to + 1
		}
	}
	if !found {
		return last
	}
	for _, d := range run {
		if !d.masked {
			continue
		}
		if out.Len() == 0 {
			out.Grow(len(s) + 16)
		}
		out.WriteString(s[last:d.off])
		if d.ascii {
			out.WriteByte('*')
		} else {
			out.WriteString("＊")
		}
		last = d.off + int(d.size)
	}
	return last
}

// isMobileStart reports whether the group's digits from w on begin with a
// mainland mobile number, 1 then 3 to 9 (the segments cn_mobile accepts).
func isMobileStart(run []numRune, dig []int, w int) bool {
	return run[dig[w]].c == '1' && run[dig[w+1]].c >= '3'
}

// insideID reports whether the 11 digits from w on are all of one ID
// number found in the group: those are its digits, already masked as an
// ID's, and "130102 19900101 1234" must keep 130102, which 1[3-9] would
// otherwise take for a mobile number's start.
func insideID(run []numRune, dig []int, w int) bool {
	for a := max(0, w-(idDigits-mobileDigits)); a <= w; a++ {
		if run[dig[a]].idHere {
			return true
		}
	}
	return false
}

func hasPrefixDigits(run []numRune, dig []int, prefix string) bool {
	for j := 0; j < len(prefix); j++ {
		if run[dig[j]].c != prefix[j] {
			return false
		}
	}
	return true
}
