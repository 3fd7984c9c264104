// Package pinyin spells Chinese text in Hanyu Pinyin, for filtering choices
// by what a collector types without an input method (dazhi, dzjd for
// 大智街道) and for showing the built-in division names to readers of the
// English interface. The readings come from github.com/mozillazg/go-pinyin
// (the pinyin-data tables). Its readings are per character, without
// words: a filter key holds every reading of a name's polyphonic
// characters (长沙 matches changsha as well as zhangsha), and a shown name
// takes the reading places use (see placeReadings).
package pinyin

import (
	"strings"
	"sync"
	"unicode"

	gopinyin "github.com/mozillazg/go-pinyin"
)

var args = gopinyin.Args{Style: gopinyin.Normal, Heteronym: true, Fallback: func(rune, gopinyin.Args) []string { return nil }}

// placeReadings are the characters whose first reading in the tables is
// not the one place names use (长 is zhǎng first, but 长沙 is Changsha).
// Only the choice of reading is here; the readings are the library's.
var placeReadings = map[rune]string{'长': "chang", '重': "chong", '厦': "xia", '蚌': "beng", '单': "shan", '番': "pan"}

// piece is one Han character's readings (the place reading first), or a
// run of other letters and digits as its one reading.
type piece []string

// pieces splits s into Han characters and runs of other letters or
// digits; anything else (spaces, punctuation) separates pieces.
func pieces(s string) []piece {
	var out []piece
	var run strings.Builder
	flush := func() {
		if run.Len() > 0 {
			out = append(out, piece{strings.ToLower(run.String())})
			run.Reset()
		}
	}
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			flush()
			if p := readings(r); len(p) > 0 {
				out = append(out, p)
			}
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			run.WriteRune(r)
			continue
		}
		flush()
	}
	flush()
	return out
}

// Syllables is s as toneless lower-case syllables, one per Han character
// in the reading places use; a run of other letters or digits is kept as
// one lower-cased piece.
func Syllables(s string) []string {
	var out []string
	for _, p := range pieces(s) {
		out = append(out, p[0])
	}
	return out
}

// known caches each character's readings: go-pinyin builds a map and
// splits its table's entry at every call, and the townships' names have
// a few thousand characters among 170,000.
var (
	knownMu sync.RWMutex
	known   = map[rune]piece{}
)

func readings(r rune) piece {
	knownMu.RLock()
	p, ok := known[r]
	knownMu.RUnlock()
	if ok {
		return p
	}
	p = gopinyin.SinglePinyin(r, args)
	if pr, ok := placeReadings[r]; ok {
		p = append(piece{pr}, p...)
		for i := 1; i < len(p); i++ {
			if p[i] == pr {
				p = append(p[:i], p[i+1:]...)
				break
			}
		}
	}
	knownMu.Lock()
	known[r] = p
	knownMu.Unlock()
	return p
}

// keys caches Key by text: the built-in lists repeat names (城关镇) and
// are shown again at every visit of a question.
var keys sync.Map

// maxSpellings bounds the spellings of one name: a name of many
// polyphonic characters gets the first readings of the later ones.
const maxSpellings = 8

// Key is what a filter matches s by in pinyin: each spelling's syllables
// run together, then its initials, all separated by NUL
// ("dazhijiedao\x00dzjd"). It is "" for text without Han characters,
// which its own letters already match.
func Key(s string) string {
	if !hasHan(s) {
		return ""
	}
	if k, ok := keys.Load(s); ok {
		return k.(string)
	}
	full, initials := []string{""}, []string{""}
	for _, p := range pieces(s) {
		options := p
		if len(full)*len(p) > maxSpellings {
			options = p[:1]
		}
		var nf, ni []string
		for i := range full {
			for _, o := range options {
				nf = append(nf, full[i]+o)
				ni = append(ni, initials[i]+o[:1])
			}
		}
		full, initials = nf, ni
	}
	seen := map[string]bool{}
	var parts []string
	for _, k := range append(full, initials...) {
		if !seen[k] {
			seen[k] = true
			parts = append(parts, k)
		}
	}
	k := strings.Join(parts, "\x00")
	keys.Store(s, k)
	return k
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// placeSuffixes are the generic parts of division names, written as a
// word of their own after the specific part (Jiang'an Qu, Dazhi Jiedao),
// longest first so that 自治县 wins over 县.
var placeSuffixes = []string{"特别行政区", "街道办事处", "自治区", "自治州", "自治县", "自治旗", "民族乡", "民族镇",
	"街道", "地区", "新区", "林区", "特区", "矿区", "苏木", "省", "市", "区", "县", "旗", "盟", "州", "镇", "乡"}

// places caches Place: an English screen shows the names of a list of
// 41,352 townships at every visit of the question.
var places sync.Map

// Place spells a division name as place names are romanised: the
// specific part as one capitalised word with an apostrophe before a
// syllable starting with a, o or e (Xi'an), and the generic part as
// another ("江岸区" → "Jiang'an Qu"). Text without Han characters is
// returned as it is.
func Place(s string) string {
	if !hasHan(s) {
		return s
	}
	if p, ok := places.Load(s); ok {
		return p.(string)
	}
	stem, suffix := s, ""
	for _, suf := range placeSuffixes {
		if strings.HasSuffix(s, suf) && len(s) > len(suf) {
			stem, suffix = strings.TrimSuffix(s, suf), suf
			break
		}
	}
	p := word(stem)
	if suffix != "" {
		p += " " + word(suffix)
	}
	places.Store(s, p)
	return p
}

// word runs the syllables of s together as one capitalised word.
func word(s string) string {
	var b strings.Builder
	for i, p := range Syllables(s) {
		if i > 0 && strings.ContainsRune("aoe", rune(p[0])) {
			b.WriteByte('\'')
		}
		b.WriteString(p)
	}
	w := b.String()
	if w == "" {
		return s
	}
	return strings.ToUpper(w[:1]) + w[1:]
}
