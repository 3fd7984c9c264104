package tui

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// runPlain feeds lines to RunPlain and returns what it printed. Every run
// is also checked for escape bytes: the plain path must print none.
func runPlain(t *testing.T, db *store.DB, lang string, lines ...string) string {
	t.Helper()
	var out strings.Builder
	in := strings.NewReader(strings.Join(lines, "\n") + "\n")
	if err := RunPlain(context.Background(), db, PlainOptions{In: in, Out: &out, Lang: lang}); err != nil {
		t.Fatalf("RunPlain: %v\n%s", err, out.String())
	}
	if i := strings.IndexByte(out.String(), 0x1b); i >= 0 {
		t.Fatalf("escape byte at %d in output:\n%q", i, out.String())
	}
	return out.String()
}

// recordData is the stored answers of the only record in state.
func recordData(t *testing.T, db *store.DB, state store.State) (store.Record, map[string]any) {
	t.Helper()
	ctx := context.Background()
	recs, err := db.Records(ctx, store.Filter{State: state})
	if err != nil || len(recs) != 1 {
		t.Fatalf("%s records: %v %v", state, recs, err)
	}
	full, err := db.Record(ctx, recs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := forms.DecodeRecord(full.Data)
	if err != nil {
		t.Fatal(err)
	}
	return *full, obj
}

func wantAnswers(t *testing.T, obj map[string]any, want map[string]string) {
	t.Helper()
	for path, w := range want {
		if got, _ := answerOf(obj, path); got != w {
			t.Errorf("%s = %q, want %q", path, got, w)
		}
	}
}

// censusRest answers the business census from biz_type to the end.
var censusRest = []string{
	"1",           // biz_type: Enterprise, by number
	"hospitality", // industry, by choice name
	"2018-07-16", "陈晨", "110105198607230021", "13701234876", "110105026",
	"北京市朝阳区望京西园三区311楼底商", "100102", "23", "14", "486.5",
	"1", // has_license: yes, which asks for the permit number
	"JY11105051234567",
	"5, 4", // online_sales: takeaway and wechat
	"y",    // confirm (acknowledge)
}

var censusWant = map[string]string{
	"uscc": "91110105MA01R7GA8K", "biz_name": "北京望京晨光餐饮管理有限公司", "biz_type": "enterprise",
	"industry": "hospitality", "founded": "2018-07-16", "legal_rep_id": "110105198607230021",
	"employees": "23", "female_employees": "14", "revenue": "486.5", "has_license": "yes",
	"license_no": "JY11105051234567", "online_sales": "takeaway wechat", "confirm": "OK", "username": "王芳",
}

func TestPlainCensusEnglish(t *testing.T) {
	db := sampleDB(t)
	lines := []string{
		"7",                                        // no such entry
		"1",                                        // business census
		"91110105MA01R7GA8J", "91110105MA01R7GA8K", // a wrong check character, then the right one
		"北京望京晨光餐饮管理有限公司",
		"<", "", // back to the name, kept
		"?", // help at biz_type
	}
	lines = append(lines, censusRest[:3]...)
	lines = append(lines, "") // legal_rep left blank: required
	lines = append(lines, censusRest[3:]...)
	lines = append(lines, "y") // finalize
	out := runPlain(t, db, "en", lines...)

	for _, want := range []string{
		"Collector: 王芳",
		"1. 经营主体普查 / Business census (version 2026112701)",
		"There is no such number",
		"Unified social credit code",
		"! Enter the name of the legal representative or operator", // the form's required_message
		"!q   save and quit",
		"Current answer: 北京望京晨光餐饮管理有限公司",
		"3. Farmers' specialised cooperative",
		"Finalized: 北京望京晨光餐饮管理有限公司 91110105MA01R7GA8K",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// The refusal is the form engine's own message, the one Session gives.
	s, err := entry.New(context.Background(), sampleDB(t), "business_census", "2026112701", "en", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	problems, _ := s.Answer(context.Background(), "uscc", "91110105MA01R7GA8J")
	if len(problems) == 0 || !strings.Contains(out, "  ! "+problems[0].Message) {
		t.Errorf("refusal %v not printed:\n%s", problems, out)
	}
	rec, obj := recordData(t, db, store.Finalized)
	wantAnswers(t, obj, censusWant)
	if rec.InstanceName != "北京望京晨光餐饮管理有限公司 91110105MA01R7GA8K" {
		t.Errorf("instance name %q", rec.InstanceName)
	}
	if drafts, _ := db.Drafts(context.Background()); len(drafts) != 0 {
		t.Errorf("drafts left: %v", drafts)
	}
}

func TestPlainEOFKeepsDraftThenResume(t *testing.T) {
	db := sampleDB(t)
	out := runPlain(t, db, "", "1", "91110105MA01R7GA8K", "北京望京晨光餐饮管理有限公司", "1")
	if !strings.Contains(out, "请输入编号") || !strings.Contains(out, "输入结束，草稿已保存。") {
		t.Fatalf("output:\n%s", out)
	}
	_, obj := recordData(t, db, store.Draft)
	wantAnswers(t, obj, map[string]string{"uscc": "91110105MA01R7GA8K", "biz_name": "北京望京晨光餐饮管理有限公司", "biz_type": "enterprise", "industry": ""})

	// The draft is entry 3, after the two forms; Enter keeps each answer.
	lines := append([]string{"3", "", "", ""}, censusRest[1:]...)
	out = runPlain(t, db, "zh-Hans", append(lines, "y")...)
	if !strings.Contains(out, "3. 北京望京晨光餐饮管理有限公司 91110105MA01R7GA8K - 经营主体普查 / Business census") ||
		!strings.Contains(out, "已提交：北京望京晨光餐饮管理有限公司") {
		t.Fatalf("output:\n%s", out)
	}
	_, obj = recordData(t, db, store.Finalized)
	wantAnswers(t, obj, censusWant)
	if drafts, _ := db.Drafts(context.Background()); len(drafts) != 0 {
		t.Errorf("drafts left: %v", drafts)
	}
}

func TestPlainQuitCommand(t *testing.T) {
	db := sampleDB(t)
	// Full-width ！ｑ, as a Chinese input method types it.
	out := runPlain(t, db, "zh-Hant", "1", "91110105MA01R7GA8K", "！ｑ", "never read")
	// The form has no Traditional Chinese: its Simplified labels are the closest.
	if !strings.Contains(out, "請輸入編號") || !strings.Contains(out, "统一社会信用代码") || !strings.Contains(out, "草稿已儲存，下次可以接著填。") {
		t.Fatalf("output:\n%s", out)
	}
	_, obj := recordData(t, db, store.Draft)
	wantAnswers(t, obj, map[string]string{"uscc": "91110105MA01R7GA8K"})
}

func TestPlainHouseholdCascade(t *testing.T) {
	db := sampleDB(t)
	out := runPlain(t, db, "zh-Hans",
		"2",       // household visit
		"y",       // consent
		"北京", "1", // province: 31 choices, so a filter first
		"市辖", "1", // city
		"朝阳", "1", // county
		"110105",        // township: the code matches all 43 of the county
		"wangjing", "1", // then a narrower text, in pinyin
		"花家地北里社区", "", "张建国", "110105196805140036", "",
		"1", // hh_size: one member
		"张建国", "1", "1", "110105196805140036",
		"", // the birth date offered from the ID: Enter takes it
		"5",
		"+", "", // the count is fixed: adding is refused, Enter goes on
		"186000", "1", "2", "２０２４.11.20",
		"y", // finalize
	)
	for _, want := range []string{
		"共 31 项，请先输入名称或代码的一部分来查找",
		"1. 北京市",
		"找到 43 项，只列出前 30 项",
		"1. 望京街道",
		"== 家庭成员（第 1 项） ==",
		"项数由前面的回答决定，不能再添加。",
		"回车采用：1968-05-14",
		"记为：2024-11-20",
		"本户共登记 1 人，户主：张建国。",
		"已提交：张建国 花家地北里社区",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "  31. ") {
		t.Error("more than 30 choices listed")
	}
	_, obj := recordData(t, db, store.Finalized)
	wantAnswers(t, obj, map[string]string{
		"province": "11", "city": "1101", "county": "110105", "township": "110105026",
		"hh_size": "1", "members[1]/m_name": "张建国", "members[1]/m_relation": "head",
		"members[1]/m_work": "salaried", "dwelling": "own", "low_income": "no",
		"members[1]/m_birth": "1968-05-14", "visit_date": "2024-11-20",
	})
}

func TestPlainRepeatAddRemove(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	form := "| survey |\n| | type | name | label | required |\n" +
		"| | begin repeat | kids | Child | |\n| | text | kid | Name | yes |\n| | end repeat | | | |\n" +
		"| settings |\n| | form_id | version |\n| | kids | 1 |\n"
	if _, err := db.AddForm(context.Background(), "kids.md", []byte(form)); err != nil {
		t.Fatal(err)
	}
	out := runPlain(t, db, "en", "1",
		"+", "Ann", // a new record has no instance yet
		"+", "Bob",
		"y", "Cid", // y adds too
		"-2", "n", // asked, declined
		"-2", "y",
		"",  // go on
		"y", // finalize
	)
	for _, want := range []string{"Child, entries: 0", "Child, entries: 3", "Remove entry 2 and all its answers? (y/n)", "Entry 2 removed.", "Child, entries: 2", "== Child 2 =="} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	_, obj := recordData(t, db, store.Finalized)
	wantAnswers(t, obj, map[string]string{"kids[1]/kid": "Ann", "kids[2]/kid": "Cid"})
}

func TestPlainStripsEscapes(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	esc := "\x1b[2J\x1b]0;pwned\x07"
	form := "| survey |\n| | type | name | label | hint |\n" +
		"| | text | t1 | Name" + esc + " | hint\x1b[31m red |\n" +
		"| | select_one c | c1 | Pick | |\n" +
		"| choices |\n| | list_name | name | label |\n| | c | a | A\x1b[1mbold |\n| | c | b | B |\n" +
		"| settings |\n| | form_id | version | form_title | instance_name |\n| | evil | 1 | Evil\x1b[5m title | concat(${t1}, '\x1b[H') |\n"
	if _, err := db.AddForm(context.Background(), "evil.md", []byte(form)); err != nil {
		t.Fatal(err)
	}
	// runPlain fails the test on any escape byte in the output.
	out := runPlain(t, db, "en", "1", "abc\x1b[A", "1", "y")
	for _, want := range []string{"Evil title", "Name", "hint red", "1. Abold", "Finalized: abc"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	_, obj := recordData(t, db, store.Finalized)
	wantAnswers(t, obj, map[string]string{"t1": "abc", "c1": "a"})
}

func TestPlainTextComplete(t *testing.T) {
	for key, row := range plainText {
		verbs := strings.Count(row[0], "%")
		for i, s := range row {
			if s == "" || strings.Count(s, "%") != verbs {
				t.Errorf("%s[%d] = %q", key, i, s)
			}
		}
	}
	for lang, want := range map[string]string{"": "zh-Hans", "zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant", "en": "en", "fr": "zh-Hans"} {
		if got := uiLang(lang); got != want {
			t.Errorf("uiLang(%q) = %q, want %q", lang, got, want)
		}
	}
	if fmt.Sprint(plainNumber("１２")) != "12 true" {
		t.Error("full-width digits are not read as a number")
	}
}

func TestPlainMissingBeforeFinalize(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	form := "| survey |\n| | type | name | label | required | repeat_count |\n" +
		"| | integer | n | How many | yes | |\n" +
		"| | begin repeat | kids | Child | | ${n} |\n| | text | kid | Name | yes | |\n| | end repeat | | | | |\n" +
		"| settings |\n| | form_id | version |\n| | kids | 1 |\n"
	if _, err := db.AddForm(context.Background(), "kids.md", []byte(form)); err != nil {
		t.Fatal(err)
	}
	out := runPlain(t, db, "en", "1",
		"2", "Ann", "Bob", "",
		"<", "<", "<", "<", "1", // back from the finalize question to the count, lowered
		"", "", "", // through the two children and the repeat
		"-2", "y", "", // sent to the repeat by the review: remove the extra child
		"y",
	)
	for _, want := range []string{"To fix before finalizing (1):", "kids: needs 1 entries, has 2", "Entry 2 removed.", "Finalized"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	_, obj := recordData(t, db, store.Finalized)
	wantAnswers(t, obj, map[string]string{"n": "1", "kids[1]/kid": "Ann", "kids[2]/kid": ""})
}

// TestPlainCancelWhileWaiting cancels the run (Ctrl+C on a line-mode
// terminal) while it waits for a line that never comes: it must end at
// once, without an error and with the draft kept, not wait for Enter.
func TestPlainCancelWhileWaiting(t *testing.T) {
	db := sampleDB(t)
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- RunPlain(ctx, db, PlainOptions{In: r, Out: &out}) }()
	fmt.Fprintln(w, "1")
	fmt.Fprintln(w, "91110105MA01R7GA8K")
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "[2/"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the second question never came:\n%s", out.String())
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("RunPlain: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("RunPlain still waits for a line after the cancellation")
	}
	if !strings.Contains(out.String(), "草稿已保存") {
		t.Errorf("no word that the draft is kept:\n%s", out.String())
	}
	_, obj := recordData(t, db, store.Draft)
	wantAnswers(t, obj, map[string]string{"uscc": "91110105MA01R7GA8K"})
}

// syncBuffer is a strings.Builder safe to read while another goroutine
// writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
