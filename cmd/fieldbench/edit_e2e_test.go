package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestTUIEditSurvivesKill edits a finalized record in a real terminal,
// kills the workbench with SIGKILL after one accepted answer, and starts
// it again: the finalized record was never touched (export still gives
// it as it was), the plain prompts and Home offer the edit as an edit of
// that record, resuming it brings the answer back, and saving it makes
// the new version, with the audit trail still verifying.
func TestTUIEditSurvivesKill(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	home := t.TempDir()
	env := []string{"XDG_DATA_HOME=" + home, "HOME=" + home, "LANG=zh_CN.UTF-8"}
	db := filepath.Join(home, "fieldbench", "fieldbench.db")
	known, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	one := filepath.Join(t.TempDir(), "one.jsonl")
	if err := os.WriteFile(one, []byte(strings.SplitN(string(known), "\n", 2)[0]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fb := runner(t, bin)
	fb("forms", "add", "--db", db, "../../forms/samples/household_visit.xlsx")
	fb("import", "--db", db, "--form", "household_visit", one)
	const oldAddress, newAddress = `"address":"花家地北里6号楼3单元502"`, `"address":"花家地北里7号楼1单元101"`

	term := newTerminal(t, env, bin, "--collector", "王芳")
	term.waitFor("已完成 1")
	term.keys("r")
	term.waitFor("全部  草稿  已完成")
	term.keys("Right", "Right")
	term.waitFor("张建国 花家地北里社区  已完成")
	term.keys("e")
	term.waitFor("修改「张建国 花家地北里社区」")
	term.keys("C-g")
	term.waitFor("详细地址: 花家地北里6号楼3单元502")
	term.moveTo("▸ 详细地址", "Down")
	term.keys("Enter")
	term.waitFor("▸ 详细地址", "花家地北里6号楼3单元502")
	term.keys("C-u")
	term.text("花家地北里7号楼1单元101")
	term.keys("Enter")
	term.waitFor("修改已保存在本机")
	signalProcess(term.pid(), syscall.SIGKILL)
	waitExit(t, term)

	// Until it is saved, the edit is not the record: what export (and
	// sync) reads is the finalized version.
	if out := fb("export", "--db", db, "--form", "household_visit", "--format", "jsonl"); !strings.Contains(out, oldAddress) {
		t.Fatalf("the finalized record changed before the edit was saved:\n%s", out)
	}

	plain := newTerminal(t, append(env, "TERM=dumb"), bin, "--collector", "王芳")
	plain.waitFor("未保存的修改（已完成的记录，尚未成为新版本）：", "2. 修改「张建国 花家地北里社区」")
	plain.keys("q", "Enter")
	waitExit(t, plain)

	again := newTerminal(t, env, bin, "--collector", "王芳")
	s := again.waitFor("未保存的修改（已完成的记录）", "修改「张建国 花家地北里社区」")
	if !strings.Contains(s, "没有未完成的草稿") {
		t.Errorf("the edit is offered as a draft:\n%s", s)
	}
	again.keys("Down", "Enter")
	again.waitFor("入户登记 / Household visit  修改「张建国 花家地北里社区」")
	again.keys("C-g")
	again.waitFor("详细地址: 花家地北里7号楼1单元101")
	again.keys("Escape")
	again.waitFor("按 Enter 继续") // the page again, so C-f is not read as Alt+C-f
	again.keys("C-f")
	again.waitFor("全部完成")
	again.keys("Enter")
	s = again.waitFor("已保存修改（新版本）：张建国 花家地北里社区")
	if strings.Contains(s, "未保存的修改") {
		t.Errorf("Home still offers the saved edit:\n%s", s)
	}
	again.keys("q")
	waitExit(t, again)

	if out := fb("export", "--db", db, "--form", "household_visit", "--format", "jsonl"); !strings.Contains(out, newAddress) {
		t.Fatalf("the saved edit is not the record now:\n%s", out)
	}
	fb("audit", "verify", "--db", db)
}
