package forms

import (
	"testing"
	"time"
)

func townships(t testing.TB) ([]*Choice, []string) {
	t.Helper()
	l := builtinList("cn_township")
	labels := make([]string, len(l.Choices))
	for i, ch := range l.Choices {
		labels[i] = ch.LabelIn(LangHans)
	}
	return l.Choices, labels
}

// Characters, codes, pinyin and its initials find a township, as typed
// with or without an input method's full-width letters.
func TestChoiceFilterPinyin(t *testing.T) {
	all, labels := townships(t)
	start := time.Now()
	f := NewChoiceFilter(all, labels)
	t.Logf("keys for %d townships in %v", len(all), time.Since(start))
	for _, text := range []string{"大智", "420102002", "dazhi", "DaZhi", "dzjd", "da zhi jie", "ｄｚｊｄ"} {
		found := false
		for _, i := range f.Match(text, nil) {
			found = found || all[i].Name == "420102002"
		}
		if !found {
			t.Errorf("%q does not find 大智街道", text)
		}
	}
	if n := len(f.Match("dzjdxyz", nil)); n != 0 {
		t.Errorf("dzjdxyz matches %d", n)
	}
	if n := len(f.Match("", nil)); n != len(all) {
		t.Errorf("a blank filter keeps %d of %d", n, len(all))
	}
}

// An English reader sees a built-in division in pinyin, the characters
// after it; a Chinese one sees the characters only.
func TestBuiltinLabelsInPinyinForEnglish(t *testing.T) {
	ch := builtinList("cn_township").Lookup("420102002")
	if got := ch.LabelIn("English (en)"); got != "Dazhi Jiedao (大智街道)" {
		t.Errorf("English label %q", got)
	}
	for _, lang := range []string{"简体中文 (zh)", ""} {
		if got := ch.LabelIn(lang); got != "大智街道" {
			t.Errorf("label in %q: %q", lang, got)
		}
	}
}
