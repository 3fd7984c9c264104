package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/storetest"
)

// gbk is text as Excel and Notepad save it on Chinese Windows.
func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// peopleForm registers a small form of a name and an ID in a new database.
func peopleForm(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "fb.db")
	form := filepath.Join(dir, "people.md")
	os.WriteFile(form, []byte("| survey |\n| | type | name | label | required | validate |\n| | text | name | Name | yes | |\n| | text | id | ID | | cn_id |\n| settings |\n| | form_id | version |\n| | people | 1 |\n"), 0o644)
	if code, _, errs := run(t, "", "forms", "add", "--db", db, form); code != 0 {
		t.Fatal(errs)
	}
	return dir, db
}

// A GBK file is refused whole, at its first line that is not UTF-8, with
// a hint to name the encoding; nothing is stored, not even the lines
// before it. With --encoding gbk it is read right: the same records, under
// the same keys, as the UTF-8 file. Before, it was stored as U+FFFD
// garbage with exit 0.
func TestImportGBK(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "fb.db")
	run(t, "", "forms", "add", "--db", db, household)
	utf8File := "../../testdata/forms/household_visit.jsonl"
	text, err := os.ReadFile(utf8File)
	if err != nil {
		t.Fatal(err)
	}
	gbkFile := filepath.Join(dir, "household_gbk.jsonl")
	data := gbk(t, string(text))
	if !bytes.Contains(data, []byte("\xd5\xc5\xbd\xa8\xb9\xfa")) { // 张建国 in GBK
		t.Fatal("the test file is not GBK")
	}
	os.WriteFile(gbkFile, data, 0o644)

	code, out, errs := run(t, "", "import", "--db", db, "--form", "household_visit", gbkFile)
	if code != 2 || !strings.Contains(errs, "household_gbk.jsonl:1: this line is not UTF-8 text and nothing was stored; the file looks like GBK/GB18030") ||
		!strings.Contains(errs, "run again with --encoding gbk") {
		t.Fatalf("GBK read as UTF-8: exit %d\n%s%s", code, out, errs)
	}
	if _, out, _ := run(t, "", "records", "list", "--db", db); !strings.Contains(out, "0 records") {
		t.Fatalf("a refused file stored records:\n%s", out)
	}
	// The hint in the interface language.
	_, _, errs = run(t, "", "import", "--db", db, "--form", "household_visit", "--lang", "zh-Hans", gbkFile)
	if !strings.Contains(errs, "文件看来是 GBK/GB18030 编码") || !strings.Contains(errs, "请加上 --encoding gbk 再运行") {
		t.Errorf("zh-Hans: %s", errs)
	}

	code, out, errs = run(t, "", "import", "--db", db, "--form", "household_visit", "--encoding", "gbk", gbkFile)
	if code != 1 || !strings.Contains(out, "5 stored") {
		t.Fatalf("--encoding gbk: exit %d\n%s%s", code, out, errs)
	}
	_, out, _ = run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl")
	if !strings.Contains(out, `"head_name":"张建国"`) || strings.ContainsRune(out, '\ufffd') {
		t.Errorf("the records were not converted:\n%s", out)
	}
	if _, out, _ := run(t, "", "import", "--db", db, "--form", "household_visit", utf8File); !strings.Contains(out, "0 stored, 5 already present") {
		t.Errorf("the UTF-8 file is the same records:\n%s", out)
	}
}

// Only the lines are checked, not the file's name: a line of UTF-8 among
// GBK is found by its number, and bytes that are no encoding at all get
// the plain hint. A file converted from GBK must convert cleanly.
func TestImportRefusesWhatIsNotText(t *testing.T) {
	dir, db := peopleForm(t)
	mixed := filepath.Join(dir, "mixed.jsonl")
	os.WriteFile(mixed, append([]byte(`{"name":"Wang"}`+"\n"+`{"name":"李四"}`+"\n"), append(append([]byte(`{"name":"`), gbk(t, "王建国")...), `"}`+"\n"...)...), 0o644)
	code, _, errs := run(t, "", "import", "--db", db, "--form", "people", mixed)
	if code != 2 || !strings.Contains(errs, "mixed.jsonl:3: ") || !strings.Contains(errs, "looks like GBK") {
		t.Errorf("GBK on line 3: exit %d, %s", code, errs)
	}
	// UTF-8 Chinese mostly reads as (wrong) GBK characters; a byte that
	// starts no GBK character does not.
	notGBK := filepath.Join(dir, "notgbk.jsonl")
	os.WriteFile(notGBK, append(append([]byte(`{"name":"Wang"}`+"\n"), gbk(t, `{"name":"王`)...), "\xff\"}\n"...), 0o644)
	code, _, errs = run(t, "", "import", "--db", db, "--form", "people", "--encoding", "gbk", notGBK)
	if code != 2 || !strings.Contains(errs, "notgbk.jsonl:2: this line is not GBK/GB18030 text either") {
		t.Errorf("not GBK: exit %d, %s", code, errs)
	}
	junk := filepath.Join(dir, "junk.jsonl")
	os.WriteFile(junk, []byte(`{"name":"Wang"}`+"\n"+"{\"name\":\"\xff\xfe\"}\n"), 0o644)
	code, _, errs = run(t, "", "import", "--db", db, "--form", "people", junk)
	if code != 2 || !strings.Contains(errs, "junk.jsonl:2: this line is not UTF-8 text and nothing was stored: save the file as UTF-8") {
		t.Errorf("bytes of no encoding: exit %d, %s", code, errs)
	}
	if code, _, errs := run(t, "", "import", "--db", db, "--form", "people", "--encoding", "latin1", junk); code != 2 || !strings.Contains(errs, `unknown encoding "latin1"`) {
		t.Errorf("unknown encoding: exit %d, %s", code, errs)
	}
	if _, out, _ := run(t, "", "records", "list", "--db", db); !strings.Contains(out, "0 records") {
		t.Errorf("refused files stored records:\n%s", out)
	}
}

// A JSONL file starting with a UTF-8 byte order mark (Notepad writes one)
// is read; it used to be a malformed first line. A CSV saved as GBK reads
// with --encoding gbk.
func TestImportBOMAndCSVInGBK(t *testing.T) {
	dir, db := peopleForm(t)
	bom := filepath.Join(dir, "bom.jsonl")
	os.WriteFile(bom, []byte("\ufeff"+`{"name":"王建国","id":"11010519491231002x"}`+"\r\n"), 0o644)
	if code, out, errs := run(t, "", "import", "--db", db, "--form", "people", bom); code != 0 || !strings.Contains(out, "1 stored") {
		t.Errorf("BOM: exit %d\n%s%s", code, out, errs)
	}
	csv := filepath.Join(dir, "people.csv")
	os.WriteFile(csv, gbk(t, "name,id\r\n李秀英,\r\n"), 0o644)
	if code, out, errs := run(t, "", "import", "--db", db, "--form", "people", "--encoding", "gbk", csv); code != 0 || !strings.Contains(out, "1 stored") {
		t.Errorf("GBK CSV: exit %d\n%s%s", code, out, errs)
	}
	_, out, _ := run(t, "", "records", "list", "--db", db)
	if !strings.Contains(out, "2 records") {
		t.Errorf("records:\n%s", out)
	}
	_, out, _ = run(t, "", "export", "--db", db, "--form", "people", "--format", "jsonl")
	if !strings.Contains(out, `"name":"李秀英"`) || !strings.Contains(out, `"name":"王建国"`) {
		t.Errorf("export:\n%s", out)
	}
}

// validate reads standard input with the same rules, line by line.
func TestValidateEncodings(t *testing.T) {
	dir, _ := peopleForm(t)
	form := filepath.Join(dir, "people.md")
	line := `{"name":"王建国"}` + "\n"
	code, _, errs := run(t, string(gbk(t, line)), "validate", "--form", form, "-")
	if code != 2 || !strings.Contains(errs, "-:1: ") || !strings.Contains(errs, "--encoding gbk") {
		t.Errorf("GBK: exit %d, %s", code, errs)
	}
	if code, out, errs := run(t, string(gbk(t, line)), "validate", "--form", form, "--encoding", "gbk", "-"); code != 0 || !strings.Contains(out, "1 accepted") {
		t.Errorf("--encoding gbk: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run(t, "\ufeff"+line, "validate", "--form", form, "-"); code != 0 {
		t.Errorf("BOM: exit %d\n%s%s", code, out, errs)
	}
}

// A record over forms.MaxRecordBytes is refused at import as finalize
// refuses it: its line is rejected (rule size), the others are stored.
// Before, it was stored, and later held back every sync.
func TestImportRefusesRecordOverTheSizeLimit(t *testing.T) {
	dir, db := peopleForm(t)
	file := filepath.Join(dir, "big.jsonl")
	big := strings.Repeat("长", 400<<10) // 1.2 MB as UTF-8
	os.WriteFile(file, []byte(`{"name":"王建国"}`+"\n"+`{"name":"`+big+`"}`+"\n"+`{"name":"李四"}`+"\n"), 0o644)
	code, out, errs := run(t, "", "import", "--db", db, "--form", "people", "--report", "json", file)
	if code != 1 || strings.Count(out, `"status":"accepted"`) != 2 ||
		!strings.Contains(out, `{"line":2,"status":"rejected","errors":[{"field":"","path":"","rule":"size","message":"the record's data is 1201 KB, over the limit of 1024 KB: shorten its longest answers"}]`) {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if _, out, _ := run(t, "", "records", "list", "--db", db); !strings.Contains(out, "2 records") {
		t.Errorf("records:\n%s", out)
	}
	code, out, _ = run(t, "", "validate", "--form", filepath.Join(dir, "people.md"), file)
	if code != 1 || !strings.Contains(out, "line 2: rejected") || !strings.Contains(out, "(size): the record's data is 1201 KB") {
		t.Errorf("validate: exit %d\n%s", code, out)
	}
}

// On a real catalogue (fieldbench serve, on each backend), a record too
// large for any batch it takes, stored bypassing finalize, does not hold
// back the others: they are sent, and --sync names it for a person and
// exits 3. Before, every sync failed with 413 and sent nothing.
func TestSyncSetsAsideOversizedRecord(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	eachBackend(t, func(t *testing.T, where []string) {
		ctx := context.Background()
		dir := t.TempDir()
		laptop := filepath.Join(dir, "fb.db")
		code, addr, server := publishAndServe(t, bin, where)
		defer func() { server.Process.Signal(syscall.SIGTERM); server.Wait() }()

		run(t, "", "forms", "add", "--db", laptop, household)
		run(t, "", "import", "--db", laptop, "--form", "household_visit", "../../testdata/forms/household_visit.jsonl")
		if rc, out, errs := run(t, "", "enrol", "--db", laptop, "http://"+addr, code); rc != 0 {
			t.Fatalf("enrol: %d %s%s", rc, out, errs)
		}
		db, err := store.Open(laptop)
		if err != nil {
			t.Fatal(err)
		}
		// The address made long in place: a second "address" key would
		// be a record no split and merge give back.
		var obj map[string]any
		if err := json.Unmarshal(storetest.HouseholdLines(t, 1)[0], &obj); err != nil {
			t.Fatal(err)
		}
		obj["address"] = strings.Repeat("很长的地址", 33<<20/15)
		big, _ := json.Marshal(obj)
		id, _, err := db.InsertFinalized(ctx, "household_visit", samples.HouseholdVisitVersion, "", big)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		rc, out2, errs := run(t, "", "--sync", "--db", laptop)
		if rc != exitAttention || !strings.Contains(out2, "5 sent, 0 already there, 0 conflicts, 1 rejected") ||
			!strings.Contains(out2, "rejected: record "+id+": not sent: the record's data is 33.0 MB, more than the 31.5 MB the catalogue takes in one batch") {
			t.Fatalf("sync: exit %d\n%s%s", rc, out2, errs)
		}
		if _, out, _ := run(t, "", "records", "list", "--db", laptop, "--state", "rejected"); !strings.Contains(out, "1 record\n") {
			t.Errorf("the record set aside:\n%s", out)
		}
		if rc, out, errs := run(t, "", "--sync", "--db", laptop); rc != 0 || !strings.Contains(out, "0 sent") {
			t.Errorf("the next sync: exit %d\n%s%s", rc, out, errs)
		}
	})
}

// checkText reads a megabyte at a time: a bad line past the first is found
// by its number, and a line longer than that is read whole.
func TestCheckTextFindsTheLine(t *testing.T) {
	var data []byte
	for i := 1; i <= 30000; i++ {
		line := []byte(`{"name":"王建国","remark":"` + strings.Repeat("x", 60) + `"}` + "\n")
		if i == 25000 {
			line = gbk(t, string(line))
		}
		data = append(data, line...)
	}
	if err := checkText(bytes.NewReader(data), "f", "utf-8", "en"); err == nil || !strings.HasPrefix(err.Error(), "f:25000: ") || !strings.Contains(err.Error(), "GBK") {
		t.Errorf("err = %v", err)
	}
	long := append(append([]byte("ok\n"), bytes.Repeat([]byte("长"), 1<<20)...), "\nok\n\xff"...)
	if err := checkText(bytes.NewReader(long), "f", "utf-8", "en"); err == nil || !strings.HasPrefix(err.Error(), "f:4: ") {
		t.Errorf("after a 3 MB line: %v", err)
	}
	if err := checkText(bytes.NewReader(long[:len(long)-1]), "f", "utf-8", "en"); err != nil {
		t.Errorf("a 3 MB line: %v", err)
	}
}
