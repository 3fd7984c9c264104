package forms

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms/cnid"
)

func TestMaskEmbeddedIDs(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"门牌3号", "门牌3号"},
		{"户主身份证11010519491231002X，已核对", "户主身份证110105********002X，已核对"},
		{"lower x: 11010519491231002x.", "lower x: 110105********002x."},
		{"两人 11010519491231002X 和 510129198504201231", "两人 110105********002X 和 510129********1231"},
		// A space apart, two IDs are one group of 35 digits, and a window
		// across both passes the check by chance (one in 11 does): more
		// is masked than the two IDs' middles, never less.
		{"两人 11010519491231002X 510129198504201231", "两人 110105***********X **************1231"},
		{"11010519491231002X", "110105********002X"},
		// A wrong check character: no ID, but 19491231002 has a mobile
		// number's shape, so a mistyped ID loses digits too.
		{"110105194912310022", "110105194****10022"},
		{"110105204912310022", "110105204912310022"},
		{"1101051949123100", "1101051949123100"}, // too short
		// Full width, from a Chinese input method, alone and mixed.
		{"身份证１１０１０５１９４９１２３１００２Ｘ。", "身份证１１０１０５＊＊＊＊＊＊＊＊００２Ｘ。"},
		{"身份证１１０１０５19491231００２ｘ", "身份证１１０１０５********００２ｘ"},
		{"门牌３号 11010519491231002X", "门牌３号 110105********002X"},
		{"１１０１０５１９４９１２３１００２２", "１１０１０５１９４＊＊＊＊１００２２"}, // wrong check character, as above

		// The spellings of issue 13, each once leaked whole.
		{"110105 19680514 0036", "110105 ******** 0036"},
		{"1101 0519 6805 1400 36", "1101 05** **** **00 36"},
		{"110105-19680514-0036", "110105-********-0036"},
		{"110105.19680514.0036", "110105.********.0036"},
		{"110105\u00a019680514\u00a00036", "110105\u00a0********\u00a00036"},
		{"110105\u300019680514\u30000036", "110105\u3000********\u30000036"},
		{"1101\u200b05196805\u200b140036", "1101\u200b05******\u200b**0036"},
		{"身份证\n110105\n19680514\n0036\n", "身份证\n110105\n********\n0036\n"},
		{"110105 - 19680514 / 0036", "110105 - ******** / 0036"},
		{"110105\r\n  \t19680514", "110105\r\n  \t19680514"}, // 14 digits: no ID, no mobile
		{"11010519491231002 X", "110105********002 X"},
		{"110105x19680514x0036", "110105x********x0036"}, // an X that is no check character joins
		{"（110105）（19680514）（0036）", "（110105）（********）（0036）"},
		// A Hebei ID keeps its division code: its 13 is not a phone's.
		{withCheck("13010219900101123"), "130102********" + withCheck("13010219900101123")[14:]},
		// Mobile numbers.
		{"13811062547", "138****2547"},
		{"电话13811062547。", "电话138****2547。"},
		{"138-1106-2547", "138-****-2547"},
		{"+86 138 1106 2547", "+86 138 **** 2547"},
		{"0086-138-1106-2547", "0086-138-****-2547"},
		{"86 13811062547", "86 138****2547"},
		{"１３８１１０６２５４７", "１３８＊＊＊＊２５４７"},
		{"138 1106 2547 或 139 1111 2222", "138 **** 2547 或 139 **** 2222"},
		{"138 1106 2547 / 139 1111 2222", "138 110* **** / *** **** 2222"}, // one group: as two IDs above
		{"户主身份证 110105 19680514 0036，电话 138-1106-2547", "户主身份证 110105 ******** 0036，电话 138-****-2547"},
		// Not numbers of a person: left as typed.
		{"12811062547", "12811062547"},         // no mobile number starts 12
		{"1381106254", "1381106254"},           // ten digits
		{"010-6512 3456", "010-6512 3456"},     // a landline
		{"138....11062547", "138....11062547"}, // four separators apart
		{"3号楼2单元502室，2026年3月15日第2次走访，年收入约18万元", "3号楼2单元502室，2026年3月15日第2次走访，年收入约18万元"},
		{"2024年12月31日至2025年1月15日共计136天", "2024年12月31日至2025年1月15日共计136天"},
	}
	for _, c := range cases {
		if got := MaskEmbeddedIDs(c.in); got != c.want {
			t.Errorf("MaskEmbeddedIDs(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
	// Two IDs sharing four digits: the second starts in the first's tail.
	// Both lose their middles (and windows across them that pass the
	// check by chance lose theirs).
	first, second := withCheck("51012919850420123"), withCheck("12311980010112345")
	if first != "510129198504201231" {
		t.Fatalf("withCheck is wrong: %s", first)
	}
	both := first + second[4:]
	got := MaskEmbeddedIDs(both)
	for i := range both {
		hidden := i >= 6 && i < 14 || i >= 20 && i < 28
		if hidden && got[i] != '*' || i < 6 && got[i] != both[i] {
			t.Errorf("overlapping IDs: %q", got)
			break
		}
	}
	// Every resident ID the cn_id check accepts is one LooksLikeResidentID finds.
	for _, id := range []string{"11010519491231002X", "510129198504201231", "110105196805140036"} {
		if _, err := cnid.ResidentID(id); err != nil {
			t.Fatalf("test ID %s: %v", id, err)
		}
		if !LooksLikeResidentID(id) {
			t.Errorf("LooksLikeResidentID(%s) = false", id)
		}
	}
	// Digits of other scripts count as what they stand for.
	var arabic, bold strings.Builder
	for _, d := range "13811062547" {
		arabic.WriteRune(0x0660 + d - '0')
		bold.WriteRune(0x1D7CE + d - '0')
	}
	for _, s := range []string{arabic.String(), bold.String()} {
		got := []rune(MaskEmbeddedIDs(s))
		if string(got[3:7]) != "＊＊＊＊" || string(got[:3]) != string([]rune(s)[:3]) {
			t.Errorf("%q masked to %q", s, string(got))
		}
	}
}

// TestDigitValues holds what numChar assumes of Unicode: every decimal
// digit is in a row of whole 0-to-9 sequences.
func TestDigitValues(t *testing.T) {
	run := 0
	for r := rune(0); r <= unicode.MaxRune+1; r++ {
		if r <= unicode.MaxRune && unicode.IsDigit(r) {
			run++
			continue
		}
		if run%10 != 0 {
			t.Errorf("digits before %U: a row of %d", r, run)
		}
		run = 0
	}
	for r, want := range map[rune]byte{'7': '7', '７': '7', 0x0663: '3', 0x0969: '3', 0x1D7D7: '9', 0x1D7E1: '9', 0x1D7FF: '9', 0x1D7CE: '0'} {
		if got, _ := numChar(r); got != want {
			t.Errorf("numChar(%U) = %c, want %c", r, got, want)
		}
		if !digitLead[string(r)[0]] {
			t.Errorf("%U: its first byte is not a digit's", r)
		}
	}
}

func TestMaskAnswer(t *testing.T) {
	text := &Field{Type: TypeText}
	cases := []struct {
		fd       *Field
		in, want string
	}{
		{text, "电话 138 1106 2547", "电话 138 **** 2547"},
		{nil, "电话 138 1106 2547", "电话 138 **** 2547"},
		// A mobile-number question without a sensitive column, and the
		// device's phone number, are phone numbers.
		{&Field{Type: TypeText, Validate: "cn_mobile"}, "138 1106 2547", "138******2547"},
		{&Field{Type: TypeText, Validate: "cn_mobile"}, "+86 138 1106 2547", "+86**********2547"},
		{&Field{Type: TypePhoneNumber}, "13811062547", "138****2547"},
		{&Field{Type: TypeText, Validate: "cn_id"}, "110105 19680514 0036", "110105**********0036"},
		// A class's kept part is read as free text.
		{&Field{Type: TypeText, Sensitive: SensitiveAddress}, "13811062547大路李村三组", "138****2547大路李村**"},
		// Typed answers of their type's shape: digits side by side only.
		{&Field{Type: TypeDateTime}, "2026-11-27T13:45:12.345+08:00", "2026-11-27T13:45:12.345+08:00"},
		{&Field{Type: TypeStart}, "2026-11-27T16:13:59.999+08:00", "2026-11-27T16:13:59.999+08:00"},
		{&Field{Type: TypeTime}, "13:45:12.345+08:00", "13:45:12.345+08:00"},
		{&Field{Type: TypeGeopoint}, "39.9876543 116.4123456 45.299999237060547 5.0", "39.9876543 116.4123456 45.299999237060547 5.0"},
		{&Field{Type: TypeDecimal}, "3.14159265358979", "3.14159265358979"},
		{&Field{Type: TypeDecimal}, "13811062547", "138****2547"},
		{&Field{Type: TypeDecimal}, "8613811062547", "86138****2547"},
		{&Field{Type: TypeDecimal}, "110105196805140036", "110105********0036"},
		{&Field{Type: TypeInteger}, "13811062547", "138****2547"}, // too large for an integer: free text
		// Not of its type's shape: free text.
		{&Field{Type: TypeDate}, "110105-19680514-0036", "110105-********-0036"},
		{&Field{Type: TypeTime}, "13:45 电话 138 1106 2547", "13:45 电话 138 **** 2547"},
	}
	for _, c := range cases {
		if got := MaskAnswer(c.fd, c.in); got != c.want {
			t.Errorf("MaskAnswer(%v, %q)\n = %q\nwant %q", c.fd, c.in, got, c.want)
		}
	}
	// The same timestamp typed as free text is read as digits with
	// separators, and a mobile-like run in it is masked: the type is
	// what tells a time from a number.
	if got := MaskEmbeddedIDs("2026-11-27T13:45:12.345+08:00"); got == "2026-11-27T13:45:12.345+08:00" {
		t.Errorf("free text: %q", got)
	}
}

// checkMasked fails t unless out is in, rune for rune, except digits
// that became '*' (ASCII) or '＊' (any other).
func checkMasked(t *testing.T, in, out string) {
	t.Helper()
	a, b := []rune(in), []rune(out)
	if len(a) != len(b) {
		t.Fatalf("%q -> %q: %d runes became %d", in, out, len(a), len(b))
	}
	for i := range a {
		switch {
		case a[i] == b[i]:
		case b[i] == '*' && a[i] >= '0' && a[i] <= '9':
		case b[i] == '＊' && a[i] >= utf8.RuneSelf && unicode.IsDigit(a[i]):
		default:
			t.Fatalf("%q -> %q: rune %d %q became %q", in, out, i, a[i], b[i])
		}
	}
}

// foldDigits is s with every digit and ID check character as ASCII and
// everything else dropped: a number however it was spelt.
func foldDigits(s string) string {
	var b []byte
	for _, r := range s {
		if c, _ := numChar(r); c != 0 {
			b = append(b, c)
		}
	}
	return string(b)
}

// personalNumbers lists the ID numbers and mobile numbers among the
// consecutive characters of digits.
func personalNumbers(digits string) []string {
	var found []string
	for i := 0; i < len(digits); i++ {
		if i+idDigits <= len(digits) && LooksLikeResidentID(digits[i:i+idDigits]) {
			found = append(found, digits[i:i+idDigits])
		}
		if i+mobileDigits <= len(digits) && digits[i] == '1' && digits[i+1] >= '3' && digits[i+1] <= '9' &&
			!strings.Contains(digits[i:i+mobileDigits], "X") {
			found = append(found, digits[i:i+mobileDigits])
		}
	}
	return found
}

// FuzzMaskEmbeddedIDs: whatever the text, the result differs only where
// digits became '*' (other scripts' digits '＊'), one for one; masking it
// again changes nothing (the masked digits split every group that held a
// number, and what is left of it was looked at); and it holds no ID or
// mobile number in consecutive characters, whatever their width. The
// same for maskNumberRuns, the typed answers' masking.
func FuzzMaskEmbeddedIDs(f *testing.F) {
	f.Add("户主身份证11010519491231002X，已核对")
	f.Add("11010519491231002X510129198504201231")
	f.Add("1101051949123100211010519491231002X")
	f.Add("xx11010519491231002x1")
	f.Add("身份证１１０１０５19491231００２ｘ")
	f.Add("110105 19680514\u200b0036 +86 138-1106-2547")
	f.Add("1101 0519 6805 1400 36")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		for _, m := range []struct {
			mask     func(string) string
			anywhere bool // mobile numbers anywhere in a run, or only as the whole run
		}{{MaskEmbeddedIDs, true}, {maskNumberRuns, false}} {
			got := m.mask(s)
			checkMasked(t, s, got)
			if again := m.mask(got); again != got {
				t.Fatalf("%q masked to %q, then to %q", s, got, again)
			}
			var run strings.Builder // consecutive characters of numbers
			for _, r := range got + "\x00" {
				if c, _ := numChar(r); c != 0 {
					run.WriteByte(c)
					continue
				}
				digits := run.String()
				run.Reset()
				for _, n := range personalNumbers(digits) {
					whole := n == digits || "86"+n == digits || "0086"+n == digits
					if len(n) == idDigits || m.anywhere || whole {
						t.Fatalf("%q masked to %q still holds %s", s, got, n)
					}
				}
			}
		}
	})
}

// spellings are what a person puts between the digits of a number, each
// with what it counts for against maxGap.
var spellings = []struct {
	s    string
	gaps int
}{
	{" ", 1}, {"  ", 1}, {"\t", 1}, {"\n", 1}, {"\r\n", 1}, {"\u00a0", 1}, {"\u3000", 1}, {" \u3000 ", 1},
	{"-", 1}, {".", 1}, {"/", 1}, {"·", 1}, {"，", 1}, {"、", 1}, {"－", 1}, {"—", 1}, {"*", 1}, {"_", 1},
	{"(", 1}, {")", 1}, {"#", 1}, {"+", 1}, {":", 1}, {"；", 1}, {"。", 1}, {"“", 1},
	{"\u200b", 0}, {"\u200c", 0}, {"\u200d", 0}, {"\u2060", 0}, {"\ufeff", 0}, {"\u00ad", 0}, {"\u0301", 0}, {"\u202e", 0},
}

// spell writes the digits of a number as a person might: each digit in
// ASCII, full width or another script, and between two digits separators
// worth at most maxGap.
func spell(rng *rand.Rand, digits string) (string, []int) {
	var b strings.Builder
	var at []int // the rune index of each digit
	runes := 0
	for i := 0; i < len(digits); i++ {
		if i > 0 {
			budget := rng.IntN(maxGap + 1)
			for tries := 0; tries < 4; tries++ {
				sp := spellings[rng.IntN(len(spellings))]
				if sp.gaps > budget {
					continue
				}
				budget -= sp.gaps
				b.WriteString(sp.s)
				runes += utf8.RuneCountInString(sp.s)
			}
		}
		at = append(at, runes)
		d := rune(digits[i])
		switch {
		case d == 'X':
			d = []rune("XxＸｘ")[rng.IntN(4)]
		case rng.IntN(3) == 0:
			d = []rune{'０', 0x0660, 0x0966, 0x1D7CE}[rng.IntN(4)] + d - '0'
		}
		b.WriteRune(d)
		runes++
	}
	return b.String(), at
}

// FuzzMaskSpelledNumbers: an ID number or mobile number (after +86, 86 or
// 0086 or not) spelt with any separators within the bound, in any digits,
// between any texts, comes out with its middle digits masked (an ID's 7th
// to 14th; four of a mobile number's), and what is left of it, every
// non-digit between its digits removed, holds no ID or mobile number.
func FuzzMaskSpelledNumbers(f *testing.F) {
	f.Add("户主身份证", "，已核对", uint64(1), false)
	f.Add("电话", "", uint64(2), true)
	f.Add("2026", "13", uint64(3), false)
	f.Add("", "X", uint64(4), true)
	f.Fuzz(func(t *testing.T, before, after string, seed uint64, mobile bool) {
		if !utf8.ValidString(before) || !utf8.ValidString(after) {
			return
		}
		rng := rand.New(rand.NewPCG(seed, seed>>32))
		var digits string
		var hide [2]int // digits hide[0]..hide[1]-1 must be masked
		if mobile {
			prefix := []string{"", "", "+86", "86", "0086"}[rng.IntN(5)]
			n := "1" + string(rune('3'+rng.IntN(7)))
			for len(n) < mobileDigits {
				n += string(rune('0' + rng.IntN(10)))
			}
			p := len(strings.TrimPrefix(prefix, "+"))
			digits, hide = strings.TrimPrefix(prefix, "+")+n, [2]int{p + 3, p + 7}
			if strings.HasPrefix(prefix, "+") {
				before += "+"
			}
		} else {
			d17 := ""
			for len(d17) < idDigits-1 {
				d17 += string(rune('0' + rng.IntN(10)))
			}
			digits, hide = withCheck(d17), [2]int{6, 14}
		}
		spelt, at := spell(rng, digits)
		in := before + spelt + after
		got := MaskEmbeddedIDs(in)
		checkMasked(t, in, got)
		out := []rune(got)
		start := utf8.RuneCountInString(before)
		masked := 0
		for k := range digits {
			r := out[start+at[k]]
			if r == '*' || r == '＊' {
				masked++
			} else if !mobile && k >= hide[0] && k < hide[1] {
				t.Fatalf("%q masked to %q: digit %d of %s is %q", in, got, k+1, digits, r)
			}
		}
		// A mobile number loses its 4th to 7th digits, or, when it lies
		// within an ID number found around it, at least 5 digits as the
		// ID's middle.
		if masked < hide[1]-hide[0] {
			t.Fatalf("%q masked to %q: %d digits of %s masked", in, got, masked, digits)
		}
		span := string(out[start : start+at[len(at)-1]+1])
		if found := personalNumbers(foldDigits(span)); len(found) > 0 {
			t.Fatalf("%q masked to %q: %q still holds %s", in, got, span, found[0])
		}
	})
}

// withCheck appends GB 11643's check character to 17 digits.
func withCheck(d17 string) string {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(d17[i]-'0') * idWeights[i]
	}
	return d17 + string(idCheckChars[sum%11])
}
