package forms

import (
	"strings"

	"github.com/fieldbench/fieldbench/forms/pinyin"
)

// ChoiceFilter is a select's choices made ready for filtering as the person
// types, the one filter of the full screen and the plain prompts: a choice
// matches when its label, its name (the code), its pinyin or its pinyin
// initials contain the text (大智, 420102002, dazhi, dzjd → 大智街道).
// The keys are built once per list, so a keystroke over the 41,352
// townships is one pass of substring tests.
type ChoiceFilter struct {
	keys []string
}

// NewChoiceFilter prepares choices, shown by labels (one per choice, as
// the screen shows them), for filtering.
func NewChoiceFilter(choices []*Choice, labels []string) *ChoiceFilter {
	f := &ChoiceFilter{keys: make([]string, len(choices))}
	for i, ch := range choices {
		k := strings.ToLower(labels[i]) + "\x00" + strings.ToLower(ch.Name)
		// The pinyin of the Chinese name: a built-in division keeps its
		// characters whatever language the label is shown in.
		han := ch.label
		if ch.Label != nil {
			han = labels[i]
		}
		if p := pinyin.Key(han); p != "" {
			k += "\x00" + p
		}
		f.keys[i] = k
	}
	return f
}

// Match appends to out the indexes of the choices text matches, in list
// order; a blank text matches every choice.
func (f *ChoiceFilter) Match(text string, out []int) []int {
	text = FoldFilter(text)
	// Pinyin is matched run together: "da zhi" and "jiang'an" find theirs.
	bare := strings.NewReplacer(" ", "", "'", "").Replace(text)
	for i, k := range f.keys {
		if text == "" || strings.Contains(k, text) || bare != text && strings.Contains(k, bare) {
			out = append(out, i)
		}
	}
	return out
}

// FoldFilter is filter text as matched: trimmed, lower-cased, full-width
// letters and digits (typed with a Chinese input method) made ASCII.
func FoldFilter(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)))
}
