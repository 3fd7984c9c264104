package forms

import (
	"reflect"
	"strings"
	"testing"
)

const cascadeMD = `
| survey |
| | type | name | label | choice_filter |
| | select_one prov | province | Province | |
| | select_one city | city | City | province=${province} |
| | select_multiple city | cities | Cities | province=${province} |
| | select_one cn_county | county | County | |
| | select_one cn_township | township | Township | county=${county} |
| choices |
| | list_name | name | label | province |
| | prov | 11 | Beijing | |
| | prov | 31 | Shanghai | |
| | city | 1101 | Beijing districts | 11 |
| | city | 1102 | Beijing counties | 11 |
| | city | 3101 | Shanghai districts | 31 |
`

// A changed parent clears the child answers its filter no longer lets
// through, down the cascade; a select_multiple keeps the names that pass.
func TestClearFiltered(t *testing.T) {
	f := mustLoadMD(t, cascadeMD)
	in := f.NewInstance(Options{Now: fixedNow})
	in.Set("province", "11")
	in.Set("city", "1101")
	in.Set("cities", "1101 1102")
	in.Set("county", "420102")
	in.Set("township", "420102002")
	if got := in.ClearFiltered(); len(got) != 0 {
		t.Fatalf("cleared %v with every answer allowed", got)
	}
	in.Set("county", "420103")
	got := in.ClearFiltered()
	if len(got) != 1 || got[0].Path != "township" || got[0].Old != "420102002" || in.Answer("township") != "" {
		t.Fatalf("after the county changed: %+v, township %q", got, in.Answer("township"))
	}
	if l := in.ChoiceLabels(got[0].Field, got[0].Old, ""); l != "大智街道" {
		t.Errorf("the cleared township is named %q", l)
	}
	in.Set("province", "31")
	var paths []string
	for _, c := range in.ClearFiltered() {
		paths = append(paths, c.Path+"="+c.New)
	}
	if !reflect.DeepEqual(paths, []string{"city=", "cities="}) {
		t.Errorf("after the province changed: %v", paths)
	}
	in.Set("province", "11")
	in.Set("cities", "1101 3101 1102")
	if got := in.ClearFiltered(); len(got) != 1 || got[0].New != "1101 1102" || in.Answer("cities") != "1101 1102" {
		t.Errorf("a select_multiple with one name filtered out: %+v", got)
	}
}

// A choice the filter refuses is named by its label in the message.
func TestFilteredOutNamedByLabel(t *testing.T) {
	f := mustLoadMD(t, cascadeMD)
	obj, _ := DecodeRecord([]byte(`{"county":"420103","township":"420102002"}`))
	_, res := f.ValidateRecord(obj, Options{Now: fixedNow, Language: LangHans})
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "大智街道") || strings.Contains(res.Errors[0].Message, "420102002") {
		t.Errorf("errors %v", problems(res.Errors))
	}
}
