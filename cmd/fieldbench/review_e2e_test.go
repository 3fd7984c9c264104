package main

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReviewRoundTrip is review end to end with the real binary: a laptop
// syncs a record to a running fieldbench serve; the county's reviewer
// lists it and rejects it with a comment (a rejection without one is
// refused); the next --sync exits 3 naming the record and the comment;
// the workbench, in a real terminal, shows it returned with the comment;
// the collector corrects it there and finalizes; --sync sends the
// correction; and review show lists both versions, the changed answer
// marked, the old one still rejected and the new one pending, the personal
// answers masked; the reviewer, without clearance, is refused them in
// clear, and a reviewer with clearance gets them with --clear, a view
// that catalogue exports then lists.
func TestReviewRoundTrip(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	eachBackend(t, func(t *testing.T, where []string) { reviewRoundTrip(t, bin, where) })
}

func reviewRoundTrip(t *testing.T, bin string, where []string) {
	dir := t.TempDir()
	laptop := filepath.Join(dir, "fb.db")
	home := filepath.Join(dir, "home")
	os.MkdirAll(home, 0o700)
	env := []string{"HOME=" + home, "XDG_DATA_HOME=" + home, "LANG=en_US.UTF-8", "PATH=" + os.Getenv("PATH")}
	var token string
	fb := func(args ...string) (int, string, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(env, "FIELDBENCH_TOKEN="+token)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode(), out.String(), errb.String()
	}
	must := func(want int, args ...string) string {
		t.Helper()
		code, out, errs := fb(args...)
		if code != want {
			t.Fatalf("fieldbench %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errs)
		}
		return out
	}
	last := func(s string) string { f := strings.Fields(s); return f[len(f)-1] }

	must(0, append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...)
	enrolCode := last(must(0, append([]string{"catalogue", "device", "add", "--township", "110105"}, where...)...))
	token = last(must(0, append([]string{"catalogue", "user", "add", "--role", "reviewer", "--county", "110105", "--name", "李审核"}, where...)...))
	clearedToken := last(must(0, append([]string{"catalogue", "user", "add", "--role", "reviewer", "--county", "110105", "--name", "王主任", "--clearance"}, where...)...))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	server := startServe(t, bin, where, addr)
	defer func() { server.Process.Signal(syscall.SIGTERM); server.Wait() }()
	url := "http://" + addr

	data, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	one := filepath.Join(dir, "one.jsonl")
	os.WriteFile(one, bytes.SplitN(data, []byte("\n"), 2)[0], 0o600)
	must(0, "forms", "add", "--db", laptop, household)
	must(0, "import", "--db", laptop, "--form", "household_visit", one)
	must(0, "enrol", "--db", laptop, url, enrolCode)
	if out := must(0, "--sync", "--db", laptop); !strings.Contains(out, "1 sent") {
		t.Fatalf("first sync:\n%s", out)
	}

	out := must(0, "review", "list", "--url", url, "--state", "pending")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(out, "1 record\n") || !strings.Contains(out, "pending") {
		t.Fatalf("review list:\n%s", out)
	}
	record := strings.Fields(lines[1])[0]
	if code, _, errs := fb("review", "set", record, "--url", url, "--state", "rejected"); code != exitRejected || !strings.Contains(errs, "comment must say what to correct") {
		t.Fatalf("a rejection without a comment: %d %s", code, errs)
	}
	const comment = "联系电话有误，请核实"
	if out := must(0, "review", "set", record, "--url", url, "--state", "rejected", "--comment", comment); !strings.Contains(out, "rejected by 李审核") {
		t.Fatalf("review set:\n%s", out)
	}

	out = must(exitAttention, "--sync", "--db", laptop)
	if !strings.Contains(out, "1 returned by review") || !strings.Contains(out, "returned: record "+record+" by 李审核: "+comment) {
		t.Fatalf("the sync after the rejection:\n%s", out)
	}

	// The collector, in the workbench.
	term := newTerminal(t, []string{"HOME=" + home, "XDG_DATA_HOME=" + home, "LANG=zh_CN.UTF-8"}, bin, "--db", laptop, "--collector", "王芳")
	term.waitFor("入户登记", "退回 1")
	term.keys("r")
	term.waitFor("全部  草稿")
	term.keys("Left") // the last tab: returned
	term.waitFor("▸ ", "  退回  household_visit")
	term.keys("Enter")
	term.waitFor("审核意见（李审核，", comment, "按 e 修改")
	term.keys("e")
	term.waitFor("Ctrl+G 题目列表")
	term.keys("C-g")
	term.waitFor("题目列表")
	term.moveTo("▸ 联系电话（手机）", "Up", "Down")
	term.keys("Enter")
	term.waitFor("13811062547")
	term.keys("C-u")
	term.text("13911062547")
	term.keys("Enter")
	term.keys("C-f")
	term.waitFor("全部完成")
	term.keys("Enter")
	term.waitFor("已保存修改（新版本）")
	term.keys("q")
	waitExit(t, term)

	if out := must(0, "--sync", "--db", laptop); !strings.Contains(out, "1 sent") || !strings.Contains(out, "0 returned by review") {
		t.Fatalf("the correction's sync:\n%s", out)
	}
	out = must(0, "review", "show", record, "--url", url)
	for _, want := range []string{"2 versions", "personal answers are masked", "version 1: ", "version 2 (latest): ", "review: rejected by 李审核", comment,
		"review: pending", "1 answer changed between versions", "review history:"} {
		if !strings.Contains(out, want) {
			t.Errorf("review show lacks %q:\n%s", want, out)
		}
	}
	marked := false
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "*") && strings.Contains(l, "head_phone") && strings.Contains(l, "联系电话（手机）") &&
			strings.Contains(l, "138****2547") && strings.Contains(l, "139****2547") {
			marked = true
		}
		if strings.HasPrefix(l, " ") && strings.Contains(l, "head_name") && !strings.Contains(l, "张**") {
			t.Errorf("an unchanged answer shown wrong: %q", l)
		}
		// Choices by their labels, a division by its name, in both
		// versions' columns.
		if f := strings.Fields(l); len(f) > 2 && (f[0] == "members[1]/m_relation" && f[len(f)-1]+f[len(f)-2] != "户主户主" ||
			f[0] == "county" && f[len(f)-1]+f[len(f)-2] != "朝阳区朝阳区") {
			t.Errorf("a choice not shown by its label: %q", l)
		}
	}
	if !marked {
		t.Errorf("the changed phone number is not marked, with its question's label:\n%s", out)
	}
	for _, clear := range []string{"张建国", "110105196805140036", "13811062547", "13911062547"} {
		if strings.Contains(out, clear) {
			t.Errorf("review show, without clearance, shows %s:\n%s", clear, out)
		}
	}
	if code, out, errs := fb("review", "show", record, "--url", url, "--clear"); code != exitRejected || !strings.Contains(errs, "no clearance") || strings.Contains(out, "2547") {
		t.Errorf("review show --clear without clearance: exit %d\n%s%s", code, out, errs)
	}
	reviewer := token
	token = clearedToken
	out = must(0, "review", "show", record, "--url", url, "--clear")
	token = reviewer
	if !strings.Contains(out, "13811062547") || !strings.Contains(out, "13911062547") || !strings.Contains(out, "张建国") ||
		!strings.Contains(out, "1 answer changed between versions") || !strings.Contains(out, "the catalogue has recorded this view") {
		t.Errorf("review show --clear with clearance:\n%s", out)
	}
	if out := must(0, append([]string{"catalogue", "exports"}, where...)...); !strings.Contains(out, "review "+record) ||
		!strings.Contains(out, " 1 record viewed in clear in review") {
		t.Errorf("catalogue exports after one clear view:\n%s", out)
	}
	if out := must(0, "review", "show", record, "--url", url, "--changed"); strings.Count(out, "\n*") != 1 || strings.Contains(out, "head_name") {
		t.Errorf("review show --changed:\n%s", out)
	}
	if out := must(0, "review", "list", "--url", url, "--state", "rejected"); !strings.Contains(out, "0 records") {
		t.Errorf("the record is still listed as rejected after its correction:\n%s", out)
	}
}
