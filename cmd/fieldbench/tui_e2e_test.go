package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/laptop"
)

// terminal is the real binary running in a real terminal: a tmux session
// of 80×24 on a socket of its own.
type terminal struct {
	t      testing.TB
	socket string
}

func newTerminal(t testing.TB, env []string, bin string, args ...string) *terminal {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed for the end-to-end tests: run ./scripts/test.sh, which installs it, or install tmux")
	}
	term := &terminal{t: t, socket: fmt.Sprintf("fbtest%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := "exec env " + strings.Join(env, " ") + " " + bin + " " + strings.Join(args, " ")
	term.tmux("new-session", "-d", "-s", "fb", "-x", "80", "-y", "24", cmd)
	term.tmux("set-option", "-t", "fb", "remain-on-exit", "on")
	t.Cleanup(func() { exec.Command("tmux", "-L", term.socket, "kill-server").Run() })
	return term
}

func (term *terminal) tmux(args ...string) string {
	term.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", term.socket}, args...)...).CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// keys types into the terminal: each argument is literal text, or a key
// name such as Enter, Down, BSpace, Space, C-f.
func (term *terminal) keys(keys ...string) {
	term.t.Helper()
	term.tmux(append([]string{"send-keys", "-t", "fb"}, keys...)...)
}

// text types literal text (never read as a key name).
func (term *terminal) text(s string) {
	term.t.Helper()
	term.tmux("send-keys", "-t", "fb", "-l", s)
}

func (term *terminal) screen() string {
	term.t.Helper()
	return term.tmux("capture-pane", "-t", "fb", "-p")
}

// waitFor waits until the screen shows every one of want.
func (term *terminal) waitFor(want ...string) string {
	term.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := term.screen()
		ok := true
		for _, w := range want {
			if !strings.Contains(s, w) {
				ok = false
			}
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the screen never showed %q:\n%s", want, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// moveTo presses the first of keys until the screen shows want, then the
// next, and so on (Up then Down to find a line in a list). After each
// press it waits for the screen to change, so that a slow machine cannot
// move the cursor past want while the screen still shows it; a key that
// changes nothing for a second has reached the end, and the next key
// takes over.
func (term *terminal) moveTo(want string, keys ...string) {
	term.t.Helper()
	for _, key := range keys {
		for range 60 {
			before := term.screen()
			if strings.Contains(before, want) {
				return
			}
			term.keys(key)
			if !term.changes(before, time.Second) {
				break
			}
		}
	}
	term.waitFor(want)
}

// changes reports whether the screen shows something other than before
// within d.
func (term *terminal) changes(before string, d time.Duration) bool {
	term.t.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if term.screen() != before {
			return true
		}
	}
	return false
}

// fillAddress answers the household form's address page from the
// province list on: 北京市, 市辖区, 朝阳区 and 望京街道 by typing to filter,
// then the village, leaving the cursor past the street address.
func (term *terminal) fillAddress(village string) {
	term.waitFor("北京市")
	term.text("北京")
	term.keys("Enter")
	term.waitFor("市辖区")
	term.keys("Enter")
	term.text("朝阳")
	term.waitFor("( ) 朝阳区")
	term.keys("Enter")
	term.text("望京")
	term.waitFor("( ) 望京街道")
	term.keys("Enter")
	term.waitFor("▸ 村（社区）")
	term.text(village)
	term.keys("Enter", "Enter")
}

func (term *terminal) pid() int {
	var pid int
	fmt.Sscan(term.tmux("display-message", "-p", "-t", "fb", "#{pane_pid}"), &pid)
	return pid
}

// TestTUIFillsARecord fills the household sample form in a real terminal as
// a collector would: a filtered cascade of selects, a refused ID and its
// correction, a repeat of two members, answers sent as one burst of keys
// and as a bracketed paste; then finalizes, quits and reads the stored
// record back with fieldbench export.
func TestTUIFillsARecord(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	home := t.TempDir()
	env := []string{"XDG_DATA_HOME=" + home, "HOME=" + home, "LANG=zh_CN.UTF-8"}
	term := newTerminal(t, env, bin)
	// A fresh database: the first run asks for the collector's name,
	// which every record carries, before Home.
	term.waitFor("首次使用", "▐ 采集员姓名")
	term.keys("Enter")
	term.waitFor("请填写采集员姓名")
	term.text("王芳")
	term.keys("Enter")
	term.waitFor("▐ 中心目录地址")
	term.keys("Enter")
	term.waitFor("▐ 登记码")
	term.keys("Enter")
	term.waitFor("口令（可选）", "▐ 新口令") // no passphrase: both left empty
	term.keys("Enter")
	term.keys("Enter")
	term.waitFor("采集员: 王芳", "欢迎，王芳", "入户登记", "没有未完成的草稿")
	term.keys("Enter")
	term.waitFor("被访户同意登记")
	term.keys("Enter")
	term.waitFor("省（自治区、直辖市）", "北京市")
	term.text("北京")
	term.keys("Enter")
	term.waitFor("市辖区")
	term.keys("Enter")
	// Pinyin finds a choice as its characters do, and so do its initials.
	term.text("chaoyang")
	term.waitFor("( ) 朝阳区")
	term.keys("Enter")
	// The township list is filtered by the county: typing narrows it further.
	term.text("wjjd")
	term.waitFor("( ) 望京街道")
	term.keys("Enter")
	term.waitFor("▸ 村（社区）")
	// A paste arrives as one bracketed burst.
	term.tmux("set-buffer", "-b", "p", "大西洋新城社区")
	term.tmux("paste-buffer", "-p", "-b", "p", "-t", "fb")
	term.keys("Enter")
	term.text("阜通东大街1号")
	term.keys("Enter")
	term.waitFor("户主姓名")
	term.text("张建国")
	term.keys("Enter")
	// A wrong check digit is refused under the question, then corrected.
	term.text("110105196805140037")
	term.keys("Enter")
	term.waitFor("校验位不正确")
	term.keys("BSpace")
	term.text("6")
	term.keys("Enter")
	term.waitFor("联系电话")
	term.text("13811062547")
	term.keys("Enter")
	term.waitFor("家庭人口数")
	term.text("2")
	term.keys("Enter")
	term.waitFor("家庭成员 1")
	// Member 1 answered at the speed of a typist; member 2 as one burst of
	// keys in a single write, which must land question by question.
	term.text("张建国")
	term.keys("Enter", "Enter", "Enter")
	term.waitFor("公民身份号码")
	term.text("110105196805140036")
	term.keys("Enter")
	// The birth date is offered from the ID; Enter takes it.
	term.waitFor("出生日期", "1968-05-14（按 Enter 采用）")
	term.keys("Enter")
	term.waitFor("就业情况")
	term.keys("Down", "Down", "Down", "Down", "Space", "Enter")
	term.waitFor("家庭成员 2")
	term.keys("李秀梅", "Enter", "Down", "Enter", "Down", "Enter",
		"110105197003220020", "Enter", "1970.3.22", "Enter", "Down", "Down", "Down", "Down", "Down", "Down", "Space", "Enter")
	term.waitFor("共 2 项")
	term.keys("Enter")
	term.waitFor("上年家庭总收入")
	term.text("186000")
	term.keys("Enter")
	term.waitFor("住房情况")
	term.keys("Enter")
	term.waitFor("低保")
	term.keys("Down", "Enter")
	// The visit date defaults to today.
	term.waitFor("入户日期", time.Now().Format(time.DateOnly))
	term.keys("Enter")
	term.waitFor("本户共登记 2 人，户主：张建国")
	term.keys("Enter")
	term.waitFor("全部完成")
	term.keys("Enter")
	term.waitFor("已提交：张建国 大西洋新城社区", "已完成 1")
	term.keys("q")
	waitExit(t, term)

	db := filepath.Join(home, "fieldbench", "fieldbench.db")
	out, err := exec.Command(bin, "export", "--db", db, "--form", "household_visit", "--format", "jsonl").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"township":"110105026"`, `"village":"大西洋新城社区"`, `"head_id":"110105196805140036"`,
		`"members":[{"m_name":"张建国","m_relation":"head","m_sex":"male","m_id":"110105196805140036","m_id_birth":"1968-05-14","m_birth":"1968-05-14"`,
		`{"m_name":"李秀梅","m_relation":"spouse","m_sex":"female","m_id":"110105197003220020","m_id_birth":"1970-03-22","m_birth":"1970-03-22"`, `"m_work":"retired"`,
		`"income":"186000"`, `"low_income":"no"`, `"visit_date":"` + time.Now().Format(time.DateOnly) + `"`, `"username":"王芳"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the stored record lacks %s:\n%s", want, out)
		}
	}
}

// TestTUIDraftSurvivesKill kills the workbench with SIGKILL in the middle
// of a form; the next start offers the draft, and it holds every answer
// accepted before the kill.
func TestTUIDraftSurvivesKill(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	home := t.TempDir()
	env := []string{"XDG_DATA_HOME=" + home, "HOME=" + home, "LANG=zh_CN.UTF-8"}
	term := newTerminal(t, env, bin, "--collector", "王芳")
	term.waitFor("入户登记")
	term.keys("Enter", "Enter")
	term.fillAddress("大西洋新城社区")
	term.waitFor("户主姓名")
	term.text("张建国")
	term.keys("Enter")
	term.waitFor("户主姓名  张建国")
	// Typed but not accepted: not an answer yet, so not expected back.
	term.text("1101")
	signalProcess(term.pid(), syscall.SIGKILL)
	waitExit(t, term)

	again := newTerminal(t, env, bin) // the name is stored by now
	again.waitFor("未完成的草稿", "张建国 大西洋新城社区")
	again.keys("Down", "Down", "Down", "Enter") // past the three sample forms
	// It opens at the first question left without an answer.
	again.waitFor("▸ 详细地址")
	again.keys("C-g")
	s := again.waitFor("题目列表", "北京市", "朝阳区", "望京街道", "大西洋新城社区", "张建国")
	if strings.Contains(s, "1101") {
		t.Errorf("an answer never accepted came back:\n%s", s)
	}
}

// waitExit waits for the program in the terminal to end.
func waitExit(t testing.TB, term *terminal) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.TrimSpace(term.tmux("display-message", "-p", "-t", "fb", "#{pane_dead}")) == "1" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the program did not end:\n%s", term.screen())
}

// BenchmarkRSSOpenForm reports the workbench's resident memory after it
// opened the largest sample form (the household visit, whose selects use
// the built-in division lists down to the 41,352 townships), read from
// /proc in a real terminal.
func BenchmarkRSSOpenForm(b *testing.B) {
	bin := buildBinary(b)
	var total float64
	for i := 0; i < b.N; i++ {
		home := b.TempDir()
		term := newTerminal(b, []string{"XDG_DATA_HOME=" + home, "HOME=" + home}, bin, "--collector", "王芳")
		rss := func() float64 {
			var kb float64
			status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", term.pid()))
			for _, line := range strings.Split(string(status), "\n") {
				if strings.HasPrefix(line, "VmHWM:") {
					fmt.Sscan(strings.TrimPrefix(line, "VmHWM:"), &kb)
				}
			}
			return kb / 1024
		}
		term.waitFor("入户登记")
		term.keys("Enter", "Enter")
		term.waitFor("北京市")
		total += rss()
		exec.Command("tmux", "-L", term.socket, "kill-server").Run()
	}
	b.ReportMetric(total/float64(b.N), "peak-RSS-MB")
}

// TestTUISignalsQuitCleanly sends the workbench, in the middle of a form,
// the signals Go can catch: an interrupt (Ctrl+C delivered as a signal),
// a hang-up and a termination. Each ends it with status 0, quietly, with
// the terminal out of the alternate screen and the cursor shown again.
func TestTUISignalsQuitCleanly(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGHUP, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			home := t.TempDir()
			env := []string{"XDG_DATA_HOME=" + home, "HOME=" + home, "LANG=zh_CN.UTF-8"}
			// A shell around it prints the exit status and then waits, so
			// the terminal's state after the exit can be read.
			term := newTerminal(t, env, "sh", "-c", "'"+bin+" --collector 王芳; echo EXIT=$?; sleep 60'")
			term.waitFor("入户登记")
			term.keys("Enter")
			term.waitFor("被访户同意登记")
			children, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", term.pid(), term.pid()))
			var pid int
			fmt.Sscan(string(children), &pid)
			signalProcess(pid, sig)
			s := term.waitFor("EXIT=")
			if !strings.Contains(s, "EXIT=0") || strings.Contains(s, "fieldbench:") {
				t.Errorf("it did not end quietly with status 0:\n%s", s)
			}
			state := term.tmux("display-message", "-p", "-t", "fb", "#{alternate_on} #{cursor_flag}")
			if strings.TrimSpace(state) != "0 1" {
				t.Errorf("alternate screen, cursor shown = %q, want 0 1", state)
			}
		})
	}
}

// TestTUIOfflineDay walks what a collector meets offline in a real
// terminal: Esc on Home stays and says how to quit; a form opened and left
// leaves no draft; a refused answer typed over an accepted one is put back
// by Esc; a sync with the catalogue out of reach says so at once, in
// Chinese, with the records safe here.
func TestTUIOfflineDay(t *testing.T) {
	// Not parallel: it bounds the time of the offline sync, and its closed port must stay closed, which other tests running beside it would disturb.
	bin := buildBinary(t)
	home := t.TempDir()
	dir := filepath.Join(home, "fieldbench")
	os.MkdirAll(dir, 0o700)
	db, err := store.Open(filepath.Join(dir, "fieldbench.db"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if err := db.SetSetting(context.Background(), laptop.SettingURL, "http://"+l.Addr().String()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	env := []string{"XDG_DATA_HOME=" + home, "HOME=" + home, "LANG=zh_CN.UTF-8"}
	term := newTerminal(t, env, bin, "--collector", "王芳")
	term.waitFor("入户登记")
	term.keys("Escape")
	term.waitFor("按 q 或 Ctrl+C 退出")
	term.keys("Enter")
	term.waitFor("被访户同意登记")
	term.keys("Escape")
	term.waitFor("没有未完成的草稿")

	term.keys("Enter")
	term.waitFor("被访户同意登记")
	term.keys("Enter")
	term.fillAddress("大西洋新城社区")
	term.waitFor("户主姓名")
	term.text("张建国")
	term.keys("Enter")
	term.waitFor("▸ 户主公民身份号码")
	term.text("110105196805140036")
	term.keys("Enter")
	term.waitFor("▸ 联系电话")
	term.keys("Up")
	term.waitFor("▸ 户主公民身份号码")
	term.keys("BSpace")
	term.text("7")
	term.keys("Down")
	term.waitFor("校验位不正确")
	term.keys("Escape")
	term.waitFor("已恢复原来的回答「110105196805140036」")
	term.keys("Escape")
	// The form's title shows the name too: wait for Home's list of drafts,
	// or the y lands in the form.
	term.waitFor("未完成的草稿", "张建国 大西洋新城社区")

	term.keys("y")
	term.waitFor("Enter 立即同步")
	start := time.Now()
	term.keys("Enter")
	s := term.waitFor("连不上中心目录", "安全地保存在本机")
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("the offline sync took %v to say so", d)
	}
	for _, bad := range []string{"cannot be reached", "dial tcp", "已发送 0"} {
		if strings.Contains(s, bad) {
			t.Errorf("the sync screen shows %q:\n%s", bad, s)
		}
	}
}
