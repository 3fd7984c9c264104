package forms

import "testing"

func TestNormalizeDate(t *testing.T) {
	for in, want := range map[string]string{
		"1978-03-12":    "1978-03-12",
		"1978-3-12":     "1978-03-12",
		"1978.3.12":     "1978-03-12",
		"1978/3/12":     "1978-03-12",
		"19780312":      "1978-03-12",
		"1978年3月12日":    "1978-03-12",
		"1978年03月12号":   "1978-03-12",
		" 1978-3-2 ":    "1978-03-02",
		"１９７８－３－１２":     "1978-03-12",
		"１９７８年３月１２日":    "1978-03-12",
		"１９７８０３１２":      "1978-03-12",
		"2024.2.29":     "2024-02-29",
		"1978-2-30":     "",
		"1978-13-1":     "",
		"78-3-12":       "",
		"1978-3/12":     "",
		"1978-3-12-1":   "",
		"197803121":     "",
		"1978年3月":       "",
		"1978-003-12":   "",
		"twelve":        "",
		"":              "",
		"1978年3月12日12点": "",
	} {
		got, ok := NormalizeDate(in)
		if ok != (want != "") || got != want && ok {
			t.Errorf("NormalizeDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// A typed date is stored in the one form; a record read from JSONL keeps
// the strict reading.
func TestTypedDatesNormalisedStoredDatesStrict(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label |
| | date | birth | Birth |
`)
	in := f.NewInstance(Options{Now: fixedNow})
	for _, typed := range []string{"1978.3.12", "１９７８年３月１２日", "19780312"} {
		if err := in.Set("birth", typed); err != nil {
			t.Fatal(err)
		}
		if got := in.Answer("birth"); got != "1978-03-12" {
			t.Errorf("typed %q stored as %q", typed, got)
		}
	}
	in.Set("birth", "1978-2-30")
	if errs, _ := in.ProblemsAt("birth", LangEn); len(errs) == 0 {
		t.Error("1978-2-30 accepted")
	}
	obj, _ := DecodeRecord([]byte(`{"birth":"1978/3/12"}`))
	if _, res := f.ValidateRecord(obj, Options{Now: fixedNow}); res.OK() {
		t.Error("a JSONL record with 1978/3/12 passed validation")
	}
}

// A default that reads a later answer is offered once that answer gives
// it a value, and never stored by itself.
func TestOfferFromLaterAnswer(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | calculation | default |
| | begin repeat | members | Members | | |
| | text | m_id | ID | | |
| | calculate | m_id_birth | | if(string-length(${m_id}) = 18, concat(substr(${m_id}, 6, 10), '-', substr(${m_id}, 10, 12), '-', substr(${m_id}, 12, 14)), '') | |
| | date | m_birth | Birth | | ${m_id_birth} |
| | end repeat | | | | |
`)
	in := f.NewInstance(Options{Now: fixedNow, Defaults: true})
	in.AddRepeat("members")
	in.AddRepeat("members")
	if got := in.Offer("members[1]/m_birth"); got != "" {
		t.Errorf("offer before the ID = %q", got)
	}
	in.Set("members[1]/m_id", "11010519491231002X")
	if got := in.Offer("members[1]/m_birth"); got != "1949-12-31" {
		t.Errorf("offer = %q, want 1949-12-31", got)
	}
	if got := in.Offer("members[2]/m_birth"); got != "" {
		t.Errorf("the second member was offered %q from the first one's ID", got)
	}
	if got := in.Answer("members[1]/m_birth"); got != "" {
		t.Errorf("the offer was stored: %q", got)
	}
	in.Set("members[1]/m_birth", "1950-1-1")
	if got := in.Offer("members[1]/m_birth"); got != "" {
		t.Errorf("offer over an answer = %q", got)
	}
	in.Set("members[2]/m_id", "not an id, 18 long")
	if got := in.Offer("members[2]/m_birth"); got != "" {
		t.Errorf("offer from a bad ID = %q", got)
	}
}
