package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes a command line in-process and returns its exit code and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	app := &App{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string {
			if k == "LANG" {
				return "en_US.UTF-8"
			}
			return ""
		}}
	code := app.Run(args)
	return code, out.String(), errb.String()
}

const sample = "../../forms/samples/household_visit.xlsx"

func TestFormsCheck(t *testing.T) {
	code, out, _ := run(t, "", "forms", "check", sample, "../../forms/samples/business_census.xlsx")
	if code != 0 || strings.Count(out, ": ok (") != 2 {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	if !strings.Contains(out, "household_visit.xlsx: ok (33 fields, 10 choice lists, languages: 简体中文 (zh) [default], English (en))") {
		t.Errorf("summary line not as documented:\n%s", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.md")
	os.WriteFile(bad, []byte("| survey |\n| | type | name | label |\n| | integer | a | A |\n| | text | a | again |\n"), 0o644)
	code, out, _ = run(t, "", "forms", "check", sample, bad)
	if code != 1 {
		t.Errorf("a bad form should exit 1, got %d", code)
	}
	if !strings.Contains(out, "bad.md:survey:") || !strings.Contains(out, "household_visit.xlsx: ok") {
		t.Errorf("want the good form ok and the bad one located:\n%s", out)
	}
	if code, _, _ := run(t, "", "forms", "check", "no-such-file.xlsx"); code != 1 {
		t.Errorf("a missing file should exit 1, got %d", code)
	}
}

func TestFormsShow(t *testing.T) {
	code, out, _ := run(t, "", "forms", "show", "--lang", "zh-Hans", sample)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"household_visit", "members  [repeat]", "m_age  [calculate]", "repeat_count: ${hh_size}", "validate: cn_id", "sensitive: id_number", "choice_filter: county=${county}", "cn_township: 41352 个选项"} {
		if !strings.Contains(out, want) {
			t.Errorf("forms show lacks %q", want)
		}
	}
	if strings.ContainsAny(out, "├└│─") {
		t.Error("forms show must not use ambiguous-width box drawing")
	}
}

// forms show says what fieldbench does with what a phone fills by itself:
// no location (a terminal has no GPS), and its own audit trail for ODK's
// audit; and what a trigger sets.
func TestFormsShowDeviceMetadataAndTriggers(t *testing.T) {
	for lang, want := range map[string][]string{
		"zh-Hans": {"where_started  [start-geopoint]\n    （留空：终端没有 GPS", "audit  [audit]\n    （留空：fieldbench 自己的审计记录"},
		"en":      {"trigger: ${temp}\n    (left blank: a terminal has no GPS", "(left blank: fieldbench's own audit trail is this record's paradata"},
	} {
		code, out, _ := run(t, "", "forms", "show", "--lang", lang, "../../forms/testdata/features/device_meta.md")
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", lang, code, out)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: forms show lacks %q:\n%s", lang, w, out)
			}
		}
	}
	_, out, _ := run(t, "", "forms", "show", "--lang", "en", "../../forms/testdata/features/trigger.md")
	if !strings.Contains(out, "a_changed  [dateTime]\n    trigger: ${a}\n    calculation: now()") {
		t.Errorf("forms show of a trigger:\n%s", out)
	}
}

func TestValidateReportJSON(t *testing.T) {
	answers := `{"consent":"OK","hh_size":"x"}

{"consent":"OK","nope":1}
`
	code, out, _ := run(t, answers, "validate", "--form", sample, "--report", "json", "-")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (rejected)", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one report line per record (blank lines skipped), got:\n%s", out)
	}
	var first, second reportLine
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if first.Line != 1 || second.Line != 3 {
		t.Errorf("line numbers %d, %d; want 1, 3 (file lines)", first.Line, second.Line)
	}
	found := false
	for _, e := range first.Errors {
		if e.Field == "hh_size" && e.Rule == "type" && e.Path == "hh_size" && e.Message != "" {
			found = true
		}
	}
	if first.Status != "rejected" || !found {
		t.Errorf("first record: %+v", first)
	}
	if !strings.Contains(lines[1], `"field":"nope","path":"nope","rule":"unknown"`) {
		t.Errorf("second record: %s", lines[1])
	}
	if !strings.Contains(lines[0], `"warnings":[]`) {
		t.Errorf("warnings should be an empty list, not null: %s", lines[0])
	}
}

// validate checks a record with a ${instanceID}, as import stores it
// under one: ref is relevant only when the id is there (meta_geo line 2
// leaves it out, so it is missing).
func TestValidateGivesInstanceID(t *testing.T) {
	code, out, _ := run(t, "{\"village\":\"Dazhai\"}\n", "validate", "--form", "../../testdata/oracle/forms/meta_geo.md", "--report", "json", "-")
	if code != 1 || !strings.Contains(out, `"field":"ref","path":"ref","rule":"required"`) {
		t.Errorf("exit %d, want 1 with ref required:\n%s", code, out)
	}
}

func TestValidateExitCodes(t *testing.T) {
	good, _ := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	first := strings.SplitN(string(good), "\n", 2)[0]
	if code, out, errs := run(t, first+"\n", "validate", "--form", sample, "-"); code != 0 {
		t.Errorf("a valid record should exit 0, got %d\n%s%s", code, out, errs)
	}
	code, _, errs := run(t, first+"\n{\"a\":\n", "validate", "--form", sample, "-")
	if code != 2 || !strings.Contains(errs, ":2: malformed JSON") {
		t.Errorf("malformed JSON: exit %d, stderr %q; want 2 with the line number", code, errs)
	}
	if code, _, _ := run(t, "", "validate", "--form", "missing.xlsx", "-"); code != 2 {
		t.Errorf("unreadable form: exit %d, want 2", code)
	}
	if code, _, _ := run(t, "", "validate", "-"); code != 2 {
		t.Errorf("missing --form: exit %d, want 2", code)
	}
	// Flags after the file name work too.
	if code, _, _ := run(t, first+"\n", "validate", "-", "--form", sample); code != 0 {
		t.Errorf("flags after the argument: exit %d, want 0", code)
	}
}

func TestValidateTextReportLanguages(t *testing.T) {
	rec := `{"consent":"OK"}` + "\n"
	_, zh, _ := run(t, rec, "validate", "--form", sample, "--lang", "zh-Hans", "-")
	_, en, _ := run(t, rec, "validate", "--form", sample, "--lang", "en", "-")
	_, hant, _ := run(t, rec, "validate", "--form", sample, "--lang", "zh-Hant", "-")
	if !strings.Contains(zh, "此题必答") && !strings.Contains(zh, "请") {
		t.Errorf("zh-Hans report:\n%s", zh)
	}
	if !strings.Contains(en, "rejected") || !strings.Contains(en, "1 record: 0 accepted, 1 rejected") {
		t.Errorf("en report:\n%s", en)
	}
	if zh == en || hant == en {
		t.Error("reports should differ by language")
	}
}

func TestEscapesStripped(t *testing.T) {
	evil := filepath.Join(t.TempDir(), "evil.md")
	os.WriteFile(evil, []byte("| survey |\n| | type | name | label | constraint | constraint_message |\n| | integer | a | \x1b]0;pwned\x07A\x1b[2J | . > 1 | bad\x1b[31m red |\n"), 0o644)
	_, show, _ := run(t, "", "forms", "show", evil)
	_, rep, _ := run(t, `{"a":0}`+"\n", "validate", "--form", evil, "-")
	for _, out := range []string{show, rep} {
		if strings.ContainsRune(out, 0x1b) || strings.ContainsRune(out, 0x07) {
			t.Errorf("escape sequence reached the terminal: %q", out)
		}
	}
}

func TestUsage(t *testing.T) {
	code, out, _ := run(t, "", "help")
	if code != 0 || !strings.Contains(out, "validate") {
		t.Errorf("usage: exit %d\n%s", code, out)
	}
	if code, _, _ := run(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command should exit 2")
	}
}

func TestFormsShowRecordKeys(t *testing.T) {
	_, out, _ := run(t, "", "forms", "show", "../../testdata/xlsform/loop.xlsx")
	if !strings.Contains(out, "number  [integer]") || !strings.Contains(out, "(record key loop_toilet_types/bucket_system/number)") {
		t.Errorf("same-named questions should show their record keys:\n%s", out)
	}
}

// With no command, fieldbench opens the workbench; with no terminal (as
// here) that is the plain prompts. The first run installs the sample forms.
func TestNoCommandOpensTheWorkbench(t *testing.T) {
	db := filepath.Join(t.TempDir(), "fb.db")
	// The first run asks for the name (and the catalogue, left empty).
	code, out, errs := run(t, "王芳\n\nq\n", "--db", db)
	if code != 0 || !strings.Contains(out, "First run") || !strings.Contains(out, "Household visit") || !strings.Contains(out, "Business census") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run(t, "q\n", "--db", db); code != 0 || !strings.Contains(out, "Collector: 王芳") || strings.Contains(out, "First run") {
		t.Fatalf("the second run: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := run(t, "", "--db", db, "extra"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("a stray argument: exit %d, %s", code, errs)
	}
}
