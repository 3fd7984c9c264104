package main

import (
	"os"
	"os/exec"
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
	form := writeAt(t, filepath.Join(dir, "villages.md"), `| survey |
| | type | name | label | calculation |
| | select_one_from_file villages.csv | village | 村 | |
| | calculate | pop | | pulldata('villages', 'population', 'name', ${village}) |
| | note | shown | 全村 ${pop} 人 | |
| settings |
| | form_id | form_title | version |
| | villages | 村情 | 1 |
`)
	csv := writeAt(t, filepath.Join(dir, "villages.csv"), "name,label,population\nv1,大寨村,40\nv2,小庄村,12\nv3,南湾村,7\n")
	fb := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("fieldbench %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	fb("forms", "add", "--db", db, form, "--attach", csv)
	os.Remove(csv) // the laptop keeps its own copy

	term := newTerminal(t, env, bin, "--collector", "王芳")
	term.waitFor("▸ 村情")
	term.keys("Enter")
	term.waitFor("( ) 大寨村", "( ) 南湾村")
	term.text("xzc")
	s := term.waitFor("( ) 小庄村")
	if strings.Contains(s, "大寨村") {
		t.Fatalf("xzc does not narrow the list to 小庄村:\n%s", s)
	}
	term.keys("Enter")
	term.waitFor("全村 12 人")
	term.keys("C-f")
	term.waitFor("全部完成")
	term.keys("Enter")
	term.waitFor("已完成 1")
	term.keys("q")
	waitExit(t, term)
	if out := fb("export", "--db", db, "--form", "villages", "--format", "jsonl"); !strings.Contains(out, `{"village":"v2","pop":"12"}`) {
		t.Fatalf("the finalized record:\n%s", out)
	}
}
