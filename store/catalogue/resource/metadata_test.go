package resource

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// goodUSCC is GB 32100's worked example (python-stdnum doctest, also in
// forms/cnid's tests); badUSCC differs in the check character only.
const (
	goodUSCC = "91350100M000100Y43"
	badUSCC  = "91350100M000100Y44"
)

// complete is a fully described entry, as both spellings of the settings
// below should read.
var complete = Metadata{
	Title:            "入户登记",
	Code:             "201001/00001",
	Provider:         "某县民政局",
	ProviderCode:     goodUSCC,
	Summary:          "全县农村家庭户入户登记信息，含户主及家庭成员基本情况。",
	Category:         "主题/社区治理",
	Format:           "数据库/CSV",
	SharingType:      SharingConditional,
	SharingCondition: "仅向县级民政、乡村振兴部门共享，用于低保审核",
	SharingMethod:    "共享平台/接口",
	OpenAccess:       OpenNone,
	UpdateCycle:      "每月",
	Issued:           "2026-11-27",
	Related:          []string{"101002/00003", "201001/00002"},
	Version:          "2026112701",
	Series:           "2026年入户登记",
	Spatial:          []string{"320505"},
}

func TestFromSettingsEnglish(t *testing.T) {
	m, problems := FromSettings(map[string]string{
		"form_id":           "household_visit",
		"form_title":        "入户登记 / Household visit",
		"version":           "2026112701",
		"resource_name":     "入户登记",
		"resource_code":     "201001/00001",
		"provider":          "某县民政局",
		"provider_uscc":     strings.ToLower(goodUSCC), // stored upper-cased
		"summary":           " 全县农村家庭户入户登记信息，含户主及家庭成员基本情况。 ",
		"category":          "theme/社区治理",
		"format":            "数据库/CSV",
		"sharing_type":      "Conditional",
		"sharing_condition": "仅向县级民政、乡村振兴部门共享，用于低保审核",
		"sharing_method":    "共享平台/接口",
		"open_access":       "closed",
		"update_cycle":      "monthly",
		"issued":            "2026-11-27",
		"related":           "101002/00003, 201001/00002",
		"series":            "2026年入户登记",
		"spatial":           "320505",
	})
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if !reflect.DeepEqual(m, complete) {
		t.Errorf("got\n%#v\nwant\n%#v", m, complete)
	}
}

func TestFromSettingsChinese(t *testing.T) {
	m, problems := FromSettings(map[string]string{
		"form_title": "入户登记 / Household visit",
		"version":    "2026112701",
		"信息资源名称":     "入户登记",
		"资源代码":       "２０１００１／００００１", // full-width, as an input method types it
		"提供方":        "某县民政局",
		"提供方代码":      goodUSCC,
		"摘要":         "全县农村家庭户入户登记信息，含户主及家庭成员基本情况。",
		"分类":         "主题/社区治理",
		"格式":         "数据库/CSV",
		"共享类型":       "有条件共享",
		"共享条件":       "仅向县级民政、乡村振兴部门共享，用于低保审核",
		"共享方式":       "共享平台/接口",
		"开放属性":       "不予开放",
		"更新周期":       "每月",
		"发布日期":       "2026-11-27",
		"关联资源代码":     "101002/00003、201001/00002",
		"采集批次":       "2026年入户登记",
		"区划代码":       "320505",
	})
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if !reflect.DeepEqual(m, complete) {
		t.Errorf("got\n%#v\nwant\n%#v", m, complete)
	}
	if !m.Catalogued() || m.EffectiveSharing() != SharingConditional {
		t.Errorf("Catalogued = %v, EffectiveSharing = %q; missing %v", m.Catalogued(), m.EffectiveSharing(), m.Missing())
	}
}

func TestFromSettingsBadValues(t *testing.T) {
	m, problems := FromSettings(map[string]string{
		"form_title":    "入户登记",
		"provider_uscc": badUSCC,
		"sharing_type":  "sometimes",
		"共享类型":          "偶尔共享", // a second, also bad, spelling: a clash
		"issued":        "2026/11/27",
		"resource_code": "ABC-1",
		"update_cycle":  "每两年",
		"spatial":       "3205x5",
		"summary":       "带有\x1b[31m转义序列",
	})
	want := map[string][]string{ // key → words the message must hold
		KeyProviderCode: {"provider_uscc", badUSCC, "统一社会信用代码", "check"},
		KeySharingType:  {"sharing_type", "sometimes", "无条件共享 (unconditional)", "有条件共享 (conditional)", "不予共享 (none)"},
		KeyIssued:       {"issued", "YYYY-MM-DD"},
		KeyCode:         {"resource_code", "分类码", "顺序码"},
		KeyUpdateCycle:  {"更新周期", "每两年", "实时", "每半年", "每年"},
		KeySpatial:      {"spatial", "3205x5"},
		KeySummary:      {"summary", "U+001B"},
	}
	got := map[string]string{}
	for _, p := range problems {
		if p.Warning {
			t.Errorf("unexpected warning: %v", &p)
		}
		got[p.Key] += (&p).Error() + "\n"
	}
	for key, words := range want {
		msg, ok := got[key]
		if !ok {
			t.Errorf("no problem reported for %s; got %v", key, problems)
			continue
		}
		for _, w := range words {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: message %q lacks %q", key, msg, w)
			}
		}
	}
	if !strings.Contains(got[KeySharingType], "共享类型") || !strings.Contains(got[KeySharingType], "keep one of them") {
		t.Errorf("the clash of sharing_type and 共享类型 is not reported: %q", got[KeySharingType])
	}
	if m.ProviderCode != "" || m.SharingType != "" || m.Issued != "" || m.Code != "" || m.Summary != "" || len(m.Spatial) != 0 {
		t.Errorf("a refused value was stored: %#v", m)
	}
	if m.Title != "入户登记" {
		t.Errorf("title %q, want the form_title", m.Title)
	}
}

func TestFromSettingsAgreeingColumns(t *testing.T) {
	_, problems := FromSettings(map[string]string{"sharing_type": "unconditional", "共享类型": "无条件共享"})
	if len(problems) != 0 {
		t.Errorf("two spellings of one value reported as a clash: %v", problems)
	}
}

func TestSet(t *testing.T) {
	tests := []struct {
		key, value string
		get        string // the stored value; "" with wantErr
		wantErr    []string
	}{
		{"sharing_type", "unconditional", SharingUnconditional, nil},
		{"sharing-type", " None ", SharingNone, nil},
		{"Sharing Type", "有条件", SharingConditional, nil},
		{"共享类型", "不予共享", SharingNone, nil},
		{"sharing_type", "maybe", "", []string{"sharing_type (共享类型)", `"maybe"`, "无条件共享 (unconditional), 有条件共享 (conditional) or 不予共享 (none)"}},
		{"update_cycle", "Quarterly", "每季度", nil},
		{"update_cycle", "实时", "实时", nil},
		{"open_access", "yes", OpenUnconditional, nil},
		{"open_access", "perhaps", "", []string{"open_access", "无条件开放", "有条件开放", "不予开放"}},
		{"provider_uscc", " 91350100m000100y43 ", goodUSCC, nil},
		{"provider_uscc", badUSCC, "", []string{"provider_uscc (提供方代码)", "统一社会信用代码", "check"}},
		{"提供方代码", "123", "", []string{"提供方代码 (provider_uscc)", "18"}},
		{"issued", "2026-02-30", "", []string{"issued", "YYYY-MM-DD"}},
		{"issued", "2026-02-28", "2026-02-28", nil},
		{"resource_code", "201001/00001", "201001/00001", nil},
		{"resource_code", "20100100001", "20100100001", nil},
		{"resource_code", "201001/", "", []string{"resource_code", "顺序码"}},
		{"resource_code", "/00001", "", []string{"resource_code"}},
		{"category", "1", "1", nil},
		{"category", "101", "101", nil},
		{"category", "101001", "101001", nil},
		{"category", "10100102", "10100102", nil},
		{"category", "10", "", []string{"category", "类"}},
		{"category", "基础信息资源目录/法人单位基础信息资源", "基础/法人单位基础信息资源", nil},
		{"category", "department", ClassDepartment, nil},
		{"category", "其他", "", []string{"category", "基础 (basic)", "主题 (theme)", "部门 (department)"}},
		{"category", "主题//社区治理", "", []string{"empty level"}},
		{"related", "101/1；102/2, 101/1", "101/1,102/2", nil},
		{"related", "101/1 x", "", []string{"related", `"x"`}},
		{"spatial", "320505 320506", "320505,320506", nil},
		{"previous_version", "2026010101", "2026010101", nil},
		{"previous_version", "2026 01", "", []string{"previous_version"}},
		{"series", "2026年入户登记", "2026年入户登记", nil},
		{"summary", "第一行\n第二行", "第一行\n第二行", nil},
		{"summary", "\u202e反向", "", []string{"U+202E"}},
		{"colour", "red", "", []string{"colour", "unknown key", "resource_code", "sharing_type"}},
	}
	for _, tt := range tests {
		var m Metadata
		err := m.Set(tt.key, tt.value)
		if tt.wantErr == nil {
			if err != nil {
				t.Errorf("Set(%q, %q): %v", tt.key, tt.value, err)
			} else if got := m.Get(tt.key); got != tt.get {
				t.Errorf("Set(%q, %q) stored %q, want %q", tt.key, tt.value, got, tt.get)
			}
			continue
		}
		var p *Problem
		if !errors.As(err, &p) || p.Warning {
			t.Errorf("Set(%q, %q) = %v, want a *Problem", tt.key, tt.value, err)
			continue
		}
		for _, w := range tt.wantErr {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Set(%q, %q) error %q lacks %q", tt.key, tt.value, err, w)
			}
		}
		if got := m.Get(tt.key); got != "" {
			t.Errorf("Set(%q, %q) failed but stored %q", tt.key, tt.value, got)
		}
	}
}

func TestSetUnknownKeyIsErrUnknownKey(t *testing.T) {
	var m Metadata
	if err := m.Set("colour", "red"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("err = %v, want ErrUnknownKey", err)
	}
}

func TestSetClears(t *testing.T) {
	m := complete
	m.Related = append([]string(nil), complete.Related...)
	for _, k := range []string{"summary", "related", "共享类型"} {
		if err := m.Set(k, "  "); err != nil {
			t.Fatal(err)
		}
		if m.Get(k) != "" {
			t.Errorf("%s not cleared: %q", k, m.Get(k))
		}
	}
	if complete.Related == nil {
		t.Fatal("clearing a copy changed the original")
	}
}

func TestSetUnknownDivisionIsAWarning(t *testing.T) {
	var m Metadata
	err := m.Set("spatial", "320505,999999")
	var p *Problem
	if !errors.As(err, &p) || !p.Warning {
		t.Fatalf("err = %v, want a warning", err)
	}
	if !reflect.DeepEqual(m.Spatial, []string{"320505", "999999"}) {
		t.Errorf("Spatial = %v: a code newer than the bundled edition must be kept", m.Spatial)
	}
}

func TestParseAssignment(t *testing.T) {
	tests := []struct {
		in, key, value string
		ok             bool
	}{
		{"sharing_type=有条件共享", "sharing_type", "有条件共享", true},
		{" summary = a=b ", "summary", " a=b ", true},
		{"共享条件＝仅限民政部门", "共享条件", "仅限民政部门", true},
		{"summary=x＝y", "summary", "x＝y", true},
		{"issued=", "issued", "", true},
		{"sharing_type", "", "", false},
		{"=value", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		k, v, err := ParseAssignment(tt.in)
		if (err == nil) != tt.ok || k != tt.key || v != tt.value {
			t.Errorf("ParseAssignment(%q) = %q, %q, %v", tt.in, k, v, err)
		}
		if err != nil && !strings.Contains(err.Error(), "key") {
			t.Errorf("ParseAssignment(%q) error %q does not say what is expected", tt.in, err)
		}
	}
}

func TestMissing(t *testing.T) {
	var m Metadata
	all := []string{KeyTitle, KeyCode, KeyProvider, KeyProviderCode, KeySummary, KeyCategory,
		KeyFormat, KeySharingType, KeyUpdateCycle, KeyIssued}
	if got := m.Missing(); !reflect.DeepEqual(got, all) {
		t.Errorf("empty Missing = %v, want %v", got, all)
	}
	if complete.Missing() != nil {
		t.Errorf("complete Missing = %v", complete.Missing())
	}
	for key, want := range map[string][]string{
		"unconditional": {KeySharingMethod},
		"conditional":   {KeySharingCondition, KeySharingMethod},
		"none":          {KeySharingCondition},
	} {
		m := complete
		m.SharingCondition, m.SharingMethod = "", ""
		if err := m.Set(KeySharingType, key); err != nil {
			t.Fatal(err)
		}
		if got := m.Missing(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s without condition and method: Missing = %v, want %v", key, got, want)
		}
	}
	for _, k := range all {
		if ElementName(k) == "" {
			t.Errorf("ElementName(%q) is empty", k)
		}
	}
}

func TestEffectiveSharing(t *testing.T) {
	var m Metadata
	if got := m.EffectiveSharing(); got != SharingNone {
		t.Errorf("empty entry: %q, want %q", got, SharingNone)
	}
	m = complete
	m.SharingType = SharingUnconditional
	if got := m.EffectiveSharing(); got != SharingUnconditional {
		t.Errorf("complete entry: %q", got)
	}
	m.Summary = ""
	if got := m.EffectiveSharing(); got != SharingNone || m.Catalogued() {
		t.Errorf("entry without summary: %q, catalogued %v; want %q", got, m.Catalogued(), SharingNone)
	}
}

func TestKeysAndAliasesAreDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, k := range Keys() {
		for _, name := range append([]string{k}, Aliases(k)...) {
			if other, dup := seen[name]; dup {
				t.Errorf("%q names both %s and %s", name, other, k)
			}
			seen[name] = k
			if lookupElement(name) == nil || lookupElement(name).key != k {
				t.Errorf("%q does not find %s", name, k)
			}
		}
	}
}
