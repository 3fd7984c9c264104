package forms

import "testing"

// maskBenchTexts are typical answers that reach MaskEmbeddedIDs: every
// string of every record of a masked export passes through it, so the
// ones without numbers must cost next to nothing.
var maskBenchTexts = []struct{ name, text string }{
	{"short", "花家地北里社区"},
	{"chinese-no-digits", "户主外出务工，家中由配偶照看老人和孩子，房屋为自建砖混结构，院内有菜地一块。"},
	{"chinese-few-digits", "3号楼2单元502室，共4人，2026年3月15日第2次走访，年收入约18万元。"},
	{"ascii-no-digits", "The household head works away from home; the spouse looks after the children."},
	{"timestamp", "2026-11-27T13:45:12.345+08:00"},
	{"id", "户主身份证110105196805140036，已核对"},
	{"id-spaced", "户主身份证 110105 19680514 0036，电话 138-1106-2547"},
	{"id-fullwidth", "身份证１１０１０５１９６８０５１４００３６。"},
}

func BenchmarkMaskEmbeddedIDs(b *testing.B) {
	for _, c := range maskBenchTexts {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				MaskEmbeddedIDs(c.text)
			}
		})
	}
}

// BenchmarkMaskAnswer is what a masked export pays per answer of a typed
// question: the start time every record has, and a number.
func BenchmarkMaskAnswer(b *testing.B) {
	for _, c := range []struct {
		name string
		fd   *Field
		text string
	}{
		{"start", &Field{Type: TypeStart}, "2026-11-27T13:45:12.345+08:00"},
		{"decimal", &Field{Type: TypeDecimal}, "186000"},
		{"phone", &Field{Type: TypeText, Sensitive: SensitivePhone}, "13811062547"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				MaskAnswer(c.fd, c.text)
			}
		})
	}
}
