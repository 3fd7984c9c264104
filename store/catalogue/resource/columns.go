package resource

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/fieldbench/fieldbench/forms/cnid"
)

// Keys of the elements: the English settings column names and the keys of
// `fieldbench catalogue describe --set`.
const (
	KeyTitle            = "resource_name"
	KeyCode             = "resource_code"
	KeyProvider         = "provider"
	KeyProviderCode     = "provider_uscc"
	KeySummary          = "summary"
	KeyCategory         = "category"
	KeyFormat           = "format"
	KeySharingType      = "sharing_type"
	KeySharingCondition = "sharing_condition"
	KeySharingMethod    = "sharing_method"
	KeyOpenAccess       = "open_access"
	KeyOpenCondition    = "open_condition"
	KeyUpdateCycle      = "update_cycle"
	KeyIssued           = "issued"
	KeyRelated          = "related"
	KeyPreviousVersion  = "previous_version"
	KeySeries           = "series"
	KeySpatial          = "spatial"
)

// element is one settings column / --set key. The table below is the
// single source of the names; README.md repeats it for form authors.
//
//	key                Chinese aliases                 element
//	resource_name      资源名称 信息资源名称           信息资源名称 (default: the form's form_title)
//	resource_code      资源代码 信息资源代码           信息资源代码, 分类码[/]顺序码
//	provider           提供方 信息资源提供方           信息资源提供方
//	provider_uscc      提供方代码 信息资源提供方代码   提供方代码 (统一社会信用代码)
//	summary            摘要 信息资源摘要               信息资源摘要
//	category           分类 信息资源分类               信息资源分类
//	format             格式 信息资源格式               信息资源格式
//	sharing_type       共享类型                        共享类型
//	sharing_condition  共享条件                        共享条件
//	sharing_method     共享方式                        共享方式
//	open_access        开放属性                        开放属性
//	open_condition     开放条件                        开放条件
//	update_cycle       更新周期                        更新周期
//	issued             发布日期                        发布日期, YYYY-MM-DD
//	related            关联资源 关联资源代码           关联资源代码 (a list)
//	previous_version   上一版本                        previous version (dcat:previousVersion)
//	series             系列 采集批次                   campaign (dcat:inSeries)
//	spatial            空间范围 区划代码               division codes covered (dct:spatial; a list)
type element struct {
	key     string
	aliases []string
	name    string                    // the element's Chinese name, for messages
	str     func(*Metadata) *string   // a single value...
	list    func(*Metadata) *[]string // ...or a list
	check   func(string) (string, error)
}

var elements = []*element{
	{key: KeyTitle, aliases: []string{"资源名称", "信息资源名称"}, name: "信息资源名称",
		str: func(m *Metadata) *string { return &m.Title }, check: text(200)},
	{key: KeyCode, aliases: []string{"资源代码", "信息资源代码"}, name: "信息资源代码",
		str: func(m *Metadata) *string { return &m.Code }, check: checkCode},
	{key: KeyProvider, aliases: []string{"提供方", "信息资源提供方"}, name: "信息资源提供方",
		str: func(m *Metadata) *string { return &m.Provider }, check: text(200)},
	{key: KeyProviderCode, aliases: []string{"提供方代码", "信息资源提供方代码"}, name: "提供方代码",
		str: func(m *Metadata) *string { return &m.ProviderCode }, check: checkCreditCode},
	{key: KeySummary, aliases: []string{"摘要", "信息资源摘要"}, name: "信息资源摘要",
		str: func(m *Metadata) *string { return &m.Summary }, check: text(4000)},
	{key: KeyCategory, aliases: []string{"分类", "信息资源分类"}, name: "信息资源分类",
		str: func(m *Metadata) *string { return &m.Category }, check: checkCategory},
	{key: KeyFormat, aliases: []string{"格式", "信息资源格式"}, name: "信息资源格式",
		str: func(m *Metadata) *string { return &m.Format }, check: text(200)},
	{key: KeySharingType, aliases: []string{"共享类型"}, name: "共享类型",
		str: func(m *Metadata) *string { return &m.SharingType }, check: enum(sharingTypes, "sharing type")},
	{key: KeySharingCondition, aliases: []string{"共享条件"}, name: "共享条件",
		str: func(m *Metadata) *string { return &m.SharingCondition }, check: text(4000)},
	{key: KeySharingMethod, aliases: []string{"共享方式"}, name: "共享方式",
		str: func(m *Metadata) *string { return &m.SharingMethod }, check: text(200)},
	{key: KeyOpenAccess, aliases: []string{"开放属性"}, name: "开放属性",
		str: func(m *Metadata) *string { return &m.OpenAccess }, check: enum(openAccessValues, "open-access value")},
	{key: KeyOpenCondition, aliases: []string{"开放条件"}, name: "开放条件",
		str: func(m *Metadata) *string { return &m.OpenCondition }, check: text(4000)},
	{key: KeyUpdateCycle, aliases: []string{"更新周期"}, name: "更新周期",
		str: func(m *Metadata) *string { return &m.UpdateCycle }, check: enum(updateCycles, "update cycle")},
	{key: KeyIssued, aliases: []string{"发布日期"}, name: "发布日期",
		str: func(m *Metadata) *string { return &m.Issued }, check: checkDate},
	{key: KeyRelated, aliases: []string{"关联资源", "关联资源代码"}, name: "关联资源代码",
		list: func(m *Metadata) *[]string { return &m.Related }, check: checkCode},
	{key: KeyPreviousVersion, aliases: []string{"上一版本"}, name: "上一版本",
		str: func(m *Metadata) *string { return &m.PreviousVersion }, check: checkVersion},
	{key: KeySeries, aliases: []string{"系列", "采集批次"}, name: "系列",
		str: func(m *Metadata) *string { return &m.Series }, check: text(200)},
	{key: KeySpatial, aliases: []string{"空间范围", "区划代码"}, name: "空间范围",
		list: func(m *Metadata) *[]string { return &m.Spatial }, check: checkDivision},
}

// Keys lists the English keys in the Guide's order.
func Keys() []string {
	out := make([]string, len(elements))
	for i, el := range elements {
		out[i] = el.key
	}
	return out
}

// Aliases lists the Chinese names accepted for key.
func Aliases(key string) []string {
	if el := elementByKey(key); el != nil {
		return append([]string(nil), el.aliases...)
	}
	return nil
}

// CanonicalKey is the English key of the element a column name, alias or
// --set key names; "" when it names none.
func CanonicalKey(key string) string {
	if el := lookupElement(key); el != nil {
		return el.key
	}
	return ""
}

// ElementName is the Chinese name of the element under key, for showing
// Missing's answer to an officer; "" for an unknown key.
func ElementName(key string) string {
	if el := elementByKey(key); el != nil {
		return el.name
	}
	return ""
}

func elementByKey(key string) *element {
	for _, el := range elements {
		if el.key == key {
			return el
		}
	}
	return nil
}

// lookupElement finds the element a column or --set key names. Authors type
// "Sharing Type" or "sharing-type" as often as sharing_type, and spreadsheet
// cells pick up stray spaces around Chinese names.
func lookupElement(key string) *element {
	k := strings.ToLower(strings.TrimSpace(width.Narrow.String(key)))
	k = strings.NewReplacer("-", "_", " ", "_").Replace(k)
	for _, el := range elements {
		if k == el.key {
			return el
		}
		for _, a := range el.aliases {
			if k == a {
				return el
			}
		}
	}
	return nil
}

// FromSettings reads the elements from a form's settings sheet
// (forms.Form.Settings: lower-cased column names, raw values). Columns that
// name no element are ignored: the sheet holds XLSForm's own settings too.
// The title defaults to form_title and the version is the form's version.
// When two columns name one element (provider and 提供方) with different
// values, the first in column-name order is kept and the clash reported.
func FromSettings(settings map[string]string) (Metadata, []Problem) {
	var m Metadata
	var problems []Problem
	cols := make([]string, 0, len(settings))
	for c := range settings {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	taken := map[*element]string{} // element → the column it was read from
	for _, c := range cols {
		el := lookupElement(c)
		v := strings.TrimSpace(settings[c])
		if el == nil || v == "" {
			continue
		}
		if first, ok := taken[el]; ok {
			if !sameValue(el, strings.TrimSpace(settings[first]), v) {
				problems = append(problems, Problem{Key: el.key, Column: c, Value: v,
					Err: fmt.Errorf("column %q says %q, but %q already says %q; keep one of them", c, v, first, strings.TrimSpace(settings[first]))})
			}
			continue
		}
		taken[el] = c
		if err := m.Set(c, v); err != nil {
			if p, ok := err.(*Problem); ok {
				problems = append(problems, *p)
			}
		}
	}
	if m.Title == "" {
		for _, c := range []string{"form_title", "title"} {
			if v := strings.TrimSpace(settings[c]); v != "" {
				if t, err := text(200)(v); err == nil {
					m.Title = t
					break
				}
			}
		}
	}
	m.Version = strings.TrimSpace(settings["version"])
	return m, problems
}

// sameValue reports whether two columns for one element agree, so that
// sharing_type=conditional next to 共享类型=有条件共享 is no clash.
func sameValue(el *element, a, b string) bool {
	if a == b {
		return true
	}
	if el.list != nil {
		var ma, mb Metadata
		_ = ma.Set(el.key, a)
		_ = mb.Set(el.key, b)
		return strings.Join(*el.list(&ma), ",") == strings.Join(*el.list(&mb), ",")
	}
	na, errA := el.check(a)
	nb, errB := el.check(b)
	return errA == nil && errB == nil && na == nb
}

// text accepts free text up to max characters. Control characters other
// than line breaks and tabs, and bidirectional overrides, are refused rather
// than stripped: they could rewrite a terminal or reorder what an officer
// reads, and silently dropping typed text is worse than asking again.
func text(max int) func(string) (string, error) {
	return func(s string) (string, error) {
		if !utf8.ValidString(s) {
			return "", fmt.Errorf("the text is not valid UTF-8; save the file as UTF-8")
		}
		for _, r := range s {
			if (unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r') ||
				(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
				return "", fmt.Errorf("the text contains the control character %U; remove it", r)
			}
		}
		if n := utf8.RuneCountInString(s); n > max {
			return "", fmt.Errorf("the text has %d characters; at most %d are allowed", n, max)
		}
		return s, nil
	}
}

func enum(cs []choice, what string) func(string) (string, error) {
	return func(s string) (string, error) {
		if v, ok := pick(cs, s); ok {
			return v, nil
		}
		return "", fmt.Errorf("%q is not a known %s; use %s", s, what, allowed(cs))
	}
}

// resourceCode is 分类码 (类 1 digit, 项 2, 目 3, 细目 any) and 顺序码, either
// run together or separated by "/" (the separator is [R] in the reference,
// so both spellings are accepted).
var resourceCode = regexp.MustCompile(`^[0-9]+(/[0-9]+)?$`)

func checkCode(s string) (string, error) {
	n := strings.ReplaceAll(width.Narrow.String(s), " ", "")
	if len(n) > 64 || !resourceCode.MatchString(n) {
		return "", fmt.Errorf("%q is not a resource code (信息资源代码); write the classification code (分类码) digits, optionally \"/\", then the sequence code (顺序码) digits, e.g. 201001/00001", s)
	}
	return n, nil
}

func checkCreditCode(s string) (string, error) {
	n, err := cnid.CreditCode(s)
	if err != nil {
		return "", fmt.Errorf("%q is not a valid unified social credit code (统一社会信用代码): %s", s, cnid.Message(err, cnid.LangEn))
	}
	return n, nil
}

// checkCategory accepts a classification code (1, 3 or 6 digits for
// 类/项/目, more with a 细目) or a catalogue class, optionally followed by
// "/" and the names of lower levels: 主题/社区治理.
func checkCategory(s string) (string, error) {
	if _, err := text(200)(s); err != nil {
		return "", err
	}
	n := strings.ReplaceAll(width.Narrow.String(s), "／", "/")
	if digits := strings.ReplaceAll(n, " ", ""); allDigits(digits) {
		if l := len(digits); l == 1 || l == 3 || l >= 6 && l <= 32 {
			return digits, nil
		}
		return "", fmt.Errorf("%q is not a classification code: 类 has 1 digit, 项 2, 目 3 and 细目 any number, so the code has 1, 3, 6 or more digits", s)
	}
	parts := strings.Split(n, "/")
	class, ok := pick(catalogueClasses, strings.TrimSpace(parts[0]))
	if !ok {
		return "", fmt.Errorf("%q is not a category; write a classification code (分类码, e.g. 201) or start with a catalogue class, %s, e.g. 主题/社区治理", s, allowed(catalogueClasses))
	}
	parts[0] = class
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.TrimSpace(parts[i])
		if parts[i] == "" {
			return "", fmt.Errorf("%q has an empty level between \"/\"", s)
		}
	}
	return strings.Join(parts, "/"), nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func checkDate(s string) (string, error) {
	n := strings.TrimSpace(width.Narrow.String(s))
	if _, err := time.Parse(time.DateOnly, n); err != nil {
		return "", fmt.Errorf("%q is not a date written YYYY-MM-DD, e.g. 2026-11-27", s)
	}
	return n, nil
}

// checkVersion accepts a form version as XLSForm writes it: one word.
func checkVersion(s string) (string, error) {
	if len(s) > 64 || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 || !utf8.ValidString(s) {
		return "", fmt.Errorf("%q is not a form version; write it as the form's settings sheet does, e.g. 2026112701", s)
	}
	return s, nil
}

// checkDivision returns a code missing from the bundled edition together
// with the cnid warning, so that Set keeps it: codes change every year.
func checkDivision(s string) (string, error) {
	n, err := cnid.Division(s)
	if err != nil && !cnid.IsWarning(err) {
		return "", fmt.Errorf("%q is not a statistical division code (统计用区划代码) of 2, 4, 6, 9 or 12 digits: %s", s, cnid.Message(err, cnid.LangEn))
	}
	return n, err
}
