package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// oldHouseholdVersion is the household visit sample's version before it
// registered entities; testdata holds that definition as an earlier
// binary embedded it.
const oldHouseholdVersion = "2026120701"

// oldSampleLaptop is a laptop database as an earlier binary left it: its
// samples installed (the household visit without entities, the business
// census, no follow-up) and one household record finalized; it returns
// the database's path and the record's id.
func oldSampleLaptop(t *testing.T) (string, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fb.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	business, err := samples.FS.ReadFile("business_census.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"household_visit.xlsx": readFile(t, filepath.Join("testdata", "household_visit-"+oldHouseholdVersion+".xlsx")),
		"business_census.xlsx": business} {
		if _, err := db.AddForm(ctx, name, data); err != nil {
			t.Fatal(err)
		}
	}
	answers, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := db.InsertFinalized(ctx, "household_visit", oldHouseholdVersion, "", bytes.SplitN(answers, []byte("\n"), 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return path, id
}

// openLaptop opens a laptop database for the rest of the test.
func openLaptop(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// versionsHeld lists a laptop's form versions as form_id → versions, the
// newest (the one new records take) last.
func versionsHeld(t *testing.T, db *store.DB) map[string][]string {
	t.Helper()
	list, err := db.FormVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, fv := range list {
		out[fv.FormID] = append(out[fv.FormID], fv.Version)
	}
	return out
}

// A laptop that used an earlier binary's samples gets at its next start
// the household visit's new version, which registers entities, and the
// 入户回访 follow-up, which reads them; its record stays on the version it
// was made with and opens for correction with that definition. Another
// start adds nothing.
func TestInstallSamplesUpgradesAnEarlierLaptop(t *testing.T) {
	ctx := context.Background()
	path, id := oldSampleLaptop(t)
	db := openLaptop(t, path)
	before, err := db.Record(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// The workbench's start, in plain mode: it lists the forms offered.
	code, out, errs := run(t, "q\n", "--db", path, "--collector", "王芳")
	if code != 0 || !strings.Contains(out, "入户登记 / Household visit (version "+samples.HouseholdVisitVersion+")") ||
		!strings.Contains(out, "入户回访 / Household follow-up (version "+samples.HouseholdFollowupVersion+")") {
		t.Fatalf("start: exit %d\n%s%s", code, out, errs)
	}

	db = openLaptop(t, path)
	want := map[string][]string{
		"household_visit":    {oldHouseholdVersion, samples.HouseholdVisitVersion},
		"business_census":    {samples.BusinessCensusVersion},
		"household_followup": {samples.HouseholdFollowupVersion},
	}
	got := versionsHeld(t, db)
	for formID, versions := range want {
		if !slices.Equal(got[formID], versions) {
			t.Errorf("%s: versions %v, want %v", formID, got[formID], versions)
		}
	}
	newest, err := db.Form(ctx, "household_visit", samples.HouseholdVisitVersion)
	if err != nil || len(newest.EntityDecls()) == 0 {
		t.Fatalf("the new version registers no entities: %v", err)
	}

	after, err := db.Record(ctx, id)
	if err != nil || after.FormVersion != oldHouseholdVersion || !bytes.Equal(after.Data, before.Data) || after.Head != before.Head {
		t.Fatalf("the old record changed: %+v %v", after, err)
	}
	s, err := entry.Edit(ctx, db, *after, "en", nil)
	if err != nil {
		t.Fatal(err)
	}
	var headID string
	s.Inst.EachAnswer(func(fd *forms.Field, value string, _ bool) {
		if fd.Key == "head_id" {
			headID = value
		}
	})
	if s.Version != oldHouseholdVersion || len(s.Form.EntityDecls()) != 0 || headID != "110105196805140036" {
		t.Errorf("the old record opens on version %s (%d entity declarations), head_id %q", s.Version, len(s.Form.EntityDecls()), headID)
	}

	if err := installSamples(ctx, db); err != nil {
		t.Fatal(err)
	}
	if again := versionsHeld(t, db); len(again["household_visit"]) != 2 || len(again) != 3 {
		t.Errorf("a second start added versions: %v", again)
	}
}

// A laptop enrolled with a catalogue takes its forms from the catalogue:
// a sample version the catalogue has not published would have its
// records rejected there. One whose user added only forms of their own
// never gets the samples either, nor one whose user added the household
// visit from its file (forms add PATH), not the workbench.
func TestInstallSamplesLeavesEnrolledAndOwnFormsLaptops(t *testing.T) {
	ctx := context.Background()
	path, _ := oldSampleLaptop(t)
	db := openLaptop(t, path)
	if err := db.SetSetting(ctx, laptop.SettingToken, "device-token"); err != nil {
		t.Fatal(err)
	}
	if err := installSamples(ctx, db); err != nil {
		t.Fatal(err)
	}
	if got := versionsHeld(t, db); len(got) != 2 || len(got["household_visit"]) != 1 {
		t.Errorf("an enrolled laptop: %v", got)
	}

	own, err := store.Open(filepath.Join(t.TempDir(), "own.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	mine := []byte("| survey |\n| | type | name | label |\n| | text | x | X |\n| settings |\n| | form_id | version |\n| | mine | 1 |\n")
	if _, err := own.AddForm(ctx, "mine.md", mine); err != nil {
		t.Fatal(err)
	}
	if err := installSamples(ctx, own); err != nil {
		t.Fatal(err)
	}
	if got := versionsHeld(t, own); len(got) != 1 {
		t.Errorf("a laptop with its own forms only: %v", got)
	}

	added := openLaptop(t, filepath.Join(t.TempDir(), "added.db"))
	visit := readFile(t, filepath.Join("testdata", "household_visit-"+oldHouseholdVersion+".xlsx"))
	if _, err := added.AddForm(ctx, filepath.Join("forms", "household_visit.xlsx"), visit); err != nil {
		t.Fatal(err)
	}
	if err := installSamples(ctx, added); err != nil {
		t.Fatal(err)
	}
	if got := versionsHeld(t, added); len(got) != 1 || len(got["household_visit"]) != 1 {
		t.Errorf("a laptop whose user added the household visit: %v", got)
	}
}
