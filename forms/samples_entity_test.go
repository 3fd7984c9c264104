package forms

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSampleEntities runs the samples' entity workflow: the household
// visit registers a household and a person per member; the list, served
// as the stores serve it (households.csv with name, label, __version and
// the properties), reaches the follow-up form, which prefills the
// household's size, phone and 低保 status when it is picked and updates
// them.
func TestSampleEntities(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) }
	reg := loadSample(t, "household_visit.xlsx")
	obj := firstHouseholdRecord(t)
	in, res := reg.ValidateRecord(obj, Options{Now: now})
	if !res.OK() {
		t.Fatalf("the first sample record is refused: %v", res.Errors)
	}
	changes, err := in.EntityChanges("rec-1")
	if err != nil {
		t.Fatal(err)
	}
	members := len(obj["members"].([]any))
	if len(changes) != 1+members || changes[0].List != "households" || changes[1].List != "persons" {
		t.Fatalf("want a household and %d persons, got %+v", members, changes)
	}
	hh := changes[0]
	if hh.Label != "张建国（花家地北里社区花家地北里6号楼3单元502）" || hh.Properties["size"] != "4" ||
		hh.Properties["phone"] != "13811062547" || hh.Properties["township"] != "110105026" {
		t.Fatalf("household: %+v", hh)
	}
	for _, c := range changes[1:] {
		if c.Properties["full_name"] == "" || c.Label != c.Properties["full_name"] || c.Path == "" {
			t.Errorf("person: %+v", c)
		}
	}

	// The list as the laptop serves it: the household at version 1.
	props := []string{"size", "phone", "dibao", "last_visit", "township", "village"}
	row := []string{hh.ID, hh.Label, "1"}
	for _, p := range props {
		row = append(row, hh.Properties[p])
	}
	csv := "name,label," + EntityVersionColumn + "," + strings.Join(props, ",") + "\n" + strings.Join(row, ",") + "\n"
	follow, err := LoadFile(filepath.Join("samples", "household_followup.xlsx"))
	if err == nil {
		t.Fatal("the follow-up loads without its entity list")
	}
	follow, err = Load("household_followup.xlsx", mustRead(t, filepath.Join("samples", "household_followup.xlsx")),
		File{Name: "households.csv", Data: []byte(csv)})
	if err != nil {
		t.Fatal(err)
	}
	if got := follow.EntityListFiles(); len(got) != 1 || got[0] != "households.csv" {
		t.Fatalf("EntityListFiles = %v", got)
	}
	visit := follow.NewInstance(Options{Now: now, Defaults: true})
	if err := visit.Set("hh", hh.ID); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"hh_size": "4", "head_phone": "13811062547", "low_income": hh.Properties["dibao"]} {
		if got, _, _ := visit.Value(path); got != want {
			t.Errorf("%s prefilled %q, want %q", path, got, want)
		}
	}
	if err := visit.Set("hh_size", "5"); err != nil {
		t.Fatal(err)
	}
	if res := visit.Validate(LangEn); !res.OK() {
		t.Fatalf("the follow-up is refused: %v", res.Errors)
	}
	up, err := visit.EntityChanges("rec-2")
	if err != nil {
		t.Fatal(err)
	}
	if len(up) != 1 || up[0].Create || up[0].ID != hh.ID || up[0].BaseVersion != 1 ||
		up[0].Properties["size"] != "5" || up[0].Properties["last_visit"] != "2026-11-27" || up[0].Label != "" {
		t.Fatalf("follow-up change: %+v", up)
	}
	if strconv.Itoa(len(up[0].Properties)) != "4" {
		t.Errorf("the follow-up saves size, phone, dibao and last_visit: %v", up[0].Properties)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestTriggeredSoftCheck: a question prefilled by a trigger is answered
// by the collector, so it may have a soft check (the follow-up's size).
func TestTriggeredSoftCheck(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type    | name | label | calculation | trigger | warning | warning_message |
| | integer | a    | A     |             |         |         |                 |
| | integer | b    | B     | ${a} + 1    | ${a}    | . < 10  | check b         |
`)
	in := f.NewInstance(Options{})
	if err := in.Set("a", "20"); err != nil {
		t.Fatal(err)
	}
	res := in.Validate(LangEn)
	if len(res.Warnings) != 1 || res.Warnings[0].Field != "b" {
		t.Fatalf("want the soft check of b, got %+v", res.Warnings)
	}
}

// firstHouseholdRecord is the first answer record of the household visit
// sample (testdata/forms), decoded.
func firstHouseholdRecord(t testing.TB) map[string]any {
	t.Helper()
	fh, err := os.Open(filepath.Join("..", "testdata", "forms", "household_visit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	sc.Scan()
	obj, err := DecodeRecord(sc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return obj
}
