package forms

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sensitivity classes of the `sensitive` column.
const (
	SensitiveName     = "name"
	SensitiveIDNumber = "id_number"
	SensitivePhone    = "phone"
	SensitiveAddress  = "address"
	SensitiveBankCard = "bank_card"
)

// Mask hides the personal part of an answer of a sensitivity class, by the
// usual conventions (reference §3.2): an ID keeps its first 6 and last 4
// characters (110105********002X), a phone its first 3 and last 4
// (138****1234), a name its surname (张*, 欧阳**), an address everything up
// to the village (…镇…村****), a bank card its first 6 and last 4. Masked
// characters become '*', one for one, so the shape of the value survives.
// A value too short to keep anything safely is masked whole. What a name
// or an address keeps is then read as free text (MaskEmbeddedIDs): an ID
// or mobile number typed before the village in an address, say, is masked
// there (the kept ends of an ID, phone or card are at most 10 characters,
// too few for either). An empty class returns the value unchanged.
func Mask(class, value string) string {
	if value == "" {
		return ""
	}
	switch class {
	case SensitiveIDNumber, SensitiveBankCard:
		return keepEnds(value, 6, 4)
	case SensitivePhone:
		return keepEnds(value, 3, 4)
	case SensitiveName:
		return MaskEmbeddedIDs(maskName(value))
	case SensitiveAddress:
		return MaskEmbeddedIDs(maskAddress(value))
	case "":
		return value
	}
	return strings.Repeat("*", len([]rune(value))) // an unknown class hides everything
}

// MaskAnswer is the masked form of an answer to fd, the one function every
// masked export calls for an answer of the form: by the question's class
// (MaskClass) when it has one; else, for an answer with the shape of its
// question's type (a number, a date or time, a geopoint), every ID number
// and whole mobile number among its digit runs (maskNumberRuns: the
// type's separators join nothing); else every ID or mobile number in it,
// however spelt (MaskEmbeddedIDs). fd nil is an answer no form describes.
func MaskAnswer(fd *Field, value string) string {
	if fd == nil {
		return MaskEmbeddedIDs(value)
	}
	return maskAnswer(fd, MaskClass(fd), value)
}

// AnswerMasker is MaskAnswer for the answers to fd, with what depends
// only on the question (its class) worked out once: for a walk that
// masks every answer of many records.
func AnswerMasker(fd *Field) func(value string) string {
	if fd == nil {
		return MaskEmbeddedIDs
	}
	class := MaskClass(fd)
	return func(value string) string { return maskAnswer(fd, class, value) }
}

// maskAnswer is MaskAnswer of an answer to fd, whose class is class.
func maskAnswer(fd *Field, class, value string) string {
	if class != "" {
		return Mask(class, value)
	}
	if len(value) < mobileDigits {
		return value // too short for either number, however read (most answers)
	}
	switch fd.Type {
	case TypeInteger, TypeDecimal, TypeDate, TypeToday, TypeTime, TypeDateTime, TypeStart, TypeEnd, TypeGeopoint:
		if _, ok := checkType(fd.Type, value); ok {
			return maskNumberRuns(value)
		}
	}
	return MaskEmbeddedIDs(value)
}

// keepEnds keeps head runes and tail runes and stars the middle; when that
// would hide fewer than half of the value, everything is starred.
func keepEnds(value string, head, tail int) string {
	v := strings.TrimSpace(value)
	if !isASCII(v) {
		r := []rune(v)
		if len(r) < 2*(head+tail) && len(r) <= head+tail+3 {
			return strings.Repeat("*", len(r))
		}
		for i := head; i < len(r)-tail; i++ {
			r[i] = '*'
		}
		return string(r)
	}
	// The usual answer, ASCII digits: one allocation, not three.
	if len(v) < 2*(head+tail) && len(v) <= head+tail+3 {
		return strings.Repeat("*", len(v))
	}
	var b strings.Builder
	b.Grow(len(v))
	b.WriteString(v[:head])
	for range len(v) - head - tail {
		b.WriteByte('*')
	}
	b.WriteString(v[len(v)-tail:])
	return b.String()
}

// compoundSurnames are two-character Chinese surnames, which keep both
// characters when a name is masked.
var compoundSurnames = []string{
	"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
	"宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门",
	"澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "仲孙", "闻人",
	"赫连", "呼延", "万俟", "东郭", "百里", "第五", "左丘", "拓跋", "完颜", "司空",
}

// compoundSurnameBytes is the length of every compound surname in UTF-8:
// two ideographs of three bytes.
const compoundSurnameBytes = 6

// isCompoundSurname holds compoundSurnames: a lookup of a name's first
// six bytes instead of forty comparisons (a masked export masks every
// name).
var isCompoundSurname = func() map[string]bool {
	m := make(map[string]bool, len(compoundSurnames))
	for _, s := range compoundSurnames {
		if len(s) != compoundSurnameBytes {
			panic("forms: compound surname " + s + " is not two three-byte ideographs")
		}
		m[s] = true
	}
	return m
}()

func maskName(value string) string {
	name := strings.TrimSpace(value)
	first, size := utf8.DecodeRuneInString(name)
	n := utf8.RuneCountInString(name)
	if n <= 1 {
		return strings.Repeat("*", n)
	}
	if isHan(first) {
		keep := size
		if n > 2 && len(name) >= compoundSurnameBytes && isCompoundSurname[name[:compoundSurnameBytes]] {
			keep = compoundSurnameBytes
		}
		stars := n - utf8.RuneCountInString(name[:keep])
		var b strings.Builder
		b.Grow(keep + stars)
		b.WriteString(name[:keep])
		for range stars {
			b.WriteByte('*')
		}
		return b.String()
	}
	r := []rune(name)
	// Other scripts: keep the first letter, star the other letters and
	// digits, keep spaces and punctuation so the shape stays readable.
	out := make([]rune, len(r))
	for i, c := range r {
		if i > 0 && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
			c = '*'
		}
		out[i] = c
	}
	return string(out)
}

// Village-level and township-level words after which an address is cut.
var (
	villageMarks  = []string{"村委会", "居委会", "社区", "嘎查", "村"}
	townshipMarks = []string{"街道", "镇", "乡", "苏木"}
)

func maskAddress(value string) string {
	addr := strings.TrimSpace(value)
	for _, marks := range [][]string{villageMarks, townshipMarks} {
		cut := -1
		for _, m := range marks {
			if i := strings.Index(addr, m); i >= 0 && (cut < 0 || i+len(m) < cut) {
				cut = i + len(m)
			}
		}
		if cut >= 0 {
			rest := len([]rune(addr[cut:]))
			if rest == 0 {
				return addr
			}
			return addr[:cut] + strings.Repeat("*", rest)
		}
	}
	// No recognisable division word: keep the first third.
	r := []rune(addr)
	keep := len(r) / 3
	return string(r[:keep]) + strings.Repeat("*", len(r)-keep)
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
