package forms

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// villageChars make up made-up village names, so a 50,000-row list has
// the spread of characters (and pinyin) of a real one.
var villageChars = []rune("大小东西南北上下新老王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤")

// villagesCSV is an attached list of n villages: name (a code), label
// (a Chinese name), the county each is in (one of 100) and a population.
func villagesCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("name,label,county,population\n")
	for i := 0; i < n; i++ {
		k := len(villageChars)
		name := string([]rune{villageChars[i%k], villageChars[(i/k)%k], villageChars[(i/k/k+i)%k]}) + "村"
		fmt.Fprintf(&b, "v%06d,%s,c%02d,%d\n", i, name, i%100, 50+i%950)
	}
	return []byte(b.String())
}

// The two spellings of "the chosen village's population" that forms use.
const (
	pulldataPopulation = "pulldata('villages', 'population', 'name', ${village})"
	instancePopulation = "instance('villages')/root/item[name = ${village}]/population"
)

// pulldataMD is a form of n questions around one select from a
// village list: a third look the village's population up (with lookup),
// a third are integers checked against it, a third are shown by it.
func pulldataMD(n int, lookup string) string {
	var b strings.Builder
	b.WriteString("| survey |\n| | type | name | label | calculation | constraint | relevant |\n")
	b.WriteString("| | select_one_from_file villages.csv | village | Village | | | |\n")
	for i := 1; i < n; i++ {
		switch i % 3 {
		case 1:
			fmt.Fprintf(&b, "| | calculate | c%d | | %s + %d | | |\n", i, lookup, i)
		case 2:
			fmt.Fprintf(&b, "| | integer | q%d | Q%d | | . <= ${c%d} | |\n", i, i, i-1)
		default:
			fmt.Fprintf(&b, "| | text | t%d | T%d | | | ${c%d} > 500 |\n", i, i, i-2)
		}
	}
	return b.String()
}

// BenchmarkPulldata1000 is the re-evaluation after one answer in a form
// of 1,000 questions where 333 calculations pulldata() from a 50,000-row
// file by the answer: every one of them looks its row up by key.
func BenchmarkPulldata1000(b *testing.B) { benchLookups(b, pulldataPopulation) }

// BenchmarkInstanceLookup1000 is BenchmarkPulldata1000 with the lookups
// written as instance('villages')/root/item[name = ${village}]/population:
// a node path whose first predicate is answered from the column's index.
func BenchmarkInstanceLookup1000(b *testing.B) { benchLookups(b, instancePopulation) }

func benchLookups(b *testing.B, lookup string) {
	f, err := Load("pull.md", []byte(pulldataMD(1000, lookup)), File{Name: "villages.csv", Data: villagesCSV(50000)})
	if err != nil {
		b.Fatal(err)
	}
	in := f.NewInstance(Options{Now: fixedNow})
	villages := []string{"v000017", "v031415"}
	for _, v := range villages {
		if err := in.Set("village", v); err != nil {
			b.Fatal(err)
		}
	}
	if got, _, _ := in.Value("c1"); got != fmt.Sprint(50+31415%950+1) {
		b.Fatalf("c1 = %q", got)
	}
	durations := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		in.Set("village", villages[i%2])
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	reportMedian(b, durations)
}

// BenchmarkFilterFileChoices50k is one keystroke of the choice search
// over a 50,000-row attached list: the filter the workbench and the
// plain prompts use, by characters, pinyin and initials.
func BenchmarkFilterFileChoices50k(b *testing.B) {
	f, err := Load("v.md", []byte("| survey |\n| | type | name | label |\n| | select_one_from_file villages.csv | v | V |\n"),
		File{Name: "villages.csv", Data: villagesCSV(50000)})
	if err != nil {
		b.Fatal(err)
	}
	choices := f.Lists[f.Field("v").ListName].Choices
	labels := make([]string, len(choices))
	for i, c := range choices {
		labels[i] = c.LabelIn("")
	}
	filter := NewChoiceFilter(choices, labels)
	texts := []string{"大", "dazhang", "dzl", "v0314", "南湾"}
	var out []int
	if out = filter.Match("dazhang", out[:0]); len(out) == 0 {
		b.Fatal("pinyin matches nothing")
	}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		out = filter.Match(texts[i%len(texts)], out[:0])
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	reportMedian(b, durations)
}

// BenchmarkLoadFileChoices50k is loading a form with a 50,000-row list:
// parsing the file and making its choices.
func BenchmarkLoadFileChoices50k(b *testing.B) {
	data := villagesCSV(50000)
	md := []byte("| survey |\n| | type | name | label |\n| | select_one_from_file villages.csv | v | V |\n")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load("v.md", md, File{Name: "villages.csv", Data: data}); err != nil {
			b.Fatal(err)
		}
	}
}
