package cnid

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// testNow is 2025-06-01 10:00 in China, 02:00 UTC. Check characters of the
// constructed IDs below were computed independently (a few lines of Python
// implementing GB 11643's formula), not with this package.
var testNow = time.Date(2025, 6, 1, 2, 0, 0, 0, time.UTC)

func TestResidentID(t *testing.T) {
	cases := []struct {
		in, norm string
		want     error // nil or a sentinel
	}{
		{"11010519491231002X", "11010519491231002X", nil}, // GB 11643 sample, female
		{"11010519491231002x", "11010519491231002X", nil}, // lower-case x stored upper
		{" 110105 19491231 002x ", "11010519491231002X", nil},
		{"１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", nil},             // full-width IME input
		{"\ufeff11010519491231002X\u200b", "11010519491231002X", nil}, // pasted BOM and zero-width space
		{"440524188001010014", "440524188001010014", nil},             // GB 11643 sample; 440524 no longer exists
		{"440308199901101512", "440308199901101512", nil},
		{"110105200002290013", "110105200002290013", nil}, // 2000 is a leap year
		{"110105185001010021", "110105185001010021", nil}, // earliest allowed
		{"110105202506010010", "110105202506010010", nil}, // born today (China time)

		{"110105194912310021", "", ErrChecksum},  // sample with the check character changed
		{"11010519491231002X0", "", ErrLength},   // 19 characters
		{"11010519491231002", "", ErrLength},     // 17 digits
		{"110105194902310026", "", ErrBirthDate}, // 19490231, check character valid
		{"110105194913010029", "", ErrBirthDate}, // month 13
		{"110105190002290017", "", ErrBirthDate}, // 1900 is not a leap year
		{"110105209901010012", "", ErrBirthFuture},
		{"110105202506020016", "", ErrBirthFuture}, // tomorrow in China
		{"110105184912310020", "", ErrBirthEarly},
		{"11010519491231002A", "", ErrChars},
		{"1101051949123100X2", "", ErrChars}, // X only as the last character
		{"ABCDEFGHIJKLMNOPQR", "", ErrChars},
		{"110105491231002", "", ErrOld15},
		{"", "", ErrEmpty},
		{"   ", "", ErrEmpty},
	}
	for _, c := range cases {
		norm, err := residentID(c.in, testNow)
		if c.want == nil {
			if err != nil || norm != c.norm {
				t.Errorf("ResidentID(%q) = %q, %v; want %q", c.in, norm, err, c.norm)
			}
			continue
		}
		if !errors.Is(err, c.want) {
			t.Errorf("ResidentID(%q) error = %v; want %v", c.in, err, c.want)
		}
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindResidentID {
			t.Errorf("ResidentID(%q) error %#v is not a resident ID *Error", c.in, err)
		}
	}
}

// MOD 11-2 catches every single-character substitution; make sure the code
// does too, position by position.
func TestResidentIDSingleChanges(t *testing.T) {
	const good = "440308199901101512"
	for i := 0; i < len(good); i++ {
		for _, r := range "0123456789X" {
			if byte(r) == good[i] {
				continue
			}
			bad := good[:i] + string(r) + good[i+1:]
			if _, err := residentID(bad, testNow); err == nil {
				t.Errorf("%s (position %d changed) accepted", bad, i+1)
			}
		}
	}
}

func TestResidentIDErrorDetails(t *testing.T) {
	_, err := residentID("110105194902310026", testNow)
	var e *Error
	if !errors.As(err, &e) || e.Detail != "19490231" {
		t.Fatalf("detail = %#v", err)
	}
	_, err = residentID("1101051949", testNow)
	if !errors.As(err, &e) || e.Len != 10 {
		t.Fatalf("length = %#v", err)
	}
}

func TestUpgrade15(t *testing.T) {
	got, err := upgrade15("110105491231002", testNow)
	if err != nil || got != "11010519491231002X" {
		t.Errorf("Upgrade15 = %q, %v", got, err)
	}
	for in, want := range map[string]error{
		"110105490231002":    ErrBirthDate,
		"11010549123100":     ErrLength,
		"11010519491231002X": ErrChars,
		"440308199901101512": ErrLength,
		"":                   ErrEmpty,
	} {
		if _, err := upgrade15(in, testNow); !errors.Is(err, want) {
			t.Errorf("Upgrade15(%q) error = %v, want %v", in, err, want)
		}
	}
	if _, err := Upgrade15("110105491231002"); err != nil {
		t.Error(err)
	}
}

func TestResidentIDInfo(t *testing.T) {
	birth, male, addr := ResidentIDInfo("11010519491231002X")
	if !birth.Equal(time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC)) || male || addr != "110105" {
		t.Errorf("info = %v %v %v", birth, male, addr)
	}
	birth, male, addr = ResidentIDInfo("440524188001010014")
	if birth.Year() != 1880 || !male || addr != "440524" {
		t.Errorf("info = %v %v %v", birth, male, addr)
	}
	if b, _, a := ResidentIDInfo("110105194902310026"); !b.IsZero() || a != "" {
		t.Error("impossible date decoded")
	}
	if b, _, _ := ResidentIDInfo("short"); !b.IsZero() {
		t.Error("short input decoded")
	}
	if !ResidentIDAddressKnown("11010519491231002X") || ResidentIDAddressKnown("440524188001010014") || ResidentIDAddressKnown("") {
		t.Error("ResidentIDAddressKnown")
	}
	if _, err := ResidentID("11010519491231002X"); err != nil {
		t.Error(err)
	}
}

// Codes with a letter among the first 8 characters were built by choosing
// 17 characters (registration authority N = rural collective or Y = other,
// a type digit, a 2023 division code, a made-up subject identifier) and
// appending C = (31 − Σ vᵢ·3^(i−1) mod 31) mod 31, computed in Python
// independently of this package; the sums are given for checking by hand.
var creditCodesWithLetters = []string{
	"N2110105MA01ABCDET", // Σ = 2144, 2144 mod 31 = 5, C = 26 = T
	"Y1330782MA2E4FJN4K", // Σ = 2771, 2771 mod 31 = 12, C = 19 = K
	"N2J1010588HW3KLU08", // letter inside the division part too; Σ = 2999, C = 8
}

func TestCreditCode(t *testing.T) {
	good := append([]string{"91350100M000100Y43", "91110000600037341L", "914403001922038216"}, creditCodesWithLetters...)
	for _, c := range good {
		if n, err := CreditCode(c); err != nil || n != c {
			t.Errorf("CreditCode(%q) = %q, %v", c, n, err)
		}
		if n, err := CreditCode(" " + strings.ToLower(c) + " "); err != nil || n != c {
			t.Errorf("CreditCode(lower %q) = %q, %v", c, n, err)
		}
		// Every single substitution within the alphabet must be caught
		// (31 is prime and no weight is 0 mod 31).
		for i := 0; i < len(c); i++ {
			for j := 0; j < len(usccChars); j++ {
				if usccChars[j] == c[i] {
					continue
				}
				bad := c[:i] + usccChars[j:j+1] + c[i+1:]
				if _, err := CreditCode(bad); !errors.Is(err, ErrChecksum) {
					t.Fatalf("%s (position %d changed) gave %v", bad, i+1, err)
				}
			}
		}
	}
	for in, want := range map[string]error{
		"91350100M000100Y4":   ErrLength,
		"91350100M000100Y433": ErrLength,
		"91350100M000100I43":  ErrChars, // I is not in the alphabet
		"91350100M000100O43":  ErrChars,
		"91350100M000100Y4-":  ErrChars,
		"":                    ErrEmpty,
	} {
		if _, err := CreditCode(in); !errors.Is(err, want) {
			t.Errorf("CreditCode(%q) error = %v, want %v", in, err, want)
		}
	}
	_, err := CreditCode("91350100M000100I43")
	var e *Error
	if !errors.As(err, &e) || e.Detail != "I" || e.Kind != KindCreditCode {
		t.Errorf("detail = %#v", err)
	}
}

func TestMobile(t *testing.T) {
	good := map[string]string{
		"13812345678":             "13812345678",
		"138 1234 5678":           "13812345678",
		"138-1234-5678":           "13812345678",
		"+86 138 1234 5678":       "13812345678",
		"+8613812345678":          "13812345678",
		"0086-138-1234-5678":      "13812345678",
		"8613812345678":           "13812345678",
		"19912345678":             "19912345678",
		"１３８１２３４５６７８":             "13812345678",
		"138\u20141234\u20145678": "13812345678",
	}
	for in, want := range good {
		if n, err := Mobile(in); err != nil || n != want {
			t.Errorf("Mobile(%q) = %q, %v", in, n, err)
		}
	}
	bad := map[string]error{
		"12812345678":      ErrPrefix,
		"23812345678":      ErrPrefix,
		"1381234567":       ErrLength,
		"861381234567":     ErrLength, // 86 not followed by 11 digits is kept
		"+86138123456789":  ErrChars,
		"+1 555 123 4567":  ErrChars,
		"138123456ab":      ErrChars,
		"":                 ErrEmpty,
		"010-12345678":     ErrPrefix, // a Beijing landline has 11 digits too
		"+86 (138)1234567": ErrChars,
	}
	for in, want := range bad {
		if _, err := Mobile(in); !errors.Is(err, want) {
			t.Errorf("Mobile(%q) error = %v, want %v", in, err, want)
		}
	}
}

func TestPostcode(t *testing.T) {
	if n, err := Postcode(" 100 020 "); err != nil || n != "100020" {
		t.Errorf("Postcode = %q, %v", n, err)
	}
	for in, want := range map[string]error{"10002": ErrLength, "1000200": ErrLength, "10002a": ErrChars, "": ErrEmpty} {
		if _, err := Postcode(in); !errors.Is(err, want) {
			t.Errorf("Postcode(%q) error = %v, want %v", in, err, want)
		}
	}
}

func TestDivision(t *testing.T) {
	for _, in := range []string{"11", "1101", "110105", "110105001", "110105001001", "320576", "320500", "110105000000"} {
		if n, err := Division(in); err != nil || n != in {
			t.Errorf("Division(%q) = %q, %v", in, n, err)
		}
	}
	for _, in := range []string{"320571", "440524", "99", "110105999001"} {
		n, err := Division(in)
		if !errors.Is(err, ErrUnknownDivision) || n != in || !IsWarning(err) {
			t.Errorf("Division(%q) = %q, %v; want the code and ErrUnknownDivision", in, n, err)
		}
	}
	for in, want := range map[string]error{"1101050": ErrLength, "1": ErrLength, "11010a": ErrChars, "": ErrEmpty} {
		_, err := Division(in)
		if !errors.Is(err, want) || IsWarning(err) || errors.Is(err, ErrUnknownDivision) {
			t.Errorf("Division(%q) error = %v, want %v", in, err, want)
		}
	}
}

func TestErrorsIs(t *testing.T) {
	_, err := CreditCode("91350100M000100Y44")
	if !errors.Is(err, ErrChecksum) || !errors.Is(err, &Error{Kind: KindCreditCode, Reason: ReasonChecksum}) {
		t.Error("errors.Is by reason")
	}
	if errors.Is(err, &Error{Kind: KindResidentID, Reason: ReasonChecksum}) {
		t.Error("errors.Is must respect a target's Kind")
	}
}

func TestMessages(t *testing.T) {
	msg := func(in string, lang string) string {
		_, err := residentID(in, testNow)
		return Message(err, lang)
	}
	cases := []struct{ in, lang, want string }{
		{"110105194912310021", "zh-Hans", "身份证号码校验位不正确，请逐位核对"},
		{"110105194912310021", "zh-Hant", "身份證號碼校驗位不正確，請逐位核對"},
		{"110105194912310021", "en", "The resident ID number has a wrong check character; please check every digit"},
		{"110105194902310026", "zh-Hans", "身份证号码中的出生日期19490231不存在"},
		{"110105194902310026", "zh-Hant", "身份證號碼中的出生日期19490231不存在"},
		{"110105194902310026", "en", "The birth date 19490231 in the resident ID number does not exist"},
		{"11010519491231002", "zh-Hans", "身份证号码应为18位，当前为17位"},
		{"11010519491231002", "zh-TW", "身份證號碼應為18位，當前為17位"},
		{"11010519491231002", "fr", "The resident ID number must have 18 characters, not 17"},
		{"110105209901010012", "zh-CN", "身份证号码中的出生日期20990101晚于今天"},
		{"110105491231002", "zh", "这是15位的旧身份证号码，请填写18位号码"},
	}
	for _, c := range cases {
		if got := msg(c.in, c.lang); got != c.want {
			t.Errorf("%s in %s: %q, want %q", c.in, c.lang, got, c.want)
		}
	}
	_, err := Division("320571")
	if got := Message(err, "zh-Hans"); got != "区划代码320571不在2023年版区划表中，请核实" {
		t.Errorf("unknown division message %q", got)
	}
	_, err = CreditCode("91350100M000100I43")
	if got := Message(err, "zh-Hans"); !strings.Contains(got, "“I”") {
		t.Errorf("credit code chars message %q", got)
	}
	_, err = Mobile("138\x001234567")
	if got := Message(err, "en"); got != "The mobile number must have 11 digits, not 10" {
		t.Errorf("control characters should be dropped: %q", got)
	}
	if Message(nil, "en") != "" || Message(errors.New("x"), "en") != "x" {
		t.Error("Message of nil or a foreign error")
	}
	// Every message must render in all three languages without leftover
	// placeholders.
	for k := range messages {
		for _, lang := range []string{LangHans, LangHant, LangEn} {
			e := &Error{Kind: k.kind, Reason: k.reason, Len: 3, Detail: "Q"}
			if m := e.Message(lang); m == "" || strings.ContainsAny(m, "{}") {
				t.Errorf("%v in %s: %q", k, lang, m)
			}
		}
	}
}

func TestNormLang(t *testing.T) {
	for in, want := range map[string]string{
		"zh-Hans": LangHans, "zh": LangHans, "zh-CN": LangHans, "zh_Hans_CN": LangHans, "ZH-SG": LangHans,
		"zh-Hant": LangHant, "zh-TW": LangHant, "zh-Hant-HK": LangHant, "zh_HK": LangHant, "zh-Hans-HK": LangHans,
		"en": LangEn, "en-GB": LangEn, "": LangEn, "zhx": LangEn,
		"Chinese (zh)": LangHans, "中文 (zh-Hant)": LangHant, "English (en)": LangEn,
	} {
		if got := NormLang(in); got != want {
			t.Errorf("NormLang(%q) = %q, want %q", in, got, want)
		}
	}
}
