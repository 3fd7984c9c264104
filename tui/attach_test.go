package tui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// villagesData is the list of the shared test form that reads an
// attached file (testdata/forms/villages.md), with escape sequences in a
// label.
const villagesData = "name,label,population\nv1,大寨村,40\nv2,小庄村,12\nv3,\x1b]0;pwned\x07南湾村\x1b[2J,7\n"

// openVillages registers the form with its file and opens a new record.
func openVillages(t testing.TB, lang, data string) (model, *entry.Session) {
	m, db := testApp(t, lang)
	ctx := context.Background()
	md, err := os.ReadFile("../testdata/forms/villages.md")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddForm(ctx, "villages.md", md, forms.File{Name: "villages.csv", Data: []byte(data)}); err != nil {
		t.Fatal(err)
	}
	s, err := entry.New(ctx, db, "villages", "1", lang, fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	return send(t, m, openFillMsg{s: s}), s
}

// A select from an attached file is searched like any select, by
// characters, pinyin and initials; the pulldata() result shows in the
// next question's label and checks its answer.
func TestSelectFromFile(t *testing.T) {
	m, s := openVillages(t, "zh-Hans", villagesData)
	screen := screenText(m)
	if !strings.Contains(screen, "大寨村") || !strings.Contains(screen, "南湾村") {
		t.Fatalf("the villages are not listed:\n%s", screen)
	}
	if strings.Contains(m.View(), "\x1b]0;") || strings.Contains(m.View(), "\x1b[2J") {
		t.Fatal("an escape sequence from the file reached the terminal")
	}
	for _, typed := range []string{"xiaozhuang", "xzc", "小庄"} {
		m = send(t, m, keys(typed)...)
		if got := screenText(m); !strings.Contains(got, "小庄村") || strings.Contains(got, "大寨村") {
			t.Fatalf("%q does not find only 小庄村:\n%s", typed, got)
		}
		for range []rune(typed) {
			m = send(t, m, keys("bs")...)
		}
	}
	m = send(t, m, keys("xzc", "enter")...)
	if s.Inst.Answer("village") != "v2" {
		t.Fatalf("village = %q\n%s", s.Inst.Answer("village"), screenText(m))
	}
	if got := screenText(m); !strings.Contains(got, "户数（全村 12 人）") {
		t.Fatalf("the pulled population is not shown:\n%s", got)
	}
	m = send(t, m, keys("13", "enter")...)
	if got := screenText(m); !strings.Contains(got, "户数（全村 12 人）") || !strings.Contains(got, "! ") || s.Inst.Answer("households") != "" {
		t.Fatalf("13 households of 12 people:\n%s", got)
	}
	m = send(t, m, keys("bs", "bs", "12", "enter")...)
	if s.Inst.Answer("households") != "12" {
		t.Fatalf("households = %q\n%s", s.Inst.Answer("households"), screenText(m))
	}
}

// BenchmarkFilterFileChoices50k is one keystroke in the search of a select
// from a 50,000-row attached list, with the list drawn: the workbench's
// cost of a key, as BenchmarkFilterTownships measures for the townships.
func BenchmarkFilterFileChoices50k(b *testing.B) {
	var csv strings.Builder
	csv.WriteString("name,label,population\n")
	chars := []rune("大小东西南北上下新老王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤")
	for i := 0; i < 50000; i++ {
		k := len(chars)
		fmt.Fprintf(&csv, "v%06d,%s村,%d\n", i, string([]rune{chars[i%k], chars[(i/k)%k], chars[(i/k/k+i)%k]}), 50+i%950)
	}
	start := time.Now()
	m, _ := openVillages(b, "zh-Hans", csv.String())
	opened := time.Since(start)
	w := m.fill.current()
	if w == nil || w.choices == nil || len(w.choices.all) != 50000 {
		b.Fatal("the select does not offer the 50,000 villages")
	}
	reportMedian(b, typeAndErase(b, m, "大", "z", "新"))
	// Registering the form with its file, loading it and opening the
	// question (its search keys made): once per record, not per key.
	b.ReportMetric(float64(opened.Milliseconds()), "open-ms")
}
