package forms

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// BenchmarkFilterTownships filters the 41,352 built-in townships by county,
// as a cascade does each time the county answer changes.
func BenchmarkFilterTownships(b *testing.B) {
	f := mustLoadMD(b, `
| survey |
| | type | name | label | choice_filter |
| | select_one cn_county | county | County | |
| | select_one cn_township | township | Township | county=${county} |
`)
	in := f.NewInstance(Options{Now: fixedNow})
	if err := in.Set("county", "110105"); err != nil {
		b.Fatal(err)
	}
	got, _ := in.Choices("township")
	if len(got) != 43 {
		b.Fatalf("朝阳区 has %d townships, want 43", len(got))
	}
	durations := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		in.Choices("township")
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	reportMedian(b, durations)
}

// wideMD is a flat form of n questions of mixed types with constraints,
// relevance and a calculation every tenth question.
func wideMD(n int) (string, string) {
	var b, rec strings.Builder
	b.WriteString("| survey |\n| | type | name | label | required | constraint | relevant | calculation |\n")
	rec.WriteString("{")
	for i := 1; i <= n; i++ {
		if i > 1 {
			rec.WriteString(",")
		}
		switch i % 10 {
		case 0:
			fmt.Fprintf(&b, "| | calculate | f%d | | | | | ${f%d} * 2 |\n", i, i-1)
			fmt.Fprintf(&rec, `"f%d":""`, i)
		case 1, 2, 3:
			fmt.Fprintf(&b, "| | integer | f%d | F%d | yes | . >= 0 and . <= 150 | | |\n", i, i)
			fmt.Fprintf(&rec, `"f%d":%d`, i, i)
		case 4, 5:
			fmt.Fprintf(&b, "| | text | f%d | F%d | yes | string-length(.) <= 20 | ${f%d} > 0 | |\n", i, i, i-1)
			fmt.Fprintf(&rec, `"f%d":"答案%d"`, i, i)
		case 6:
			fmt.Fprintf(&b, "| | date | f%d | F%d | | . <= today() | | |\n", i, i)
			fmt.Fprintf(&rec, `"f%d":"2020-01-%02d"`, i, i%28+1)
		case 7:
			fmt.Fprintf(&b, "| | select_one yn | f%d | F%d | yes | | | |\n", i, i)
			fmt.Fprintf(&rec, `"f%d":"yes"`, i)
		default:
			fmt.Fprintf(&b, "| | decimal | f%d | F%d | | . >= 0 | selected(${f%d}, 'yes') | |\n", i, i, i-(i%10-7))
			fmt.Fprintf(&rec, `"f%d":"%d.5"`, i, i)
		}
	}
	rec.WriteString("}")
	b.WriteString("| choices |\n| | list_name | name | label |\n| | yn | yes | Yes |\n| | yn | no | No |\n")
	return b.String(), rec.String()
}

// BenchmarkValidate100 validates one 100-field record: decode, evaluate,
// check every rule.
func BenchmarkValidate100(b *testing.B) {
	md, rec := wideMD(100)
	f := mustLoadMD(b, md)
	obj, err := DecodeRecord([]byte(rec))
	if err != nil {
		b.Fatal(err)
	}
	if _, res := f.ValidateRecord(obj, Options{Now: fixedNow}); !res.OK() {
		b.Fatalf("the generated record should be valid: %+v", res.Errors)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.ValidateRecord(obj, Options{Now: fixedNow})
	}
}

// BenchmarkAnswerSets validates each answer set the ODK oracle judged, and
// the household sample's, and reports the time per record: the figure to
// set beside the oracle's milliseconds per record.
func BenchmarkAnswerSets(b *testing.B) {
	sets := []struct{ name, form, answers string }{
		{"household_visit", "samples/household_visit.xlsx", "../testdata/forms/household_visit.jsonl"},
	}
	for _, n := range []string{"tutorial", "infinity", "nested_repeats", "groups_in_repeats", "childrens_survey_sw",
		"choice_filter_test", "choice_filter", "mali_health", "grains", "multi_lingual_form", "xlsform_spec_test"} {
		sets = append(sets, struct{ name, form, answers string }{n, "../testdata/xlsform/" + n + ".xlsx", "../testdata/oracle/" + n + ".jsonl"})
	}
	for _, s := range sets {
		b.Run(s.name, func(b *testing.B) {
			f, err := LoadFile(s.form)
			if err != nil {
				b.Fatal(err)
			}
			data, err := os.ReadFile(s.answers)
			if err != nil {
				b.Fatal(err)
			}
			var records []map[string]any
			for _, line := range strings.Split(string(data), "\n") {
				if strings.TrimSpace(line) == "" {
					continue
				}
				obj, err := DecodeRecord([]byte(line))
				if err != nil {
					b.Fatal(err)
				}
				records = append(records, obj)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f.ValidateRecord(records[i%len(records)], Options{Now: fixedNow})
			}
		})
	}
}
