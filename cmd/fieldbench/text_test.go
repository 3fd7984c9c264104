package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/storetest"
)

// fmtVerbs are the verbs of a format string in order ("%%" is no verb).
var fmtVerbs = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

func verbsOf(s string) []string {
	var out []string
	for _, v := range fmtVerbs.FindAllString(s, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

// TestCLITextComplete checks the command line's catalogue: every sentence
// in all three languages, the same verbs in the same order in each, every
// English singular beside its plural, and every key the code asks for
// present (a missing key would print as itself).
func TestCLITextComplete(t *testing.T) {
	for key, row := range cliText {
		want := strings.Join(verbsOf(row[2]), " ")
		for i, s := range row {
			if s == "" {
				t.Errorf("%s[%s] is empty", key, forms.Languages[i])
			}
			if got := strings.Join(verbsOf(s), " "); got != want {
				t.Errorf("%s[%s] = %q: verbs %q, the English has %q", key, forms.Languages[i], s, got, want)
			}
		}
		if base, ok := strings.CutSuffix(key, ".one"); ok {
			if _, ok := cliText[base]; !ok {
				t.Errorf("%s has no plural %s", key, base)
			}
		}
	}
	files, _ := filepath.Glob("*.go")
	used := regexp.MustCompile(`\ba\.(t|f|nf|say|sayWrapped|saySyntax|fail|heads)\(((?:[^()]|\([^()]*\))*)\)|(?:what|stored|status|key)\s*:?=\s*("[a-z_.0-9]+")`)
	quoted := regexp.MustCompile(`"([a-z][a-z_0-9]*\.[a-z_0-9.]+|[a-z][a-z_0-9]+)"`)
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllSubmatch(src, -1) {
			args := append(m[2], m[3]...)
			for _, q := range quoted.FindAllSubmatch(args, 1) { // the key is the first argument
				n++
				if _, ok := cliText[string(q[1])]; !ok {
					t.Errorf("%s asks for %q, which cliText lacks", name, q[1])
				}
				// A sentence with an English singular must go through nf,
				// or "1 records" comes back.
				if _, ok := cliText[string(q[1])+".one"]; ok && string(m[1]) != "nf" {
					t.Errorf("%s: a.%s(%q...) counts without nf", name, m[1], q[1])
				}
			}
		}
	}
	if n < 100 {
		t.Errorf("found only %d uses of the catalogue: the scan is broken", n)
	}
}

// inEnglish makes a built binary speak English whatever the environment
// the tests run in says, for the tests that read its messages.
func inEnglish(cmd *exec.Cmd) *exec.Cmd {
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "FIELDBENCH_LANG=en")
	return cmd
}

// runEnv runs a command line in-process with exactly the environment
// given (nothing else set).
func runEnv(env map[string]string, stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	app := &App{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code := app.Run(args)
	return code, out.String(), errb.String()
}

// TestCommandsSpeakTheLanguage runs every command in the three ways a
// language is chosen: nothing but LANG=zh_CN.UTF-8 (Simplified Chinese,
// also the default with no environment at all), FIELDBENCH_LANG=zh-Hant,
// and --lang en, which beats both; and looks for one line of each.
func TestCommandsSpeakTheLanguage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "laptop.db")
	catDir := filepath.Join(dir, "catalogue")
	if code, _, errs := run(t, "", "forms", "add", "--db", db, sample); code != 0 {
		t.Fatalf("forms add: %s", errs)
	}
	answers := filepath.Join(dir, "answers.jsonl")
	os.WriteFile(answers, append(storetest.HouseholdLines(t, 1)[0], '\n'), 0o600)
	steps := []struct {
		name string
		args []string
		// the line looked for, in zh-Hans, zh-Hant and en
		want [3]string
	}{
		{"help", []string{"help"}, [3]string{"命令：", "命令：", "Commands:"}},
		{"unknown", []string{"frobnicate"}, [3]string{"fieldbench: 没有命令 \"frobnicate\"", "fieldbench: 沒有命令 \"frobnicate\"", "fieldbench: unknown command \"frobnicate\""}},
		{"forms check", []string{"forms", "check", sample}, [3]string{"（33 个字段，10 个选项列表，语言：", "（33 個欄位，10 個選項清單，語言：", " (33 fields, 10 choice lists, languages: "}},
		{"forms show", []string{"forms", "show", sample}, [3]string{"\n选项列表：\n", "\n選項清單：\n", "\nchoice lists:\n"}},
		{"forms list", []string{"forms", "list", "--db", db}, [3]string{"表单             版本", "表單             版本", "FORM             VERSION"}},
		{"validate", []string{"validate", "--form", sample, answers}, [3]string{"1 条记录：通过 1 条，未通过 0 条\n", "1 筆記錄：通過 1 筆，未通過 0 筆\n", "1 record: 1 accepted, 0 rejected\n"}},
		{"import", []string{"import", "--dry-run", "--db", db, "--form", "household_visit", answers}, [3]string{"将保存 1 条（试运行）", "將儲存 1 筆（試執行）", "1 would be stored (dry run)"}},
		{"records", []string{"records", "list", "--db", db}, [3]string{"\n0 条记录\n", "\n0 筆記錄\n", "\n0 records\n"}},
		{"quality", []string{"quality", "--db", db, "--form", "household_visit"}, [3]string{"每个采集员每天的记录数：", "每個採集員每天的記錄數：", "records per collector per day:"}},
		{"export", []string{"export", "--db", db, "--form", "household_visit", "--format", "jsonl"}, [3]string{"已导出 0 条记录到 标准输出", "已匯出 0 筆記錄到 標準輸出", "exported 0 records to standard output"}},
		{"audit", []string{"audit", "verify", "--db", db}, [3]string{"完好（", "完好（", "ok ("}},
		{"backup", []string{"backup", "--db", db, db}, [3]string{"已经存在；请换一个新文件名", "已經存在；請換一個新檔名", "already exists; name a new file"}},
		{"sync", []string{"--sync", "--db", db}, [3]string{"这台电脑还没有登记到中心目录", "這台電腦還沒有登記到中心目錄", "this laptop is not enrolled with a catalogue yet"}},
		{"enrol", []string{"enrol", "--db", db}, [3]string{"用法：fieldbench enrol 网址 登记码", "用法：fieldbench enrol 網址 登記碼", "usage: fieldbench enrol URL CODE"}},
		{"download", []string{"download", "--url", "http://127.0.0.1:1", "--form", "household_visit", "--format", "jsonl"}, [3]string{"没有令牌：", "沒有權杖：", "no token: "}},
		{"review", []string{"review", "list"}, [3]string{"review 需要中心目录的地址", "review 需要中心目錄的位址", "review needs the catalogue's address"}},
		{"serve", []string{"serve", "stray"}, [3]string{"用法：fieldbench serve", "用法：fieldbench serve", "usage: fieldbench serve"}},
		{"catalogue", []string{"catalogue", "device", "add", "--data", catDir, "--township", "420102002"}, [3]string{"乡镇 420102002 一台电脑的登记码（只能用一次）： ", "鄉鎮 420102002 一台電腦的登記碼（只能用一次）： ", "enrolment code for a laptop of township 420102002 (use once): "}},
	}
	ways := []struct {
		name string
		env  map[string]string
		flag bool
	}{
		{"LANG=zh_CN.UTF-8", map[string]string{"LANG": "zh_CN.UTF-8"}, false},
		{"FIELDBENCH_LANG=zh-Hant", map[string]string{"FIELDBENCH_LANG": "zh-Hant", "LANG": "en_US.UTF-8"}, false},
		{"--lang en", map[string]string{"FIELDBENCH_LANG": "zh-Hant", "LANG": "zh_CN.UTF-8"}, true},
	}
	for _, s := range steps {
		for i, w := range ways {
			args := s.args
			if w.flag {
				args = append(append([]string{}, args...), "--lang", "en")
			}
			w.env["XDG_DATA_HOME"] = dir
			_, out, errs := runEnv(w.env, "", args...)
			if !strings.Contains(out+errs, s.want[i]) {
				t.Errorf("%s with %s: no %q in\n%s%s", s.name, w.name, s.want[i], out, errs)
			}
		}
	}
	// No environment at all is Simplified Chinese too.
	if _, out, _ := runEnv(map[string]string{"XDG_DATA_HOME": dir}, "", "records", "list", "--db", db); !strings.Contains(out, "0 条记录") {
		t.Errorf("with no language set, records list says\n%s", out)
	}
}

// TestLangBeforeTheCommand checks that --lang may come before the command
// and around --sync, as a person types it.
func TestLangBeforeTheCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "laptop.db")
	env := map[string]string{"LANG": "zh_CN.UTF-8", "XDG_DATA_HOME": dir}
	for _, args := range [][]string{
		{"--lang", "en", "records", "list", "--db", db},
		{"--lang=en", "records", "list", "--db", db},
	} {
		if code, out, errs := runEnv(env, "", args...); code != 0 || !strings.Contains(out, "0 records") {
			t.Errorf("%q: exit %d\n%s%s", args, code, out, errs)
		}
	}
	for _, args := range [][]string{
		{"--sync", "--lang", "en", "--db", db},
		{"--lang", "en", "--sync", "--db", db},
		{"--db", db, "--lang=en", "--sync"},
	} {
		code, _, errs := runEnv(env, "", args...)
		if code != exitUnusable || !strings.Contains(errs, "this laptop is not enrolled") {
			t.Errorf("%q: exit %d\n%s", args, code, errs)
		}
	}
	// A URL after --sync is still the URL, with --lang on either side.
	if code, _, errs := runEnv(env, "", "--sync", "--lang", "zh-Hant", "--db", db, "http://127.0.0.1:1"); code != exitUnusable || !strings.Contains(errs, "這台電腦還沒有登記") {
		t.Errorf("--sync --lang zh-Hant URL: exit %d\n%s", code, errs)
	}
}

// helpCommands are the command lines whose -h is checked: every command
// and subcommand, and the workbench's own flags.
var helpCommands = [][]string{
	{"forms", "check"}, {"forms", "show"}, {"forms", "add"}, {"forms", "list"},
	{"validate"}, {"import"}, {"export"}, {"records", "list"}, {"quality"}, {"audit", "verify"},
	{"enrol"}, {"download"}, {"serve"}, {"backup"}, {"--sync"}, {"--collector", "x"},
	{"catalogue"}, {"catalogue", "publish"}, {"catalogue", "device", "add"}, {"catalogue", "device", "revoke"},
	{"catalogue", "device", "list"}, {"catalogue", "user", "add"}, {"catalogue", "user", "revoke"},
	{"catalogue", "user", "list"}, {"catalogue", "records"}, {"catalogue", "describe"}, {"catalogue", "export"},
	{"catalogue", "exports"}, {"catalogue", "quality"}, {"catalogue", "entities"}, {"catalogue", "key", "show"}, {"catalogue", "key", "rotate"}, {"catalogue", "rekey"},
	{"review"}, {"review", "list"}, {"review", "show"}, {"review", "set"}, {"review", "conflicts"}, {"review", "resolve"},
}

// notEnglish are the words that may stand together in a Chinese help
// text: the program's and its commands' names, as typed.
var notEnglish = map[string]bool{"fieldbench": true, "forms": true, "check": true, "show": true, "add": true,
	"list": true, "catalogue": true, "device": true, "user": true, "revoke": true, "records": true,
	"quality": true, "export": true, "exports": true, "describe": true, "publish": true, "review": true, "set": true,
	"entities": true, "conflicts": true, "resolve": true, "import": true, "key": true, "rotate": true, "rekey": true}

// englishRun finds three or more English words in a row in line (words
// of letters only, between spaces): a sentence left untranslated. Flag
// names, values such as zh-Hans or 10s, URLs and paths are no such words.
func englishRun(line string) string {
	word := regexp.MustCompile(`^[(]?[A-Za-z]+(['’][a-z]+)?[),.;:]?$`)
	var run []string
	all := true // every word of the run is a command's name
	for _, tok := range append(strings.Fields(line), "") {
		if tok != "" && word.MatchString(tok) {
			run = append(run, tok)
			all = all && notEnglish[strings.Trim(tok, "(),.;:")]
			continue
		}
		if len(run) >= 3 && !all {
			return strings.Join(run, " ")
		}
		run, all = nil, true
	}
	return ""
}

// TestHelpSpeaksTheLanguage runs -h of every command: with no language
// set (Simplified Chinese) no line of it is English, flags included, and
// every line fits in 80 columns, a Chinese character taking two; with
// --lang en it is English.
func TestHelpSpeaksTheLanguage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range helpCommands {
		name := strings.Join(args, " ")
		_, out, errs := runEnv(map[string]string{"XDG_DATA_HOME": dir}, "", append(append([]string{}, args...), "-h")...)
		text := out + errs
		if !strings.Contains(text, "用法") {
			t.Errorf("%s -h shows no usage:\n%s", name, text)
		}
		if name != "catalogue" && name != "review" && (!strings.Contains(text, "选项：\n  --") || !strings.Contains(text, "\n  --lang 语言\n")) {
			t.Errorf("%s -h lists no flags in Chinese:\n%s", name, text)
		}
		for _, line := range strings.Split(text, "\n") {
			if run := englishRun(line); run != "" {
				t.Errorf("%s -h: English %q in\n%s", name, run, line)
			}
			if cells(line) > 80 {
				t.Errorf("%s -h: %d columns:\n%s", name, cells(line), line)
			}
		}
		_, out, errs = runEnv(map[string]string{"XDG_DATA_HOME": dir, "LANG": "zh_CN.UTF-8"}, "", append(append([]string{}, args...), "-h", "--lang", "en")...)
		text = out + errs
		group := name == "catalogue" || name == "review"
		if (!group && !strings.Contains(text, "Options:\n")) || !strings.Contains(strings.ToLower(text), "usage") {
			t.Errorf("%s -h --lang en is not English:\n%s", name, text)
		}
		if strings.Contains(text, "选项") || strings.Contains(text, "用法") {
			t.Errorf("%s -h --lang en has Chinese:\n%s", name, text)
		}
		for _, line := range strings.Split(text, "\n") {
			if cells(line) > 80 {
				t.Errorf("%s -h --lang en: %d columns:\n%s", name, cells(line), line)
			}
		}
	}
	// One flag's help whole, in each language.
	for lang, want := range map[string]string{
		"zh-Hans": "  --db 文件\n        数据库文件（默认：$FIELDBENCH_DB，否则在用户的数据目录里）\n",
		"zh-Hant": "  --db 檔案\n        資料庫檔案（預設：$FIELDBENCH_DB，否則在使用者的資料目錄裡）\n",
		"en":      "  --db file\n        database file (default: $FIELDBENCH_DB, else the user's data directory)\n",
	} {
		if _, _, errs := runEnv(map[string]string{"FIELDBENCH_LANG": lang}, "", "records", "list", "-h"); !strings.Contains(errs, want) {
			t.Errorf("records list -h in %s: no\n%s\nin\n%s", lang, want, errs)
		}
	}
}

// TestBadFlagSpeaksTheLanguage checks the flag package's refusals and
// serve's limits come in the interface language, with exit code 2 and the
// usage after them.
func TestBadFlagSpeaksTheLanguage(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args      []string
		zh, en    string
		noEnglish string
	}{
		{[]string{"records", "list", "--bogus"}, "fieldbench: 没有这个选项：--bogus\n", "fieldbench: flag provided but not defined: --bogus\n", "flag provided"},
		{[]string{"export", "--form"}, "fieldbench: 选项 --form 后面要跟一个值\n", "fieldbench: flag needs an argument: --form\n", "needs an argument"},
		{[]string{"review", "list", "--limit", "many"}, "fieldbench: \"many\" 不能作 --limit 的值：应为整数\n", "fieldbench: invalid value \"many\" for flag --limit: a whole number\n", "parse error"},
		{[]string{"serve", "--slow-grace", "soon"}, "fieldbench: \"soon\" 不能作 --slow-grace 的值：应为时长，如 10s、5m、1h\n", "a duration such as 10s, 5m or 1h", "invalid duration"},
		{[]string{"quality", "--json=maybe"}, "fieldbench: \"maybe\" 不能作 --json 的值：应为 true 或 false\n", "true or false", "invalid boolean"},
		{[]string{"serve", "--body-memory", "0"}, "fieldbench: --body-memory 0：至少为 1（MiB）\n", "fieldbench: --body-memory 0: at least 1 (MiB)\n", "at least"},
		{[]string{"serve", "--tls-cert", "c.pem"}, "fieldbench: --tls-cert 和 --tls-key 要一起给\n", "--tls-cert and --tls-key go together", "go together"},
		{[]string{"serve", "--public-url", "ftp://x"}, "fieldbench: --public-url \"ftp://x\"：应为 http 或 https 网址", "an http or https address", "an http or https"},
		{[]string{"--bogus"}, "fieldbench: 没有这个选项：--bogus\n", "flag provided but not defined: --bogus", "flag provided"},
	}
	for _, c := range cases {
		code, _, errs := runEnv(map[string]string{"XDG_DATA_HOME": dir}, "", c.args...)
		if code != exitUnusable || !strings.HasPrefix(errs, c.zh) || strings.Contains(errs, c.noEnglish) || !strings.Contains(errs, "用法") {
			t.Errorf("%q: exit %d, want %d and first %q, then the usage:\n%s", c.args, code, exitUnusable, c.zh, errs)
		}
		code, _, errs = runEnv(map[string]string{"XDG_DATA_HOME": dir, "FIELDBENCH_LANG": "en"}, "", c.args...)
		if code != exitUnusable || !strings.Contains(errs, c.en) {
			t.Errorf("%q in English: exit %d, no %q:\n%s", c.args, code, c.en, errs)
		}
	}
}

// TestWrapCells checks the wrapping of help: within the width, a Chinese
// line broken between characters but never before its closing
// punctuation, English between words, nothing lost.
func TestWrapCells(t *testing.T) {
	text := "消息的语言：zh-Hans、zh-Hant 或 en（默认按 FIELDBENCH_LANG、LC_ALL、LANG，都没有时为 zh-Hans）。the file's text encoding: utf-8, or gbk"
	for _, width := range []int{20, 33, 40, 72} {
		lines := wrapCells(text, width)
		for _, l := range lines {
			if cells(l) > width {
				t.Errorf("width %d: %q is %d wide", width, l, cells(l))
			}
			if strings.IndexAny(l, "，。、）：") == 0 {
				t.Errorf("width %d: %q starts with closing punctuation", width, l)
			}
		}
		joined := strings.ReplaceAll(strings.Join(lines, ""), " ", "")
		if joined != strings.ReplaceAll(text, " ", "") {
			t.Errorf("width %d lost text:\n%q", width, lines)
		}
	}
}
