package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
)

// qualityDB is a real database: the household sample, the five valid
// records of the hand-worked answer file imported, then through the store
// API a draft by another collector with a soft check confirmed and a
// finalized record reusing the first household's head ID.
func qualityDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "fb.db")
	if code, _, errs := run(t, "", "forms", "add", "--db", db, sample); code != 0 {
		t.Fatal(errs)
	}
	run(t, "", "import", "--db", db, "--form", "household_visit", "../../testdata/forms/household_visit.jsonl")
	s, err := store.Open(db, store.WithCollector("李建国"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	id, err := s.NewDraft(ctx, "household_visit", samples.HouseholdVisitVersion)
	if err != nil {
		t.Fatal(err)
	}
	draft := `{"consent":"OK","head_name":"王大山","hh_size":"12",` +
		`"__warnings":[{"field":"hh_size","path":"hh_size","rule":"warning","message":"户人数超过10人，请核实"}]}`
	if err := s.SaveDraft(ctx, id, []byte(draft), nil); err != nil {
		t.Fatal(err)
	}
	lines, _ := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	first := strings.SplitN(string(lines), "\n", 2)[0]
	again := strings.Replace(first, `"head_name":"张建国"`, `"head_name":"张建华"`, 1)
	if _, _, err := s.InsertFinalized(ctx, "household_visit", samples.HouseholdVisitVersion, "", []byte(again)); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestQualityCommand(t *testing.T) {
	db := qualityDB(t)
	code, out, errs := run(t, "", "quality", "--db", db, "--form", "household_visit")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"入户登记 / Household visit (household_visit): 7 records, every state counted: draft 1, finalized 6",
		"records with errors: 1, with warnings: 1",
		"hh_size                  ##########  100%  7/7       0       1",
		"head_phone               #######...  71%   5/7       0       0",
		"village                  #########.  86%   6/7       1       0",
		"m_name          members  ##########  100%  19/19     0       0",
		// The second household copied the first's members: every ID twice.
		"duplicated identifiers (masked; flagged for a person to check, nothing merged): 4",
		"cn_id  110105********0036  2        head_id, m_id",
		"李建国",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "110105196805140036") {
		t.Errorf("an ID in clear:\n%s", out)
	}

	code, out, _ = run(t, "", "quality", "--db", db, "--form", "household_visit", "--json")
	var r quality.Report
	if err := json.Unmarshal([]byte(out), &r); code != 0 || err != nil {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if r.Records != 7 || len(r.States) != 2 || r.States[0] != (quality.StateCount{State: "draft", Records: 1}) || len(r.Duplicates) != 4 {
		t.Errorf("json report: %+v", r)
	}

	code, _, errs = run(t, "", "quality", "--db", db, "--form", "nope")
	if code != exitUnusable || !strings.Contains(errs, `form "nope" is not registered`) {
		t.Errorf("unknown form: exit %d, %s", code, errs)
	}
	if code, _, _ := run(t, "", "quality", "--db", db); code != exitUnusable {
		t.Errorf("no --form: exit %d", code)
	}
}
