package tui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/when/whentest"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// memEntities is the laptop's entity lists in memory, as *store.DB gives
// them: each list ordered by label.
type memEntities struct {
	lists map[string][]store.Entity
	reads int // Entities calls
}

func (m *memEntities) Entities(_ context.Context, list string) ([]store.Entity, error) {
	m.reads++
	ents := append([]store.Entity(nil), m.lists[list]...)
	if !sort.SliceIsSorted(ents, func(i, j int) bool { return ents[i].Label < ents[j].Label }) {
		sort.SliceStable(ents, func(i, j int) bool { return ents[i].Label < ents[j].Label })
	}
	return ents, nil
}

func (m *memEntities) EntityLists(context.Context) ([]store.EntityListSummary, error) {
	var out []store.EntityListSummary
	for name, ents := range m.lists {
		s := store.EntityListSummary{List: name, Count: len(ents)}
		for _, e := range ents {
			if e.ToVisit {
				s.ToVisit++
			}
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].List < out[j].List })
	return out, nil
}

// followUpForm is a household follow-up: the pick answers hh from the
// list (here attached as households.csv, as the store serves an entity
// list to a form), the form pulls the size from it, and size, phone and
// dibao save properties of the household.
const followUpForm = "| survey |\n| | type | name | label | calculation | save_to |\n" +
	"| | select_one_from_file households.csv | hh | 户 | | |\n" +
	"| | calculate | old_size | | instance('households')/root/item[name=${hh}]/size | |\n" +
	"| | integer | size | 家庭人口（登记时 ${old_size} 人） | | size |\n" +
	"| | text | phone | 联系电话 | | phone |\n" +
	"| | select_one yn | dibao | 低保户 | | dibao |\n" +
	"| choices |\n| | list_name | name | label |\n| | yn | yes | 是 |\n| | yn | no | 否 |\n" +
	"| entities |\n| | list_name | entity_id |\n| | households | ${hh} |\n" +
	"| settings |\n| | form_id | form_title | version |\n| | hh_followup | 入户回访 | 1 |\n"

// households are the township's: one visited before, one preloaded to
// visit, one with an open conflict and escape sequences in its label.
func households() *memEntities {
	visited := time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC) // 11-21 01:00 in Beijing
	return &memEntities{lists: map[string][]store.Entity{"households": {
		{List: "households", ID: "9f1c2a7e-0001", Label: "张建国", Version: 2, LastVisit: visited,
			Properties: map[string]string{"size": "4", "phone": "13800138000", "dibao": "yes"}},
		{List: "households", ID: "9f1c2a7e-0002", Label: "李秀英", Version: 1, ToVisit: true,
			Properties: map[string]string{"size": "2", "phone": "13912345678", "dibao": "no"}},
		{List: "households", ID: "9f1c2a7e-0003", Label: "\x1b]0;pwned\x07王\x1b[2J芳", Version: 3, Conflict: true,
			Properties: map[string]string{"size": "\x1b[31m7", "phone": "13700000000"}},
	}}}
}

// followUpDB is the sample database with the follow-up form registered
// and the households in the laptop's list, from which the store makes the
// households.csv the form reads (an attached one is not kept: the store
// serves every entity list from its own copy).
func followUpDB(t testing.TB, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	ents := households().lists["households"]
	for i := range ents {
		ents[i].Seq = int64(i + 1)
	}
	if err := db.ApplyDownloaded(ctx, ents, int64(len(ents))); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddForm(ctx, "hh_followup.md", []byte(followUpForm)); err != nil {
		t.Fatal(err)
	}
}

// followUpApp is testApp in lang with the follow-up form and the lists,
// back on Home so that the counts include the lists.
func followUpApp(t *testing.T, lang string, lists *memEntities) (model, *store.DB) {
	t.Helper()
	m, db := testApp(t, lang)
	followUpDB(t, db)
	m.c.entities = lists
	return send(t, m, goHomeMsg{}), db
}

// openFollowUp moves Home's cursor to the follow-up form and presses Enter.
func openFollowUp(t *testing.T, m model) model {
	t.Helper()
	for m.home.cursor < len(m.home.forms) && m.home.forms[m.home.cursor].FormID != "hh_followup" {
		m = send(t, m, keys("down")...)
	}
	return send(t, m, keys("enter")...)
}

// A new follow-up record starts with the pick: the township's households
// with their last visit and marks, searched by characters, pinyin,
// initials, phone and id; Enter answers hh and opens the form after it,
// each saved question showing last visit's value beside it.
func TestFollowUpPickAndPreviousValues(t *testing.T) {
	lists := households()
	m, db := followUpApp(t, "zh-Hans", lists)
	if got := screenText(m); !strings.Contains(got, "待走访: households 1") {
		t.Fatalf("Home does not count the households to visit:\n%s", got)
	}
	m = openFollowUp(t, m)
	if m.screen != screenPick {
		t.Fatalf("a follow-up opened screen %d, not the pick:\n%s", m.screen, screenText(m))
	}
	screen := screenText(m)
	for _, want := range []string{"选择走访对象：入户回访", "张建国", "上次走访 2026-11-21", "李秀英", "未走访过  待走访", "王芳", "有冲突待审核", "共 3 个，符合 3 个"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the pick lacks %q:\n%s", want, screen)
		}
	}
	for _, typed := range []string{"李秀", "lixiuying", "lxy", "1391234", "0002"} {
		m = send(t, m, keys(typed)...)
		if got := screenText(m); !strings.Contains(got, "李秀英") || strings.Contains(got, "张建国") || strings.Contains(got, "王芳") {
			t.Fatalf("%q does not find only 李秀英:\n%s", typed, got)
		}
		for range []rune(typed) {
			m = send(t, m, keys("bs")...)
		}
	}
	m = send(t, m, keys("down", "up", "lxy", "enter")...)
	if m.screen != screenFill {
		t.Fatalf("Enter did not open the form:\n%s", screenText(m))
	}
	if got := m.fill.s.Inst.Answer("hh"); got != "9f1c2a7e-0002" {
		t.Fatalf("hh = %q after picking 李秀英\n%s", got, screenText(m))
	}
	if got := screenText(m); !strings.Contains(got, "走访：李秀英") {
		t.Fatalf("the status does not say whom:\n%s", got)
	}
	if m.fill.steps[m.fill.focus].Path != "size" {
		t.Fatalf("the form opened on %s, not the first question after the pick", m.fill.steps[m.fill.focus].Path)
	}
	if drafts, _ := db.Drafts(context.Background()); len(drafts) != 1 {
		t.Fatalf("the pick kept %d drafts, want the one it answered", len(drafts))
	}
}

// Each question that saves a property of the picked household shows
// the household's value beside it, a select's by its label; a draft
// resumed later shows them again.
func TestFollowUpPreviousValuesBesideQuestions(t *testing.T) {
	m, db := followUpApp(t, "zh-Hans", households())
	m = openFollowUp(t, m)
	m = send(t, m, keys("zhangjianguo", "enter")...)
	if got := m.fill.s.Inst.Answer("hh"); got != "9f1c2a7e-0001" {
		t.Fatalf("hh = %q\n%s", got, screenText(m))
	}
	screen := screenText(m)
	if !strings.Contains(screen, "家庭人口（登记时 4 人）") || !strings.Contains(screen, "上次：4") {
		t.Fatalf("the size question lacks the pulled size or the previous value:\n%s", screen)
	}
	m = send(t, m, keys("5", "enter")...)
	if got := screenText(m); !strings.Contains(got, "联系电话") || !strings.Contains(got, "上次：13800138000") {
		t.Fatalf("the phone question lacks the previous value:\n%s", got)
	}
	m = send(t, m, keys("enter")...)
	if got := screenText(m); !strings.Contains(got, "低保户") || !strings.Contains(got, "上次：是") {
		t.Fatalf("the dibao question lacks the previous value by its label:\n%s", got)
	}
	// Left as a draft and resumed: the previous values come back with it.
	m = send(t, m, keys("esc")...)
	drafts, err := db.Drafts(context.Background())
	if err != nil || len(drafts) != 1 {
		t.Fatalf("drafts %v %v", drafts, err)
	}
	s, err := entry.Resume(context.Background(), db, drafts[0], "zh-Hans", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, openFillMsg{s: s})
	m.fill.jumpTo("size")
	if got := screenText(m); !strings.Contains(got, "上次：4") {
		t.Fatalf("the resumed draft lacks the previous value:\n%s", got)
	}
}

// Esc on the pick goes back Home and keeps nothing: no draft for a
// record nobody was picked for.
func TestFollowUpPickEscKeepsNothing(t *testing.T) {
	m, db := followUpApp(t, "en", households())
	m = openFollowUp(t, m)
	m = send(t, m, keys("zhang", "esc")...)
	if m.screen != screenHome {
		t.Fatalf("Esc on the pick did not go Home:\n%s", screenText(m))
	}
	if drafts, _ := db.Drafts(context.Background()); len(drafts) != 0 {
		t.Fatalf("the pick left drafts: %v", drafts)
	}
}

// A form that updates no picked entity opens as before, and Home shows no
// 待走访 line when nothing is to be visited.
func TestNoPickForOtherForms(t *testing.T) {
	lists := households()
	lists.lists["households"][1].ToVisit = false
	m, _ := followUpApp(t, "zh-Hans", lists)
	if got := screenText(m); strings.Contains(got, "待走访") {
		t.Fatalf("Home shows 待走访 with nothing to visit:\n%s", got)
	}
	m.home.cursor = 0
	for m.home.forms[m.home.cursor].FormID == "hh_followup" {
		m.home.cursor++
	}
	m = send(t, m, keys("enter")...)
	if m.screen != screenFill || lists.reads != 0 {
		t.Fatalf("a form that is no follow-up went to screen %d, %d list reads", m.screen, lists.reads)
	}
}

// Labels and values from the list are cleaned of escape sequences on the
// pick, on the fill screen and in the plain prompts.
func TestFollowUpStripsEscapes(t *testing.T) {
	m, db := followUpApp(t, "en", households())
	m = openFollowUp(t, m)
	views := []string{m.View()}
	m = send(t, m, keys("wangfang", "enter")...)
	if got := m.fill.s.Inst.Answer("hh"); got != "9f1c2a7e-0003" {
		t.Fatalf("hh = %q\n%s", got, screenText(m))
	}
	views = append(views, m.View())
	if got := screenText(m); !strings.Contains(got, "Last visit: 7") || !strings.Contains(got, "Visiting: 王芳") {
		t.Fatalf("the cleaned label or value is not shown:\n%s", got)
	}
	views = append(views, runPlainFollowUp(t, db, "en", households(), "wangfang", "1", "!q"))
	for _, v := range views {
		for _, bad := range []string{"]0;pwned", "\x07", "\x1b[2J", "\x1b[31m"} {
			if strings.Contains(v, bad) {
				t.Errorf("%q reached the terminal:\n%q", bad, v)
			}
		}
	}
}

// The pick's and the previous values' words in the three languages.
func TestFollowUpTexts(t *testing.T) {
	for lang, want := range map[string][]string{
		"zh-Hans": {"选择走访对象：入户回访", "未走访过  待走访", "上次：4"},
		"zh-Hant": {"選擇走訪對象：入户回访", "未走訪過  待走訪", "上次：4"},
		"en":      {"Whom to visit: 入户回访", "not visited yet  to visit", "Last visit: 4"},
	} {
		m, _ := followUpApp(t, lang, households())
		m = openFollowUp(t, m)
		golden(t, "pick-"+lang, m)
		got := screenText(m)
		m = send(t, m, keys("zjg", "enter")...)
		golden(t, "fill-previous-"+lang, m)
		got += screenText(m)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: the screens lack %q:\n%s", lang, w, got)
			}
		}
	}
}

// runPlainFollowUp is runPlain with the lists, starting a record of the
// follow-up form.
func runPlainFollowUp(t *testing.T, db *store.DB, lang string, lists *memEntities, lines ...string) string {
	t.Helper()
	latest, err := db.Forms(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, fv := range latest {
		if fv.FormID == "hh_followup" {
			n = i + 1
		}
	}
	return runPlainWith(t, db, lang, lists, append([]string{fmt.Sprint(n)}, lines...)...)
}

// runPlainWith is runPlain with the lists.
func runPlainWith(t *testing.T, db *store.DB, lang string, lists *memEntities, lines ...string) string {
	t.Helper()
	var out strings.Builder
	in := strings.NewReader(strings.Join(lines, "\n") + "\n")
	if err := RunPlain(context.Background(), db, PlainOptions{In: in, Out: &out, Lang: lang, entities: lists}); err != nil {
		t.Fatalf("RunPlain: %v\n%s", err, out.String())
	}
	return out.String()
}

// The plain prompts pick as the full screen does: the list numbered with
// the last visit and marks, any other text searched (pinyin, phone),
// "<" back to the forms; the questions then start after the pick, with
// last visit's values beside them.
func TestPlainFollowUp(t *testing.T) {
	whentest.Shanghai(t)
	db := sampleDB(t, store.WithClock(fixedClock))
	followUpDB(t, db)
	out := runPlainFollowUp(t, db, "zh-Hans", households(),
		"<", "2", // back from the pick to the forms, and again to it
		"13912", // a phone fragment finds 李秀英 alone
		"1",     // picks her
		"3", "", "2", "y")
	for _, want := range []string{
		"选择走访对象：入户回访",
		"2. 张建国  (上次走访 2026-11-21)",
		"3. 李秀英  (未走访过  待走访)",
		"  1. 李秀英  (未走访过  待走访)",
		"走访：李秀英",
		"[2/4] 家庭人口（登记时 2 人）\n  上次：2\n",
		"联系电话\n  上次：13912345678\n",
		"低保户\n  上次：否\n",
		"已提交",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plain follow-up lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "选择走访对象") != 2 || strings.Contains(out, "[1/4]") {
		t.Errorf("< did not go back to the forms, or the id question was asked after the pick:\n%s", out)
	}
	_, obj := recordData(t, db, store.Finalized)
	wantAnswers(t, obj, map[string]string{"hh": "9f1c2a7e-0002", "size": "3", "phone": "", "dibao": "no"})
}

// A list longer than the plain prompts print whole asks for a search
// first, and lists at most plainMaxChoices of what it finds.
func TestPlainFollowUpLongList(t *testing.T) {
	db := sampleDB(t, store.WithClock(fixedClock))
	followUpDB(t, db)
	lists := &memEntities{lists: map[string][]store.Entity{}}
	for i := range 100 {
		lists.lists["households"] = append(lists.lists["households"], store.Entity{ID: fmt.Sprintf("h%03d", i), Label: fmt.Sprintf("户%03d", i)})
	}
	out := runPlainFollowUp(t, db, "en", lists, "hu", "h05", "!q")
	for _, want := range []string{"100 in the list: type part of a name", "100 match; showing the first 30", "30. 户029", "1. 户050  (not visited yet)", "10. 户059"} {
		if !strings.Contains(out, want) {
			t.Errorf("the long list lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "31. ") || strings.Contains(out, "户049") || strings.Contains(out, "户060") {
		t.Errorf("more than the matches were listed:\n%s", out)
	}
}

// A follow-up draft resumed in the plain prompts shows last visit's
// values again: the pick is read back from its id answer.
func TestPlainFollowUpResumed(t *testing.T) {
	db := sampleDB(t, store.WithClock(fixedClock))
	followUpDB(t, db)
	runPlainFollowUp(t, db, "en", households(), "zhangjianguo", "1", "!q")
	out := runPlainWith(t, db, "en", households(), "4", "") // the draft, after the three forms; hh kept
	if !strings.Contains(out, "Last visit: 4") {
		t.Fatalf("the resumed follow-up lacks the previous value:\n%s", out)
	}
}

// A laptop holding two townships' households shows each one's township,
// by name; a list of one township does not repeat it on every row.
func TestPickShowsTownshipsWhenMixed(t *testing.T) {
	lists := households()
	for i := range lists.lists["households"] {
		lists.lists["households"][i].Township = "420102002"
	}
	m, _ := followUpApp(t, "zh-Hans", lists)
	if got := screenText(openFollowUp(t, m)); strings.Contains(got, "大智街道") {
		t.Fatalf("one township is named on every row:\n%s", got)
	}
	lists.lists["households"][1].Township = "110105026"
	got := screenText(openFollowUp(t, m))
	if strings.Count(got, "大智街道") != 2 || strings.Count(got, "110105026")+strings.Count(got, "望京") != 1 {
		t.Fatalf("the townships are not shown:\n%s", got)
	}
}

// Home lists a follow-up after the forms that register what it follows
// up, whatever the titles' order.
func TestHomeListsFollowUpsLast(t *testing.T) {
	m, _ := followUpApp(t, "en", households())
	fs := m.home.forms
	if len(fs) < 2 || fs[len(fs)-1].FormID != "hh_followup" {
		ids := make([]string, len(fs))
		for i, f := range fs {
			ids[i] = f.FormID
		}
		t.Fatalf("Home lists %v, want hh_followup last", ids)
	}
}
