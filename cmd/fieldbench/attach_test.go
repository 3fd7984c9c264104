package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The shared test form reading an attached file, and the file.
const (
	villagesForm = "../../testdata/forms/villages.md"
	villagesCSV  = "../../testdata/forms/villages.csv"
)

// copyTo copies a file into dir, returning the copy's path.
func copyTo(t *testing.T, dir, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return writeAt(t, filepath.Join(dir, filepath.Base(path)), string(data))
}

func writeAt(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAttachOnTheCommandLine runs every command that reads a form with the
// data files it names: --attach gives them, a form without them is
// refused where it names them, and a file no form names is refused.
func TestAttachOnTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	form, csv := copyTo(t, dir, villagesForm), copyTo(t, dir, villagesCSV)
	extra := writeAt(t, filepath.Join(dir, "extra.csv"), "name,label\na,A\n")

	code, out, _ := run(t, "", "forms", "check", form)
	if code != 1 || !strings.Contains(out, `villages.md:survey:3:type: the form needs the file "villages.csv" (select_one_from_file), which was not given; attach it with --attach villages.csv`) {
		t.Fatalf("check without the file: %d\n%s", code, out)
	}
	if code, out, _ = run(t, "", "forms", "check", form, "--attach", csv); code != 0 || !strings.Contains(out, "villages.md: ok (3 fields, 1 choice list,") {
		t.Fatalf("check with the file: %d\n%s", code, out)
	}
	if code, out, _ = run(t, "", "forms", "check", form, "--attach", csv, "--attach", extra); code != 1 ||
		!strings.Contains(out, `extra.csv: none of the forms given uses the file "extra.csv"`) {
		t.Fatalf("check with a file no form uses: %d\n%s", code, out)
	}

	if code, out, _ = run(t, "", "forms", "show", form); code != 0 ||
		!strings.Contains(out, "villages.csv (select_one_from_file, survey:3): not given; attach it with --attach villages.csv") {
		t.Fatalf("show without the file: %d\n%s", code, out)
	}
	code, out, _ = run(t, "", "forms", "show", form, "--attach", csv)
	if code != 0 || !strings.Contains(out, "villages.csv (select_one_from_file, survey:3): 69 bytes, sha256 ") || !strings.Contains(out, "villages.csv: 3 choices") {
		t.Fatalf("show with the file: %d\n%s", code, out)
	}

	answers := writeAt(t, filepath.Join(dir, "a.jsonl"), `{"village":"v2","households":12}`+"\n"+`{"village":"v2","households":13}`+"\n"+`{"village":"v9"}`+"\n")
	code, out, _ = run(t, "", "validate", "--form", form, "--attach", csv, answers)
	if code != 1 || !strings.Contains(out, "1 accepted, 2 rejected") {
		t.Fatalf("validate: %d\n%s", code, out)
	}

	db := filepath.Join(dir, "laptop.db")
	code, out, errs := run(t, "", "forms", "add", "--db", db, form, "--attach", csv)
	if code != 0 || !strings.Contains(out, "attached villages.csv: 69 bytes, sha256 ") {
		t.Fatalf("forms add: %d\n%s%s", code, out, errs)
	}
	writeAt(t, csv, "name,label,population\nv1,大寨村,41\n")
	code, _, errs = run(t, "", "forms", "add", "--db", db, form, "--attach", csv)
	if code != 1 || !strings.Contains(errs, "form villages version 1 already exists with another villages.csv") {
		t.Fatalf("forms add with other data: %d\n%s", code, errs)
	}
	if code, _, errs = run(t, "", "forms", "add", "--db", db, form); code != 1 || !strings.Contains(errs, "villages.md:survey:3:type") {
		t.Fatalf("forms add without the file: %d\n%s", code, errs)
	}

	data := filepath.Join(dir, "catalogue")
	if code, out, errs = run(t, "", "catalogue", "publish", "--data", data, form, "--township", "110105", "--attach", csv); code != 0 ||
		!strings.Contains(out, "attached villages.csv: 38 bytes") {
		t.Fatalf("publish: %d\n%s%s", code, out, errs)
	}
	os.Mkdir(filepath.Join(dir, "gbk"), 0o700)
	gbk := writeAt(t, filepath.Join(dir, "gbk", "villages.csv"), "name,label,population\nv1,\xb4\xf3\xd5\xaf,41\n") // 大寨 in GBK
	code, _, errs = runEnv(map[string]string{"LANG": "zh_CN.UTF-8"}, "", "catalogue", "publish", "--data", data, form, "--township", "110105", "--attach", gbk)
	if code != exitUnusable || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "villages.csv:2: 这一行不是 UTF-8 文本（看起来是 GBK 编码）") {
		t.Fatalf("publish of a GBK file: %d\n%s", code, errs)
	}
}
