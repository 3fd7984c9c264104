package forms

import "testing"

// TestUILanguage pins the one language rule over the locales people's
// machines really carry, and the odd ones.
func TestUILanguage(t *testing.T) {
	for in, want := range map[string]string{
		"":                 LangHans,
		"C":                LangHans,
		"C.UTF-8":          LangHans,
		"POSIX":            LangHans,
		"zh-Hans":          LangHans,
		"zh-Hant":          LangHant,
		"en":               LangEn,
		"zh_CN.UTF-8":      LangHans,
		"zh_CN.GB18030":    LangHans,
		"zh_SG.UTF-8":      LangHans,
		"zh":               LangHans,
		"zh_TW.UTF-8":      LangHant,
		"zh_TW.Big5":       LangHant,
		"zh_HK.UTF-8":      LangHant,
		"zh_HK.Big5HKSCS":  LangHant,
		"zh_MO.UTF-8":      LangHant,
		"zh-TW":            LangHant,
		"zh_Hant_TW":       LangHant,
		"zh-Hant-HK":       LangHant,
		"zh_Hant":          LangHant,
		"zh-Hans-HK":       LangHans, // the script beats the region
		"zh_Hans_MO.UTF-8": LangHans,
		"en_US.UTF-8":      LangEn,
		"en_GB":            LangEn,
		"EN-us":            LangEn,
		"en_US@euro":       LangEn,
		"fr_FR.UTF-8":      LangHans, // a language fieldbench does not speak: the default
		"ja_JP.UTF-8":      LangHans,
		"eo":               LangHans, // not "en"
		"zh_TWX":           LangHans, // not a region that writes Traditional
	} {
		if got := UILanguage(in); got != want {
			t.Errorf("UILanguage(%q) = %q, want %q", in, got, want)
		}
	}
}
