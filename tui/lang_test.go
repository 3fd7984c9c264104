package tui

import "testing"

// TestUILangFollowsForms: the workbench reads a locale as the command line
// does. Macau and a script-tagged locale once came out Simplified here
// and Traditional there.
func TestUILangFollowsForms(t *testing.T) {
	for in, want := range map[string]string{
		"zh_MO.UTF-8": "zh-Hant",
		"zh_Hant_TW":  "zh-Hant",
		"zh_TW.UTF-8": "zh-Hant",
		"zh-Hans-HK":  "zh-Hans",
		"fr_FR.UTF-8": "zh-Hans",
		"en_US.UTF-8": "en",
		"zh_CN.UTF-8": "zh-Hans",
	} {
		if got := uiLang(in); got != want {
			t.Errorf("uiLang(%q) = %q, want %q", in, got, want)
		}
	}
}
