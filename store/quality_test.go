package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/quality"
)

// Quality reads the records of every version and state of one form, each
// as it stands (a draft's answers, a finalized record's head version).
func TestQuality(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	v2 := strings.Replace(string(testForm("2")), "| | begin repeat |", "| | text | phone | Phone | | |\n| | begin repeat |", 1)
	if _, err := db.AddForm(ctx, "household2.md", []byte(v2)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.InsertFinalized(ctx, "household", "1", "", []byte(`{"head_name":"张三","hh_size":"1","members":[{"m_name":"张三"}]}`)); err != nil {
		t.Fatal(err)
	}
	id, _, err := db.InsertFinalized(ctx, "household", "2", "", []byte(`{"head_name":"李四","hh_size":"2","phone":"1","members":[{"m_name":"李四"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Edit(ctx, id, []byte(`{"head_name":"李四","hh_size":"2","members":[{"m_name":"李四"},{"m_name":"王五"}]}`)); err != nil {
		t.Fatal(err)
	}
	draft, err := db.NewDraft(ctx, "household", "2")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDraft(ctx, draft, []byte(`{"hh_size":"40"}`), nil); err != nil {
		t.Fatal(err)
	}
	other, _ := db.NewDraft(ctx, "household", "1")
	db.DiscardDraft(ctx, other)

	r, err := db.Quality(ctx, "household", quality.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][4]int{}
	var keys []string
	for _, f := range r.Fields {
		keys = append(keys, f.Key)
		got[f.Key] = [4]int{f.Relevant, f.Answered, f.Failed, f.Warned}
	}
	if strings.Join(keys, " ") != "head_name hh_size phone m_name" {
		t.Errorf("fields in the newest version's order: %v", keys)
	}
	// The edit's head version counts (two members, no phone), the draft's
	// missing name and out-of-range size fail.
	want := map[string][4]int{"head_name": {3, 2, 1, 0}, "hh_size": {3, 3, 1, 0}, "phone": {2, 0, 0, 0}, "m_name": {3, 3, 0, 0}}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %v, want %v", k, got[k], w)
		}
	}
	states, _ := json.Marshal(r.States)
	if r.Records != 3 || string(states) != `[{"state":"draft","records":1},{"state":"finalized","records":2}]` {
		t.Errorf("%d records, states %s", r.Records, states)
	}
	today := time.Now().Format(time.DateOnly)
	if len(r.Days) != 1 || r.Days[0] != (quality.CollectorDay{Collector: "王芳", Day: today, Records: 3}) {
		t.Errorf("days %+v", r.Days)
	}
	if _, err := db.Quality(ctx, "nope", quality.Options{}); !errors.As(err, new(*ErrUnknownForm)) {
		t.Errorf("unknown form: %v", err)
	}
}

// A confirmation stores the draft with its warning and the audit event in
// one transaction; for a record being edited only the event is written.
func TestConfirmWarning(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	id, err := db.NewDraft(ctx, "household", "1")
	if err != nil {
		t.Fatal(err)
	}
	data := []byte(`{"hh_size":"12","__warnings":[{"field":"hh_size","path":"hh_size","rule":"warning","message":"请核实"}]}`)
	w := WarningConfirmation{Field: "hh_size", Path: "hh_size", Rule: "warning", Value: "12", Message: "请核实"}
	if err := db.ConfirmWarning(ctx, id, data, "", w); err != nil {
		t.Fatal(err)
	}
	rec, _ := db.Record(ctx, id)
	if string(rec.Data) != string(data) {
		t.Errorf("draft %s", rec.Data)
	}
	fin, _, err := db.InsertFinalized(ctx, "household", "1", "", []byte(`{"head_name":"张三","hh_size":"1","members":[{"m_name":"张三"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ConfirmWarning(ctx, fin, nil, "", w); err != nil {
		t.Fatal(err)
	}
	// With data, a finalized record's confirmation goes into its edit in
	// progress; the finalized version stays as it was.
	if err := db.ConfirmWarning(ctx, fin, data, "", w); err != nil {
		t.Errorf("data for a finalized record: %v", err)
	}
	if e, err := db.ResumeEdit(ctx, fin); err != nil || e == nil || string(e.Data) != string(data) {
		t.Errorf("the edit after a confirmation: %+v %v", e, err)
	}
	if rec, _ := db.Record(ctx, fin); string(rec.Data) == string(data) {
		t.Errorf("the confirmation rewrote the finalized record")
	}
	if err := db.ConfirmWarning(ctx, "no-such-record", nil, "", w); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown record: %v", err)
	}
	if err := db.ConfirmWarning(ctx, id, []byte(`[1]`), "", w); err == nil {
		t.Error("a draft that is not an object was stored")
	}
	rows, _ := db.Audit(ctx, 0)
	var confirmed []string
	for _, r := range rows {
		if r.Event == EventWarningConfirmed {
			confirmed = append(confirmed, r.RecordID+" "+r.Detail)
		}
	}
	wantDetail := `{"field":"hh_size","path":"hh_size","rule":"warning","value":"12","message":"请核实"}`
	if len(confirmed) != 3 || confirmed[0] != id+" "+wantDetail || confirmed[1] != fin+" "+wantDetail || confirmed[2] != confirmed[1] {
		t.Errorf("events %q", confirmed)
	}
	if n, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil {
		t.Errorf("audit after %d rows: %v %v", n, problem, err)
	}
}

// The report lists states in the order of States, not by name.
func TestQualityListsStatesInStatesOrder(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	if _, err := db.NewDraft(ctx, "household", "1"); err != nil {
		t.Fatal(err)
	}
	for i, s := range []State{Returned, Conflict, Finalized, Sent} {
		id, _, err := db.InsertFinalized(ctx, "household", "1", "", household(fmt.Sprint("户主", i), 1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.sql.ExecContext(ctx, `UPDATE records SET state = ? WHERE id = ?`, string(s), id); err != nil {
			t.Fatal(err)
		}
	}
	r, err := db.Quality(ctx, "household", quality.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range r.States {
		got = append(got, s.State)
	}
	if want := []string{"draft", "finalized", "sent", "conflict", "returned"}; !slices.Equal(got, want) {
		t.Errorf("states %v, want %v", got, want)
	}
}
