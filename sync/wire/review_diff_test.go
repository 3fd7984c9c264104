package wire

import (
	"encoding/json"
	"reflect"
	"testing"
)

func diffOf(t *testing.T, versions ...VersionReview) []AnswerRow {
	t.Helper()
	var d AnswerDiff
	for _, v := range versions {
		if err := d.Add(v); err != nil {
			t.Fatal(err)
		}
	}
	return d.Rows()
}

// version is one version's data, from a catalogue that names no changes.
func version(data string) VersionReview { return VersionReview{Data: json.RawMessage(data)} }

// Without the catalogue's word each answer is compared with the version
// before: changed, unchanged, added, removed; an answer new in a later
// version goes after the one it follows there, repeat entries by number.
func TestAnswerDiffCompares(t *testing.T) {
	rows := diffOf(t,
		version(`{"name":"张三","phone":"138","members":[{"m":"a"},{"m":"b"}]}`),
		version(`{"name":"张三","age":"40","members":[{"m":"a"},{"m":"c"},{"m":"d"}]}`),
		version(`{"name":"张三","age":"40","members":[{"m":"a"},{"m":"c"},{"m":"d"}]}`))
	want := []AnswerRow{
		{"name", []string{"张三", "张三", "张三"}, false},
		{"age", []string{"", "40", "40"}, true},  // added in the second
		{"phone", []string{"138", "", ""}, true}, // removed in the second
		{"members[1]/m", []string{"a", "a", "a"}, false},
		{"members[2]/m", []string{"b", "c", "c"}, true},
		{"members[3]/m", []string{"", "d", "d"}, true}, // a new entry
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows\n%v\nwant\n%v", rows, want)
	}
}

// An answer emptied is a change: being there with "" is not being absent.
func TestAnswerDiffEmptiedIsChanged(t *testing.T) {
	rows := diffOf(t, version(`{"a":"x"}`), version(`{"a":""}`), version(`{}`))
	if len(rows) != 1 || !rows[0].Changed {
		t.Errorf("rows %v", rows)
	}
	rows = diffOf(t, version(`{"a":""}`), version(`{}`))
	if len(rows) != 1 || !rows[0].Changed {
		t.Errorf("an answer gone is no change: %v", rows)
	}
}

// When every version says what changed, the catalogue's word is taken,
// even where the values shown (masked) look alike; a version without it
// (an older catalogue) leaves the comparison to the client.
func TestAnswerDiffTakesTheCataloguesWord(t *testing.T) {
	first := VersionReview{Data: json.RawMessage(`{"id":"1101********0036","name":"张三"}`), Changed: []string{}}
	second := VersionReview{Data: json.RawMessage(`{"id":"1101********0036","name":"张三"}`), Changed: []string{"id"}}
	rows := diffOf(t, first, second)
	if !rows[0].Changed || rows[1].Changed {
		t.Errorf("with the catalogue's word: %v", rows)
	}
	second.Changed = nil
	rows = diffOf(t, first, second)
	if rows[0].Changed || rows[1].Changed {
		t.Errorf("compared by the client: %v", rows)
	}
	if rows := diffOf(t, version(`{"a":"1"}`)); rows[0].Changed {
		t.Errorf("one version has no change: %v", rows)
	}
}

func TestAnswerDiffRefusesWhatIsNoRecord(t *testing.T) {
	var d AnswerDiff
	if err := d.Add(version(`{"a":`)); err == nil {
		t.Error("a cut record was added")
	}
	if rows := d.Rows(); len(rows) != 0 {
		t.Errorf("rows of nothing: %v", rows)
	}
}

func TestReviewLabels(t *testing.T) {
	r := &RecordVersions{
		Labels:  map[string]string{"m_rel": "与户主\n  关系"},
		Choices: map[string]map[string]string{"m_rel": {"head": "户主", "spouse": "配偶"}},
	}
	if got := r.QuestionLabel("members[2]/m_rel"); got != "与户主 关系" {
		t.Errorf("QuestionLabel = %q", got)
	}
	if got := r.QuestionLabel("nope"); got != "" {
		t.Errorf("QuestionLabel of no label = %q", got)
	}
	if got := r.ChoiceText("members[1]/m_rel", "head other spouse"); got != "户主 other 配偶" {
		t.Errorf("ChoiceText = %q", got)
	}
	if got := r.ChoiceText("name", "head"); got != "head" {
		t.Errorf("ChoiceText of a question without choices = %q", got)
	}
}
