package forms

import (
	"fmt"
	"strings"
	"testing"
)

// membersMD is a household of n members where each member's calculation
// reads the member before it with indexed-repeat(), and the record counts
// the adults with a predicate over the instances.
func membersRecord(n int) string {
	var b strings.Builder
	b.WriteString(`{"members":[`)
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"m%d","age":"%d"}`, i, 10+i%60)
	}
	b.WriteString("]}")
	return b.String()
}

// BenchmarkIndexedRepeat validates a record of 50 members of
// testdata/features/indexed_repeat.md: every member reads the one before
// with indexed-repeat(), and two calculations filter the members by age.
func BenchmarkIndexedRepeat(b *testing.B) {
	f := loadFeature(b, "indexed_repeat.md")
	obj := mustDecode(b, membersRecord(50))
	in, res := f.ValidateRecord(obj, Options{Now: fixedNow})
	if !res.OK() || value(b, in, "members[50]/prev_name") != "m49" {
		b.Fatalf("%v %q", res.Errors, value(b, in, "members[50]/prev_name"))
	}
	b.Run("validate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f.ValidateRecord(obj, Options{Now: fixedNow})
		}
	})
	// One answer typed in the middle: what the screens wait for.
	b.Run("answer", func(b *testing.B) {
		b.ReportAllocs()
		ages := []string{"17", "18"}
		i := 0
		for b.Loop() {
			if err := in.Set("members[25]/age", ages[i%2]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkLastSaved starts a record of testdata/features/last_saved.md
// from a last saved record with 50 members, as opening a new record does:
// defaults and calculations read ${last-saved#...}.
func BenchmarkLastSaved(b *testing.B) {
	f := loadFeature(b, "last_saved.md")
	last := mustDecode(b, strings.Replace(membersRecord(50), `{"members"`, `{"village":"大王庄","visit":"3","members"`, 1))
	in := f.NewInstance(Options{Now: fixedNow, Defaults: true, LastSaved: last})
	if value(b, in, "village") != "大王庄" || value(b, in, "last_count") != "50" {
		b.Fatalf("%q %q", value(b, in, "village"), value(b, in, "last_count"))
	}
	b.ReportAllocs()
	for b.Loop() {
		f.NewInstance(Options{Now: fixedNow, Defaults: true, LastSaved: last})
	}
}
