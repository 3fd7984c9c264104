package cnid

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var idShape = regexp.MustCompile(`^\d{17}[\dX]$`)

// checkError asserts what every failure must offer: a *Error of the right
// kind whose messages render in all three languages.
func checkError(t *testing.T, in string, err error, k Kind) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Kind != k || e.Reason == "" {
		t.Fatalf("%q: error %#v is not a %s *Error", in, err, k)
	}
	for _, lang := range []string{LangHans, LangHant, LangEn} {
		m := e.Message(lang)
		if m == "" || strings.Contains(m, "{n}") || strings.Contains(m, "{0}") || !utf8.ValidString(m) {
			t.Fatalf("%q: bad %s message %q", in, lang, m)
		}
	}
}

func FuzzResidentID(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "440524188001010014", "440308199901101512",
		"110105194902310026", "110105491231002", "１１０１０５１９４９１２３１００２ｘ", "", "X", "00000000000000000X", "110105000002290013"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		norm, err := residentID(s, testNow)
		if err != nil {
			checkError(t, s, err, KindResidentID)
		} else {
			if !idShape.MatchString(norm) {
				t.Fatalf("%q accepted as %q", s, norm)
			}
			if again, err := residentID(norm, testNow); err != nil || again != norm {
				t.Fatalf("not idempotent: %q -> %q -> %q, %v", s, norm, again, err)
			}
			birth, _, addr := ResidentIDInfo(norm)
			if birth.IsZero() || addr != norm[:6] || birth.Year() < 1850 || birth.After(testNow) {
				t.Fatalf("%q: info %v %q", norm, birth, addr)
			}
			_ = ResidentIDAddressKnown(norm)
		}
		if up, err := upgrade15(s, testNow); err == nil {
			if len(up) != 18 || up[6:8] != "19" {
				t.Fatalf("Upgrade15(%q) = %q", s, up)
			}
			if _, err := residentID(up, testNow); err != nil {
				t.Fatalf("Upgrade15(%q) = %q, which fails: %v", s, up, err)
			}
		} else {
			checkError(t, s, err, KindResidentID)
		}
	})
}

func FuzzCreditCode(f *testing.F) {
	for _, s := range append([]string{"91350100M000100Y43", "91110000600037341L", "914403001922038216",
		"91350100m000100y43", "", "I", "ＡＢＣ"}, creditCodesWithLetters...) {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, pos uint8) {
		norm, err := CreditCode(s)
		if err != nil {
			checkError(t, s, err, KindCreditCode)
			return
		}
		if len(norm) != 18 || strings.Trim(norm, usccChars) != "" {
			t.Fatalf("%q accepted as %q", s, norm)
		}
		if again, err := CreditCode(norm); err != nil || again != norm {
			t.Fatalf("not idempotent: %q -> %q", norm, again)
		}
		// Any single substitution must be rejected.
		i := int(pos) % 18
		j := (int(usccValue[norm[i]]) + 1 + int(pos)/18%30) % 31
		bad := norm[:i] + usccChars[j:j+1] + norm[i+1:]
		if _, err := CreditCode(bad); err == nil {
			t.Fatalf("%q accepted after changing position %d: %q", norm, i+1, bad)
		}
	})
}

// FuzzCheck feeds arbitrary rule strings, answers and language tags; the
// Checker must never panic, and what it returns must be usable.
func FuzzCheck(f *testing.F) {
	seeds := [][3]string{
		{"cn_id", "11010519491231002x", "zh-Hans"},
		{"cn_mobile|email", "+86 138 1234 5678", "en"},
		{"min=2,max=20", "张三", "zh-Hant"},
		{"numeric,len=6", "10002", "zh"},
		{"cn_division", "320571", "zh-CN"},
		{"dive,required", "x", "en"},
		{"min=abc", "x", "en"},
		{"oneof=a b|len=3", "abc", "fr"},
		{"eqfield=X", "x", ""},
		{"required_if=A 1,unique", "x", "zh-TW"},
		{"datetime=2006-01-02,cn_postcode", "2024-01-01", "en"},
		{"excludesall=0x2C,cn_uscc", "91350100M000100Y43", "en"},
		{",|,", "x", "en"},
		{"=|=", "x", "en"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2])
	}
	c := checker()
	f.Fuzz(func(t *testing.T, tags, value, lang string) {
		norm, probs := c.Check(tags, value, lang)
		if strings.TrimSpace(value) == "" {
			if norm != value || probs != nil {
				t.Fatalf("blank %q checked: %q %v", value, norm, probs)
			}
			return
		}
		for _, p := range probs {
			if p.Message == "" {
				t.Fatalf("Check(%q, %q, %q): empty message in %+v", tags, value, lang, p)
			}
		}
		tagErr := c.CheckTags(tags)
		if tagErr != nil && len(probs) == 0 {
			t.Fatalf("Check(%q, %q) found nothing although CheckTags says %v", tags, value, tagErr)
		}
	})
}
