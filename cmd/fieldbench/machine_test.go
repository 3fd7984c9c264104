package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fieldbench/fieldbench/store/storetest"
)

// TestMachineOutputsKeepTheirBytes runs the commands whose output is for
// machines under Simplified Chinese (LANG) and under --lang en: the bytes
// must be the same in both, and the report lines as they always were.
// Only people's text follows the language.
func TestMachineOutputsKeepTheirBytes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "laptop.db")
	answers := filepath.Join(dir, "answers.jsonl")
	lines := storetest.HouseholdLines(t, 3)
	var data []byte
	for _, l := range lines {
		data = append(append(data, l...), '\n')
	}
	os.WriteFile(answers, data, 0o600)
	zh := map[string]string{"LANG": "zh_CN.UTF-8", "XDG_DATA_HOME": dir}
	if code, _, errs := runEnv(zh, "", "forms", "add", "--db", db, sample); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := runEnv(zh, "", "import", "--db", db, "--form", "household_visit", answers); code != 0 {
		t.Fatal(errs)
	}
	const accepted = `{"line":1,"status":"accepted","errors":[],"warnings":[]}` + "\n" +
		`{"line":2,"status":"accepted","errors":[],"warnings":[]}` + "\n" +
		`{"line":3,"status":"accepted","errors":[],"warnings":[]}` + "\n"
	for _, c := range []struct {
		name string
		args []string
		want string // "" when only the two languages are compared
	}{
		{"validate --report json", []string{"validate", "--report", "json", "--form", sample, answers}, accepted},
		{"import --report json", []string{"import", "--dry-run", "--report", "json", "--db", db, "--form", "household_visit", answers}, accepted},
		{"quality --json", []string{"quality", "--json", "--db", db, "--form", "household_visit"}, ""},
		{"export jsonl", []string{"export", "--db", db, "--form", "household_visit", "--format", "jsonl"}, ""},
	} {
		_, outZh, _ := runEnv(zh, "", c.args...)
		_, outEn, _ := runEnv(zh, "", append(c.args, "--lang", "en")...)
		if outZh != outEn {
			t.Errorf("%s: the output changes with the language:\nzh-Hans:\n%s\nen:\n%s", c.name, outZh, outEn)
		}
		if c.want != "" && outZh != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.name, outZh, c.want)
		}
		if len(outZh) == 0 {
			t.Errorf("%s printed nothing", c.name)
		}
	}
	// CSV: every file of the export, byte for byte.
	var files [2]map[string]string
	for i, extra := range [][]string{nil, {"--lang", "en"}} {
		out := filepath.Join(dir, "csv", []string{"zh", "en"}[i])
		args := append([]string{"export", "--db", db, "--form", "household_visit", "--format", "csv", "--out", out}, extra...)
		if code, _, errs := runEnv(zh, "", args...); code != 0 {
			t.Fatal(errs)
		}
		files[i] = map[string]string{}
		names, _ := filepath.Glob(filepath.Join(out, "*"))
		for _, n := range names {
			b, _ := os.ReadFile(n)
			files[i][filepath.Base(n)] = string(b)
		}
	}
	if len(files[0]) == 0 || len(files[0]) != len(files[1]) {
		t.Fatalf("csv files: %d in zh-Hans, %d in en", len(files[0]), len(files[1]))
	}
	for name, b := range files[0] {
		if files[1][name] != b {
			t.Errorf("csv %s differs between the languages", name)
		}
	}
}
