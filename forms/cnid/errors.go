package cnid

import (
	"errors"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms/divisions"
)

// Kind names the identifier an error is about.
type Kind string

// Kinds double as the suffix of the validator tags (cn_id, cn_uscc, ...).
const (
	KindResidentID Kind = "id"
	KindCreditCode Kind = "uscc"
	KindMobile     Kind = "mobile"
	KindPostcode   Kind = "postcode"
	KindDivision   Kind = "division"
)

// Tag is the go-playground/validator tag that checks this kind.
func (k Kind) Tag() string { return "cn_" + string(k) }

// Reason is the machine-readable cause of a failed check. The values are
// stable and may be stored or used as translation keys.
type Reason string

// Reasons. Not every reason applies to every kind.
const (
	ReasonEmpty       Reason = "empty"        // nothing left after clean-up
	ReasonLength      Reason = "length"       // wrong number of characters; Error.Len says how many
	ReasonChars       Reason = "chars"        // a character outside the allowed set; Error.Detail holds it
	ReasonChecksum    Reason = "checksum"     // check character does not match
	ReasonOld15       Reason = "old15"        // a 15-digit first-generation ID number
	ReasonBirthDate   Reason = "birth_date"   // not a calendar date; Error.Detail holds YYYYMMDD
	ReasonBirthFuture Reason = "birth_future" // after today (China time)
	ReasonBirthEarly  Reason = "birth_early"  // before 1850
	ReasonPrefix      Reason = "prefix"       // mobile number not starting 13-19
	ReasonUnknown     Reason = "unknown"      // well-formed division code not in the bundled edition
)

// Error is the error type returned by every check in this package. Compare
// with errors.Is against the Err* values, or switch on Reason.
type Error struct {
	Kind   Kind
	Reason Reason
	Len    int    // characters seen, for ReasonLength
	Detail string // offending character or birth date, when useful
}

// Sentinels for errors.Is. Those without a Kind match every kind with the
// same Reason.
var (
	ErrEmpty           = &Error{Reason: ReasonEmpty}
	ErrLength          = &Error{Reason: ReasonLength}
	ErrChars           = &Error{Reason: ReasonChars}
	ErrChecksum        = &Error{Reason: ReasonChecksum}
	ErrOld15           = &Error{Reason: ReasonOld15}
	ErrBirthDate       = &Error{Reason: ReasonBirthDate}
	ErrBirthFuture     = &Error{Reason: ReasonBirthFuture}
	ErrBirthEarly      = &Error{Reason: ReasonBirthEarly}
	ErrPrefix          = &Error{Reason: ReasonPrefix}
	ErrUnknownDivision = &Error{Kind: KindDivision, Reason: ReasonUnknown}
)

// Is lets errors.Is match on Reason (and on Kind when the target sets one),
// ignoring Len and Detail.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Reason == e.Reason && (t.Kind == "" || t.Kind == e.Kind)
}

// Error gives the English message.
func (e *Error) Error() string { return e.Message("en") }

// Warning reports whether the finding should be shown without blocking the
// answer: division codes change every year, so an unknown one may simply be
// newer (or older) than the bundled edition.
func (e *Error) Warning() bool { return e.Reason == ReasonUnknown }

// IsWarning reports whether err is a cnid warning (see Error.Warning).
func IsWarning(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Warning()
}

// Languages supported by the messages, as BCP 47 tags.
const (
	LangHans = "zh-Hans"
	LangHant = "zh-Hant"
	LangEn   = "en"
)

// NormLang maps a language tag to one of the three supported ones. Chinese
// tags with a Traditional script or a Taiwan, Hong Kong or Macao region get
// zh-Hant, other Chinese tags zh-Hans, and everything else English. XLSForm
// language names such as "Chinese (zh-Hans)" are read by their code.
func NormLang(lang string) string {
	switch lang {
	case LangHans, LangHant, LangEn:
		return lang // the common case, without allocating
	}
	if i := strings.LastIndexByte(lang, '('); i >= 0 && strings.HasSuffix(lang, ")") {
		lang = lang[i+1 : len(lang)-1]
	}
	l := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(lang), "_", "-"))
	if l != "zh" && !strings.HasPrefix(l, "zh-") {
		return LangEn
	}
	// An explicit script wins over a region (zh-Hans-HK is Simplified).
	parts := strings.Split(l, "-")[1:]
	for _, p := range parts {
		switch p {
		case "hans":
			return LangHans
		case "hant":
			return LangHant
		}
	}
	for _, p := range parts {
		switch p {
		case "tw", "hk", "mo":
			return LangHant
		}
	}
	return LangHans
}

// Message renders e in lang (any tag NormLang accepts).
func (e *Error) Message(lang string) string {
	li := langIndex(NormLang(lang))
	m := lookupMessage(e.Kind, e.Reason)
	p0, p1 := e.params()
	return fill(m[li], e.name(li), p0, p1)
}

// Message renders any error in lang: a cnid *Error in that language, any
// other error by its Error text.
func Message(err error, lang string) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message(lang)
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

func (e *Error) params() (string, string) {
	switch e.Reason {
	case ReasonLength:
		return strconv.Itoa(e.Len), ""
	case ReasonUnknown:
		return e.Detail, divisions.Edition
	}
	return e.Detail, ""
}

func (e *Error) name(li int) string {
	if n, ok := kindNames[e.Kind]; ok {
		return n[li]
	}
	return [3]string{"该项", "該項", "The value"}[li]
}

func langIndex(lang string) int {
	switch lang {
	case LangHans:
		return 0
	case LangHant:
		return 1
	}
	return 2
}

// fill replaces {n} (the identifier's name) and {0}, {1} (details). The
// placeholders follow universal-translator's {0} style so the same texts can
// be registered with a ut.Translator.
func fill(tmpl, name, p0, p1 string) string {
	var b strings.Builder
	b.Grow(len(tmpl) + len(name) + len(p0) + len(p1))
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 || i+2 >= len(tmpl) || tmpl[i+2] != '}' {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		switch tmpl[i+1] {
		case 'n':
			b.WriteString(name)
		case '0':
			b.WriteString(p0)
		case '1':
			b.WriteString(p1)
		default:
			b.WriteString(tmpl[i : i+3])
		}
		tmpl = tmpl[i+3:]
	}
}

type msgKey struct {
	kind   Kind
	reason Reason
}

// kindNames are used at the start of sentences, hence the capital in English.
var kindNames = map[Kind][3]string{
	KindResidentID: {"身份证号码", "身份證號碼", "The resident ID number"},
	KindCreditCode: {"统一社会信用代码", "統一社會信用代碼", "The unified social credit code"},
	KindMobile:     {"手机号码", "手機號碼", "The mobile number"},
	KindPostcode:   {"邮政编码", "郵政編碼", "The postcode"},
	KindDivision:   {"区划代码", "區劃代碼", "The division code"},
}

// messages holds zh-Hans, zh-Hant and English in that order. A kind-specific
// entry wins over the generic one (kind ""). The checksum messages never
// reveal the expected character: a typist would "fix" the check character
// and hide the real typo elsewhere in the number.
var messages = map[msgKey][3]string{
	{"", ""}: {"{n}格式不正确", "{n}格式不正確", "{n} is not valid"},

	{"", ReasonEmpty}:    {"{n}为空", "{n}為空", "{n} is empty"},
	{"", ReasonLength}:   {"{n}长度不正确，当前为{0}位", "{n}長度不正確，當前為{0}位", "{n} has the wrong length ({0})"},
	{"", ReasonChars}:    {"{n}只能包含数字，不能有“{0}”", "{n}只能包含數字，不能有「{0}」", "{n} may contain digits only, not “{0}”"},
	{"", ReasonChecksum}: {"{n}校验位不正确，请逐位核对", "{n}校驗位不正確，請逐位核對", "{n} has a wrong check character; please check every digit"},

	{KindResidentID, ReasonLength}:      {"{n}应为18位，当前为{0}位", "{n}應為18位，當前為{0}位", "{n} must have 18 characters, not {0}"},
	{KindResidentID, ReasonChars}:       {"{n}只能包含数字，最后一位可以是X", "{n}只能包含數字，最後一位可以是X", "{n} may contain only digits, with X allowed as the last character"},
	{KindResidentID, ReasonOld15}:       {"这是15位的旧身份证号码，请填写18位号码", "這是15位的舊身份證號碼，請填寫18位號碼", "This is an old 15-digit ID number; enter the 18-digit number"},
	{KindResidentID, ReasonBirthDate}:   {"{n}中的出生日期{0}不存在", "{n}中的出生日期{0}不存在", "The birth date {0} in the resident ID number does not exist"},
	{KindResidentID, ReasonBirthFuture}: {"{n}中的出生日期{0}晚于今天", "{n}中的出生日期{0}晚於今天", "The birth date {0} in the resident ID number is after today"},
	{KindResidentID, ReasonBirthEarly}:  {"{n}中的出生日期{0}早于1850年", "{n}中的出生日期{0}早於1850年", "The birth date {0} in the resident ID number is before 1850"},

	{KindCreditCode, ReasonLength}: {"{n}应为18位，当前为{0}位", "{n}應為18位，當前為{0}位", "{n} must have 18 characters, not {0}"},
	{KindCreditCode, ReasonChars}:  {"{n}含有无效字符“{0}”（只用数字和除I、O、S、V、Z以外的大写字母）", "{n}含有無效字符「{0}」（只用數字和除I、O、S、V、Z以外的大寫字母）", "{n} contains the invalid character “{0}” (only digits and capital letters other than I, O, S, V, Z are used)"},

	{KindMobile, ReasonLength}: {"{n}应为11位，当前为{0}位", "{n}應為11位，當前為{0}位", "{n} must have 11 digits, not {0}"},
	{KindMobile, ReasonPrefix}: {"{n}应以13至19开头", "{n}應以13至19開頭", "{n} must start with 13 to 19"},

	{KindPostcode, ReasonLength}: {"{n}应为6位数字，当前为{0}位", "{n}應為6位數字，當前為{0}位", "{n} must have 6 digits, not {0}"},

	{KindDivision, ReasonLength}:  {"{n}应为2、4、6、9或12位，当前为{0}位", "{n}應為2、4、6、9或12位，當前為{0}位", "{n} must have 2, 4, 6, 9 or 12 digits, not {0}"},
	{KindDivision, ReasonUnknown}: {"{n}{0}不在{1}年版区划表中，请核实", "{n}{0}不在{1}年版區劃表中，請核實", "{n} {0} is not in the {1} edition of the division list; please verify it"},
}
