package resource

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseAssignment(f *testing.F) {
	for _, s := range []string{"sharing_type=有条件共享", "共享条件＝仅限民政部门", "summary=a=b", "=x", "x",
		"provider_uscc=" + badUSCC, "spatial=320505,999999", "related=1/2；3", "issued=2026-02-29",
		"category=主题//x", "resource_code=２０１／１", "summary=\u202e", "Sharing-Type = none "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, value, err := ParseAssignment(s)
		if err != nil {
			if key != "" || value != "" {
				t.Fatalf("error %v with key %q value %q", err, key, value)
			}
			return
		}
		if key == "" || key != strings.TrimSpace(key) || !strings.HasSuffix(s, value) || !strings.Contains(s, key) {
			t.Fatalf("ParseAssignment(%q) = %q, %q", s, key, value)
		}
		var m Metadata
		err = m.Set(key, value)
		if err != nil {
			p, ok := err.(*Problem)
			if !ok || p.Error() == "" {
				t.Fatalf("Set(%q, %q) error %T %v is not a *Problem", key, value, err, err)
			}
			if !p.Warning {
				if got := m.Get(key); got != "" {
					t.Fatalf("Set(%q, %q) failed with %v but stored %q", key, value, err, got)
				}
				return
			}
		}
		stored := m.Get(key)
		if !utf8.ValidString(stored) {
			t.Fatalf("stored invalid UTF-8 %q", stored)
		}
		// What was stored is accepted again unchanged: normalising is idempotent.
		var again Metadata
		if err := again.Set(key, stored); err != nil {
			if p, ok := err.(*Problem); !ok || !p.Warning {
				t.Fatalf("Set(%q, %q) stored %q, which Set refuses: %v", key, value, stored, err)
			}
		}
		if got := again.Get(key); got != stored {
			t.Fatalf("Set(%q, %q) stored %q; setting that again stored %q", key, value, stored, got)
		}
	})
}

// FuzzFromSettings feeds arbitrary values under real column names: nothing
// may panic, every stored value must be one Set accepts unchanged, and
// every refused value must come back as a Problem.
func FuzzFromSettings(f *testing.F) {
	f.Add("有条件共享", goodUSCC, "2026-11-27", "201001/00001", "主题/社区治理", "320505", "unconditional")
	f.Add("sometimes", badUSCC, "2026/11/27", "ABC", "其他", "3205x5", "")
	f.Add("", "", "", "", "", "", "\x00")
	f.Fuzz(func(t *testing.T, sharing, uscc, issued, code, category, spatial, alias string) {
		settings := map[string]string{
			"sharing_type": sharing, "provider_uscc": uscc, "issued": issued, "resource_code": code,
			"category": category, "spatial": spatial, "共享类型": alias, "summary": alias, "form_title": category,
		}
		m, problems := FromSettings(settings)
		refused := map[string]bool{}
		for _, p := range problems {
			if p.Key == "" || p.Err == nil || (&p).Error() == "" {
				t.Fatalf("malformed problem %#v", p)
			}
			if !p.Warning {
				refused[p.Key] = true
			}
		}
		for _, key := range Keys() {
			v := m.Get(key)
			if v == "" {
				continue
			}
			var again Metadata
			if err := again.Set(key, v); err != nil {
				if p, ok := err.(*Problem); !ok || !p.Warning {
					t.Fatalf("%s: stored %q is refused by Set: %v", key, v, err)
				}
			}
			if again.Get(key) != v {
				t.Fatalf("%s: stored %q normalises to %q", key, v, again.Get(key))
			}
		}
		for col, key := range map[string]string{"sharing_type": KeySharingType, "provider_uscc": KeyProviderCode,
			"issued": KeyIssued, "resource_code": KeyCode, "category": KeyCategory} {
			if strings.TrimSpace(settings[col]) != "" && m.Get(key) == "" && !refused[key] {
				t.Fatalf("%s=%q was neither stored nor reported", col, settings[col])
			}
		}
		for _, k := range m.Missing() {
			if ElementName(k) == "" {
				t.Fatalf("Missing lists unknown key %q", k)
			}
		}
	})
}
