package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// bigForm is a markdown XLSForm of n questions: integers, texts with a
// constraint, selects and relevance on the previous answer, in groups of
// ten, as a long census form would be.
func bigForm(n int) string {
	var b strings.Builder
	b.WriteString("| survey |\n| | type | name | label | relevant | constraint |\n")
	for i := 0; i < n; i++ {
		if i%10 == 0 {
			fmt.Fprintf(&b, "| | begin group | g%d | Part %d | | |\n", i/10, i/10)
		}
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "| | integer | q%d | Question %d | | . >= 0 and . < 1000 |\n", i, i)
		case 1:
			fmt.Fprintf(&b, "| | text | q%d | Question %d | ${q%d} != 999 | string-length(.) < 50 |\n", i, i, i-1)
		case 2:
			fmt.Fprintf(&b, "| | select_one yn | q%d | Question %d | | |\n", i, i)
		}
		if i%10 == 9 || i == n-1 {
			b.WriteString("| | end group | | | | |\n")
		}
	}
	b.WriteString("| choices |\n| | list_name | name | label |\n| | yn | yes | Yes |\n| | yn | no | No |\n")
	b.WriteString("| settings |\n| | form_id | version |\n| | big | 1 |\n")
	return b.String()
}

// appWithForm is testApp with one more form registered, opened for a new
// record.
func appWithForm(b *testing.B, name, md string) model {
	m, db := testApp(b, "zh-Hans")
	if _, err := db.AddForm(context.Background(), name+".md", []byte(md)); err != nil {
		b.Fatal(err)
	}
	s, err := entry.New(context.Background(), db, name, "1", "zh-Hans", fixedClock)
	if err != nil {
		b.Fatal(err)
	}
	return send(b, m, openFillMsg{s: s})
}

// BenchmarkKeystroke500 is one keystroke on a form of 500 questions: a
// rune typed and erased, each followed by View, as the program does.
// Reports the median per keystroke.
func BenchmarkKeystroke500(b *testing.B) {
	m := appWithForm(b, "big", bigForm(500))
	typeKey := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("7")}
	erase := tea.KeyMsg{Type: tea.KeyBackspace}
	var durs []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		next, _ := m.Update(typeKey)
		m = next.(model)
		_ = m.View()
		next, _ = m.Update(erase)
		m = next.(model)
		_ = m.View()
		durs = append(durs, time.Since(start)/2)
	}
	reportMedian(b, durs)
}

// BenchmarkAnswer500 is accepting an answer on the 500-question form:
// validation of the record, the draft saved (one synchronous=FULL
// transaction), the steps worked out again, and the next View.
func BenchmarkAnswer500(b *testing.B) {
	m := appWithForm(b, "big", bigForm(500))
	var durs []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := fmt.Sprint(i % 900)
		m.fill.goTo(0)
		start := time.Now()
		m = press(m, keys("bs", "bs", "bs", v, "enter")...)
		_ = m.View()
		durs = append(durs, time.Since(start))
	}
	reportMedian(b, durs)
}

// BenchmarkFilterTownships is one keystroke in the township select when
// no county narrows it: all 41,352 townships filtered and the list drawn.
func BenchmarkFilterTownships(b *testing.B) {
	md := "| survey |\n| | type | name | label |\n| | select_one cn_township | town | Township |\n" +
		"| settings |\n| | form_id | version |\n| | towns | 1 |\n"
	m := appWithForm(b, "towns", md)
	w := m.fill.current()
	if w == nil || w.choices == nil || len(w.choices.all) != 41352 {
		b.Fatalf("the township select has %d choices", len(w.choices.all))
	}
	reportMedian(b, typeAndErase(b, m, "镇", "街", "乡"))
}

// typeAndErase times keystrokes in a select's search, each drawn as the
// program draws it: a key typed, then erased, in turn for each of
// letters; a keystroke is half of one such pair.
func typeAndErase(b *testing.B, m model, letters ...string) []time.Duration {
	var durs []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		m = press(m, keys(letters[i%len(letters)])...)
		_ = m.View()
		m = press(m, keys("bs")...)
		_ = m.View()
		durs = append(durs, time.Since(start)/2)
	}
	return durs
}

// BenchmarkFirstFrame100k opens a database holding 100,000 records (and
// 200 drafts) and draws the home screen: what stands between starting
// fieldbench and seeing it, less the process start. The record counts
// come after the first frame; counts-ms is when they are on screen.
func BenchmarkFirstFrame100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "fb.db")
	db, err := store.Open(path, store.WithCollector("王芳"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := installSampleForms(ctx, db); err != nil {
		b.Fatal(err)
	}
	data := []byte(`{"head_name":"王建国","village":"大路李村"}`)
	for batch := 0; batch < 20; batch++ {
		items := make([]store.ImportItem, 5000)
		for i := range items {
			items[i] = store.ImportItem{FormID: "household_visit", Version: samples.HouseholdVisitVersion, Key: fmt.Sprint(batch, "-", i), Data: data, InstanceName: "王建国 大路李村"}
		}
		if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < 200; i++ {
		if _, err := db.NewDraft(ctx, "household_visit", samples.HouseholdVisitVersion); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	env := func(string) string { return "" }
	var durs, counted []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		db, err := store.Open(path, store.WithCollector("王芳"))
		if err != nil {
			b.Fatal(err)
		}
		c, err := newCommon(ctx, Deps{DB: db, Getenv: env})
		if err != nil {
			b.Fatal(err)
		}
		m := newModel(c)
		if !strings.Contains(m.View(), "入户登记") {
			b.Fatal("the home screen does not show the forms")
		}
		durs = append(durs, time.Since(start))
		m = press(m, m.Init()())
		if !strings.Contains(m.View(), "100000") {
			b.Fatal("the home screen does not count the records")
		}
		counted = append(counted, time.Since(start))
		db.Close()
	}
	sort.Slice(counted, func(i, j int) bool { return counted[i] < counted[j] })
	b.ReportMetric(float64(counted[len(counted)/2].Microseconds())/1000, "counts-ms")
	reportMedian(b, durs)
}

func reportMedian(b *testing.B, durs []time.Duration) {
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds())/1000, "p99-ms")
}

// press is Update without running the commands returned: in the program
// they run on other goroutines (the cursor's blink), not in the keystroke.
func press(m model, msgs ...tea.Msg) model {
	for _, msg := range msgs {
		next, _ := m.Update(msg)
		m = next.(model)
	}
	return m
}
