package tui

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// A free repeat (no repeat_count): add two entries, remove the first
// after saying yes, and the draft keeps the second.
func TestRepeatAddAndRemove(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	md := "| survey |\n| | type | name | label | required |\n| | begin repeat | branches | Branch | |\n" +
		"| | text | branch_name | Branch name | yes |\n| | end repeat | | | |\n| | text | notes | Notes | |\n" +
		"| settings |\n| | form_id | version |\n| | shops | 1 |\n"
	if _, err := db.AddForm(ctx, "shops.md", []byte(md)); err != nil {
		t.Fatal(err)
	}
	s, err := entry.New(ctx, db, "shops", "1", "en", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, openFillMsg{s: s})
	if !strings.Contains(screenText(m), "0 entries") {
		t.Fatalf("a new record starts on the empty repeat:\n%s", screenText(m))
	}
	m = send(t, m, keys("a", "分店一", "enter", "a", "分店二", "enter")...)
	if n, _ := s.Inst.Count("branches"); n != 2 || s.Inst.Answer("branches[2]/branch_name") != "分店二" {
		t.Fatalf("after two adds: %d entries\n%s", n, screenText(m))
	}
	m.fill.jumpTo("branches[1]/branch_name")
	m = send(t, m, keys("ctrl+d")...)
	if !strings.Contains(screenText(m), "Remove entry 1") {
		t.Fatalf("no confirmation:\n%s", screenText(m))
	}
	m = send(t, m, keys("n", "ctrl+d", "y")...)
	if n, _ := s.Inst.Count("branches"); n != 1 || s.Inst.Answer("branches[1]/branch_name") != "分店二" {
		t.Fatalf("after removing the first: %d entries\n%s", n, screenText(m))
	}
	rec, _ := db.Record(ctx, s.RecordID)
	if strings.Contains(string(rec.Data), "分店一") || !strings.Contains(string(rec.Data), "分店二") {
		t.Fatalf("draft after removal: %s", rec.Data)
	}
}

// A repeat whose count comes from an answer cannot lose an entry by Ctrl+D.
func TestFixedRepeatRefusesRemove(t *testing.T) {
	m, _ := testApp(t, "en")
	m = send(t, m, keys("enter", "enter", "北京", "enter", "enter", "朝阳", "enter", "望京", "enter", "村", "enter", "enter",
		"张建国", "enter", "110105196805140036", "enter", "enter", "2", "enter", "ctrl+d")...)
	if !strings.Contains(screenText(m), "change that answer instead") || m.dialog != nil {
		t.Fatalf("Ctrl+D in a counted repeat:\n%s", screenText(m))
	}
}

// Records: a finalized record edited from the records screen becomes a
// new version naming the old; a draft is discarded only after a yes.
func TestRecordsEditAndDiscard(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	known := knownRecord(t)
	s, _ := entry.New(ctx, db, "household_visit", samples.HouseholdVisitVersion, "en", fixedClock)
	for guard := 0; guard < 200; guard++ {
		progressed := false
		for _, st := range s.Inst.Steps() {
			if st.Kind != 0 || s.Inst.Answer(st.Path) != "" {
				continue
			}
			if v, ok := answerOf(known, st.Path); ok {
				if errs, err := s.Answer(ctx, st.Path, v); err != nil || len(errs) > 0 {
					t.Fatalf("%s: %v %v", st.Path, errs, err)
				}
				progressed = true
				break
			}
		}
		if !progressed {
			break
		}
	}
	if err := s.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	draft, _ := entry.New(ctx, db, "household_visit", samples.HouseholdVisitVersion, "en", fixedClock)
	draft.Answer(ctx, "head_name", "李四")

	m = send(t, m, keys("r", "right", "right")...) // the finalized tab
	if !strings.Contains(screenText(m), "张建国") {
		t.Fatalf("finalized tab:\n%s", screenText(m))
	}
	m = send(t, m, keys("e")...)
	if m.screen != screenFill || !m.fill.s.Editing {
		t.Fatal("e did not open the record for editing")
	}
	m.fill.jumpTo("income")
	m = send(t, m, keys("bs", "bs", "bs", "bs", "bs", "bs", "90000", "enter", "ctrl+f", "enter")...)
	if !strings.Contains(screenText(m), "Saved as a new version") {
		t.Fatalf("after saving the edit:\n%s", screenText(m))
	}
	versions, _ := db.Versions(ctx, s.RecordID)
	if len(versions) != 2 || versions[1].Replaces != versions[0].ID || !strings.Contains(string(versions[1].Data), `"income":"90000"`) {
		t.Fatalf("versions after the edit: %+v", versions)
	}

	m = send(t, m, keys("r", "right")...) // the drafts tab
	m = send(t, m, keys("d")...)
	if !strings.Contains(screenText(m), "Discard the draft") {
		t.Fatalf("no confirmation:\n%s", screenText(m))
	}
	m = send(t, m, keys("n", "d", "y")...)
	if _, err := db.Record(ctx, draft.RecordID); err == nil {
		t.Fatal("the draft is still there after yes")
	}
	if recs, _ := db.Records(ctx, store.Filter{State: store.Finalized}); len(recs) != 1 {
		t.Fatalf("finalized records: %d", len(recs))
	}
}

// Settings: the interface language is stored on saving (Ctrl+S from
// any question) and the whole interface follows it.
func TestSettingsLanguage(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "zh-Hans")
	m = send(t, m, keys("s", "right", "right")...) // zh-Hans -> zh-Hant -> en
	if !strings.Contains(screenText(m), "< English >") {
		t.Fatalf("settings after two changes:\n%s", screenText(m))
	}
	if v, _ := db.Setting(ctx, "ui_language"); v != "" {
		t.Fatalf("ui_language stored before saving: %q", v)
	}
	m = send(t, m, keys("ctrl+s")...)
	if v, _ := db.Setting(ctx, "ui_language"); v != "en" {
		t.Fatalf("stored ui_language %q", v)
	}
	if !strings.Contains(screenText(m), "Unfinished drafts") {
		t.Fatalf("home after switching to English:\n%s", screenText(m))
	}
}

// Settings: the collector's name and the theme go through the form field
// by field and are saved at its end, under the keys they always had; a
// refused name stays on screen and is not saved.
func TestSettingsNameAndTheme(t *testing.T) {
	ctx := context.Background()
	m, db := newcomerApp(t, "zh-Hans")
	m = send(t, m, keys("王芳", "enter", "enter", "enter", "enter", "enter")...) // the first-run setup, no passphrase
	m = send(t, m, keys("s", "enter", "enter", "ctrl+u", "enter")...)
	if !strings.Contains(screenText(m), "请填写采集员姓名") {
		t.Fatalf("an emptied name was not refused:\n%s", screenText(m))
	}
	m = send(t, m, keys("李娜", "enter", "right", "right", "enter", "enter", "enter", "enter")...)
	if m.screen != screenHome || !strings.Contains(screenText(m), "已保存") {
		t.Fatalf("not home after saving:\n%s", screenText(m))
	}
	if name, _ := db.Collector(ctx); name != "李娜" {
		t.Fatalf("stored collector %q", name)
	}
	if v, _ := db.Setting(ctx, "theme"); v != "ascii" {
		t.Fatalf("stored theme %q", v)
	}
	if m.c.th.name != "ascii" || !strings.Contains(screenText(m), "采集员: 李娜") {
		t.Fatalf("home after saving:\n%s", screenText(m))
	}
}

// Esc over changes asks before dropping them; no keeps editing, yes
// leaves with nothing stored. Esc with nothing changed just leaves.
func TestSettingsAsksBeforeDroppingChanges(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	m = send(t, m, keys("s", "esc")...)
	if m.screen != screenHome {
		t.Fatalf("Esc on unchanged settings did not leave:\n%s", screenText(m))
	}
	m = send(t, m, keys("s", "enter", "enter", "ctrl+u", "Li Na", "esc")...)
	if !strings.Contains(screenText(m), "Drop the changes not saved?") {
		t.Fatalf("no question on leaving with changes:\n%s", screenText(m))
	}
	m = send(t, m, keys("n")...)
	if m.screen != screenSettings || !strings.Contains(screenText(m), "> Li Na") {
		t.Fatalf("no did not keep editing:\n%s", screenText(m))
	}
	m = send(t, m, keys("esc", "y")...)
	if m.screen != screenHome {
		t.Fatalf("yes did not leave:\n%s", screenText(m))
	}
	if name, _ := db.Collector(ctx); name != "王芳" {
		t.Fatalf("a dropped change was stored: %q", name)
	}
}

// Under NO_COLOR the screens carry no colour, but the cursor (reverse
// video) stays visible.
func TestNoColorKeepsCursor(t *testing.T) {
	db := sampleDB(t)
	env := map[string]string{"NO_COLOR": "1", "TERM": "xterm-256color"}
	c, err := newCommon(context.Background(), Deps{DB: db, Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(c)
	m = send(t, m, append(runCmd(m.Init()), tea.WindowSizeMsg{Width: 80, Height: 24})...)
	m = send(t, m, keys("enter", "enter", "北京", "enter", "enter", "朝阳", "enter", "望京", "enter")...)
	v := m.View()
	if !strings.Contains(v, "\x1b[7m") {
		t.Errorf("no reverse video (the cursor) under NO_COLOR:\n%q", v)
	}
	if strings.Contains(v, "38;5;") || strings.Contains(v, "\x1b[3") && strings.Contains(v, "\x1b[9") {
		t.Errorf("colour codes under NO_COLOR:\n%q", v)
	}
	t.Cleanup(func() { setColorProfile(func(string) string { return "" }) })
}

// Records are found by their instance name.
func TestRecordsSearch(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	for _, name := range []string{"王建国", "李秀梅"} {
		s, _ := entry.New(ctx, db, "household_visit", samples.HouseholdVisitVersion, "en", fixedClock)
		s.Answer(ctx, "head_name", name)
	}
	m = send(t, m, keys("r", "/", "秀梅", "enter")...)
	s := screenText(m)
	if !strings.Contains(s, "李秀梅") || strings.Contains(s, "王建国") {
		t.Fatalf("search for 秀梅:\n%s", s)
	}
}

// Escape and control sequences in a form's texts or a record's answers
// never reach the terminal.
func TestScreensStripEscapes(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	md := "| survey |\n| | type | name | label | hint |\n| | text | who | Name\x1b]0;pwned\x07 | hint\x1b[2J |\n" +
		"| | select_one l | pick | Pick | |\n| choices |\n| | list_name | name | label |\n| | l | a | A\x1b[31mred |\n" +
		"| settings |\n| | form_id | version | form_title | instance_name |\n| | esc | 1 | Title\x1b[5m | ${who} |\n"
	if _, err := db.AddForm(ctx, "esc.md", []byte(md)); err != nil {
		t.Fatal(err)
	}
	s, err := entry.New(ctx, db, "esc", "1", "en", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, openFillMsg{s: s})
	m = send(t, m, keys("x\x1b[H\x07y", "enter")...)
	for _, v := range []string{m.View(), send(t, m, keys("esc")...).View()} {
		for _, bad := range []string{"]0;pwned", "\x07", "\x1b[2J", "\x1b[31m", "\x1b[5m", "\x1b[H"} {
			if strings.Contains(v, bad) {
				t.Errorf("%q reached the screen:\n%q", bad, v)
			}
		}
	}
}

// A record the catalogue answered with a conflict is shown as one, with
// the catalogue's reason, on the Sync screen and under its tab in Records.
func TestConflictIsShown(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	id, _, err := db.InsertFinalized(ctx, "household_visit", samples.HouseholdVisitVersion, "", []byte(`{"head_name":"张建国","village":"大路李村"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.QueueBatch(ctx, 10, func(vs []store.QueuedVersion) (string, []byte, error) { return "b1", []byte("{}"), nil })
	if err != nil || b == nil {
		t.Fatal(err)
	}
	rec, _ := db.Record(ctx, id)
	if err := db.ApplyReceipt(ctx, "b1", []byte("{}"), []store.Outcome{{VersionID: rec.Head, State: store.Conflict,
		Note: "edited from version A, but the catalogue's latest is B"}}); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, keys("y")...)
	s := screenText(m)
	if !strings.Contains(s, "Records that need attention: 1") || !strings.Contains(s, "conflict: edited from version A") {
		t.Fatalf("sync screen:\n%s", s)
	}
	m = send(t, m, keys("esc", "r", "right", "right", "right", "right", "right")...) // all, drafts, final, queued, sent, conflict
	if s := screenText(m); !strings.Contains(s, "(no name yet)  conflict") {
		t.Fatalf("records, conflict tab:\n%s", s)
	}
}

// Inside nested repeats the breadcrumb numbers every enclosing entry, and
// a repeat without a label is named by its name.
func TestNestedRepeatCrumbs(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	md := "| survey |\n| | type | name | label |\n| | begin repeat | kids | Kid |\n| | text | kid | Name |\n" +
		"| | begin repeat | shots | |\n| | text | shot | Vaccine |\n| | end repeat | | |\n| | end repeat | | |\n" +
		"| settings |\n| | form_id | version |\n| | nest | 1 |\n"
	if _, err := db.AddForm(ctx, "nest.md", []byte(md)); err != nil {
		t.Fatal(err)
	}
	s, err := entry.New(ctx, db, "nest", "1", "en", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, openFillMsg{s: s})
	m = send(t, m, keys("a", "Ann", "enter")...)
	if got := screenText(m); !strings.Contains(got, "Kid 1 › shots") {
		t.Fatalf("the nested repeat's step:\n%s", got)
	}
	m = send(t, m, keys("a")...)
	if got := screenText(m); !strings.Contains(got, "Kid 1 › shots 1") {
		t.Fatalf("inside the nested entry:\n%s", got)
	}
}

// TestEscOnHomeStays: Esc means back on every other screen, so on Home it
// does not quit; it says how to.
func TestEscOnHomeStays(t *testing.T) {
	m, _ := testApp(t, "")
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	m = next.(model)
	if cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Fatal("Esc on Home quit the program")
		}
	}
	if s := screenText(m); !strings.Contains(s, "按 q 或 Ctrl+C 退出，草稿都已保存") {
		t.Errorf("Esc on Home did not say how to quit:\n%s", s)
	}
	if _, cmd = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")}); cmd == nil {
		t.Fatal("q on Home did nothing")
	} else if _, quit := cmd().(tea.QuitMsg); !quit {
		t.Error("q on Home did not quit")
	}
}

// TestSyncOfflineSaysSo: a sync with the catalogue out of reach ends at
// once with the reason in the interface language, whole and wrapped, and
// the word that the records stay safe here; no summary that looks like
// success and none of the engine's English.
func TestSyncOfflineSaysSo(t *testing.T) {
	m, db := testApp(t, "")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if err := db.SetSetting(context.Background(), laptop.SettingURL, "http://"+l.Addr().String()); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, keys("y")...)
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	m = next.(model)
	start := time.Now()
	msg := cmd()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the offline sync took %v to give up", d)
	}
	m = send(t, m, msg)
	s := screenText(m)
	for _, want := range []string{"连不上中心目录", "所有记录都安全地保存在本机"} {
		if !strings.Contains(s, want) {
			t.Errorf("the sync screen lacks %q:\n%s", want, s)
		}
	}
	for _, bad := range []string{"cannot be reached", "dial tcp", "已发送 0"} {
		if strings.Contains(s, bad) {
			t.Errorf("the sync screen shows %q:\n%s", bad, s)
		}
	}
}

// TestRequiredMarkFollowsExpression: （必填） is shown only while the
// question's required expression holds for the answers as they stand.
func TestRequiredMarkFollowsExpression(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "")
	md := "| survey |\n| | type | name | label | required |\n| | integer | age | 年龄 | yes |\n" +
		"| | text | id_no | 身份证号 | ${age} >= 16 |\n" +
		"| settings |\n| | form_id | version |\n| | req | 1 |\n"
	if _, err := db.AddForm(ctx, "req.md", []byte(md)); err != nil {
		t.Fatal(err)
	}
	s, err := entry.New(ctx, db, "req", "1", "zh-Hans", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, openFillMsg{s: s})
	if !strings.Contains(screenText(m), "年龄（必填）") {
		t.Fatalf("an always-required question is not marked:\n%s", screenText(m))
	}
	m = send(t, m, keys("8", "enter")...)
	if strings.Contains(screenText(m), "身份证号（必填）") || !strings.Contains(screenText(m), "▸ 身份证号") {
		t.Errorf("a child's ID number is marked required:\n%s", screenText(m))
	}
	m = send(t, m, keys("up", "bs", "30", "enter")...)
	if !strings.Contains(screenText(m), "身份证号（必填）") {
		t.Errorf("an adult's ID number is not marked required:\n%s", screenText(m))
	}
}

// TestEscRestoresAcceptedAnswer: an invalid answer typed over an accepted
// one, or the input emptied with Ctrl+U, is not what Esc leaves behind:
// Esc puts the accepted answer back and says so, and a second Esc leaves
// with it kept.
func TestEscRestoresAcceptedAnswer(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "")
	md := "| survey |\n| | type | name | label | constraint | required |\n| | integer | age | 年龄 | . < 130 | yes |\n" +
		"| | text | notes | 备注 | | |\n" +
		"| settings |\n| | form_id | version |\n| | esc | 1 |\n"
	if _, err := db.AddForm(ctx, "esc.md", []byte(md)); err != nil {
		t.Fatal(err)
	}
	s, err := entry.New(ctx, db, "esc", "1", "zh-Hans", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, openFillMsg{s: s})
	m = send(t, m, keys("30", "enter", "up", "bs", "bs", "200", "down")...)
	if sc := screenText(m); !strings.Contains(sc, "▸ 年龄") || !strings.Contains(sc, "!") {
		t.Errorf("Down over an invalid answer neither stayed nor said why:\n%s", sc)
	}
	for _, edit := range [][]string{{}, {"ctrl+u"}} {
		m = send(t, m, keys(edit...)...)
		m = send(t, m, keys("esc")...)
		sc := screenText(m)
		if !strings.Contains(sc, "▸ 年龄") || !strings.Contains(sc, "已恢复") || !strings.Contains(sc, "30") {
			t.Errorf("Esc after %v did not restore the accepted answer and say so:\n%s", edit, sc)
		}
		if got := s.Inst.Answer("age"); got != "30" {
			t.Errorf("after %v and Esc the answer is %q", edit, got)
		}
		m = send(t, m, keys("200")...)
	}
	help := send(t, m, keys("f1")...)
	for _, want := range []string{"Ctrl+U 删除光标前的内容", "Ctrl+W", "Home/End", "Tab/Shift+Tab", "Ctrl+G", "Ctrl+D", "Ctrl+C"} {
		if !strings.Contains(screenText(help), want) {
			t.Errorf("the help does not list %s:\n%s", want, screenText(help))
		}
	}
	m = send(t, m, keys("bs", "bs", "bs", "esc", "esc")...)
	if m.screen != screenHome {
		t.Fatalf("a second Esc did not leave:\n%s", screenText(m))
	}
	rec, _ := db.Record(ctx, s.RecordID)
	if !strings.Contains(string(rec.Data), `"age":"30"`) && !strings.Contains(string(rec.Data), `"age":30`) {
		t.Errorf("the draft lost the accepted answer: %s", rec.Data)
	}
}

// TestNoDraftUntilAnswered: opening a form and leaving it at once (Esc on
// the screen, !q on the plain prompts) leaves no empty draft; the first
// accepted answer makes the draft.
func TestNoDraftUntilAnswered(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "")
	m = send(t, m, keys("enter")...)
	if m.screen != screenFill {
		t.Fatalf("Enter on Home did not open the form:\n%s", screenText(m))
	}
	m = send(t, m, keys("esc")...)
	if d, _ := db.Drafts(ctx); len(d) != 0 {
		t.Fatalf("opening a form and leaving made %d drafts", len(d))
	}
	if strings.Contains(screenText(m), "草稿已保存") {
		t.Errorf("Home says a draft was saved:\n%s", screenText(m))
	}
	out := runPlain(t, db, "", "1", "!q")
	if d, _ := db.Drafts(ctx); len(d) != 0 || strings.Contains(out, "草稿已保存") {
		t.Fatalf("!q on a form just opened made %d drafts:\n%s", len(d), out)
	}
	m = send(t, m, keys("enter", "enter")...)
	if d, _ := db.Drafts(ctx); len(d) != 1 {
		t.Fatalf("the first accepted answer made %d drafts", len(d))
	}
}
