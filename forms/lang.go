package forms

import "strings"

// languageHints are substrings of form language names, by interface
// language, in order of preference. Form authors write languages as
// "简体中文 (zh)", "Chinese", "English (en)", "english"...
var languageHints = map[string][]string{
	LangHans: {"(zh-hans)", "(zh-cn)", "简体", "(zh)", "中文", "chinese", "(zh-hant)", "繁體"},
	LangHant: {"(zh-hant)", "(zh-tw)", "(zh-hk)", "繁體", "繁体", "(zh)", "中文", "chinese", "简体"},
	LangEn:   {"(en)", "english", "(en-"},
}

// MatchLanguage picks the form language to show a user of interface
// language ui: the best match by code or name, else the form's default
// language, else the untagged columns, else the first language.
func (f *Form) MatchLanguage(ui string) string {
	if f.langMatch != nil {
		return f.langMatch[uiLanguage(ui)]
	}
	return f.matchLanguage(ui)
}

// matchLanguages works MatchLanguage out for each interface language once,
// when the form is compiled: every record validated asks, and the answer
// lower-cases every language name.
func (f *Form) matchLanguages() {
	m := make(map[string]string, len(languageHints))
	for ui := range languageHints {
		m[ui] = f.matchLanguage(ui)
	}
	f.langMatch = m
}

func (f *Form) matchLanguage(ui string) string {
	if len(f.Languages) == 0 {
		return ""
	}
	for _, hint := range languageHints[uiLanguage(ui)] {
		for _, l := range f.Languages {
			if strings.Contains(strings.ToLower(l), hint) {
				return l
			}
		}
	}
	for _, l := range f.Languages {
		if l == f.DefaultLanguage {
			return l
		}
	}
	for _, l := range f.Languages {
		if l == "" {
			return l
		}
	}
	return f.Languages[0]
}

// isEnglish reports whether a form language is English, by the hints
// MatchLanguage uses for the English interface.
func isEnglish(lang string) bool {
	if lang == "" {
		return false
	}
	l := strings.ToLower(lang)
	for _, hint := range languageHints[LangEn] {
		if strings.Contains(l, hint) {
			return true
		}
	}
	return false
}
