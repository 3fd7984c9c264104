package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/fieldbench/fieldbench/forms/when/whentest"
	"github.com/fieldbench/fieldbench/store"
)

var update = flag.Bool("update", false, "rewrite the golden screens under testdata/golden")

// fixedClock is the time every test database lives at, so screens that
// show times are the same on every run: 09:30 in Beijing, where testApp
// puts every test, stored as 01:30 UTC. A screen that showed the stored
// text would say 01:30.
func fixedClock() time.Time { return time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC) }

// testApp is the root model on a fresh database with the sample forms, at
// 80×24, in lang.
func testApp(t testing.TB, lang string) (model, *store.DB) {
	t.Helper()
	return testAppAt(t, lang, fixedClock)
}

// testAppAt is testApp with the database on clock; the screens keep
// fixedClock.
func testAppAt(t testing.TB, lang string, clock func() time.Time) (model, *store.DB) {
	t.Helper()
	whentest.Shanghai(t)
	db := sampleDB(t, store.WithClock(clock))
	return startApp(t, Deps{DB: db, Lang: lang}), db
}

// startApp is the root model on d.DB at 80×24 with the fixed clock, as
// Run starts it in an xterm.
func startApp(t testing.TB, d Deps) model {
	t.Helper()
	env := map[string]string{"TERM": "xterm-256color"}
	d.Getenv = func(k string) string { return env[k] }
	c, err := newCommon(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	c.now = fixedClock
	m := newModel(c)
	return send(t, m, append(runCmd(m.Init()), tea.WindowSizeMsg{Width: 80, Height: 24})...)
}

// send feeds messages to the model as the program would, running the
// commands they return synchronously: a command that has not answered in
// 50 ms (the cursor's blink timer) is dropped, batches are expanded.
func send(t testing.TB, m model, msgs ...tea.Msg) model {
	t.Helper()
	queue := append([]tea.Msg(nil), msgs...)
	for len(queue) > 0 && len(queue) < 1000 {
		msg := queue[0]
		queue = queue[1:]
		next, cmd := m.Update(msg)
		m = next.(model)
		queue = append(queue, runCmd(cmd)...)
	}
	return m
}

func runCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		switch msg := msg.(type) {
		case nil:
			return nil
		case tea.BatchMsg:
			var out []tea.Msg
			for _, c := range msg {
				out = append(out, runCmd(c)...)
			}
			return out
		case tea.QuitMsg:
			return nil
		}
		// tea.Sequence's message type is unexported: expand it by shape.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			var out []tea.Msg
			for i := 0; i < v.Len(); i++ {
				out = append(out, runCmd(v.Index(i).Interface().(tea.Cmd))...)
			}
			return out
		}
		return []tea.Msg{msg}
	case <-time.After(50 * time.Millisecond):
		return nil
	}
}

// keys turns a script into key messages: runs of text, and named keys.
func keys(script ...string) []tea.Msg {
	named := map[string]tea.KeyType{"enter": tea.KeyEnter, "down": tea.KeyDown, "up": tea.KeyUp, "esc": tea.KeyEsc,
		"space": tea.KeySpace, "bs": tea.KeyBackspace, "tab": tea.KeyTab, "ctrl+g": tea.KeyCtrlG, "ctrl+f": tea.KeyCtrlF,
		"ctrl+d": tea.KeyCtrlD, "ctrl+u": tea.KeyCtrlU, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp, "left": tea.KeyLeft, "right": tea.KeyRight, "f1": tea.KeyF1, "ctrl+s": tea.KeyCtrlS}
	var out []tea.Msg
	for _, s := range script {
		if k, ok := named[s]; ok {
			out = append(out, tea.KeyMsg{Type: k})
			continue
		}
		// Chinese arrives as runes, as from an input method.
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
	}
	return out
}

// screenText is the view as the person sees it: no escape codes, trailing
// spaces trimmed.
func screenText(m model) string {
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// golden compares the screen with testdata/golden/NAME.txt.
func golden(t *testing.T, name string, m model) {
	t.Helper()
	got := screenText(m)
	if n := strings.Count(got, "\n"); n != 24 {
		t.Errorf("%s: %d lines, want 24", name, n)
	}
	for i, l := range strings.Split(got, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("%s: line %d is %d cells wide: %q", name, i+1, w, l)
		}
	}
	path := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -run %s -update to write it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("screen %s differs from %s:\n--- got\n%s--- want\n%s", name, path, got, want)
	}
}

// TestScreens walks every screen in both golden languages and pins what
// it shows at 80×24.
func TestScreens(t *testing.T) {
	for _, lang := range []string{"zh-Hans", "en"} {
		t.Run(lang, func(t *testing.T) {
			m, _ := testApp(t, lang)
			golden(t, "home-empty-"+lang, m)
			m = send(t, m, keys("f1")...)
			golden(t, "help-home-"+lang, m)
			m = send(t, m, keys("esc", "enter")...)
			golden(t, "fill-consent-"+lang, m)
			m = send(t, m, keys("enter")...)
			golden(t, "fill-location-"+lang, m)
			m = send(t, m, keys("北京", "enter", "enter", "朝阳", "enter", "望京")...)
			golden(t, "fill-township-filtered-"+lang, m)
			m = send(t, m, keys("enter", "大西洋新城社区", "enter", "enter", "张建国", "enter", "110105196805140037", "enter")...)
			golden(t, "fill-refused-id-"+lang, m)
			m = send(t, m, keys("bs", "6", "enter", "enter", "2", "enter")...)
			golden(t, "fill-member-"+lang, m)
			m = send(t, m, keys("ctrl+g")...)
			golden(t, "fill-question-list-"+lang, m)
			m = send(t, m, keys("esc", "ctrl+f")...)
			golden(t, "fill-summary-missing-"+lang, m)
			m = send(t, m, keys("esc", "esc")...)
			golden(t, "home-with-draft-"+lang, m)
			m = send(t, m, keys("r")...)
			golden(t, "records-"+lang, m)
			m = send(t, m, keys("enter")...)
			golden(t, "record-view-"+lang, m)
			m = send(t, m, keys("esc", "esc", "y")...)
			golden(t, "sync-"+lang, m)
			m = send(t, m, keys("esc", "s")...)
			golden(t, "settings-"+lang, m)
		})
	}
}
