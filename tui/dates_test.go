package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/tui/entry"
)

// A date typed the way people write it is stored as YYYY-MM-DD and the
// screen says so; a birth date the ID gives is offered and Enter takes it.
func TestFillDatesTypedFreelyAndOffered(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "zh-Hans")
	md := "| survey |\n| | type | name | label | calculation | default |\n" +
		"| | date | visit | Visit | | |\n" +
		"| | text | id | ID | | |\n" +
		"| | calculate | id_birth | | concat(substr(${id}, 6, 10), '-', substr(${id}, 10, 12), '-', substr(${id}, 12, 14)) | |\n" +
		"| | date | birth | Birth | | ${id_birth} |\n" +
		"| settings |\n| | form_id | version |\n| | dates | 1 |\n"
	if _, err := db.AddForm(ctx, "dates.md", []byte(md)); err != nil {
		t.Fatal(err)
	}
	s, err := entry.New(ctx, db, "dates", "1", "zh-Hans", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, openFillMsg{s: s})
	m = send(t, m, keys("２０２４年１１月２０日", "enter")...)
	if got := screenText(m); !strings.Contains(got, "已保存草稿，记为 2024-11-20") {
		t.Fatalf("the stored form is not shown:\n%s", got)
	}
	m = send(t, m, keys("110105196805140036", "enter")...)
	if got := screenText(m); !strings.Contains(got, "1968-05-14（按 Enter 采用）") {
		t.Fatalf("the birth date is not offered:\n%s", got)
	}
	send(t, m, keys("enter")...)
	if got := s.Inst.Answer("visit") + " " + s.Inst.Answer("birth"); got != "2024-11-20 1968-05-14" {
		t.Errorf("stored %q", got)
	}
}
