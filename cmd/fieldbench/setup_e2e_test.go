package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/laptop"
)

// TestTUISetupEnrols: on the first run the setup takes the name, the
// catalogue's address and a code, and enrols the laptop as fieldbench
// enrol does, against a real fieldbench serve; Home shows the name and
// the township, and the token is stored.
func TestTUISetupEnrols(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	code, addr, server := publishAndServe(t, bin, catalogueAt(t, "sqlite"))
	defer func() { server.Process.Kill(); server.Wait() }()
	home := t.TempDir()
	env := []string{"XDG_DATA_HOME=" + home, "HOME=" + home, "LANG=zh_CN.UTF-8"}
	term := newTerminal(t, env, bin)
	term.waitFor("首次使用", "▐ 采集员姓名")
	term.text("李娜")
	term.keys("Enter")
	term.waitFor("▐ 中心目录地址")
	term.text("http://" + addr)
	term.keys("Enter")
	term.waitFor("▐ 登记码")
	term.text(code)
	term.keys("Enter")
	term.waitFor("口令（可选）", "▐ 新口令")
	term.keys("Enter")
	term.keys("Enter")
	term.waitFor("采集员: 李娜", "已登记到中心目录（乡镇 110105")
	term.keys("q")
	waitExit(t, term)

	db, err := store.Open(filepath.Join(home, "fieldbench", "fieldbench.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	url, _ := db.Setting(ctx, laptop.SettingURL)
	token, _ := db.Setting(ctx, laptop.SettingToken)
	if url != "http://"+addr || token == "" {
		t.Fatalf("after the setup: url %q, token set %v", url, token != "")
	}
	if name, _ := db.Collector(ctx); name != "李娜" {
		t.Fatalf("collector %q", name)
	}
}
