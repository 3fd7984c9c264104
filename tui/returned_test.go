package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
)

// returnRecord stores a sent record and applies a reviewer's return of it.
func returnRecord(t *testing.T, db *store.DB, comment string) string {
	t.Helper()
	ctx := context.Background()
	id, _, err := db.InsertFinalized(ctx, "household_visit", samples.HouseholdVisitVersion, "", []byte(`{"head_name":"张建国","village":"大路李村"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.QueueBatch(ctx, 10, func([]store.QueuedVersion) (string, []byte, error) { return "b1", []byte("{}"), nil }); err != nil {
		t.Fatal(err)
	}
	rec, _ := db.Record(ctx, id)
	if err := db.ApplyReceipt(ctx, "b1", []byte("{}"), []store.Outcome{{VersionID: rec.Head, State: store.Sent, OnServer: true}}); err != nil {
		t.Fatal(err)
	}
	got, err := db.ApplyReturns(ctx, []store.Return{{ReviewID: "rv1", RecordID: id, VersionID: rec.Head, Comment: comment,
		Reviewer: "李审核", ReviewedAt: time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)}})
	if err != nil || len(got) != 1 {
		t.Fatalf("ApplyReturns: %+v %v", got, err)
	}
	return id
}

// A record a reviewer sent back is counted on Home, listed under its own
// tab and on the Sync screen with the comment, and its view shows who
// returned it, when, what to correct and how; e opens it to correct.
func TestReturnedIsShown(t *testing.T) {
	m, db := testApp(t, "zh-Hans")
	returnRecord(t, db, "户主电话号码有误\x1b[2J，请核实")
	m = send(t, m, keys("y")...)
	if s := screenText(m); !strings.Contains(s, "需要处理的记录: 1") || !strings.Contains(s, "退回: 户主电话号码有误，请核实") {
		t.Fatalf("sync screen:\n%s", s)
	}
	m = send(t, m, keys("esc")...)
	if s := screenText(m); !strings.Contains(s, "退回 1") {
		t.Fatalf("home does not count the return:\n%s", s)
	}
	m = send(t, m, keys("r", "left")...) // from all, back round to the last tab: returned
	s := screenText(m)
	if !strings.Contains(s, "（未命名）  退回") {
		t.Fatalf("records, returned tab:\n%s", s)
	}
	m = send(t, m, keys("enter")...)
	s = screenText(m)
	for _, want := range []string{"退回  ", "审核意见（李审核，2026-03-02 09:30）: 户主电话号码有误，请核实", "按 e 修改"} {
		if !strings.Contains(s, want) {
			t.Errorf("the record's view lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(m.View(), "\x1b[2J") {
		t.Error("an escape sequence of the comment reached the screen")
	}
	m = send(t, m, keys("e")...)
	if m.screen != screenFill || !m.fill.s.Editing {
		t.Fatal("e did not open the returned record to correct it")
	}
}

// In English, and for a rejection by the catalogue itself, the view gives
// the catalogue's reason.
func TestRejectedShowsReason(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	id, _, err := db.InsertFinalized(ctx, "household_visit", samples.HouseholdVisitVersion, "", []byte(`{"head_name":"张建国","village":"大路李村"}`))
	if err != nil {
		t.Fatal(err)
	}
	db.QueueBatch(ctx, 10, func([]store.QueuedVersion) (string, []byte, error) { return "b1", []byte("{}"), nil })
	rec, _ := db.Record(ctx, id)
	if err := db.ApplyReceipt(ctx, "b1", []byte("{}"), []store.Outcome{{VersionID: rec.Head, State: store.Rejected,
		Note: "form household_visit version " + samples.HouseholdVisitVersion + " is not published to township 110105"}}); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, keys("r", "left", "left", "enter")...) // all -> returned -> rejected
	s := screenText(m)
	if !strings.Contains(s, "rejected  ") || !strings.Contains(s, "Reason: form household_visit version "+samples.HouseholdVisitVersion+" is not published") {
		t.Fatalf("the rejected record's view:\n%s", s)
	}
}

// TestReturnedCommentWhileCorrecting: the reviewer's comment, however
// long, is shown whole at the top of the fill screen while the returned
// record is corrected, on every page.
func TestReturnedCommentWhileCorrecting(t *testing.T) {
	m, db := testApp(t, "zh-Hans")
	comment := "户主电话号码有误，请核实；家庭成员二的出生日期与身份证号不一致，请到户核对后改正，另外详细地址缺少门牌号。"
	returnRecord(t, db, comment)
	m = send(t, m, keys("r", "left", "enter", "e")...)
	if m.screen != screenFill {
		t.Fatalf("e did not open the returned record:\n%s", screenText(m))
	}
	for _, page := range []string{"first", "next"} {
		s := screenText(m)
		flat := strings.NewReplacer("\n", "", " ", "").Replace(s)
		if !strings.Contains(flat, "李审核") || !strings.Contains(flat, strings.ReplaceAll(comment, " ", "")) {
			t.Errorf("%s page: the comment is not shown whole:\n%s", page, s)
		}
		m = send(t, m, keys("pgdown")...)
	}
}

// TestSyncShowsWholeComment: at 80 columns the Sync screen shows a long
// reviewer's comment whole, wrapped under the record rather than cut at
// the edge, with no line wider than the screen and its escape sequences
// stripped.
func TestSyncShowsWholeComment(t *testing.T) {
	m, db := testApp(t, "zh-Hans")
	comment := "户主电话号码有误，请核实；家庭成员二的出生日期与身份证号不一致，请到户核对后改正，另外详细地址缺少门牌号。"
	returnRecord(t, db, comment[:len("户主电话号码有误")]+"\x1b]0;x\x07"+comment[len("户主电话号码有误"):])
	m = send(t, m, keys("y")...)
	s := screenText(m)
	flat := strings.NewReplacer("\n", "", " ", "").Replace(s)
	if !strings.Contains(flat, "退回:"+comment) {
		t.Fatalf("the comment is not shown whole:\n%s", s)
	}
	for _, line := range strings.Split(s, "\n") {
		if ansiWidth(line) > 80 {
			t.Errorf("line wider than the screen: %q", line)
		}
	}
	if strings.Contains(m.View(), "\x1b]0;") {
		t.Error("an escape sequence of the comment reached the screen")
	}
}
