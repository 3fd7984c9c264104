package main

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai on machines without a zone database
)

// A collector in UTC+8 sees a draft's time on Home in Beijing time, as
// `records list` and the plain prompts show it; the full-screen Home used
// to show the stored UTC text, eight hours behind.
func TestTUIHomeShowsLocalTime(t *testing.T) {
	t.Parallel()
	beijing, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	home := t.TempDir()
	env := []string{"XDG_DATA_HOME=" + home, "HOME=" + home, "LANG=zh_CN.UTF-8", "TZ=Asia/Shanghai"}
	term := newTerminal(t, env, bin, "--collector", "王芳")
	term.waitFor("入户登记", "没有未完成的草稿")
	before := time.Now().In(beijing).Truncate(time.Minute)
	term.keys("Enter")
	term.waitFor("被访户同意登记")
	term.keys("Enter")
	term.waitFor("省（自治区、直辖市）")
	term.keys("Escape")
	screen := term.waitFor("未完成的草稿", "已保存草稿")
	after := time.Now().In(beijing)
	var shown bool
	for m := before; !m.After(after); m = m.Add(time.Minute) {
		shown = shown || strings.Contains(screen, m.Format("2006-01-02 15:04"))
	}
	if !shown {
		t.Fatalf("Home does not show the draft's time in Beijing time (%s to %s):\n%s",
			before.Format("15:04"), after.Format("15:04"), screen)
	}
	term.keys("q")
}
