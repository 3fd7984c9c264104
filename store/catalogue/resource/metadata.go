// Package resource describes one collection form as a registered
// government information resource (政务信息资源) and renders the catalogue
// (政务信息资源目录) that `fieldbench serve` publishes: as DCAT v3 JSON-LD for
// machines and as the CSV table counties file with their catalogue office.
//
// The elements are the core metadata of 《政务信息资源目录编制指南（试行）》
// (发改高技〔2017〕1272号), plus what DCAT v3 adds for versions, campaigns and
// coverage. A form author states them in extension columns of the XLSForm
// settings sheet (FromSettings); an officer completes them on the server with
// `fieldbench catalogue describe FORM_ID --set key=value` (Set). The column
// names are listed in columns.go and README.md.
//
// The package is pure: no database, no network. Callers supply record counts
// and versions.
package resource

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fieldbench/fieldbench/forms/cnid"
)

// Metadata is one information resource's catalogue entry. String fields hold
// normalised values (enumerations as their Chinese value, the credit code
// upper-cased); "" means not set.
type Metadata struct {
	Title        string // 信息资源名称
	Code         string // 信息资源代码: 分类码, optionally "/", then 顺序码
	Provider     string // 信息资源提供方: the department's name
	ProviderCode string // 提供方代码: its 统一社会信用代码
	Summary      string // 信息资源摘要
	Category     string // 信息资源分类: a classification code or 基础/主题/部门[/项/目/细目]
	Format       string // 信息资源格式, e.g. "数据库/CSV"

	SharingType      string // 共享类型: one of SharingTypes
	SharingCondition string // 共享条件 (or, for 不予共享, its legal basis)
	SharingMethod    string // 共享方式, e.g. "共享平台/接口"

	OpenAccess    string // 开放属性: one of OpenAccessValues
	OpenCondition string // 开放条件

	UpdateCycle string   // 更新周期: one of UpdateCycles
	Issued      string   // 发布日期, YYYY-MM-DD
	Related     []string // 关联资源代码

	// What DCAT adds.
	Version         string   // the form version this entry describes (settings `version`)
	PreviousVersion string   // the form version it replaces, when not simply the one before
	Series          string   // the collection campaign (dcat:DatasetSeries), e.g. "2026年入户登记"
	Spatial         []string // statistical division codes the resource covers
}

// Sharing types (共享类型) of 《政务信息资源共享管理暂行办法》(国发〔2016〕51号).
const (
	SharingUnconditional = "无条件共享"
	SharingConditional   = "有条件共享"
	SharingNone          = "不予共享"
)

// Open-access values (开放属性). The Guide describes the element as whether
// the resource is open to the public plus its open conditions; these three
// values follow the sharing types' wording and are not verified against the
// Guide's text (the reference marks the element [R]).
const (
	OpenUnconditional = "无条件开放"
	OpenConditional   = "有条件开放"
	OpenNone          = "不予开放"
)

// Catalogue classes (资源属性分类) that a text category starts with.
const (
	ClassBasic      = "基础"
	ClassTheme      = "主题"
	ClassDepartment = "部门"
)

// choice is one allowed value of an enumeration and the English words (and
// Chinese short forms) that mean it. The first synonym is the one error
// messages show.
type choice struct {
	value    string
	synonyms []string
}

var sharingTypes = []choice{
	{SharingUnconditional, []string{"unconditional", "无条件"}},
	{SharingConditional, []string{"conditional", "有条件", "restricted"}},
	{SharingNone, []string{"none", "不予", "not_shared", "no", "non_public"}},
}

var openAccessValues = []choice{
	{OpenUnconditional, []string{"unconditional", "open", "yes", "是", "无条件", "开放"}},
	{OpenConditional, []string{"conditional", "有条件"}},
	{OpenNone, []string{"none", "closed", "no", "否", "不开放", "不予"}},
}

// updateCycles are the 更新周期 values. The reference marks the list
// unverified ([R]): check it against the Guide's text before relying on it.
// 不定期 is our addition for one-off campaigns such as a census, which have
// no period; it is not on the reference's list either.
var updateCycles = []choice{
	{"实时", []string{"realtime", "real_time", "continuous"}},
	{"每日", []string{"daily", "day"}},
	{"每周", []string{"weekly", "week"}},
	{"每月", []string{"monthly", "month"}},
	{"每季度", []string{"quarterly", "quarter"}},
	{"每半年", []string{"semiannual", "half_yearly", "biannual"}},
	{"每年", []string{"annual", "yearly", "year"}},
	{"不定期", []string{"irregular", "once", "one_off"}},
}

var catalogueClasses = []choice{
	{ClassBasic, []string{"basic", "base", "基础信息资源", "基础信息资源目录"}},
	{ClassTheme, []string{"theme", "thematic", "主题信息资源", "主题信息资源目录"}},
	{ClassDepartment, []string{"department", "部门信息资源", "部门信息资源目录"}},
}

// SharingTypes, OpenAccessValues and UpdateCycles list the allowed values,
// for completion and help texts.
var (
	SharingTypes     = values(sharingTypes)
	OpenAccessValues = values(openAccessValues)
	UpdateCycles     = values(updateCycles)
)

func values(cs []choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.value
	}
	return out
}

// pick maps v to its Chinese value: the value itself, a synonym, or an
// English synonym in any case with "-" or " " for "_".
func pick(cs []choice, v string) (string, bool) {
	k := strings.ToLower(strings.NewReplacer("-", "_", " ", "_").Replace(v))
	for _, c := range cs {
		if v == c.value {
			return c.value, true
		}
		for _, s := range c.synonyms {
			if k == s {
				return c.value, true
			}
		}
	}
	return "", false
}

// allowed lists an enumeration for an error message: "无条件共享
// (unconditional), 有条件共享 (conditional) or 不予共享 (none)".
func allowed(cs []choice) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.value + " (" + c.synonyms[0] + ")"
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// Problem is one element that could not be read or set. With Warning set
// the value was stored all the same (a division code missing from the
// bundled edition, which may just be newer).
type Problem struct {
	Key     string // the element's key (resource_code...); "" if the key is unknown
	Column  string // the column or key as written
	Value   string
	Warning bool
	Err     error
}

func (p *Problem) Error() string {
	name := p.Column
	if el := elementByKey(p.Key); el != nil {
		if p.Column == el.key {
			name += " (" + el.name + ")"
		} else {
			name += " (" + el.key + ")"
		}
	}
	return name + ": " + p.Err.Error()
}

func (p *Problem) Unwrap() error { return p.Err }

// ErrUnknownKey is wrapped by the Problem for a key that names no element.
var ErrUnknownKey = errors.New("unknown key")

// Set checks value and stores it under key (an English key such as
// sharing_type, or a Chinese alias such as 共享类型; see Keys). An empty
// value clears the element. Enumerations accept the Chinese value or an
// English synonym and store the Chinese value. The error is a *Problem;
// one with Warning set means the value was stored anyway.
func (m *Metadata) Set(key, value string) error {
	el := lookupElement(key)
	if el == nil {
		return &Problem{Column: key, Value: value,
			Err: fmt.Errorf("%w; use one of %s", ErrUnknownKey, strings.Join(Keys(), ", "))}
	}
	value = strings.TrimSpace(value)
	if el.list != nil {
		return el.setList(m, key, value)
	}
	if value == "" {
		*el.str(m) = ""
		return nil
	}
	v, err := el.check(value)
	if err != nil {
		return &Problem{Key: el.key, Column: key, Value: value, Err: err}
	}
	*el.str(m) = v
	return nil
}

func (el *element) setList(m *Metadata, key, value string) error {
	var out []string
	var warn error
	for _, item := range splitList(value) {
		v, err := el.check(item)
		if err != nil && !cnid.IsWarning(err) {
			return &Problem{Key: el.key, Column: key, Value: value, Err: err}
		}
		if err != nil && warn == nil {
			warn = err
		}
		if !contains(out, v) {
			out = append(out, v)
		}
	}
	*el.list(m) = out
	if warn != nil {
		return &Problem{Key: el.key, Column: key, Value: value, Warning: true, Err: warn}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// splitList splits a list typed in a cell or on a command line: commas,
// semicolons and 、 (full-width or not) or white space between items.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ',', ';', '，', '；', '、', ' ', '\t', '\n', '\r', '\u3000':
			return true
		}
		return false
	})
}

// Get returns the value stored under key (or a Chinese alias), lists
// joined by ","; "" for an unset element or an unknown key. Set(key,
// Get(key)) stores the same value again.
func (m *Metadata) Get(key string) string {
	el := lookupElement(key)
	switch {
	case el == nil:
		return ""
	case el.list != nil:
		return strings.Join(*el.list(m), ",")
	}
	return *el.str(m)
}

// ParseAssignment splits "key=value" as typed after --set. The first "=" (or
// a full-width "＝", which a Chinese input method produces) separates them;
// the value may contain more of them. The key is trimmed, the value is not:
// Set trims it.
func ParseAssignment(s string) (key, value string, err error) {
	i, w := strings.IndexByte(s, '='), 1
	if j := strings.Index(s, "＝"); j >= 0 && (i < 0 || j < i) {
		i, w = j, len("＝")
	}
	if i < 0 {
		return "", "", fmt.Errorf("%q: expected key=value, e.g. sharing_type=有条件共享", s)
	}
	key = strings.TrimSpace(s[:i])
	if key == "" {
		return "", "", fmt.Errorf("%q: the key before \"=\" is empty; use one of %s", s, strings.Join(Keys(), ", "))
	}
	return key, s[i+w:], nil
}

// Missing lists the keys of the required elements not yet set, in the
// Guide's order. A condition is required for 有条件共享 (its conditions and
// scope) and for 不予共享 (its legal basis), and a method whenever the
// resource is shared at all, because a catalogue entry must say how to get it.
func (m Metadata) Missing() []string {
	var out []string
	need := func(key, v string) {
		if v == "" {
			out = append(out, key)
		}
	}
	need(KeyTitle, m.Title)
	need(KeyCode, m.Code)
	need(KeyProvider, m.Provider)
	need(KeyProviderCode, m.ProviderCode)
	need(KeySummary, m.Summary)
	need(KeyCategory, m.Category)
	need(KeyFormat, m.Format)
	need(KeySharingType, m.SharingType)
	if m.SharingType == SharingConditional || m.SharingType == SharingNone {
		need(KeySharingCondition, m.SharingCondition)
	}
	if m.SharingType == SharingUnconditional || m.SharingType == SharingConditional {
		need(KeySharingMethod, m.SharingMethod)
	}
	need(KeyUpdateCycle, m.UpdateCycle)
	need(KeyIssued, m.Issued)
	return out
}

// Catalogued reports whether every required element is set.
func (m Metadata) Catalogued() bool { return len(m.Missing()) == 0 }

// EffectiveSharing is the sharing type to apply: 不予共享 until the resource
// is fully described, because a half-filled entry must not open personal
// data to other departments; then the declared type.
func (m Metadata) EffectiveSharing() string {
	if !m.Catalogued() {
		return SharingNone
	}
	return m.SharingType
}
