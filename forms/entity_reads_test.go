package forms_test

import (
	"reflect"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
)

// The sample follow-up reads households' name and label (its pick), and
// the properties it prefills and updates; nothing else of the list.
func TestEntityPropertiesRead(t *testing.T) {
	data, err := samples.FS.ReadFile("household_followup.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	f, err := forms.Load("household_followup.xlsx", data, forms.EntityListStubs("household_followup.xlsx", data, nil)...)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"households": {"dibao", "label", "last_visit", "name", "phone", "size"}}
	if got := f.EntityPropertiesRead(); !reflect.DeepEqual(got, want) {
		t.Errorf("follow-up reads %v, want %v", got, want)
	}
}
