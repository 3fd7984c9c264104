package forms

import (
	"fmt"
	"strings"
	"testing"
)

// confirmMD has a soft check at the top, one behind a relevance, one in a
// repeat, and a division code whose validate rule warns of codes it does
// not know.
const confirmMD = `
| survey |
| | type | name | label | constraint | warning | validate | relevant |
| | integer | hh_size | Size | . >= 1 and . <= 30 | . <= 10 | | |
| | decimal | income | Income | . >= 0 | . < 1000000 | | |
| | select_one yn | farm | Farm? | | | | |
| | decimal | land | Land | | . <= 100 | | ${farm} = 'yes' |
| | text | code | Township code | | | cn_division | |
| | begin repeat | members | Members | | | | |
| | integer | m_age | Age | . >= 0 | . <= 100 | | |
| | end repeat | | | | | | |
| choices |
| | list_name | name | label |
| | yn | yes | Yes |
| | yn | no | No |
`

// A record's __warnings may only hold warnings the form could have shown
// the collector for it; anything else is refused, entry by entry, as an
// unknown name at __warnings[i]. Before, any entry of the right shape
// was accepted and kept, so a laptop or a file could put any text before
// a reviewer as a warning its collector confirmed.
func TestForgedWarningsAreRefused(t *testing.T) {
	f := mustLoadMD(t, confirmMD)
	answers := `"hh_size":"12","income":"2000000","farm":"no","land":"500","code":"110105026","members":[{"m_age":"101"}]`
	entry := func(field, path, rule string) string {
		return fmt.Sprintf(`{"field":%q,"path":%q,"rule":%q,"message":"请核实"}`, field, path, rule)
	}
	cases := []struct {
		name, entries string
		want          string // "" accepted, else the English message's start
	}{
		{"a warning shown", entry("hh_size", "hh_size", "warning"), ""},
		{"in a repeat", entry("m_age", "members[1]/m_age", "warning"), ""},
		{"a division code's warning", entry("code", "code", "validate"), ""},
		// The answer is there and the form has the check, though it does
		// not fire for this answer: a catalogue may judge a today() or a
		// newer division list otherwise than the laptop did.
		{"no longer firing", entry("income", "income", "warning"), ""},
		{"not a warning's rule", entry("hh_size", "hh_size", "constraint"), `rule "constraint" is no warning`},
		{"another rule", entry("hh_size", "hh_size", "unknown"), `rule "unknown" is no warning`},
		{"no such question", entry("ghost", "ghost", "warning"), `the form has no question at "ghost" named "ghost"`},
		{"field and path disagree", entry("income", "hh_size", "warning"), `the form has no question at "hh_size" named "income"`},
		{"no soft check", entry("farm", "farm", "warning"), `question "farm" has no soft check`},
		{"no validate rule that warns", entry("hh_size", "hh_size", "validate"), `question "hh_size" has no validate rule that warns`},
		{"a repeat, not a question", entry("members", "members[1]", "warning"), `question "members[1]" has no soft check`},
		{"does not apply", entry("land", "land", "warning"), `"land" does not apply or has no answer`},
		{"no such entry", entry("m_age", "members[2]/m_age", "warning"), `"members[2]/m_age" does not apply or has no answer`},
		{"twice", entry("hh_size", "hh_size", "warning") + "," + entry("hh_size", "hh_size", "warning"), "repeats confirmed warning 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obj, err := DecodeRecord([]byte(`{` + answers + `,"__warnings":[` + c.entries + `]}`))
			if err != nil {
				t.Fatal(err)
			}
			_, res := f.ValidateRecord(obj, Options{Now: fixedNow, Language: LangEn})
			if c.want == "" {
				if !res.OK() {
					t.Fatalf("refused: %+v", res.Errors)
				}
				return
			}
			last := strings.Count(c.entries, `"field"`)
			if len(res.Errors) != 1 {
				t.Fatalf("errors %+v, want one", res.Errors)
			}
			p := res.Errors[0]
			if p.Field != WarningsKey || p.Path != fmt.Sprintf("__warnings[%d]", last) || p.Rule != RuleUnknown ||
				!strings.HasPrefix(p.Message, c.want) || !strings.HasSuffix(p.Message, "remove this entry from __warnings") {
				t.Errorf("error %+v, want %q at __warnings[%d]", p, c.want, last)
			}
		})
	}
	// A blank answer has nothing to warn about either, and the messages
	// come in the interface language.
	obj, _ := DecodeRecord([]byte(`{"__warnings":[` + entry("income", "income", "warning") + `]}`))
	_, res := f.ValidateRecord(obj, Options{Now: fixedNow})
	if len(res.Errors) != 1 || res.Errors[0].Message != `"income" 在本记录中不适用或没有答案，不会有提醒；请从 __warnings 中删除这一条` {
		t.Errorf("blank answer: %+v", res.Errors)
	}
}
