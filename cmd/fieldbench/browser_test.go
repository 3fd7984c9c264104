package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// requireChromiumEnv, when set (CI sets it), makes a missing Chromium a
// failure of the browser test instead of a skip.
const requireChromiumEnv = "FIELDBENCH_REQUIRE_CHROMIUM"

// skippedChromiumLogEnv names a file (set by scripts/test.sh) to which a
// test skipped for want of Chromium appends its name, so that the test
// command can list it at the end.
const skippedChromiumLogEnv = "FIELDBENCH_SKIPPED_CHROMIUM_LOG"

// chromium finds Debian's chromium (or a chromium-browser), or skips the
// test saying why; under FIELDBENCH_REQUIRE_CHROMIUM it fails instead.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(requireChromiumEnv) != "" {
		t.Fatalf("%s is set but there is no chromium on the PATH: install Debian's chromium (scripts/test.sh does)", requireChromiumEnv)
	}
	if log := os.Getenv(skippedChromiumLogEnv); log != "" {
		if f, err := os.OpenFile(log, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600); err == nil {
			f.WriteString(t.Name() + "\n")
			f.Close()
		}
	}
	t.Skip("no chromium on the PATH: the catalogue page is not checked in a real browser (scripts/test.sh installs Debian's chromium)")
	return ""
}

// headless runs chromium headless on url with args (--dump-dom,
// --screenshot, or both) and returns what it printed. A profile of its own in a
// temporary directory keeps it away from any user's.
func headless(t *testing.T, bin, url string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--no-first-run", "--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, url)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// sampleCatalogue makes a catalogue in a new directory as a county would
// have it after a first round of collection: both sample forms published
// to county 110105, the household visit fully described as an information
// resource and the business census not at all, and household records from
// two townships (3 from 110105001, 2 from 110105002).
func sampleCatalogue(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "catalogue")
	db, err := catalogue.OpenSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, name := range samples.Names {
		def, err := samples.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Publish(ctx, name, def, []string{"110105"}); err != nil {
			t.Fatal(err)
		}
	}
	sets := [][2]string{
		{"resource_name", "朝阳区入户登记信息"}, {"resource_code", "201001/00042"}, {"provider", "朝阳区民政局"},
		{"provider_uscc", "91110000600037341L"}, {"summary", "各街道乡镇入户走访登记的住户及家庭成员信息"},
		{"category", "基础/人口"}, {"format", "数据库/CSV"}, {"sharing_type", "有条件共享"},
		{"sharing_condition", "仅限区内民政、统计部门履职使用"}, {"sharing_method", "共享平台/接口"},
		{"open_access", "不予开放"}, {"update_cycle", "每月"}, {"issued", "2026-11-27"}, {"spatial", "110105"},
	}
	if _, err := db.Describe(ctx, "household_visit", sets, "describe"); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, township := range []string{"110105001", "110105002"} {
		code, err := db.AddDevice(ctx, township)
		if err != nil {
			t.Fatal(err)
		}
		dev, err := db.Enrol(ctx, code, "laptop-"+township, "hash-"+township)
		if err != nil {
			t.Fatal(err)
		}
		var recs []wire.Record
		for range map[string]int{"110105001": 3, "110105002": 2}[township] {
			n++
			data := []byte(fmt.Sprintf(`{"head_name":"户主%d","village":"第%d村"}`, n, n))
			if n <= 2 { // one ID number in two households: a duplicate to flag
				data = []byte(fmt.Sprintf(`{"head_name":"户主%d","head_id":"110105196805140036","village":"第%d村"}`, n, n))
			}
			sum := sha256.Sum256(data)
			id := fmt.Sprintf("0194a000-0000-7000-8000-%012d", n)
			recs = append(recs, wire.Record{RecordID: id, VersionID: id + "-1", FormID: "household_visit", FormVersion: samples.HouseholdVisitVersion,
				SHA256: hex.EncodeToString(sum[:]), Data: data, Collector: "王芳", CreatedAt: "2026-11-27T09:00:00Z"})
		}
		rc, err := db.StoreBatch(ctx, dev, &wire.Batch{BatchID: "b-" + township, DeviceID: dev.ID, Records: recs}, "fp", nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rc.Results {
			if r.Status != wire.StatusAccepted {
				t.Fatalf("%+v", r)
			}
		}
	}
	if _, err := db.RefreshQuality(ctx, "household_visit", quality.Options{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The catalogue page in a real browser: fieldbench serve on a catalogue
// with sample data, opened in headless Chromium, which must show the
// datasets, their catalogue elements and the records per township, and
// leaves screenshots at a desktop's width and a narrow window's.
func TestCataloguePageInChromium(t *testing.T) {
	t.Parallel()
	browser := chromium(t)
	bin := buildBinary(t)
	_, url := serveProcess(t, bin, []string{"--data", sampleCatalogue(t)})

	// A screenshot at each width; the first run also prints the DOM (the
	// page has no script, so its DOM is the same at any width). Chromium
	// started once fewer: each start costs seconds of CPU.
	shot := func(width int, args ...string) []byte {
		png := filepath.Join(t.TempDir(), fmt.Sprintf("catalogue-%d.png", width))
		out := headless(t, browser, url+"/", append(args, "--screenshot="+png, fmt.Sprintf("--window-size=%d,4000", width), "--hide-scrollbars")...)
		b, err := os.ReadFile(png)
		if err != nil {
			t.Fatalf("no screenshot: %v", err)
		}
		if len(b) < 1000 || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("%s is not a PNG (%d bytes)", png, len(b))
		}
		t.Logf("screenshot at %d px: %s (%d bytes)", width, png, len(b))
		if dir := os.Getenv("FIELDBENCH_KEEP_SCREENSHOTS"); dir != "" {
			os.WriteFile(filepath.Join(dir, filepath.Base(png)), b, 0o644)
		}
		return out
	}
	dom := string(shot(1280, "--dump-dom"))
	// Whitespace between tags is the template's, not the browser's.
	flat := regexp.MustCompile(`>\s+<`).ReplaceAllString(dom, "><")
	for _, want := range []string{
		// the datasets
		"政务信息资源目录", "共 2 个信息资源", "朝阳区入户登记信息", "business_census",
		// the household visit's elements, and the census's own, which the
		// embedded sample carries
		"201001/00042", "朝阳区民政局", "91110000600037341L", "有条件共享", "仅限区内民政、统计部门履职使用",
		"共享平台/接口", "每月", "2026-11-27", "已编目", "201002/00001", "示例县市场监督管理局", "不予共享",
		// records per version and per township
		`<td>` + samples.HouseholdVisitVersion + `</td><td class="n">5</td>`,
		`<td>110105001 建外街道</td><td class="n">3</td>`, `<td>110105002 朝外街道</td><td class="n">2</td>`,
		// the quality figures: totals, per township, per question
		`id="quality-household_visit"`, `id="quality-business_census"`, "数据质量",
		"重复的身份证号或信用代码 <b>1</b> 个", `<td class="k">110105001 建外街道</td><td class="n">3</td>`,
		`<td class="name">户主姓名</td><td class="n">100%</td>`, "尚未计算",
		// the information items of the form
		"户主姓名", "head_name",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the page in Chromium lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatalf("the DOM:\n%s", dom)
	}

	shot(800)
}
