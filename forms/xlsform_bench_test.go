package forms

import (
	"os"
	"testing"
)

// BenchmarkLoadSubdistrict loads the largest real form of the corpus: 97
// survey rows in English and Arabic and 5,668 external choices, through the
// whole pipeline (xlsx, build, compile). Target: under 300 ms.
func BenchmarkLoadSubdistrict(b *testing.B) {
	data, err := os.ReadFile(corpusDir + "/subdistrict_profiling_tool.xlsx")
	if err != nil {
		b.Fatal(err)
	}
	f, err := Load("subdistrict_profiling_tool.xlsx", data)
	if err != nil {
		b.Fatal(err)
	}
	if n := len(f.Lists["communities"].Choices); n == 0 {
		b.Fatal("external choices missing")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load("subdistrict_profiling_tool.xlsx", data); err != nil {
			b.Fatal(err)
		}
	}
}
