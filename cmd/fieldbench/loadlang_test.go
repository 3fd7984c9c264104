package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runEnv executes a command line in-process with exactly the environment
// given (no LANG unless it says so) and returns its exit code and output.

// brokenFormMD has a name used twice, a misspelt list and an expression
// that does not parse.
const brokenFormMD = `| survey |
| | type | name | label | constraint |
| | integer | age | Age | . >= 0 and |
| | text | age | Again | |
| | select_one colours | fav | Colour | |
| choices |
| | list_name | name | label |
| | colors | red | Red |
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFormsCheckSpeaksTheInterfaceLanguage: the loader's located errors
// follow the language rule (zh-Hans by default, FIELDBENCH_LANG, LANG,
// --lang wherever it stands); the location stays as it is.
func TestFormsCheckSpeaksTheInterfaceLanguage(t *testing.T) {
	bad := writeFile(t, "bad.md", brokenFormMD)
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"default", nil, []string{bad}, []string{
			`bad.md:survey:4:name: 名称 "age" 已在第 3 行用于同一表单（不在任何分组内）中`,
			`bad.md:survey:5:type: choices 工作表中找不到列表 "colours"（是不是 colors？）：请添加 list_name 为 colours 的行`}},
		{"LANG", map[string]string{"LANG": "zh_CN.UTF-8"}, []string{bad}, []string{`名称 "age" 已在第 3 行`}},
		{"FIELDBENCH_LANG", map[string]string{"FIELDBENCH_LANG": "zh-Hant", "LANG": "en_US.UTF-8"}, []string{bad}, []string{
			`bad.md:survey:4:name: 名稱 "age" 已在第 3 列用於同一表單（不在任何分組內）中`,
			`choices 工作表中找不到清單 "colours"（是不是 colors？）：請新增 list_name 為 colours 的列`}},
		{"--lang en", map[string]string{"LANG": "zh_CN.UTF-8"}, []string{"--lang", "en", bad}, []string{
			`bad.md:survey:4:name: the name "age" is already used at row 3 in the same form (outside any group)`,
			`bad.md:survey:5:type: list "colours" not found on the choices sheet (did you mean colors?); add rows with list_name colours`}},
		{"--lang after the file", nil, []string{bad, "--lang", "en"}, []string{`list "colours" not found`}},
	} {
		code, out, errs := runEnv(tc.env, "", append([]string{"forms", "check"}, tc.args...)...)
		if code != exitRejected {
			t.Errorf("%s: exit %d, want 1; stderr %s", tc.name, code, errs)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: want %s in:\n%s", tc.name, w, out)
			}
		}
	}

	// The expression stage: its frame is translated, the parser's detail
	// kept.
	expr := writeFile(t, "expr.md", "| survey |\n| | type | name | label | relevant |\n| | integer | age | Age | ${agee} > 3 and |\n")
	_, out, _ := runEnv(nil, "", "forms", "check", expr)
	if want := `expr.md:survey:3:relevant: 表达式 "${agee} > 3 and" 无法解析，第 16 个字符处：`; !strings.Contains(out, want) {
		t.Errorf("want %s in:\n%s", want, out)
	}

	// Warnings of a form that loads come in the same language.
	warn := writeFile(t, "warn.md", "| survey |\n| | type | name | label | colour |\n| | text | a | A | red |\n")
	_, out, _ = runEnv(map[string]string{"FIELDBENCH_LANG": "zh-Hant"}, "", "forms", "check", warn)
	if want := `warn.md:survey:2:colour: 欄 "colour" 不是 XLSForm 的欄，已忽略`; !strings.Contains(out, want) {
		t.Errorf("want %s in:\n%s", want, out)
	}
}

// TestFormLoadErrorsLanguageElsewhere: validate, forms show and forms add
// print a broken form's errors in the command's language too.
func TestFormLoadErrorsLanguageElsewhere(t *testing.T) {
	bad := writeFile(t, "bad.md", brokenFormMD)
	_, _, errs := runEnv(nil, "{}\n", "validate", "--form", bad, "-")
	if !strings.Contains(errs, `choices 工作表中找不到列表 "colours"`) {
		t.Errorf("validate:\n%s", errs)
	}
	_, _, errs = runEnv(nil, "", "forms", "show", "--lang", "zh-Hant", bad)
	if !strings.Contains(errs, `choices 工作表中找不到清單 "colours"`) {
		t.Errorf("forms show:\n%s", errs)
	}
	db := filepath.Join(t.TempDir(), "fb.db")
	_, _, errs = runEnv(nil, "", "forms", "add", "--db", db, bad)
	if !strings.Contains(errs, `choices 工作表中找不到列表 "colours"`) {
		t.Errorf("forms add:\n%s", errs)
	}
	_, _, errs = runEnv(nil, "", "forms", "add", "--db", db, "--lang", "en", bad)
	if !strings.Contains(errs, `list "colours" not found on the choices sheet`) {
		t.Errorf("forms add --lang en:\n%s", errs)
	}
}

const flatFormMD = `| survey |
| | type | name | label |
| | text | name | Name |
| | integer | age | Age |
`

// TestRecordLineErrorsInChinese: a line that is no record stops validate
// and import with a message in the interface language.
func TestRecordLineErrorsInChinese(t *testing.T) {
	form := writeFile(t, "flat.md", flatFormMD)
	lines := "{\"name\":\"A\",\"age\":\"3\"}\n{\"name\":\"B\",}\n"
	code, _, errs := runEnv(nil, lines, "validate", "--form", form, "-")
	if want := "-:2: 不是有效的 JSON 记录：第 13 字节处：在应为带引号的名称的位置遇到无效字符 '}'"; code != exitUnusable || !strings.Contains(errs, want) {
		t.Errorf("validate: exit %d, want %s in:\n%s", code, want, errs)
	}
	_, _, errs = runEnv(map[string]string{"LANG": "en_US.UTF-8"}, lines, "validate", "--form", form, "-")
	if want := "-:2: malformed JSON: offset 13: invalid character '}' looking for a name in quotes"; !strings.Contains(errs, want) {
		t.Errorf("validate in English: want %s in:\n%s", want, errs)
	}

	db := filepath.Join(t.TempDir(), "fb.db")
	if code, _, errs := runEnv(nil, "", "forms", "add", "--db", db, form); code != 0 {
		t.Fatalf("forms add: %d %s", code, errs)
	}
	jsonl := writeFile(t, "in.jsonl", lines)
	code, _, errs = runEnv(nil, "", "import", "--db", db, "--form", "flat", "--dry-run", jsonl)
	if want := "in.jsonl:2: 不是有效的 JSON 记录：第 13 字节处："; code != exitUnusable || !strings.Contains(errs, want) {
		t.Errorf("import JSONL: exit %d, want %s in:\n%s", code, want, errs)
	}
	csv := writeFile(t, "in.csv", "name,age\nA,3\nB\"x,4\n")
	code, _, errs = runEnv(map[string]string{"FIELDBENCH_LANG": "zh-Hant"}, "", "import", "--db", db, "--form", "flat", "--dry-run", csv)
	if want := "in.csv: 第 3 行：未加引號的欄位中有 \""; code != exitUnusable || !strings.Contains(errs, want) {
		t.Errorf("import CSV: exit %d, want %s in:\n%s", code, want, errs)
	}
	csv = writeFile(t, "short.csv", "name,age\nA\n")
	_, _, errs = runEnv(nil, "", "import", "--db", db, "--form", "flat", "--dry-run", csv)
	if want := "short.csv: 第 2 行：有 1 个值，但有 2 列"; !strings.Contains(errs, want) {
		t.Errorf("import short CSV row: want %s in:\n%s", want, errs)
	}
}

// TestMachineReportsUnchanged pins validate's and import's --report json
// byte for byte: the language work must not move them.
func TestMachineReportsUnchanged(t *testing.T) {
	form := writeFile(t, "flat.md", flatFormMD)
	lines := "{\"name\":\"A\",\"age\":\"3\"}\n{\"name\":\"B\",\"age\":\"x\",\"nope\":1}\n"
	want := `{"line":1,"status":"accepted","errors":[],"warnings":[]}
{"line":2,"status":"rejected","errors":[{"field":"age","path":"age","rule":"type","message":"应为整数"},{"field":"nope","path":"nope","rule":"unknown","message":"表单中没有名为 \"nope\" 的问题"}],"warnings":[]}
`
	code, out, _ := runEnv(nil, lines, "validate", "--form", form, "--report", "json", "-")
	if code != exitRejected || out != want {
		t.Errorf("validate --report json: exit %d\n got %s\nwant %s", code, out, want)
	}
	db := filepath.Join(t.TempDir(), "fb.db")
	runEnv(nil, "", "forms", "add", "--db", db, form)
	code, out, _ = runEnv(nil, "", "import", "--db", db, "--form", "flat", "--dry-run", "--report", "json", writeFile(t, "in.jsonl", lines))
	if code != exitRejected || out != want {
		t.Errorf("import --report json: exit %d\n got %s\nwant %s", code, out, want)
	}
	wantEn := strings.NewReplacer("应为整数", "must be a whole number", `表单中没有名为 \"nope\" 的问题`, `the form has no question named \"nope\"`).Replace(want)
	_, out, _ = runEnv(nil, lines, "validate", "--form", form, "--report", "json", "--lang", "en", "-")
	if out != wantEn {
		t.Errorf("validate --report json --lang en:\n got %s\nwant %s", out, wantEn)
	}
}
