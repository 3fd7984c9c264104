package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

// searchForm's name and ID are sealed: the list shows the masked name.
const searchForm = `
| survey |
| | type | name | label | required | validate | sensitive |
| | text | full_name | Name | yes | | name |
| | text | pid | ID | yes | cn_id | id_number |
| settings |
| | form_id | version | form_title |
| | people | 1 | People |
`

var (
	surnames = []string{"张", "王", "李", "赵", "刘"}
	given    = []string{"伟", "芳", "秀英", "建国", "丽"}
)

// searchPerson is person i: a name of surname and given name, and a
// resident ID of its own (a birth date and sequence from i, the MOD 11-2
// check character of GB 11643).
func searchPerson(i int) (name, id string) {
	name = surnames[i%len(surnames)] + given[i/len(surnames)%len(given)]
	born := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%20000)
	id = fmt.Sprintf("110105%s%03d", born.Format("20060102"), i/20000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, w := range weights {
		sum += int(id[k]-'0') * w
	}
	return name, id + string("10X98765432"[sum%11])
}

// searchDB is a database holding n sealed people records, listed by
// their masked names, as a form's instance_name of a sensitive name is.
func searchDB(tb testing.TB, n int) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(tb.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.AddForm(ctx, "people.md", []byte(searchForm)); err != nil {
		tb.Fatal(err)
	}
	var items []store.ImportItem
	for i := range n {
		name, id := searchPerson(i)
		items = append(items, store.ImportItem{FormID: "people", Version: "1",
			Data:         []byte(fmt.Sprintf(`{"full_name":%q,"pid":%q}`, name, id)),
			InstanceName: forms.Mask(forms.SensitiveName, name) + " 城关村"})
		if len(items) == 5000 || i == n-1 {
			if _, err := db.InsertFinalizedBatch(ctx, items); err != nil {
				tb.Fatal(err)
			}
			items = items[:0]
		}
	}
	return db
}

func searchScreen(tb testing.TB, db *store.DB) recordsModel {
	tb.Helper()
	c, err := newCommon(context.Background(), Deps{DB: db, Getenv: func(string) string { return "" }, Lang: "en"})
	if err != nil {
		tb.Fatal(err)
	}
	return newRecords(c)
}

// typeSearch opens the search and types q into it, as keystrokes.
func typeSearch(r recordsModel, q string) recordsModel {
	r.search.SetValue("")
	r, _ = r.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	for _, c := range q {
		r, _ = r.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
	return r
}

// The search finds records by part of the masked name the list shows
// (the surname) without any key, and by a whole name or ID typed, however
// spaced or cased, by blind index; a part of an ID finds nothing.
func TestRecordSearch(t *testing.T) {
	const n = 50
	r := searchScreen(t, searchDB(t, n))
	shownNames := func(r recordsModel) []string {
		var out []string
		for _, rec := range r.shown {
			out = append(out, rec.InstanceName)
		}
		return out
	}
	name7, id7 := searchPerson(7)
	sameName := 0
	for i := range n {
		if nm, _ := searchPerson(i); nm == name7 {
			sameName++
		}
	}
	spaced := id7[:6] + " " + id7[6:14] + " " + strings.ToLower(id7[14:])
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"张", n / len(surnames)},
		{name7, sameName},
		{spaced, 1},
		{id7[:14], 0},
		{"城关", n},
	} {
		got := typeSearch(r, tc.q)
		if len(got.shown) != tc.want {
			t.Errorf("search %q shows %d records, want %d: %v", tc.q, len(got.shown), tc.want, shownNames(got))
		}
		if got.err != nil {
			t.Errorf("search %q: %v", tc.q, got.err)
		}
	}
	got := typeSearch(r, spaced)
	if len(got.shown) == 1 && !strings.HasPrefix(got.shown[0].InstanceName, forms.Mask(forms.SensitiveName, name7)) {
		t.Errorf("the ID found %q, want %s's record", got.shown[0].InstanceName, name7)
	}
}

// BenchmarkRecordSearch100k is one keystroke of the records search over
// 100,000 sealed records: the substring over the listed names and the
// blind-index look-up. Reports the median and p99 per keystroke, and the
// median of each query alone (q0: one character, no look-up; q1: a name
// 4,000 records share; q2: a place every name holds; q3: an ID typed with
// a space; q4: nothing).
func BenchmarkRecordSearch100k(b *testing.B) {
	r := searchScreen(b, searchDB(b, 100_000))
	_, id := searchPerson(4242)
	queries := []string{"张", "张伟", "城关", id[:6] + " " + id[6:], "zzz"}
	var durs []time.Duration
	each := make([][]time.Duration, len(queries))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.search.SetValue(queries[i%len(queries)])
		start := time.Now()
		r.applySearch()
		d := time.Since(start)
		durs = append(durs, d)
		each[i%len(queries)] = append(each[i%len(queries)], d)
	}
	b.StopTimer()
	for q, ds := range each {
		if len(ds) > 0 {
			slices.Sort(ds)
			b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, fmt.Sprintf("q%d-median-ms", q))
		}
	}
	reportMedian(b, durs)
}
