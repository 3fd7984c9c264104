package cnid

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-playground/locales/zh"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
)

var (
	testCheckerOnce sync.Once
	testChecker     *Checker
)

// checker is shared by the tests because building one registers hundreds of
// translations; the pinned clock keeps birth-date cases deterministic.
func checker() *Checker {
	testCheckerOnce.Do(func() {
		testChecker = NewChecker()
		testChecker.now = func() time.Time { return testNow }
	})
	return testChecker
}

func TestCheck(t *testing.T) {
	type P = Problem
	cases := []struct {
		tags, value, lang, norm string
		want                    []Problem
	}{
		{"cn_id", "11010519491231002x", "zh-Hans", "11010519491231002X", nil},
		{"cn_id", "440524188001010014", "zh-Hans", "440524188001010014", nil},
		{"cn_id", "110105194912310021", "zh-Hans", "110105194912310021", []P{{"cn_id", "身份证号码校验位不正确，请逐位核对", false}}},
		{"cn_id", "110105194902310026", "zh-Hant", "110105194902310026", []P{{"cn_id", "身份證號碼中的出生日期19490231不存在", false}}},
		{"cn_id", "110105202506020016", "en", "110105202506020016", []P{{"cn_id", "The birth date 20250602 in the resident ID number is after today", false}}},
		{"cn_id", "1101051949123100", "zh-Hans", "1101051949123100", []P{{"cn_id", "身份证号码应为18位，当前为16位", false}}},
		{"cn_id", "", "zh-Hans", "", nil},
		{"cn_id,required", "  ", "zh-Hans", "  ", nil}, // blank answers are never checked
		{"cn_uscc", "91350100m000100y43", "zh-Hans", "91350100M000100Y43", nil},
		{"cn_uscc", "91350100M000100Y44", "zh-Hans", "91350100M000100Y44", []P{{"cn_uscc", "统一社会信用代码校验位不正确，请逐位核对", false}}},
		{"cn_mobile", "+86 138-1234-5678", "zh-Hans", "13812345678", nil},
		{"cn_mobile", "12812345678", "zh-Hans", "12812345678", []P{{"cn_mobile", "手机号码应以13至19开头", false}}},
		{"cn_postcode", "10002", "zh-Hans", "10002", []P{{"cn_postcode", "邮政编码应为6位数字，当前为5位", false}}},
		{"cn_division", "320576", "zh-Hans", "320576", nil},
		{"cn_division", "320571", "zh-Hans", "320571", []P{{"cn_division", "区划代码320571不在2023年版区划表中，请核实", true}}},
		{"cn_division", "32057", "en", "32057", []P{{"cn_division", "The division code must have 2, 4, 6, 9 or 12 digits, not 5", false}}},

		// Standard tags, translated, with a subject for the empty field name.
		{"email", "abc", "zh-Hans", "abc", []P{{"email", "此项必须是一个有效的邮箱", false}}},
		{"email", "abc", "en", "abc", []P{{"email", "This answer must be a valid email address", false}}},
		{"min=2,max=20", "张", "zh-Hans", "张", []P{{"min", "此项长度必须至少为2个字符", false}}},
		{"min=2,max=20", "张三", "zh-Hans", "张三", nil},
		{"numeric,len=6", "10002x", "zh-Hans", "10002x", []P{{"numeric", "此项必须是一个有效的数值", false}}},
		{"numeric,len=6", "10002", "zh-Hant", "10002", []P{{"len", "此項長度必須為6個字元", false}}},
		{"required", "x", "zh-Hans", "x", nil},

		// Ours first, then standard tags on the normalised value.
		{"cn_mobile,len=11", "+86 138 1234 5678", "zh-Hans", "13812345678", nil},
		{" cn_id , required, ", "11010519491231002x", "zh-Hans", "11010519491231002X", nil},
		{"cn_id,email", "110105194912310021", "zh-Hans", "110105194912310021", []P{
			{"cn_id", "身份证号码校验位不正确，请逐位核对", false},
			{"email", "此项必须是一个有效的邮箱", false},
		}},

		// Alternatives.
		{"cn_mobile|email", "+8613812345678", "zh-Hans", "13812345678", nil},
		{"cn_mobile|email", "a@example.org", "zh-Hans", "a@example.org", nil},
		{"cn_mobile|email", "12812345678", "zh-Hans", "12812345678", []P{{"cn_mobile|email", "手机号码应以13至19开头；或者此项必须是一个有效的邮箱", false}}},
		{"email|url", "x", "en", "x", []P{{"email|url", "This answer must be a valid email address; or this answer must be a valid URL", false}}},
		{"cn_postcode|cn_division", "320571", "zh-Hans", "320571", nil}, // a valid postcode shape wins before the warning
		{"cn_division|email", "320571", "zh-Hans", "320571", []P{{"cn_division", "区划代码320571不在2023年版区划表中，请核实", true}}},

		// A bad rule is reported, never panics.
		{"nosuchrule", "x", "zh-Hans", "x", []P{{"nosuchrule", "校验规则“nosuchrule”无效：unknown rule", false}}},
	}
	c := checker()
	for _, tc := range cases {
		norm, got := c.Check(tc.tags, tc.value, tc.lang)
		if norm != tc.norm || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Check(%q, %q, %s) =\n  %q %#v\nwant\n  %q %#v", tc.tags, tc.value, tc.lang, norm, got, tc.norm, tc.want)
		}
	}
}

// Tags without a translation get a generic message in the right language
// rather than validator's English debugging text.
func TestCheckUntranslatedTag(t *testing.T) {
	c := checker()
	for lang, want := range map[string]string{
		"zh-Hans": "此项不符合校验规则“credit_card”",
		"zh-Hant": "此項不符合校驗規則「credit_card」",
		"en":      "This answer does not satisfy the rule “credit_card”",
	} {
		_, ps := c.Check("credit_card", "1234", lang)
		if len(ps) != 1 || ps[0].Message != want {
			t.Errorf("%s: %#v", lang, ps)
		}
	}
}

func TestCheckTags(t *testing.T) {
	c := checker()
	for _, ok := range []string{"", "cn_id", "cn_id,required", "email", "min=2,max=20", "numeric,len=6",
		"cn_mobile|email", "oneof=男 女", "omitempty,email", " cn_division ,", "startswith=11", "e164|cn_mobile"} {
		if err := c.CheckTags(ok); err != nil {
			t.Errorf("CheckTags(%q) = %v", ok, err)
		}
	}
	bad := map[string]string{
		"nosuch":          "unknown rule",
		"cn_id,nosuch":    "unknown rule",
		"min=abc":         "parameter",
		"len=":            "parameter",
		"max":             "parameter",
		"eqfield=Other":   "other fields",
		"required_if=A 1": "other fields",
		"dive,required":   "other fields",
		"cn_id=1":         "no parameter",
		"cn_mobile|":      "empty alternative",
		"omitempty|email": "alternative",
		"unique":          "Bad field type",
		"=":               "Invalid validation tag",
	}
	for tags, want := range bad {
		err := c.CheckTags(tags)
		var te *TagError
		if !errors.As(err, &te) || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckTags(%q) = %v, want a TagError mentioning %q", tags, err, want)
		}
	}
	if err := CheckTags("cn_id"); err != nil {
		t.Error(err)
	}
	if err := CheckTags("nosuch"); err == nil || err.Error() != `validate rule "nosuch": unknown rule` {
		t.Errorf("package CheckTags: %v", err)
	}
}

// The tags used through a plain validator, as other code (struct
// validation) would.
func TestRegister(t *testing.T) {
	v := validator.New()
	if err := Register(v); err != nil {
		t.Fatal(err)
	}
	pass := map[string]string{
		"11010519491231002x": "cn_id",
		"91350100M000100Y43": "cn_uscc",
		"+86 13812345678":    "cn_mobile",
		"100020":             "cn_postcode",
		"320576":             "cn_division",
		"320571":             "cn_division", // unknown: a warning, so the tag passes
		"":                   "omitempty,cn_id",
	}
	for val, tag := range pass {
		if err := v.Var(val, tag); err != nil {
			t.Errorf("Var(%q, %s) = %v", val, tag, err)
		}
	}
	fail := map[string]string{
		"110105194912310021": "cn_id",
		"91350100M000100Y44": "cn_uscc",
		"12812345678":        "cn_mobile",
		"10002":              "cn_postcode",
		"32057":              "cn_division",
	}
	for val, tag := range fail {
		if err := v.Var(val, tag); err == nil {
			t.Errorf("Var(%q, %s) passed", val, tag)
		}
	}
	if err := v.Var("", "cn_id"); err == nil {
		t.Error("empty string passed cn_id without omitempty")
	}
	if err := v.Var(12345, "cn_postcode"); err == nil {
		t.Error("an int passed cn_postcode")
	}
}

func TestRegisterTranslations(t *testing.T) {
	v := validator.New()
	if err := Register(v); err != nil {
		t.Fatal(err)
	}
	zhLoc := zh.New()
	trans, _ := ut.New(zhLoc, zhLoc).GetTranslator("zh")
	// A caller's own wording, added first, is kept.
	if err := trans.Add(TranslationKey(KindMobile, ReasonPrefix), "号段不对", false); err != nil {
		t.Fatal(err)
	}
	if err := RegisterTranslations(v, trans, "zh-Hans"); err != nil {
		t.Fatal(err)
	}
	type household struct {
		Head   string `validate:"cn_id"`
		Phone  string `validate:"cn_mobile"`
		Region string `validate:"cn_division"`
	}
	err := v.Struct(household{Head: "110105194902310026", Phone: "12812345678", Region: "3205"})
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) || len(ves) != 2 {
		t.Fatalf("Struct = %v", err)
	}
	want := []string{"Head：身份证号码中的出生日期19490231不存在", "Phone：号段不对"}
	for i, fe := range ves {
		if got := fe.Translate(trans); got != want[i] {
			t.Errorf("Translate = %q, want %q", got, want[i])
		}
	}
}

func TestCheckConcurrent(t *testing.T) {
	c := checker()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				tags := []string{"cn_id", "email", "cn_mobile|email", "min=2,max=20", "cn_division"}[(g+i)%5]
				lang := []string{"zh-Hans", "zh-Hant", "en"}[i%3]
				c.Check(tags, "11010519491231002x", lang)
				c.Check(tags, "abc", lang)
			}
		}(g)
	}
	wg.Wait()
}

func BenchmarkCheckID(b *testing.B) {
	c := checker()
	b.ReportAllocs()
	for b.Loop() {
		if _, ps := c.Check("cn_id", "11010519491231002x", "zh-Hans"); ps != nil {
			b.Fatal(ps)
		}
	}
}

func BenchmarkCheckIDInvalid(b *testing.B) {
	c := checker()
	b.ReportAllocs()
	for b.Loop() {
		if _, ps := c.Check("cn_id", "110105194912310021", "zh-Hans"); ps == nil {
			b.Fatal("passed")
		}
	}
}

func BenchmarkCheckStandard(b *testing.B) {
	c := checker()
	b.ReportAllocs()
	for b.Loop() {
		if _, ps := c.Check("min=2,max=20", "张三", "zh-Hans"); ps != nil {
			b.Fatal(ps)
		}
	}
}

func BenchmarkCheckStandardInvalid(b *testing.B) {
	c := checker()
	b.ReportAllocs()
	for b.Loop() {
		if _, ps := c.Check("email", "abc", "zh-Hans"); ps == nil {
			b.Fatal("passed")
		}
	}
}

func BenchmarkResidentID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ResidentID("11010519491231002X"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewChecker(b *testing.B) {
	for b.Loop() {
		NewChecker()
	}
}
