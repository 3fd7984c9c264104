package forms

import (
	"os"
	"testing"
)

// BenchmarkLoadSubdistrict loads the largest real form of the corpus: 97
// survey rows in English and Arabic and 5,668 external choices. Target:
// under 300 ms for the whole load.
//
// As published, the form puts a relevance condition in the choice_filter
// column of a text question (survey row 10), which fieldbench refuses after
// reading everything; "Load" measures that. "LoadFixed" clears that one cell
// in memory and runs the full pipeline, expression compilation included.
func BenchmarkLoadSubdistrict(b *testing.B) {
	data, err := os.ReadFile(corpusDir + "/subdistrict_profiling_tool.xlsx")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Load("subdistrict_profiling_tool.xlsx", data)
		}
	})
	b.Run("LoadFixed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			wb, err := readXLSX("subdistrict_profiling_tool.xlsx", data)
			if err != nil {
				b.Fatal(err)
			}
			wb.Sheets["survey"].Rows[9][6] = "" // choice_filter of the text question
			f, errs := buildForm(wb)
			if len(errs) > 0 {
				b.Fatal(errs)
			}
			if errs := compile(f); len(errs) > 0 {
				b.Fatal(errs)
			}
			if len(f.Lists["communities"].Choices) == 0 {
				b.Fatal("external choices missing")
			}
		}
	})
}
