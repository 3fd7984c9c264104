package forms

import (
	"bytes"
	"fmt"
	"os"
	"sync"
	"testing"
)

// BenchmarkValidateHousehold decodes and validates household sample records
// as the catalogue server checks each synced record (sync/api/server.go check):
// the first sample line with a different head_name each time, so that no
// two iterations see the same strings.
func BenchmarkValidateHousehold(b *testing.B) {
	f, err := LoadFile("samples/household_visit.xlsx")
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile("../testdata/forms/household_visit.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	const head = `"head_name":"张建国"`
	if !bytes.Contains(first, []byte(head)) {
		b.Fatalf("the first household record no longer has %s", head)
	}
	names := []string{"张建国", "李秀梅", "王明", "陈丽", "赵子龙", "刘德华", "孙悦", "周杰"}
	lines := make([][]byte, len(names))
	for i, name := range names {
		lines[i] = bytes.Replace(first, []byte(head), []byte(fmt.Sprintf(`"head_name":%q`, name)), 1)
	}
	for _, line := range lines {
		obj, err := DecodeRecord(line)
		if err != nil {
			b.Fatal(err)
		}
		if _, res := f.ValidateRecord(obj, Options{Language: LangHans}); !res.OK() {
			b.Fatalf("the sample record should be valid: %+v", res.Errors)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		obj, _ := DecodeRecord(lines[i%len(lines)])
		f.ValidateRecord(obj, Options{Language: LangHans})
	}
}

// TestValidateConcurrently checks the household records from several
// goroutines at once, as the catalogue server does with one *Form, and
// wants each verdict to be the one a lone validation gives. Run with -race,
// it also covers the decoder pool.
func TestValidateConcurrently(t *testing.T) {
	f, err := LoadFile("samples/household_visit.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	verdict := func(line []byte) string {
		obj, err := DecodeRecord(line)
		if err != nil {
			return err.Error()
		}
		in, res := f.ValidateRecord(obj, Options{Language: LangHans, Now: fixedNow})
		out, _ := in.MarshalJSON()
		return fmt.Sprintf("%s %+v %+v", out, res.Errors, res.Warnings)
	}
	want := make([]string, len(lines))
	for i, line := range lines {
		want[i] = verdict(line)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range 50 {
				i := (g + k) % len(lines)
				if got := verdict(lines[i]); got != want[i] {
					t.Errorf("record %d on goroutine %d: got %s, want %s", i+1, g, got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}
