package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

// TestTUIConfirmsAWarning runs the workbench in a real terminal: a
// household of twelve is accepted but warned about; the second Enter
// confirms it, which the draft and the audit trail keep; the quality
// screen and fieldbench quality then count the warned answer.
func TestTUIConfirmsAWarning(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	home := t.TempDir()
	env := []string{"XDG_DATA_HOME=" + home, "HOME=" + home, "LANG=zh_CN.UTF-8"}
	term := newTerminal(t, env, bin, "--collector", "王芳")
	term.waitFor("入户登记", "没有未完成的草稿")
	term.keys("Enter")
	term.waitFor("被访户同意登记")
	term.keys("Enter")
	term.fillAddress("大西洋新城社区")
	term.waitFor("户主姓名")
	term.text("张建国")
	term.keys("Enter")
	term.text("110105196805140036")
	term.keys("Enter", "Enter")
	term.waitFor("▸ 家庭人口数")
	term.text("12")
	term.keys("Enter")
	// Accepted and kept, but shown as a warning, not an error.
	term.waitFor("? 提醒：户人数超过10人，请核实", "答案无误请再按 Enter 确认", "已保存草稿")
	term.keys("Enter")
	term.waitFor("已确认提醒", "家庭成员 1")
	term.keys("Escape")
	term.waitFor("未完成的草稿", "张建国 大西洋新城社区")
	// The quality screen of the form under the cursor.
	term.keys("d")
	s := term.waitFor("数据质量：入户登记", "家庭人口数", "记录 1（草稿 1）", "有提醒 1 条")
	if strings.Contains(s, "110105196805140036") {
		t.Errorf("an ID in clear on the quality screen:\n%s", s)
	}
	term.keys("Escape")
	term.waitFor("未完成的草稿")
	term.keys("q")
	waitExit(t, term)

	path := filepath.Join(home, "fieldbench", "fieldbench.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	drafts, _ := db.Drafts(context.Background())
	rec, err := db.Record(context.Background(), drafts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rec.Data), `"`+forms.WarningsKey+`":[{"field":"hh_size","path":"hh_size","rule":"warning","message":"户人数超过10人，请核实"}]`) {
		t.Errorf("the draft lacks the confirmed warning: %s", rec.Data)
	}
	rows, _ := db.Audit(context.Background(), 0)
	found := false
	for _, r := range rows {
		found = found || (r.Event == store.EventWarningConfirmed && strings.Contains(r.Detail, `"value":"12"`) && r.Collector == "王芳")
	}
	if !found {
		t.Error("no warning_confirmed event with the answer and the collector")
	}
	db.Close()

	out, err := inEnglish(exec.Command(bin, "quality", "--db", path, "--form", "household_visit")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "draft 1") ||
		!strings.Contains(string(out), "hh_size                  ##########  100%  1/1       0       1") {
		t.Errorf("fieldbench quality: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "audit", "verify", "--db", path).CombinedOutput(); err != nil {
		t.Errorf("audit verify: %v %s", err, out)
	}
}
