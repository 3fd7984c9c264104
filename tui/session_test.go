package tui

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// sampleDB is a new database in a temporary directory with the embedded
// sample forms installed.
func sampleDB(t testing.TB, opts ...store.Option) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), append([]store.Option{store.WithCollector("王芳")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := installSampleForms(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

func installSampleForms(ctx context.Context, db *store.DB) error {
	for _, name := range []string{"household_visit.xlsx", "business_census.xlsx"} {
		data, err := samples.FS.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := db.AddForm(ctx, name, data); err != nil {
			return err
		}
	}
	return nil
}

// knownRecord is the first hand-worked household: valid, four members.
func knownRecord(t testing.TB) map[string]any {
	b, err := os.ReadFile("../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	obj, err := forms.DecodeRecord([]byte(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// answerOf finds the known answer for a step's path ("members[2]/m_name").
func answerOf(obj map[string]any, path string) (string, bool) {
	cur := obj
	parts := strings.Split(path, "/")
	for i, p := range parts {
		name, idx := p, 0
		if j := strings.IndexByte(p, '['); j > 0 {
			name = p[:j]
			json.Unmarshal([]byte(p[j+1:len(p)-1]), &idx)
		}
		v, ok := cur[name]
		if !ok {
			return "", false
		}
		if i == len(parts)-1 {
			switch x := v.(type) {
			case string:
				return x, true
			case json.Number:
				return x.String(), true
			}
			return "", false
		}
		items, _ := v.([]any)
		if idx < 1 || idx > len(items) {
			return "", false
		}
		cur, _ = items[idx-1].(map[string]any)
	}
	return "", false
}

func TestSessionFillsAndFinalizes(t *testing.T) {
	ctx := context.Background()
	db := sampleDB(t)
	s, err := entry.New(ctx, db, "household_visit", samples.HouseholdVisitVersion, "en", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	// A wrong ID is refused with the form's message and changes nothing.
	errs, err := s.Answer(ctx, "head_id", "110105196805140037")
	if err != nil || len(errs) != 1 || s.Inst.Answer("head_id") != "" {
		t.Fatalf("bad ID: %v %v, stored %q", errs, err, s.Inst.Answer("head_id"))
	}
	if err := s.Finish(ctx); !errors.Is(err, entry.ErrNotReady) {
		t.Fatalf("finishing an empty record: %v", err)
	}
	known := knownRecord(t)
	// Walk the steps as a person would, answering from the known record.
	for guard := 0; guard < 200; guard++ {
		progressed := false
		for _, st := range s.Inst.Steps() {
			if st.Kind != forms.StepQuestion || s.Inst.Answer(st.Path) != "" {
				continue
			}
			v, ok := answerOf(known, st.Path)
			if !ok {
				continue
			}
			if errs, err := s.Answer(ctx, st.Path, v); err != nil || len(errs) > 0 {
				t.Fatalf("%s = %q: %v %v", st.Path, v, errs, err)
			}
			progressed = true
			break
		}
		if !progressed {
			break
		}
	}
	if n, _ := s.Inst.Count("members"); n != 4 {
		t.Fatalf("hh_size 4 should have made 4 members, got %d", n)
	}
	if m := s.Missing(); len(m) > 0 {
		t.Fatalf("still missing: %v", m)
	}
	// The draft already holds every answer before finalizing.
	rec, _ := db.Record(ctx, s.RecordID)
	if rec.State != store.Draft || !strings.Contains(string(rec.Data), "110105194104020016") || rec.InstanceName != "张建国 花家地北里社区" {
		t.Fatalf("draft: %s %q %s", rec.State, rec.InstanceName, rec.Data)
	}
	if err := s.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	rec, _ = db.Record(ctx, s.RecordID)
	if rec.State != store.Finalized || !strings.Contains(string(rec.Data), `"username":"王芳"`) || !strings.Contains(string(rec.Data), `"end":`) {
		t.Fatalf("finalized: %s %s", rec.State, rec.Data)
	}
}
