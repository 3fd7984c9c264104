package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/width"

	"github.com/fieldbench/fieldbench/forms/when/whentest"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/laptop"
)

// newcomerApp is the root model on a fresh database with the sample forms
// and no collector's name, as on the first run; settings are stored
// before the model starts.
func newcomerApp(t *testing.T, lang string, settings ...string) (model, *store.DB) {
	t.Helper()
	whentest.Shanghai(t)
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := installSampleForms(ctx, db); err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(settings); i += 2 {
		if err := db.SetSetting(ctx, settings[i], settings[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return startApp(t, Deps{DB: db, Lang: lang,
		Enrol: func(ctx context.Context, address, code string) (string, error) {
			resp, err := laptop.Enrol(ctx, db, &laptop.Client{BaseURL: address, MaxAttempts: 1}, code)
			if err != nil {
				return "", err
			}
			return resp.Township, nil
		}}), db
}

// The first run asks for the name before Home, refuses an empty one in
// the interface language, and stores the name cleaned: what a record's
// username will be.
func TestSetupAsksForTheName(t *testing.T) {
	ctx := context.Background()
	m, db := newcomerApp(t, "zh-Hans")
	if m.screen != screenSetup || !strings.Contains(screenText(m), "采集员姓名") {
		t.Fatalf("the first run does not open the setup:\n%s", screenText(m))
	}
	golden(t, "setup-zh-Hans", m)
	m = send(t, m, keys("enter")...)
	if m.screen != screenSetup || !strings.Contains(screenText(m), "请填写采集员姓名") {
		t.Fatalf("an empty name was not refused:\n%s", screenText(m))
	}
	m = send(t, m, keys("esc")...)
	if m.screen != screenSetup {
		t.Fatal("Esc left the setup without a name")
	}
	m = send(t, m, keys("  张 \t 伟  ", "enter", "enter", "enter", "enter", "enter")...)
	if m.screen != screenHome {
		t.Fatalf("not on Home after the setup:\n%s", screenText(m))
	}
	if name, _ := db.Collector(ctx); name != "张 伟" {
		t.Fatalf("stored collector %q", name)
	}
	if s := screenText(m); !strings.Contains(s, "采集员: 张 伟") || !strings.Contains(s, "欢迎") {
		t.Fatalf("Home after the setup:\n%s", s)
	}
}

// An address without a code is refused; a catalogue that cannot be
// reached is said so in the interface language, and the person goes on
// to Home with the name kept and nothing enrolled.
func TestSetupEnrolmentFailureLetsWorkGoOn(t *testing.T) {
	ctx := context.Background()
	m, db := newcomerApp(t, "en")
	m = send(t, m, keys("Wang Fang", "enter", "http://127.0.0.1:1", "enter", "enter")...)
	if !strings.Contains(screenText(m), "Enter the enrolment code, or clear the address") {
		t.Fatalf("an address without a code was not refused:\n%s", screenText(m))
	}
	m = send(t, m, keys("CODE-1", "enter", "enter", "enter")...) // no passphrase
	s := screenText(m)
	if !strings.Contains(s, "The catalogue cannot be reached") || !strings.Contains(s, "records stay on this laptop") {
		t.Fatalf("after a failed enrolment:\n%s", s)
	}
	m = send(t, m, keys("n")...)
	if m.screen != screenHome || !strings.Contains(screenText(m), "Not enrolled") {
		t.Fatalf("not on Home after declining to retry:\n%s", screenText(m))
	}
	if name, _ := db.Collector(ctx); name != "Wang Fang" {
		t.Fatalf("stored collector %q", name)
	}
	if tok, _ := db.Setting(ctx, laptop.SettingToken); tok != "" {
		t.Fatalf("a token was stored: %q", tok)
	}
}

// Keys that arrive in one burst land field by field: huh's focus moves
// run inside the key's Update, so the Enter that leaves the name field
// is done before the next key is read.
func TestSetupBurstLandsInOrder(t *testing.T) {
	ctx := context.Background()
	m, db := newcomerApp(t, "zh-Hans")
	m = send(t, m, keys("王芳", "enter", "enter", "enter", "enter", "enter", "s")...)
	if name, _ := db.Collector(ctx); name != "王芳" {
		t.Fatalf("stored collector %q after a burst", name)
	}
	if m.screen != screenSettings {
		t.Fatalf("the s after the setup did not open Settings:\n%s", screenText(m))
	}
}

// The name's rules, one source for the setup, Settings, the plain
// prompts and --collector.
func TestCollectorName(t *testing.T) {
	for _, c := range []struct {
		in, want string
		err      error
	}{
		{"王芳", "王芳", nil},
		{"  张 \t  伟 ", "张 伟", nil},
		{"李\x1b[31m娜\x1b[0m", "李娜", nil},
		{" \t ", "", ErrCollectorEmpty},
		{"\x1b[2J", "", ErrCollectorEmpty},
		{strings.Repeat("王", 40), strings.Repeat("王", 40), nil},
		{strings.Repeat("王", 41), "", ErrCollectorTooLong},
	} {
		got, err := CollectorName(c.in)
		if got != c.want || err != c.err {
			t.Errorf("CollectorName(%q) = %q, %v; want %q, %v", c.in, got, err, c.want, c.err)
		}
	}
}

// A name already stored (or given with --collector) skips the setup.
func TestSetupSkippedWithAName(t *testing.T) {
	m, _ := testApp(t, "zh-Hans")
	if m.screen != screenHome {
		t.Fatalf("the setup showed although a name is set:\n%s", screenText(m))
	}
}

// The huh screens draw no East-Asian ambiguous-width character in the
// Unicode theme and nothing but ASCII in the ASCII theme (English text).
func TestHuhScreensAvoidAmbiguousWidths(t *testing.T) {
	for _, c := range []struct{ lang, theme string }{{"zh-Hans", "unicode"}, {"en", "ascii"}, {"zh-Hant", "ascii"}} {
		m, _ := newcomerApp(t, c.lang, "theme", c.theme)
		var screens []string
		screens = append(screens, screenText(m))
		m = send(t, m, keys("enter")...) // the refusal
		screens = append(screens, screenText(m))
		name := "王芳"
		if c.lang == "en" {
			name = "Wang Fang"
		}
		m = send(t, m, keys(name, "enter", "enter", "enter")...) // the passphrase step
		screens = append(screens, screenText(m))
		m = send(t, m, keys("enter", "enter", "s")...)
		screens = append(screens, screenText(m))
		m = send(t, m, keys("right", "esc")...) // the question on leaving
		screens = append(screens, screenText(m))
		for _, s := range screens {
			for _, r := range s {
				if c.theme == "ascii" && c.lang == "en" && r > 0x7e {
					t.Errorf("%s/%s: %q (%U) in\n%s", c.lang, c.theme, r, r, s)
					break
				}
				if width.LookupRune(r).Kind() == width.EastAsianAmbiguous {
					t.Errorf("%s/%s: %q (%U), of ambiguous width, in\n%s", c.lang, c.theme, r, r, s)
					break
				}
			}
		}
	}
}

// Discarding a draft asks first, in a huh confirm over the records
// screen that starts on the safe answer: Enter, n and Esc keep the
// draft, y (or Left then Enter) discards it.
func TestDiscardDraftAsks(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "zh-Hans")
	m = send(t, m, keys("enter", "enter", "北京", "enter", "esc", "esc")...) // a draft with one answer
	drafts, _ := db.Drafts(ctx)
	if len(drafts) != 1 {
		t.Fatalf("drafts: %d", len(drafts))
	}
	m = send(t, m, keys("r", "right", "d")...)
	s := screenText(m)
	if !strings.Contains(s, "删除草稿「（未命名）」") || !strings.Contains(s, "[ 保留 ]") || !strings.Contains(s, "记录") {
		t.Fatalf("the question, its safe default and the screen under it:\n%s", s)
	}
	for _, answer := range [][]string{{"enter"}, {"n"}, {"esc"}} {
		m = send(t, m, keys(answer...)...)
		if m.dialog != nil {
			t.Fatalf("%v did not close the question", answer)
		}
		if _, err := db.Record(ctx, drafts[0].ID); err != nil {
			t.Fatalf("%v discarded the draft", answer)
		}
		m = send(t, m, keys("d")...)
	}
	m = send(t, m, keys("left", "enter")...)
	if _, err := db.Record(ctx, drafts[0].ID); err == nil {
		t.Fatal("the draft is still there after yes")
	}
	if !strings.Contains(screenText(m), "草稿已删除") {
		t.Fatalf("after discarding:\n%s", screenText(m))
	}
}

// The first run and Settings refuse by the same rules, with the same
// messages; only Settings, with an address stored, keeps it without a
// code.
func TestCheckEnrolment(t *testing.T) {
	const stored = "https://catalogue.example.cn"
	cases := []struct {
		name, address, code, stored string
		want                        error
	}{
		{"王小明", "", "", "", nil},
		{" ", "ftp://catalogue", "", "", ErrCollectorEmpty},
		{"王小明", "ftp://catalogue", "", "", errURLInvalid},
		{"王小明", stored, "", "", errCodeMissing},
		{"王小明", "", "ABC123", "", errURLMissing},
		{"王小明", stored, "", stored, nil},
		{"王小明", stored + "/new", "", stored, errCodeMissing},
		{"王小明", stored, "ABC123", stored, nil},
	}
	for _, tc := range cases {
		e, err := checkEnrolment(tc.name, tc.address, tc.code, tc.stored)
		switch {
		case tc.want == nil && err != nil:
			t.Errorf("%+v refused: %v", tc, err)
		case tc.want != nil && (err == nil || ruleText("en", err) != ruleText("en", tc.want)):
			t.Errorf("%+v: %v, want %v", tc, err, tc.want)
		case tc.want == nil && (e.name != tc.name || e.address != tc.address || e.code != tc.code):
			t.Errorf("%+v stored as %+v", tc, e)
		}
	}
}
