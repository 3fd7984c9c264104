package quality

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
)

// benchRecords is how many household records one op measures: the
// catalogue's order of magnitude for a county.
const benchRecords = 100000

// residentID makes a valid 18-character resident ID (GB 11643 check
// character) for person p, born in 1950-1989.
func residentID(p int) string {
	d17 := fmt.Sprintf("110105%04d%02d%02d%03d", 1950+p%40, 1+(p/40)%12, 1+(p/480)%28, (p/13440)%1000)
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(d17[i]-'0') * w
	}
	return d17 + string("10X98765432"[sum%11])
}

// household appends the JSON of generated household i: 1 to 5 members
// (11 in one household of a hundred, which trips the sample's soft check),
// every member an adult with an ID; one head of household in two hundred
// reuses an earlier household's ID, and one record in fifty is a draft
// missing its village.
func household(b []byte, i int) []byte {
	n := 1 + i%5
	if i%100 == 99 {
		n = 11
	}
	head := residentID(i * 16)
	if i%200 == 199 {
		head = residentID((i - 150) * 16)
	}
	village := fmt.Sprintf("第%d村", i%97)
	if i%50 == 49 {
		village = ""
	}
	b = fmt.Appendf(b, `{"consent":"OK","province":"11","city":"1101","county":"110105","township":"110105026",`+
		`"village":%q,"address":"%d号","head_name":"户主%06d","head_id":%q,"head_phone":"13811062547","hh_size":"%d","members":[`,
		village, i%300, i, head, n)
	for j := range n {
		if j > 0 {
			b = append(b, ',')
		}
		id := head
		rel := "head"
		if j > 0 {
			id = residentID(i*16 + j)
			rel = "child"
		}
		b = fmt.Appendf(b, `{"m_name":"成员%d","m_relation":%q,"m_sex":"female","m_birth":"%s-%s-%s","m_id":%q,"m_work":"salaried"}`,
			j, rel, id[6:10], id[10:12], id[12:14], id)
	}
	return fmt.Appendf(b, `],"income":"%d","dwelling":"own","low_income":"no","visit_date":"2026-11-%02d"}`, 20000+i%50000, 1+i%27)
}

// BenchmarkQuality measures 100,000 generated household records per op:
// each decoded from its JSON line (as the catalogue reads them), validated
// again and walked by the accumulator. It reports records/s and the heap
// the accumulator holds at the end, which follows the distinct IDs and
// collector-days, not the records.
//
//	go test ./forms/quality -run NONE -bench Quality -benchtime 3x
func BenchmarkQuality(b *testing.B) {
	def, err := samples.FS.ReadFile("household_visit.xlsx")
	if err != nil {
		b.Fatal(err)
	}
	f, err := forms.Load("household_visit.xlsx", def)
	if err != nil {
		b.Fatal(err)
	}
	states := []string{"finalized", "sent", "sent", "queued"}
	collectors := []string{"王芳", "李建国", "张丽", "陈明", "刘洋"}
	var report *Report
	var held uint64
	var line []byte
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var before runtime.MemStats
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		a := New(f, Options{Now: fixedNow})
		for i := range benchRecords {
			line = household(line[:0], i)
			obj, err := forms.DecodeRecord(line)
			if err != nil {
				b.Fatal(err)
			}
			state := states[i%len(states)]
			if i%50 == 49 {
				state = "draft"
			}
			a.Add(Record{ID: fmt.Sprintf("rec-%06d", i), Data: obj, Collector: collectors[i%len(collectors)],
				Day: time.Date(2026, 11, 1+i%27, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), State: state})
		}
		report = a.Report()
		b.StopTimer()
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		held = after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
		runtime.KeepAlive(a)
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(benchRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(held)/(1<<20), "held-MB")
	if report.Records != benchRecords || len(report.Duplicates) != benchRecords/200 || report.WithWarnings != benchRecords/100 {
		b.Fatalf("records %d, duplicates %d, with warnings %d", report.Records, len(report.Duplicates), report.WithWarnings)
	}
	if report.WithErrors != benchRecords/50 {
		b.Fatalf("records with errors %d, want the %d drafts without a village", report.WithErrors, benchRecords/50)
	}
}
