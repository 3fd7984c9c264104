package tui

import (
	"context"
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
)

// withRecords stores the five valid hand-worked households, a sixth that
// copies the first's members (so their IDs are duplicated) and a draft of
// twelve people whose soft check was confirmed.
func withRecords(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	b, err := os.ReadFile("../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for _, line := range append(lines[:5:5], strings.Replace(lines[0], "张建国", "张建华", 1)) {
		if _, _, err := db.InsertFinalized(ctx, "household_visit", samples.HouseholdVisitVersion, "", []byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	id, err := db.NewDraft(ctx, "household_visit", samples.HouseholdVisitVersion)
	if err != nil {
		t.Fatal(err)
	}
	draft := `{"consent":"OK","head_name":"王大山","hh_size":"12",` +
		`"__warnings":[{"field":"hh_size","path":"hh_size","rule":"warning","message":"户人数超过10人，请核实"}]}`
	if err := db.SaveDraft(ctx, id, []byte(draft), nil); err != nil {
		t.Fatal(err)
	}
}

// openQuality presses d on home and waits for the report, however long
// the machine takes (send drops commands slower than 50 ms).
func openQuality(t *testing.T, m model) model {
	t.Helper()
	m = send(t, m, keys("d")...)
	if m.screen != screenQuality {
		t.Fatalf("d did not open the quality screen:\n%s", screenText(m))
	}
	if m.quality.loading {
		m = send(t, m, m.quality.loadCmd()())
	}
	return m
}

// The quality screen at 80×24 in both golden languages: the fields with
// their bars, the duplicated IDs masked, the records per collector per day.
func TestQualityScreens(t *testing.T) {
	for _, lang := range []string{"zh-Hans", "en"} {
		t.Run(lang, func(t *testing.T) {
			m, db := testApp(t, lang)
			withRecords(t, db)
			m = send(t, m, goHomeMsg{})
			m = openQuality(t, m)
			golden(t, "quality-fields-"+lang, m)
			if s := screenText(m); strings.Contains(s, "110105196805140036") {
				t.Errorf("an ID in clear:\n%s", s)
			}
			m = send(t, m, keys("down", "down", "down")...)
			golden(t, "quality-fields-scrolled-"+lang, m)
			m = send(t, m, keys("right")...)
			golden(t, "quality-duplicates-"+lang, m)
			m = send(t, m, keys("right")...)
			golden(t, "quality-days-"+lang, m)
			m = send(t, m, keys("f1")...)
			if s := screenText(m); !strings.Contains(s, "Esc") {
				t.Errorf("help on the quality screen:\n%s", s)
			}
			m = send(t, m, keys("esc", "esc")...)
			if m.screen != screenHome {
				t.Errorf("Esc left the quality screen for %d", m.screen)
			}
		})
	}
}

// Resizing re-lays the screen out: scrolled to the bottom, a taller
// window keeps the last question in view, a tall one shows every question,
// and back at 80×24 the list starts at the top again.
func TestQualityScreenResize(t *testing.T) {
	m, db := testApp(t, "en")
	withRecords(t, db)
	m = openQuality(t, send(t, m, goHomeMsg{}))
	m = send(t, m, keys("pgdown", "pgdown", "pgdown")...)
	bottom := screenText(m)
	if !strings.Contains(bottom, "Date of visit") || strings.Contains(bottom, "The purpose") {
		t.Fatalf("after paging down:\n%s", bottom)
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 30})
	if s := screenText(m); !strings.Contains(s, "Date of visit") || m.quality.top+m.quality.rows != len(m.quality.report.Fields) {
		t.Errorf("at 80x30 the bottom should stay in view (top %d, %d rows):\n%s", m.quality.top, m.quality.rows, s)
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	s := screenText(m)
	if !strings.Contains(s, "Date of visit") || !strings.Contains(s, "The purpose") || strings.Contains(s, "rows ") || strings.Count(s, "\n") != 40 {
		t.Errorf("at 120x40 every question should fit:\n%s", s)
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	golden(t, "quality-fields-en", m)
}

// On a draft, d opens the quality of the draft's form; a form without
// records says so.
func TestQualityScreenFromDraftAndEmpty(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	id, _ := db.NewDraft(ctx, "business_census", "2026112701")
	db.SaveDraft(ctx, id, []byte(`{"biz_name":"晨光餐饮"}`), nil)
	m = send(t, m, goHomeMsg{})
	m = send(t, m, keys("down", "down")...) // two forms, then the draft
	m = openQuality(t, m)
	if s := screenText(m); !strings.Contains(s, "Data quality: 经营主体普查") || !strings.Contains(s, "1 records (drafts 1)") {
		t.Errorf("the draft's form:\n%s", s)
	}
	m = send(t, m, keys("esc")...)
	m = send(t, m, keys("up", "up")...)
	m = openQuality(t, m)
	if s := screenText(m); !strings.Contains(s, "no records yet") {
		t.Errorf("a form without records:\n%s", s)
	}
}
