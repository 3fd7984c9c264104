package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/tui/entry"
)

// A new county clears the township it no longer offers, and the screen
// says so by the question's and the township's names, not by codes; the
// audit trail has the clearing.
func TestFillClearsFilteredChild(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "zh-Hans")
	md := "| survey |\n| | type | name | label | choice_filter |\n" +
		"| | select_one cn_county | county | 县 | |\n" +
		"| | select_one cn_township | township | 乡镇 | county=${county} |\n" +
		"| | text | note | 备注 | |\n" +
		"| settings |\n| | form_id | version |\n| | cascade | 1 |\n"
	if _, err := db.AddForm(ctx, "cascade.md", []byte(md)); err != nil {
		t.Fatal(err)
	}
	s, err := entry.New(ctx, db, "cascade", "1", "zh-Hans", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, openFillMsg{s: s})
	m = send(t, m, keys("420102", "enter", "大智", "enter")...)
	if got := s.Inst.Answer("township"); got != "420102002" {
		t.Fatalf("township %q:\n%s", got, screenText(m))
	}
	m = send(t, m, keys("pgup", "zzzz", "enter")...)
	if !strings.Contains(screenText(m), "! 没有符合的选项") {
		t.Fatalf("no error for a filter that matches nothing:\n%s", screenText(m))
	}
	m = send(t, m, keys("pgup", "420103", "enter")...)
	screen := screenText(m)
	if !strings.Contains(screen, "不再可选、已清除：乡镇 大智街道") || strings.Contains(screen, "420102002") {
		t.Errorf("the clearing is not said by name:\n%s", screen)
	}
	if strings.Contains(screen, "! 没有符合的选项") {
		t.Errorf("the cleared answer's old error is still shown:\n%s", screen)
	}
	if got := s.Inst.Answer("township"); got != "" {
		t.Errorf("township still %q", got)
	}
	events, err := db.Audit(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range events {
		found = found || e.RecordID == s.RecordID && strings.Contains(e.Detail, `{"new":"","old":"420102002","path":"township"}`)
	}
	if !found {
		t.Errorf("the audit trail lacks the clearing: %+v", events)
	}
}

// The plain prompts say the same, by name.
func TestPlainClearsFilteredChild(t *testing.T) {
	db := sampleDB(t)
	md := "| survey |\n| | type | name | label | choice_filter |\n" +
		"| | select_one cn_county | county | 县 | |\n" +
		"| | select_one cn_township | township | 乡镇 | county=${county} |\n" +
		"| settings |\n| | form_id | form_title | version |\n| | cascade | 级联 | 1 |\n"
	if _, err := db.AddForm(context.Background(), "cascade.md", []byte(md)); err != nil {
		t.Fatal(err)
	}
	out := runPlain(t, db, "zh-Hans", "2", "420102", "1", "420102002", "<", "<", "420103", "1", "!q")
	if !strings.Contains(out, "不再可选、已清除：乡镇 大智街道") {
		t.Errorf("the clearing is not said by name:\n%s", out)
	}
}
