package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// knownFinalized fills the known household record through a session and
// finalizes it, as a collector does.
func knownFinalized(t *testing.T, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	known := knownRecord(t)
	s, err := entry.New(ctx, db, "household_visit", samples.HouseholdVisitVersion, "zh-Hans", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	for progressed := true; progressed; {
		progressed = false
		for _, st := range s.Inst.Steps() {
			if st.Kind != 0 || s.Inst.Answer(st.Path) != "" {
				continue
			}
			if v, ok := answerOf(known, st.Path); ok {
				if errs, err := s.Answer(ctx, st.Path, v); err != nil || len(errs) > 0 {
					t.Fatalf("%s: %v %v", st.Path, errs, err)
				}
				progressed = true
				break
			}
		}
	}
	if err := s.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	return s.RecordID
}

// restarted is a fresh workbench on the same database, as after the
// program was killed and started again.
func restarted(t *testing.T, db *store.DB, lang string) model {
	t.Helper()
	env := map[string]string{"TERM": "xterm-256color"}
	c, err := newCommon(context.Background(), Deps{DB: db, Getenv: func(k string) string { return env[k] }, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	c.now = fixedClock
	m := newModel(c)
	return send(t, m, append(runCmd(m.Init()), tea.WindowSizeMsg{Width: 80, Height: 24})...)
}

// typeOver replaces the answer of the focused question with text.
func typeOver(text string) []string {
	return []string{"ctrl+u", text, "enter"}
}

// An edit of a finalized record is kept with its first accepted answer,
// beside the record, which stays as finalized. After the program dies
// mid-edit, Home offers the edit, marked as an edit of that record;
// resuming it brings the answer back, and saving makes the new version.
func TestEditKeptAcrossRestart(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "zh-Hans")
	id := knownFinalized(t, db)
	before, _ := db.Record(ctx, id)

	m = send(t, m, keys("r", "right", "right", "e")...) // the finalized tab
	if m.screen != screenFill || !m.fill.s.Editing {
		t.Fatalf("e did not open the record for editing:\n%s", screenText(m))
	}
	if !strings.Contains(screenText(m), "修改「") {
		t.Errorf("the fill screen does not say it is an edit:\n%s", screenText(m))
	}
	m.fill.jumpTo("income")
	m = send(t, m, keys(typeOver("90000")...)...)
	if got := m.fill.s.Inst.Answer("income"); got != "90000" {
		t.Fatalf("income %q after typing:\n%s", got, screenText(m))
	}
	edits, err := db.PendingEdits(ctx)
	if err != nil || len(edits) != 1 || edits[0].ID != id {
		t.Fatalf("the edit was not kept with its answer: %+v %v", edits, err)
	}
	if now, _ := db.Record(ctx, id); string(now.Data) != string(before.Data) || now.Head != before.Head {
		t.Fatal("the finalized record changed before the edit was saved")
	}

	// The process is gone; the next one starts on the same file.
	m = restarted(t, db, "zh-Hans")
	s := screenText(m)
	if !strings.Contains(s, "未保存的修改（已完成的记录）") || !strings.Contains(s, "修改「"+before.InstanceName+"」") {
		t.Fatalf("Home does not offer the edit:\n%s", s)
	}
	if !strings.Contains(s, "没有未完成的草稿") {
		t.Errorf("the edit shows as a draft:\n%s", s)
	}
	m = send(t, m, keys("down", "down", "enter")...) // two forms, then the edit
	if m.screen != screenFill || !m.fill.s.Editing || m.fill.s.RecordID != id {
		t.Fatalf("Enter did not resume the edit:\n%s", screenText(m))
	}
	if got := m.fill.s.Inst.Answer("income"); got != "90000" {
		t.Fatalf("the resumed edit has income %q", got)
	}
	m = send(t, m, keys("ctrl+f", "enter")...)
	if !strings.Contains(screenText(m), "已保存修改（新版本）") {
		t.Fatalf("after saving:\n%s", screenText(m))
	}
	if strings.Contains(screenText(m), "未保存的修改") {
		t.Errorf("Home still offers the saved edit:\n%s", screenText(m))
	}
	versions, _ := db.Versions(ctx, id)
	if len(versions) != 2 || versions[1].Replaces != versions[0].ID || !strings.Contains(string(versions[1].Data), `"income":"90000"`) {
		t.Fatalf("versions after saving: %+v", versions)
	}
	if _, p, err := db.VerifyAudit(ctx); p != nil || err != nil {
		t.Fatalf("audit: %v %v", p, err)
	}
}

// Esc leaves an edit kept and says so; the records screen marks the
// record, and d discards the edit after a yes, leaving the record as it
// was finalized.
func TestEditDiscardFromRecords(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "zh-Hans")
	id := knownFinalized(t, db)
	before, _ := db.Record(ctx, id)
	m = send(t, m, keys("r", "right", "right", "e")...)
	m.fill.jumpTo("income")
	m = send(t, m, keys(typeOver("90000")...)...)
	m = send(t, m, keys("esc")...)
	if s := screenText(m); m.screen != screenHome || !strings.Contains(s, "修改已逐项保存在本机") || strings.Contains(s, "已保存草稿") {
		t.Fatalf("Esc from an edit:\n%s", s)
	}
	m = send(t, m, keys("r", "right", "right")...)
	if s := screenText(m); !strings.Contains(s, "有未保存的修改") {
		t.Fatalf("the records screen does not mark the edit:\n%s", s)
	}
	m = send(t, m, keys("d")...)
	if s := screenText(m); !strings.Contains(s, "放弃对「") {
		t.Fatalf("no question before discarding:\n%s", s)
	}
	m = send(t, m, keys("n")...)
	if e, _ := db.PendingEdits(ctx); len(e) != 1 {
		t.Fatal("n discarded the edit")
	}
	m = send(t, m, keys("d", "y")...)
	if s := screenText(m); !strings.Contains(s, "已放弃修改") || strings.Contains(s, "有未保存的修改") {
		t.Fatalf("after discarding:\n%s", s)
	}
	if e, _ := db.PendingEdits(ctx); len(e) != 0 {
		t.Fatalf("still pending: %+v", e)
	}
	if now, _ := db.Record(ctx, id); string(now.Data) != string(before.Data) || now.Head != before.Head || now.State != store.Finalized {
		t.Fatalf("discarding changed the record: %+v", now)
	}
	if vs, _ := db.Versions(ctx, id); len(vs) != 1 {
		t.Fatalf("%d versions", len(vs))
	}
}

// keptEdit leaves an edit of the known record in progress, its income
// changed, as a session killed mid-edit does.
func keptEdit(t *testing.T, db *store.DB) (string, *entry.Session) {
	t.Helper()
	ctx := context.Background()
	id := knownFinalized(t, db)
	rec, _ := db.Record(ctx, id)
	s, err := entry.Edit(ctx, db, *rec, "zh-Hans", fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	if errs, err := s.Answer(ctx, "income", "90000"); err != nil || len(errs) > 0 {
		t.Fatalf("income: %v %v", errs, err)
	}
	return id, s
}

// In plain mode the edit is offered after the drafts, named by its
// record; resuming it shows the answer kept, and going through to the end
// saves it as the new version.
func TestPlainResumesEdit(t *testing.T) {
	ctx := context.Background()
	db := sampleDB(t)
	id, s := keptEdit(t, db)
	lines := []string{"3", ""} // the edit (after two forms), then Enter: resume it
	for _, st := range s.Inst.Steps() {
		if st.Kind == forms.StepQuestion && st.Field.Type == forms.TypeNote {
			continue // printed, not asked
		}
		lines = append(lines, "") // keep every answer as it is
	}
	lines = append(lines, "y", "q")
	out := runPlain(t, db, "zh-Hans", lines...)
	for _, want := range []string{"未保存的修改（已完成的记录", "3. 修改「" + s.Inst.Name() + "」", "修改已完成的记录「",
		"当前回答：90000", "现在把修改保存为新版本吗", "已保存修改（新版本）"} {
		if !strings.Contains(out, want) {
			t.Errorf("plain output lacks %q:\n%s", want, out)
		}
	}
	versions, _ := db.Versions(ctx, id)
	if len(versions) != 2 || !strings.Contains(string(versions[1].Data), `"income":"90000"`) {
		t.Fatalf("versions: %d", len(versions))
	}
	if e, _ := db.PendingEdits(ctx); len(e) != 0 {
		t.Fatalf("still pending: %+v", e)
	}
}

// In plain mode !q mid-edit keeps the edit and says so; d then discards
// it after a yes, and the record stays as it was finalized.
func TestPlainDiscardsEdit(t *testing.T) {
	ctx := context.Background()
	db := sampleDB(t)
	id, _ := keptEdit(t, db)
	before, _ := db.Record(ctx, id)
	out := runPlain(t, db, "en", "3", "", "!q")
	if !strings.Contains(out, "Unsaved edits of finalized records") || !strings.Contains(out, "The edit is kept on this laptop") {
		t.Fatalf("!q mid-edit:\n%s", out)
	}
	if e, _ := db.PendingEdits(ctx); len(e) != 1 {
		t.Fatal("!q lost the edit")
	}
	// !q at the question what to do with the edit quits, as at the menu.
	if out := runPlain(t, db, "en", "3", "!q"); strings.Contains(out, "Error") || !strings.Contains(out, "Goodbye.") {
		t.Fatalf("!q at the edit's question:\n%s", out)
	}
	out = runPlain(t, db, "en", "3", "d", "y", "q")
	if !strings.Contains(out, "Edit discarded; the record is as it was.") {
		t.Fatalf("discarding:\n%s", out)
	}
	if i := strings.LastIndex(out, "Edit discarded"); strings.Contains(out[i:], "Unsaved edits") {
		t.Errorf("the menu after discarding still lists the edit:\n%s", out[i:])
	}
	if e, _ := db.PendingEdits(ctx); len(e) != 0 {
		t.Fatalf("still pending: %+v", e)
	}
	if now, _ := db.Record(ctx, id); string(now.Data) != string(before.Data) || now.Head != before.Head {
		t.Fatal("discarding changed the record")
	}
}
