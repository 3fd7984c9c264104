package main

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store"
)

// TestTUIPassphrase sets a passphrase at the first run in a real
// terminal; the next start asks for it (masked) before Home, says so when
// it is wrong and asks again, and FIELDBENCH_PASSPHRASE skips the
// question.
func TestTUIPassphrase(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	home := t.TempDir()
	env := []string{"XDG_DATA_HOME=" + home, "HOME=" + home, "LANG=zh_CN.UTF-8"}
	term := newTerminal(t, env, bin)
	term.waitFor("首次使用", "▐ 采集员姓名")
	term.text("王芳")
	term.keys("Enter", "Enter", "Enter")
	term.waitFor("口令（可选）", "笔记本丢了或被偷", "▐ 新口令")
	term.text("mimi1234")
	term.keys("Enter")
	term.waitFor("▐ 再输入一次")
	term.text("mimi1234")
	term.keys("Enter")
	term.waitFor("采集员: 王芳", "欢迎，王芳")
	term.keys("q")
	waitExit(t, term)
	if _, err := store.Open(filepath.Join(home, "fieldbench", "fieldbench.db"), store.Existing(),
		store.WithPassphrase(func() (string, error) { return "wrong", nil })); err == nil {
		t.Fatal("the database opens with a wrong passphrase: none was set")
	}

	term = newTerminal(t, env, bin)
	term.waitFor("输入口令", "▐ 口令", "fieldbench passphrase reset --confirm")
	term.text("mimi123x")
	if s := term.waitFor("********"); strings.Contains(s, "mimi123x") {
		t.Fatalf("the passphrase is shown:\n%s", s)
	}
	term.keys("Enter")
	term.waitFor("口令不对，请再试一次", "▐ 口令")
	term.text("mimi1234")
	term.keys("Enter")
	term.waitFor("采集员: 王芳", "入户登记")
	term.keys("q")
	waitExit(t, term)

	term = newTerminal(t, append(env, envPassphrase+"=mimi1234"), bin)
	term.waitFor("采集员: 王芳", "入户登记")
	term.keys("q")
	waitExit(t, term)
}

// The plain prompts ask for the passphrase of a locked database through
// the commands' prompt (no echo), say when it is wrong with what to do if
// it is lost, and stop after three tries; without a terminal they stop at
// once and say how to unlock.
func TestPlainPromptsUnlock(t *testing.T) {
	db := importedDB(t)
	setPass := &App{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: envOf(map[string]string{envNewPassphrase: "pw"})}
	if code := setPass.Run([]string{"passphrase", "set", "--db", db}); code != 0 {
		t.Fatal("passphrase set failed")
	}
	workbench := func(answers ...string) (int, int, string) {
		var out, errs bytes.Buffer
		asked := 0
		app := &App{Stdin: strings.NewReader("q\n"), Stdout: &out, Stderr: &errs, Getenv: envOf(map[string]string{"LANG": "en_US.UTF-8"})}
		if answers != nil {
			app.ReadPassphrase = func(string) (string, error) {
				asked++
				return answers[min(asked, len(answers))-1], nil
			}
		}
		code := app.Run([]string{"--db", db, "--collector", "王芳"})
		return code, asked, out.String() + errs.String()
	}
	if code, asked, out := workbench("nope", "pw"); code != 0 || asked != 2 || !strings.Contains(out, "wrong passphrase") || !strings.Contains(out, "Household visit") {
		t.Errorf("a wrong then the right passphrase: exit %d, asked %d\n%s", code, asked, out)
	}
	if code, asked, out := workbench("nope"); code == 0 || asked != 3 || !strings.Contains(out, "passphrase reset --confirm") {
		t.Errorf("three wrong passphrases: exit %d, asked %d\n%s", code, asked, out)
	}
	if code, _, out := workbench(); code == 0 || !strings.Contains(out, "FIELDBENCH_PASSPHRASE") {
		t.Errorf("no terminal: exit %d\n%s", code, out)
	}
}
