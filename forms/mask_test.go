package forms

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMask(t *testing.T) {
	tests := []struct{ class, in, want string }{
		{SensitiveIDNumber, "11010519491231002X", "110105********002X"},
		{SensitivePhone, "13812341234", "138****1234"},
		{SensitiveName, "张三", "张*"},
		{SensitiveName, "王建国", "王**"},
		{SensitiveName, "欧阳娜娜", "欧阳**"},
		{SensitiveName, "欧阳", "欧*"}, // a two-character name is surname + given name
		{SensitiveName, "John Smith", "J*** *****"},
		{SensitiveName, "李", "*"},
		{SensitiveAddress, "河南省上蔡县黄埠镇大路李村三组18号", "河南省上蔡县黄埠镇大路李村*****"},
		{SensitiveAddress, "北京市朝阳区建外街道永安里8号楼", "北京市朝阳区建外街道******"},
		{SensitiveAddress, "北京市朝阳区建外街道光华路社区12号", "北京市朝阳区建外街道光华路社区***"},
		{SensitiveAddress, "大路李村", "大路李村"},
		{SensitiveAddress, "123 Main Street", "123 M**********"},
		{SensitiveBankCard, "6222021234567891234", "622202*********1234"},
		{SensitiveIDNumber, "12345", "*****"},
		{SensitivePhone, "1381234", "*******"},
		{"", "anything", "anything"},
		{"unknown_class", "秘密", "**"},
		{SensitiveName, "", ""},
	}
	for _, tc := range tests {
		if got := Mask(tc.class, tc.in); got != tc.want {
			t.Errorf("Mask(%s, %q) = %q, want %q", tc.class, tc.in, got, tc.want)
		}
	}
}

// FuzzMask checks what masking promises for any input: no panic, a shape
// that stays the same length for fixed-width classes, and for IDs, phones
// and cards never more than the kept ends in clear.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "13812341234", "欧阳娜娜", "河南省黄埠镇大路李村三组", "6222021234567891234", "", " x "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		for _, c := range []struct {
			class      string
			head, tail int
		}{{SensitiveIDNumber, 6, 4}, {SensitivePhone, 3, 4}, {SensitiveBankCard, 6, 4}} {
			in := []rune(strings.TrimSpace(s))
			out := []rune(Mask(c.class, s))
			if len(out) != len(in) {
				t.Fatalf("%s: %q masked to %q: length changed", c.class, s, string(out))
			}
			clear := 0
			for _, r := range out {
				if r != '*' {
					clear++
				}
			}
			if clear > c.head+c.tail {
				t.Fatalf("%s: %q masked to %q shows %d characters", c.class, s, string(out), clear)
			}
		}
		for _, class := range []string{SensitiveName, SensitiveAddress} {
			out := Mask(class, s)
			if strings.TrimSpace(s) != "" && utf8.RuneCountInString(out) != utf8.RuneCountInString(strings.TrimSpace(s)) {
				t.Fatalf("%s: %q masked to %q: length changed", class, s, out)
			}
		}
	})
}
