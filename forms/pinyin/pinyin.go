// Package pinyin spells Chinese text in Hanyu Pinyin, for filtering choices
// by what a collector types without an input method (dazhi, dzjd for
// 大智街道) and for showing the built-in division names to readers of the
// English interface. The readings come from github.com/mozillazg/go-pinyin
// (the pinyin-data tables), one reading per character: a name whose
// character has several (长, 重) gets its most common one.
package pinyin

import (
	"strings"
	"sync"
	"unicode"

	gopinyin "github.com/mozillazg/go-pinyin"
)

var args = gopinyin.Args{Style: gopinyin.Normal, Fallback: func(rune, gopinyin.Args) []string { return nil }}

// Syllables is s as toneless lower-case syllables, one per Han character;
// a run of other letters or digits is kept as one lower-cased piece, and
// anything else (spaces, punctuation) separates pieces.
func Syllables(s string) []string {
	var out []string
	var run strings.Builder
	flush := func() {
		if run.Len() > 0 {
			out = append(out, strings.ToLower(run.String()))
			run.Reset()
		}
	}
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			flush()
			if p := syllable(r); p != "" {
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

// syllables caches each character's reading: go-pinyin builds a map and
// splits its table's entry at every call, and the townships' names have
// a few thousand characters among 170,000.
var (
	sylMu     sync.RWMutex
	syllables = map[rune]string{}
)

func syllable(r rune) string {
	sylMu.RLock()
	p, ok := syllables[r]
	sylMu.RUnlock()
	if ok {
		return p
	}
	if ps := gopinyin.SinglePinyin(r, args); len(ps) > 0 {
		p = ps[0]
	}
	sylMu.Lock()
	syllables[r] = p
	sylMu.Unlock()
	return p
}

// keys caches Key by text: the built-in lists repeat names (城关镇) and
// are shown again at every visit of a question.
var keys sync.Map

// Key is what a filter matches s by in pinyin: the syllables run together,
// NUL, then their initials ("dazhijiedao\x00dzjd"). It is "" for text
// without Han characters, which its own letters already match.
func Key(s string) string {
	if !hasHan(s) {
		return ""
	}
	if k, ok := keys.Load(s); ok {
		return k.(string)
	}
	syl := Syllables(s)
	var full, initials strings.Builder
	for _, p := range syl {
		full.WriteString(p)
		initials.WriteByte(p[0])
	}
	k := full.String() + "\x00" + initials.String()
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
	p := place(s)
	places.Store(s, p)
	return p
}

// places caches Place: an English screen shows the names of a list of
// 41,352 townships at every visit of the question.
var places sync.Map

func place(s string) string {
	stem, suffix := s, ""
	for _, suf := range placeSuffixes {
		if strings.HasSuffix(s, suf) && len(s) > len(suf) {
			stem, suffix = strings.TrimSuffix(s, suf), suf
			break
		}
	}
	out := word(stem)
	if suffix != "" {
		out += " " + word(suffix)
	}
	return out
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
