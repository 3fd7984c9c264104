package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTUISelectFromFile runs the workbench in a real terminal on a form
// registered with --attach: the select from the attached CSV is searched
// by pinyin initials and answered, the population pulldata() takes from
// the file shows on the next page, and the record is finalized with the
// file's value.
func TestTUISelectFromFile(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	home := t.TempDir()
	env := []string{"XDG_DATA_HOME=" + home, "HOME=" + home, "LANG=zh_CN.UTF-8"}
	db := filepath.Join(home, "fieldbench", "fieldbench.db")
	dir := t.TempDir()
	form, csv := copyTo(t, dir, villagesForm), copyTo(t, dir, villagesCSV)
	fb := runner(t, bin)
	fb("forms", "add", "--db", db, form, "--attach", csv)
	os.Remove(csv) // the laptop keeps its own copy

	term := newTerminal(t, env, bin, "--collector", "王芳")
	term.waitFor("▸ 村情")
	term.keys("Enter")
	term.waitFor("( ) 大寨村", "( ) 南湾村")
	term.text("xzc")
	s := term.waitFor("xzc", "( ) 小庄村") // the list is filtered in the update that shows the text
	if strings.Contains(s, "大寨村") {
		t.Fatalf("xzc does not narrow the list to 小庄村:\n%s", s)
	}
	term.keys("Enter")
	term.waitFor("户数（全村 12 人）")
	term.text("12")
	term.keys("Enter")
	term.keys("C-f")
	term.waitFor("全部完成")
	term.keys("Enter")
	term.waitFor("已完成 1")
	term.keys("q")
	waitExit(t, term)
	if out := fb("export", "--db", db, "--form", "villages", "--format", "jsonl"); !strings.Contains(out, `{"village":"v2","pop":"12","households":"12"}`) {
		t.Fatalf("the finalized record:\n%s", out)
	}
}
