package tui

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// townshipHouseholds is a township's list of n households: Chinese names
// (many alike, as in a real township), a phone, an ID number and a size.
func townshipHouseholds(n int) *memEntities {
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
	given := []rune("建国秀英明华丽军平志强玉兰桂芳红霞海涛春梅文德永福金凤云飞家宝伟敏静")
	ents := make([]store.Entity, n)
	for i := range ents {
		label := string([]rune{surnames[i%len(surnames)], given[(i/len(surnames))%len(given)], given[(i/7)%len(given)]})
		ents[i] = store.Entity{List: "households", ID: fmt.Sprintf("0193a1b2-%04x-7000-8000-%012x", i%0xffff, i), Label: label,
			Version: 1, ToVisit: i%10 == 0,
			Properties: map[string]string{"phone": fmt.Sprintf("138%08d", i), "id_number": fmt.Sprintf("420102%08d%04d", 19500101+i%500000, i%10000), "size": fmt.Sprint(1 + i%6)}}
	}
	sort.SliceStable(ents, func(i, j int) bool { return ents[i].Label < ents[j].Label })
	return &memEntities{lists: map[string][]store.Entity{"households": ents}}
}

// BenchmarkEntityFilter100k is one keystroke in the follow-up pick over a
// township list of 100,000 households, with the list drawn: a character,
// a pinyin letter, initials, a phone fragment, each typed and erased.
// index-ms is the one-off cost of indexing the list (in a tea.Cmd, when
// the pick opens).
func BenchmarkEntityFilter100k(b *testing.B) {
	m, db := testApp(b, "zh-Hans")
	followUpDB(b, db)
	m.c.entities = townshipHouseholds(100_000)
	s, err := entry.New(context.Background(), db, "hh_followup", "1", "zh-Hans", fixedClock)
	if err != nil {
		b.Fatal(err)
	}
	m = press(m, openPickMsg{s: s, decl: *entry.FollowUp(s.Form)})
	start := time.Now()
	loaded := m.pick.loadCmd()()
	indexed := time.Since(start)
	m = press(m, loaded)
	if m.pick.index == nil || len(m.pick.matches) != 100_000 {
		b.Fatalf("the pick holds %d matches", len(m.pick.matches))
	}
	reportMedian(b, typeAndErase(b, m, "张", "z", "g", "8", "4"))
	b.ReportMetric(float64(indexed.Microseconds())/1000, "index-ms")
}
