package forms_test

import (
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
)

// The sample follow-up loads where no list is at hand (the catalogue,
// forms check) with its list as a header of the properties it saves, and
// its pick of the household is the one question whose choices come from
// an entity list.
func TestEntityListStubsOfTheFollowUp(t *testing.T) {
	data, err := samples.FS.ReadFile("household_followup.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := forms.Load("household_followup.xlsx", data); err == nil {
		t.Fatal("the follow-up loads without its list: nothing to stub")
	}
	stubs := forms.EntityListStubs("household_followup.xlsx", data, nil)
	if len(stubs) != 1 || stubs[0].Name != "households.csv" || string(stubs[0].Data) != "name,label,__version,dibao,last_visit,phone,size\n" {
		t.Fatalf("stubs: %q", stubs)
	}
	f, err := forms.Load("household_followup.xlsx", data, stubs...)
	if err != nil {
		t.Fatal(err)
	}
	if picks := f.EntityPicks(); len(picks) != 1 || !picks["hh"] {
		t.Fatalf("picks: %v", picks)
	}
	if stubs := forms.EntityListStubs("household_followup.xlsx", data, stubs); stubs != nil {
		t.Errorf("a list given is not stubbed again: %q", stubs)
	}
	visit, _ := samples.FS.ReadFile("household_visit.xlsx")
	if f, err := forms.Load("household_visit.xlsx", visit); err != nil || len(f.EntityPicks()) != 0 {
		t.Errorf("the registration picks nothing: %v %v", f.EntityPicks(), err)
	}
}
