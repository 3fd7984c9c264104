package store

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestDraftLifecycle(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)

	id, err := db.NewDraft(ctx, "household", "1")
	if err != nil {
		t.Fatal(err)
	}
	if len(id) != 36 || id[14] != '7' {
		t.Fatalf("record id %q is not a UUIDv7", id)
	}
	steps := []struct {
		data   string
		change *AnswerChange
	}{
		{`{"head_name":"王"}`, &AnswerChange{Path: "head_name", Old: "", New: "王"}},
		{`{"head_name":"王建国"}`, &AnswerChange{Path: "head_name", Old: "王", New: "王建国"}},
		{`{"head_name":"王建国","hh_size":"0"}`, nil},
	}
	for _, s := range steps {
		if err := db.SaveDraft(ctx, id, []byte(s.data), s.change); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveDraft(ctx, id, []byte(`[1,2]`), nil); err == nil {
		t.Error("SaveDraft took a JSON array")
	}
	r, err := db.Record(ctx, id)
	if err != nil || r.State != Draft || string(r.Data) != steps[2].data || r.Collector != "王芳" || r.DeviceID != db.DeviceID() {
		t.Fatalf("Record: %+v %v", r, err)
	}
	drafts, err := db.Drafts(ctx)
	if err != nil || len(drafts) != 1 || drafts[0].ID != id {
		t.Fatalf("Drafts: %+v %v", drafts, err)
	}
	data, err := db.Resume(ctx, id)
	if err != nil || string(data) != steps[2].data {
		t.Fatalf("Resume: %s %v", data, err)
	}

	// hh_size 0 breaks the constraint, and members are missing: refused,
	// and the draft stays a draft.
	_, err = db.Finalize(ctx, id)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Result.Errors) == 0 {
		t.Fatalf("Finalize of an invalid draft: %v", err)
	}
	if !strings.Contains(ve.Result.Errors[0].Path, "hh_size") {
		t.Errorf("first error %+v", ve.Result.Errors[0])
	}
	if r, _ := db.Record(ctx, id); r.State != Draft {
		t.Fatalf("state after refused finalize: %s", r.State)
	}

	good := household("王建国", 2)
	// Numbers as strings and extra spaces: the stored version is the
	// engine's canonical form, not the bytes typed.
	typed := bytes.Replace(good, []byte(`"hh_size":2`), []byte(`"hh_size":"2"`), 1)
	if err := db.SaveDraft(ctx, id, typed, &AnswerChange{Path: "hh_size", Old: "0", New: "2"}); err != nil {
		t.Fatal(err)
	}
	v, err := db.Finalize(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if v.SHA256 != hashHex(v.Data) || v.Replaces != "" || v.Collector != "王芳" {
		t.Errorf("version %+v", v)
	}
	r, _ = db.Record(ctx, id)
	if r.State != Finalized || r.Head != v.ID || !bytes.Equal(r.Data, v.Data) {
		t.Fatalf("after finalize: %+v", r)
	}
	if d, _ := db.Drafts(ctx); len(d) != 0 {
		t.Errorf("finalized record still listed as a draft")
	}

	// A finalized record takes no more draft saves and no second finalize.
	var ws *ErrWrongState
	if err := db.SaveDraft(ctx, id, good, nil); !errors.As(err, &ws) {
		t.Errorf("SaveDraft on finalized: %v", err)
	}
	if _, err := db.Finalize(ctx, id); !errors.As(err, &ws) {
		t.Errorf("second Finalize: %v", err)
	}
	if _, err := db.Resume(ctx, id); !errors.As(err, &ws) {
		t.Errorf("Resume of finalized: %v", err)
	}
	if _, err := db.Record(ctx, "0190-none"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown record: %v", err)
	}
	if err := db.SaveDraft(ctx, "0190-none", good, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("SaveDraft unknown record: %v", err)
	}

	events := auditEvents(t, db)
	want := "form_added draft_created answer_changed answer_changed draft_saved resumed answer_changed finalized"
	if events != want {
		t.Errorf("audit events\n got %s\nwant %s", events, want)
	}
	rows, _ := db.Audit(ctx, 0)
	if !strings.Contains(rows[3].Detail, `"old":"王"`) || !strings.Contains(rows[3].Detail, `"new":"王建国"`) {
		t.Errorf("answer_changed detail %s", rows[3].Detail)
	}
}

func auditEvents(t *testing.T, db *DB) string {
	t.Helper()
	rows, err := db.Audit(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var ev []string
	for _, r := range rows {
		ev = append(ev, string(r.Event))
	}
	return strings.Join(ev, " ")
}

func TestEditMakesNewVersion(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	id, _ := db.NewDraft(ctx, "household", "1")
	db.SaveDraft(ctx, id, household("李", 1), nil)
	v1, err := db.Finalize(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var ws *ErrWrongState
	draft, _ := db.NewDraft(ctx, "household", "1")
	if _, err := db.Edit(ctx, draft, household("x", 1)); !errors.As(err, &ws) {
		t.Errorf("Edit of a draft: %v", err)
	}
	var ve *ValidationError
	if _, err := db.Edit(ctx, id, household("李", 0)); !errors.As(err, &ve) {
		t.Errorf("invalid edit: %v", err)
	}

	v2, err := db.Edit(ctx, id, household("李四", 2))
	if err != nil {
		t.Fatal(err)
	}
	if v2.Replaces != v1.ID || v2.ID == v1.ID {
		t.Fatalf("v2 replaces %q, want %q", v2.Replaces, v1.ID)
	}
	same, err := db.Edit(ctx, id, household("李四", 2))
	if err != nil || same.ID != v2.ID {
		t.Fatalf("unchanged edit: %+v %v, want the head %s", same, err, v2.ID)
	}
	vs, err := db.Versions(ctx, id)
	if err != nil || len(vs) != 2 || !bytes.Equal(vs[0].Data, v1.Data) || vs[1].ID != v2.ID {
		t.Fatalf("versions %+v %v", vs, err)
	}
	r, _ := db.Record(ctx, id)
	if r.Head != v2.ID || !bytes.Contains(r.Data, []byte("李四")) {
		t.Errorf("record after edit %+v", r)
	}
	rows, _ := db.Audit(ctx, 0)
	last := rows[len(rows)-1]
	if last.Event != EventEdited || !strings.Contains(last.Detail, v1.SHA256) || !strings.Contains(last.Detail, v2.SHA256) {
		t.Errorf("last audit row %+v", last)
	}
}

// The trigger guards versions against any program holding the file, not
// just this package.
func TestVersionsImmutableInSQL(t *testing.T) {
	ctx := context.Background()
	db, path := newDB(t)
	id, _, err := db.InsertFinalized(ctx, "household", "1", "k", household("a", 1))
	if err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, path)
	for _, q := range []string{
		`UPDATE record_versions SET data = '{}'`,
		`UPDATE record_versions SET sha256 = 'x' WHERE record_id = '` + id + `'`,
		`DELETE FROM record_versions`,
	} {
		if _, err := raw.Exec(q); err == nil || !strings.Contains(err.Error(), "immutable") {
			t.Errorf("%s: %v", q, err)
		}
	}
	vs, _ := db.Versions(ctx, id)
	if len(vs) != 1 || vs[0].SHA256 != hashHex(vs[0].Data) {
		t.Errorf("versions after tampering attempts: %+v", vs)
	}
}

func TestRecordsFilter(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	db.AddForm(ctx, "household.md", testForm("2"))
	d1, _ := db.NewDraft(ctx, "household", "1")
	db.NewDraft(ctx, "household", "2")
	db.InsertFinalized(ctx, "household", "1", "a", household("a", 1))
	tests := []struct {
		f    Filter
		want int
	}{
		{Filter{}, 3},
		{Filter{FormID: "household"}, 3},
		{Filter{FormID: "other"}, 0},
		{Filter{State: Draft}, 2},
		{Filter{FormID: "household", State: Finalized}, 1},
		{Filter{State: Sent}, 0},
	}
	for _, tt := range tests {
		got, err := db.Records(ctx, tt.f)
		if err != nil || len(got) != tt.want {
			t.Errorf("%+v: %d records, %v; want %d", tt.f, len(got), err, tt.want)
		}
	}
	got, _ := db.Records(ctx, Filter{State: Draft})
	if got[1].ID != d1 {
		t.Errorf("drafts not most recent first: %s %s", got[0].ID, got[1].ID)
	}
}

func TestDiscardDraftAndDraftNames(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	id, _ := db.NewDraft(ctx, "household", "1")
	if err := db.SaveDraftNamed(ctx, id, household("王建国", 1), "王建国 大路李村", &AnswerChange{Path: "head_name", New: "王建国"}); err != nil {
		t.Fatal(err)
	}
	db.SaveDraft(ctx, id, household("王建国", 2), nil)
	if r, _ := db.Record(ctx, id); r.InstanceName != "王建国 大路李村" {
		t.Fatalf("draft name %q", r.InstanceName)
	}
	if err := db.DiscardDraft(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Record(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("discarded draft still there: %v", err)
	}
	fin, _, _ := db.InsertFinalized(ctx, "household", "1", "k", household("a", 1))
	var wrong *ErrWrongState
	if err := db.DiscardDraft(ctx, fin); !errors.As(err, &wrong) {
		t.Fatalf("discarding a finalized record: %v", err)
	}
	if n, p, err := db.VerifyAudit(ctx); p != nil || err != nil || n == 0 {
		t.Fatalf("audit after discard: %d %v %v", n, p, err)
	}
}
