package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestFollowUpScreenE2E drives the real binary in tmux on a laptop holding
// three households its registrations made: the follow-up form opens the
// pick of the laptop's list, pinyin initials find one household, the
// low-income question shows last visit's answer beside it, and the
// finished record updates the household on the laptop at once.
func TestFollowUpScreenE2E(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	home := t.TempDir()
	db := filepath.Join(home, "fb.db")
	fb := runner(t, bin)
	fb("forms", "add", "--db", db, household, followup)
	fb("import", "--db", db, "--form", "household_visit", writeJSONL(t, home, "reg.jsonl", registrations("张建国", "李明", "王芳")...))

	env := []string{"XDG_DATA_HOME=" + home, "HOME=" + home, "LANG=zh_CN.UTF-8"}
	term := newTerminal(t, env, bin, "--db", db, "--collector", "王芳")
	term.waitFor("入户回访")
	term.moveTo("▸ 入户回访", "Up", "Down")
	term.keys("Enter")
	term.waitFor("选择走访对象", "张建国（", "李明（", "共 3 个，符合 3 个")
	term.text("wf")
	if s := term.waitFor("符合 1 个", "▸ 王芳（"); strings.Contains(s, "张建国") || strings.Contains(s, "李明") {
		t.Fatalf("wf finds only 王芳:\n%s", s)
	}
	term.keys("Enter")
	term.waitFor("走访：王芳（")
	term.moveTo("是否享受最低生活保障", "PPage")
	term.waitFor("上次：否", "(*) 否")
	term.keys("Up", "Enter")
	term.waitFor("回访日期", "上次：2026-11-20")
	term.keys("C-f")
	term.waitFor("全部完成")
	term.keys("Enter")
	term.waitFor("入户回访 / Household follow-up  草稿 0  已完成 1")
	term.keys("q")

	// The household is updated on the laptop at once (its __entities
	// applied when the record was finalized); the export holds the record
	// that picked it, without the entity changes (export leaves them out).
	var wang struct {
		ID         string            `json:"id"`
		Version    int64             `json:"version"`
		Properties map[string]string `json:"properties"`
	}
	for _, line := range strings.Split(strings.TrimSpace(fb("entities", "households", "--format", "jsonl", "--db", db)), "\n") {
		if strings.Contains(line, `"王芳（`) {
			json.Unmarshal([]byte(line), &wang)
		}
	}
	if wang.Version != 2 || wang.Properties["dibao"] != "yes" || wang.Properties["size"] != "1" {
		t.Fatalf("王芳's household after the follow-up: %+v", wang)
	}
	var rec map[string]any
	out := fb("export", "--db", db, "--form", "household_followup", "--format", "jsonl")
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &rec); err != nil || rec["hh"] != wang.ID || rec["low_income"] != "yes" {
		t.Fatalf("the follow-up record: %v %v\n%s", rec, err, out)
	}
}
