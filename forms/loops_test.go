package forms

import (
	"strings"
	"testing"
)

func TestLoopExpandsPerChoice(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label::English (en) | label::中文 (zh) | constraint |
| | begin loop over animal | herd | Herds | 畜群 | |
| | integer | count | How many %(label)s? | %(label)s有几头？ | . >= 0 |
| | text | notes | Notes about %(name)s | 备注 | |
| | end loop | | | | |
| choices |
| | list_name | name | label::English (en) | label::中文 (zh) |
| | animal | cow | cows | 牛 |
| | animal | pig | pigs | 猪 |
`)
	got := []string{}
	for _, fd := range f.Fields {
		got = append(got, fd.Key)
	}
	want := "herd cow herd/cow/count herd/cow/notes pig herd/pig/count herd/pig/notes"
	if strings.Join(got, " ") != want {
		t.Errorf("keys %v\nwant %s", got, want)
	}
	pigCount := f.byKey[levelKey{f.Root, "herd/pig/count"}]
	if pigCount.Label["中文 (zh)"] != "猪有几头？" || pigCount.Label["English (en)"] != "How many pigs?" {
		t.Errorf("labels not filled per choice: %v", pigCount.Label)
	}
	obj, _ := DecodeRecord([]byte(`{"herd/cow/count":3,"herd/pig/count":-1}`))
	_, res := f.ValidateRecord(obj, Options{Now: fixedNow, Language: LangEn})
	if len(res.Errors) != 1 || res.Errors[0].Path != "herd/pig/count" || res.Errors[0].Rule != RuleConstraint {
		t.Errorf("errors %+v, want one constraint error on herd/pig/count", res.Errors)
	}
}

func TestLoopReferenceToCopiedNameIsAmbiguous(t *testing.T) {
	_, err := Load("t.md", []byte(`
| survey |
| | type | name | label | relevant |
| | begin loop over animal | herd | Herds | |
| | integer | count | How many %(label)s? | |
| | end loop | | | |
| | text | why | Why? | ${count} > 3 |
| choices |
| | list_name | name | label |
| | animal | cow | cows |
| | animal | pig | pigs |
`))
	if err == nil || !strings.Contains(err.Error(), "ambiguous") || !strings.Contains(err.Error(), "t.md:survey:7:relevant") {
		t.Fatalf("want a located ambiguity error, got %v", err)
	}
}
