package forms

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms/cnid"
)

func TestHoldsIDNumberAndMaskClass(t *testing.T) {
	cases := []struct {
		sensitive, validate string
		holds               bool
		class               string
	}{
		{"id_number", "", true, "id_number"},
		{"", "cn_id", true, "id_number"},         // the author forgot `sensitive`
		{"", "min=18, cn_id", true, "id_number"}, // among other tags
		{"", "cn_uscc|cn_id", true, "id_number"}, // an alternative
		{"name", "cn_id", true, "name"},          // the author's word on masking stands
		{"", "cn_uscc", false, ""},               // a legal person's public code
		{"bank_card", "", false, "bank_card"},    // masked, but no pseudonym
		{"", "cn_idx", false, ""},                // not the tag
		{"", "", false, ""},
	}
	for _, c := range cases {
		fd := &Field{Sensitive: c.sensitive, Validate: c.validate}
		if got := HoldsIDNumber(fd); got != c.holds {
			t.Errorf("HoldsIDNumber(%q, %q) = %v", c.sensitive, c.validate, got)
		}
		if got := MaskClass(fd); got != c.class {
			t.Errorf("MaskClass(%q, %q) = %q, want %q", c.sensitive, c.validate, got, c.class)
		}
	}
}

func TestPseudonym(t *testing.T) {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	p := NewPseudonymizer(key)
	// HMAC-SHA256(key 00..1f, "11010519491231002X"), computed with
	// Python's hmac module: anyone holding the key can recompute it.
	const want = "a66755453b106dcea0cfa264214ae59ff1e8b067f3e5f3aa8085e1d8757880eb"
	for _, v := range []string{"11010519491231002X", "11010519491231002x", " 110105 19491231002X\t", "１１０１０５１９４９１２３１００２Ｘ"} {
		if got := p.Of(v); got != want {
			t.Errorf("Of(%q) = %s, want %s", v, got, want)
		}
	}
	if got := p.Of(""); got != "" {
		t.Errorf("Of(\"\") = %q: no answer must not look like a person", got)
	}
	if p.Of("510129198504201231") == want {
		t.Error("two ID numbers share a pseudonym")
	}
	other := make([]byte, 32)
	if NewPseudonymizer(other).Of("11010519491231002X") == want {
		t.Error("another key gives the same pseudonym")
	}
	if strings.Contains(want, "11010519491231002X") {
		t.Error("the pseudonym holds the number")
	}
}

func TestMaskEmbeddedIDs(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"门牌3号", "门牌3号"},
		{"户主身份证11010519491231002X，已核对", "户主身份证110105********002X，已核对"},
		{"lower x: 11010519491231002x.", "lower x: 110105********002x."},
		{"两人 11010519491231002X 510129198504201231", "两人 110105********002X 510129********1231"},
		{"11010519491231002X", "110105********002X"},
		{"110105194912310022", "110105194912310022"}, // wrong check character
		{"1101051949123100", "1101051949123100"},     // too short
		// Full width, from a Chinese input method, alone and mixed.
		{"身份证１１０１０５１９４９１２３１００２Ｘ。", "身份证１１０１０５＊＊＊＊＊＊＊＊００２Ｘ。"},
		{"身份证１１０１０５19491231００２ｘ", "身份证１１０１０５********００２ｘ"},
		{"门牌３号 11010519491231002X", "门牌３号 110105********002X"},
		{"１１０１０５１９４９１２３１００２２", "１１０１０５１９４９１２３１００２２"}, // wrong check character
	}
	for _, c := range cases {
		if got := MaskEmbeddedIDs(c.in); got != c.want {
			t.Errorf("MaskEmbeddedIDs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Two IDs sharing four digits: the second starts in the first's tail.
	first, second := withCheck("51012919850420123"), withCheck("12311980010112345")
	if first != "510129198504201231" {
		t.Fatalf("withCheck is wrong: %s", first)
	}
	both := first + second[4:]
	want := first[:6] + "********" + first[14:] + second[4:6] + "********" + second[14:]
	if got := MaskEmbeddedIDs(both); got != want {
		t.Errorf("overlapping IDs: %q, want %q", got, want)
	}
	// Every resident ID the cn_id check accepts is one LooksLikeResidentID finds.
	for _, id := range []string{"11010519491231002X", "510129198504201231", "110105196805140036"} {
		if _, err := cnid.ResidentID(id); err != nil {
			t.Fatalf("test ID %s: %v", id, err)
		}
		if !LooksLikeResidentID(id) {
			t.Errorf("LooksLikeResidentID(%s) = false", id)
		}
	}
}

// FuzzMaskEmbeddedIDs: whatever the text, the result has the same length,
// differs only where digits became '*' (full-width ones '＊'), and holds
// no 18 characters that pass the GB 11643 check, with full-width
// characters read as the ASCII ones they stand for.
func FuzzMaskEmbeddedIDs(f *testing.F) {
	f.Add("户主身份证11010519491231002X，已核对")
	f.Add("11010519491231002X510129198504201231")
	f.Add("1101051949123100211010519491231002X")
	f.Add("xx11010519491231002x1")
	f.Add("身份证１１０１０５19491231００２ｘ")
	f.Fuzz(func(t *testing.T, s string) {
		got := MaskEmbeddedIDs(s)
		if len(got) != len(s) {
			t.Fatalf("length %d -> %d", len(s), len(got))
		}
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case got[i:i+size] == s[i:i+size]:
			case size == 1 && got[i] == '*' && s[i] >= '0' && s[i] <= '9':
			case got[i:i+size] == "＊" && r >= '０' && r <= '９':
			default:
				t.Fatalf("%q at byte %d became %q", s[i:i+size], i, got[i:i+size])
			}
			i += size
		}
		folded := []byte{}
		for _, r := range got {
			if c := idChar(r); c != 0 && r > utf8.RuneSelf {
				folded = append(folded, c)
			} else {
				folded = utf8.AppendRune(folded, r)
			}
		}
		for i := 0; i+18 <= len(folded); i++ {
			if LooksLikeResidentID(string(folded[i : i+18])) {
				t.Fatalf("an ID number is left at %d: %q", i, got)
			}
		}
	})
}

// withCheck appends GB 11643's check character to 17 digits.
func withCheck(d17 string) string {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(d17[i]-'0') * idWeights[i]
	}
	return d17 + string(idCheckChars[sum%11])
}
