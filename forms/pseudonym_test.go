package forms

import (
	"strings"
	"testing"
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
		{"", "cn_mobile", false, "phone"},       // the author forgot `sensitive`
		{"", "cn_mobile|email", false, "phone"}, // an alternative: more hidden, never less
		{"name", "cn_mobile", false, "name"},
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
	// The device's own phone number is a phone number.
	if got := MaskClass(&Field{Type: TypePhoneNumber}); got != SensitivePhone {
		t.Errorf("MaskClass(phonenumber) = %q", got)
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
