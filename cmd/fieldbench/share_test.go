package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/cnid"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
	"github.com/xuri/excelize/v2"
)

// generatedHouseholds makes n valid household records from the first
// sample answer, each with four people of distinct, valid resident ID
// numbers (the head is also the first member, as in the sample), and
// returns them with every ID used.
func generatedHouseholds(t *testing.T, n int) ([][]byte, []string) {
	records, ids, _ := householdsWithNumbers(t, n)
	return records, ids
}

// householdsWithNumbers is generatedHouseholds whose records also hold,
// typed as people type them, a contact's ID number and the head's mobile
// number in the village's free text, and the mobile number in the phone
// question in yet another spelling; it returns those numbers too.
func householdsWithNumbers(t *testing.T, n int) (records [][]byte, ids, typed []string) {
	t.Helper()
	data, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	form, err := forms.LoadFile(household)
	if err != nil {
		t.Fatal(err)
	}
	var base map[string]any
	if err := json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &base); err != nil {
		t.Fatal(err)
	}
	members := base["members"].([]any)
	day := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	next := 0
	newID := func() string {
		// A 15-digit first-generation number upgraded: county 110105, a
		// birth date, a sequence number, and the check character.
		d := day.AddDate(0, 0, next/999)
		id, err := cnid.Upgrade15(fmt.Sprintf("110105%s%03d", d.Format("060102"), next%999+1))
		if err != nil {
			t.Fatal(err)
		}
		next++
		return id
	}
	records = make([][]byte, n)
	for i := range records {
		head := newID()
		base["head_id"] = head
		base["head_name"] = fmt.Sprintf("户主%05d", i)
		ids = append(ids, head)
		for k, m := range members {
			m := m.(map[string]any)
			if k == 0 {
				m["m_id"] = head
				continue
			}
			m["m_id"] = newID()
			ids = append(ids, m["m_id"].(string))
		}
		contact, mobile := newID(), fmt.Sprintf("1%d%09d", 3+i%7, 100000000+i*37)
		typed = append(typed, contact, mobile)
		base["village"] = "花家地北里社区，联系人身份证" + spellID(contact, i) + "，电话" + spellMobile(mobile, i)
		base["head_phone"] = spellMobile(mobile, phoneSpellings[i%len(phoneSpellings)])
		records[i], _ = json.Marshal(base)
		obj, _ := forms.DecodeRecord(records[i])
		if _, res := form.ValidateRecord(obj, forms.Options{}); !res.OK() {
			t.Fatalf("generated record %d is not valid: %+v", i, res.Errors)
		}
	}
	return records, ids, typed
}

// spellID writes an ID number as issue 13 found them leak: 6-8-4 groups
// apart by a space, a hyphen, a dot, NBSP, U+3000, a zero-width space or
// a line break, groups of four, or full-width digits.
func spellID(id string, k int) string {
	groups := func(sep string) string { return id[:6] + sep + id[6:14] + sep + id[14:] }
	switch k % 9 {
	case 0:
		return groups(" ")
	case 1:
		return id[:4] + " " + id[4:8] + " " + id[8:12] + " " + id[12:16] + " " + id[16:]
	case 2:
		return groups("-")
	case 3:
		return groups(".")
	case 4:
		return groups("\u00a0")
	case 5:
		return groups("\u3000")
	case 6:
		return groups("\u200b")
	case 7:
		return groups("\n")
	}
	return fullWidth(groups("\u3000"))
}

// spellMobile writes a mobile number as people do; phoneSpellings are
// those the cn_mobile check accepts.
func spellMobile(m string, k int) string {
	groups := func(sep string) string { return m[:3] + sep + m[3:7] + sep + m[7:] }
	switch k % 8 {
	case 0:
		return groups("-")
	case 1:
		return "+86 " + groups(" ")
	case 2:
		return m
	case 3:
		return groups(" ")
	case 4:
		return "0086-" + groups("-")
	case 5:
		return fullWidth(m)
	case 6:
		return groups(".")
	}
	return m[:3] + "\u00a0" + m[3:7] + "\u200b" + m[7:]
}

var phoneSpellings = []int{0, 1, 2, 3, 4, 5, 7}

func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r - '0' + '０'
		}
		return r
	}, s)
}

// laptopOne is laptop-1 of township 110105001 enrolled with the
// catalogue, its token "laptop-token".
func laptopOne(t *testing.T, cat *catalogue.DB) *wire.Device {
	t.Helper()
	ctx := context.Background()
	code, err := cat.AddDevice(ctx, "110105001")
	if err != nil {
		t.Fatal(err)
	}
	dev, err := cat.Enrol(ctx, code, "laptop-1", wire.HashToken("laptop-token"))
	if err != nil {
		t.Fatal(err)
	}
	return dev
}

// storeHouseholds sends the records to the catalogue as one laptop of
// township 110105001 would, in batches of 1,000.
func storeHouseholds(t *testing.T, cat *catalogue.DB, records [][]byte) {
	t.Helper()
	ctx := context.Background()
	dev := laptopOne(t, cat)
	for start := 0; start < len(records); start += 1000 {
		b := &wire.Batch{BatchID: fmt.Sprintf("batch-%d", start), DeviceID: dev.ID}
		for i, data := range records[start:min(start+1000, len(records))] {
			sum := sha256.Sum256(data)
			id := fmt.Sprintf("rec-%05d", start+i)
			b.Records = append(b.Records, wire.Record{RecordID: id, VersionID: id + "-v1", FormID: "household_visit", FormVersion: samples.HouseholdVisitVersion,
				SHA256: hex.EncodeToString(sum[:]), Data: data, Collector: "王芳", CreatedAt: "2026-03-01T08:00:00Z"})
		}
		if _, err := cat.StoreBatch(ctx, dev, b, wire.Fingerprint(b), nil); err != nil {
			t.Fatal(err)
		}
	}
}

// describeShared makes the household form a fully described dataset of
// the sharing type.
func describeShared(t *testing.T, cat *catalogue.DB, sharing string) {
	t.Helper()
	_, err := cat.Describe(context.Background(), "household_visit", [][2]string{
		{"resource_code", "201001/00001"}, {"provider", "朝阳区民政局"}, {"provider_uscc", "91350100M000100Y43"},
		{"summary", "全县入户登记"}, {"category", "基础"}, {"format", "数据库"}, {"sharing_type", sharing},
		{"sharing_condition", "仅限民政部门"}, {"sharing_method", "共享平台"}, {"update_cycle", "monthly"}, {"issued", "2026-03-01"},
	}, "describe")
	if err != nil {
		t.Fatal(err)
	}
}

// withoutPseudonyms is an export with its pseudonym values blanked:
// they are 64 hex digits, in which a run of 18 digits passing the check
// turns up by chance now and then, and they are not ID numbers.
func withoutPseudonyms(t *testing.T, name string, data []byte) []byte {
	if !strings.HasSuffix(name, ".csv") {
		out := bytes.Clone(data)
		for i := 0; ; {
			k := bytes.Index(out[i:], []byte("_pseudonym"))
			if k < 0 {
				return out
			}
			i += k + len("_pseudonym")
			for i < len(out) && out[i] == '_' {
				i++
			}
			if bytes.HasPrefix(out[i:], []byte(`":"`)) && i+3+64 < len(out) && out[i+3+64] == '"' {
				copy(out[i+3:i+3+64], bytes.Repeat([]byte("-"), 64))
			}
		}
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v", name, err)
	}
	var b bytes.Buffer
	for _, row := range rows {
		for i, cell := range row {
			if strings.HasSuffix(strings.TrimRight(rows[0][i], "_"), "_pseudonym") && len(cell) == 64 {
				cell = ""
			}
			b.WriteString(cell)
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// clearIDs lists what in data is a generated ID number, or any 18
// characters that pass the GB 11643 check.
func clearIDs(data []byte, generated map[string]bool) []string {
	var found []string
	digits := 0 // how many digits end at i
	for i := 0; i < len(data); i++ {
		if data[i] >= '0' && data[i] <= '9' {
			digits++
		} else {
			digits = 0
		}
		// 17 digits end at i-1: data[i-17:i+1] may be an ID ending in a digit or X.
		if i >= 17 && (digits >= 18 || (digits == 0 && i > 0 && isDigitRun(data[i-17:i]))) {
			w := data[i-17 : i+1]
			if generated[string(w)] || forms.LooksLikeResidentID(string(w)) {
				found = append(found, string(w))
			}
		}
	}
	return found
}

// digitStream is data with every character between digits removed:
// digits (ASCII or full width) as ASCII, X for an ID's check character,
// '*' for a masked digit (a hidden digit, not a separator), nothing else,
// except that a letter or ideograph (which ends a number, by the masking
// rule) and a field's edge (comma, quote, tab: no spelling of issue 13
// types one inside a number) break the stream. Without the breaks, the
// digits of random record IDs and of neighbouring fields ran together
// and now and then spelt one of the 20,000 secret numbers by chance. A
// JSON escape counts as the one character it stands for.
func digitStream(data []byte) []byte {
	out := make([]byte, 0, len(data)/2)
	// Decoded a rune at a time rather than converted to []rune first:
	// the whole export as runes cost seconds of a test of thousands of records.
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		i += n
		switch {
		case r == '\\' && i < len(data):
			// A JSON escape (\n, \u200b) is one character between digits,
			// not a letter.
			e, n := utf8.DecodeRune(data[i:])
			i += n
			if e == 'u' {
				for k := 0; k < 4 && i < len(data); k++ {
					_, n := utf8.DecodeRune(data[i:])
					i += n
				}
			}
		case r >= '0' && r <= '9':
			out = append(out, byte(r))
		case r >= '０' && r <= '９':
			out = append(out, byte(r-'０')+'0')
		case r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ':
			out = append(out, 'X')
		case r == '*' || r == '＊':
			out = append(out, '*')
		case r == ',' || r == '"' || r == '\t' || unicode.IsLetter(r):
			if len(out) > 0 && out[len(out)-1] != '|' {
				out = append(out, '|')
			}
		}
	}
	return out
}

// numbersIn lists the numbers of secret (ID numbers and mobile numbers)
// that the digit stream of data holds, each once.
func numbersIn(data []byte, secret map[string]bool) []string {
	stream := digitStream(data)
	found := map[string]bool{}
	// Every secret is digits and X only, so a window holding a break '|'
	// or a masked '*' cannot be one: only windows inside a run of digits
	// and X are looked up. A masked export is mostly such breaks, and
	// looking up every window of it cost seconds.
	for start := 0; start < len(stream); {
		if c := stream[start]; c == '|' || c == '*' {
			start++
			continue
		}
		end := start
		for end < len(stream) && stream[end] != '|' && stream[end] != '*' {
			end++
		}
		run := stream[start:end]
		for _, size := range []int{18, 11} {
			for i := 0; i+size <= len(run); i++ {
				if w := run[i : i+size]; secret[string(w)] {
					found[string(w)] = true
				}
			}
		}
		start = end
	}
	var list []string
	for n := range found {
		list = append(list, n)
	}
	sort.Strings(list)
	return list
}

// xlsxText is every cell of every sheet of an XLSX file, tab-separated.
func xlsxText(t *testing.T, path string) []byte {
	t.Helper()
	book, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	var b bytes.Buffer
	for _, sheet := range book.GetSheetList() {
		// Raw values: only date cells carry a number format, and
		// formatting every cell's value cost seconds. A date cell, raw
		// (a serial day) or formatted, is a few digits between tabs and
		// so can spell no ID or mobile number either way; text and
		// number cells read the same.
		rows, err := book.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t"))
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

func isDigitRun(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// TestMaskedExportsHoldNoIDNumbers stores 4,000 households with 16,000
// distinct resident ID numbers in ID questions and, typed into free text
// and the phone question in the spellings of issue 13 (groups apart by
// spaces, hyphens, dots, NBSP, U+3000, zero-width spaces, line breaks;
// full-width digits; +86 and 0086), 4,000 more ID numbers and 4,000
// mobile numbers. It exports them masked by every path — the laptop's
// export --masked csv, xlsx and jsonl; HTTP csv (every file) and jsonl
// for a reader without clearance of a 有条件共享 dataset; the
// administrator's csv and jsonl --masked — and finds not one of those
// numbers in any of them, with every character between digits removed,
// nor any 18 digits in a row that pass the ID check; while an unmasked
// export holds every one (so the search can find them). Each catalogue
// export is in the audit.
func TestMaskedExportsHoldNoIDNumbers(t *testing.T) {
	t.Parallel()
	const households = 4000
	records, ids, typed := householdsWithNumbers(t, households)
	generated := make(map[string]bool, len(ids))
	for _, id := range ids {
		generated[id] = true
	}
	if len(generated) != 4*households {
		t.Fatalf("%d distinct IDs, want %d", len(generated), 4*households)
	}
	secret := maps.Clone(generated) // every number that must not come out
	for _, n := range typed {
		secret[n] = true
	}
	if len(secret) != 6*households {
		t.Fatalf("%d distinct numbers, want %d", len(secret), 6*households)
	}
	// check fails t when a masked output holds any number of secret.
	check := func(t *testing.T, name string, data []byte) {
		t.Helper()
		if found := clearIDs(data, generated); len(found) > 0 {
			t.Errorf("%s holds %d clear ID numbers, such as %s", name, len(found), found[0])
		}
		if found := numbersIn(data, secret); len(found) > 0 {
			t.Errorf("%s holds %d ID or mobile numbers once the characters between their digits are removed, such as %s", name, len(found), found[0])
		}
		if !bytes.Contains(data, []byte("110105********")) {
			t.Errorf("%s: no masked ID", name)
		}
	}

	t.Run("laptop", func(t *testing.T) {
		dir := t.TempDir()
		db, in := filepath.Join(dir, "fb.db"), filepath.Join(dir, "households.jsonl")
		if err := os.WriteFile(in, bytes.Join(records, []byte("\n")), 0o600); err != nil {
			t.Fatal(err)
		}
		if code, out, errs := run(t, "", "forms", "add", "--db", db, household); code != 0 {
			t.Fatalf("forms add: %s%s", out, errs)
		}
		if code, out, errs := run(t, "", "import", "--db", db, "--form", "household_visit", in); code != 0 || !strings.Contains(out, fmt.Sprintf("%d stored", households)) {
			t.Fatalf("import: %d %s%s", code, out, errs)
		}
		export := func(args ...string) string {
			code, out, errs := run(t, "", append([]string{"export", "--db", db, "--form", "household_visit"}, args...)...)
			if code != 0 || !strings.Contains(errs, fmt.Sprintf("exported %d records", households)) {
				t.Fatalf("export %v: %d %s", args, code, errs)
			}
			return out
		}
		outputs := map[string][]byte{"laptop.jsonl": []byte(export("--format", "jsonl", "--masked"))}
		export("--format", "csv", "--masked", "--out", filepath.Join(dir, "csv"))
		outputs["laptop-main.csv"] = readFile(t, filepath.Join(dir, "csv", "household_visit.csv"))
		outputs["laptop-members.csv"] = readFile(t, filepath.Join(dir, "csv", "household_visit-members.csv"))
		export("--format", "xlsx", "--masked", "--out", filepath.Join(dir, "hh.xlsx"))
		outputs["laptop.xlsx"] = xlsxText(t, filepath.Join(dir, "hh.xlsx"))
		for name, data := range outputs {
			if lines := bytes.Count(data, []byte("\n")); lines < households {
				t.Errorf("%s: %d lines", name, lines)
			}
			check(t, name, data)
		}
		// The control: unmasked, every number is found.
		if found := numbersIn([]byte(export("--format", "jsonl")), secret); len(found) != len(secret) {
			t.Errorf("the unmasked export shows %d of the %d numbers", len(found), len(secret))
		}
	})

	eachBackend(t, func(t *testing.T, where []string) {
		if code, out, errs := run(t, "", append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...); code != 0 {
			t.Fatalf("publish: %s%s", out, errs)
		}
		cat := openCatalogueAt(t, where)
		storeHouseholds(t, cat, records)
		describeShared(t, cat, resource.SharingConditional)
		reader, token, err := cat.AddUser(context.Background(), "读者", wire.RoleReader, "110105", false)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition, Exports: cat}).Handler())
		defer srv.Close()

		dir := t.TempDir()
		outputs := map[string][]byte{} // what each path wrote, by a name ending in its format
		download := func(format, out string) string {
			args := []string{"download", "--url", srv.URL, "--token", token, "--form", "household_visit", "--format", format}
			if out != "" {
				args = append(args, "--out", out)
			}
			code, stdout, errs := run(t, "", args...)
			if code != 0 || !strings.Contains(errs, fmt.Sprintf("downloaded %d records", households)) || !strings.Contains(errs, "有条件共享, masked") {
				t.Fatalf("download %s: %d %s", format, code, errs)
			}
			return stdout
		}
		outputs["http.jsonl"] = []byte(download("jsonl", ""))
		download("csv", filepath.Join(dir, "http-csv"))
		outputs["http-main.csv"] = readFile(t, filepath.Join(dir, "http-csv", "household_visit.csv"))
		outputs["http-members.csv"] = readFile(t, filepath.Join(dir, "http-csv", "household_visit-members.csv"))
		admin := func(args ...string) string {
			code, out, errs := run(t, "", append(append([]string{"catalogue", "export", "--form", "household_visit"}, args...), where...)...)
			if code != 0 || !strings.Contains(errs, fmt.Sprintf("exported %d records", households)) {
				t.Fatalf("catalogue export %v: %d %s", args, code, errs)
			}
			return out
		}
		outputs["admin.jsonl"] = []byte(admin("--format", "jsonl", "--masked"))
		admin("--format", "csv", "--out", filepath.Join(dir, "admin-csv"), "--masked")
		outputs["admin-main.csv"] = readFile(t, filepath.Join(dir, "admin-csv", "household_visit.csv"))
		outputs["admin-members.csv"] = readFile(t, filepath.Join(dir, "admin-csv", "household_visit-members.csv"))

		for name, data := range outputs {
			if lines := bytes.Count(data, []byte("\n")); lines < households {
				t.Errorf("%s: %d lines", name, lines)
			}
			check(t, name, withoutPseudonyms(t, name, data))
			if !bytes.Contains(data, []byte("_pseudonym")) {
				t.Errorf("%s: no pseudonym", name)
			}
		}
		// The control: unmasked, every ID is found.
		clear := withoutPseudonyms(t, "clear.jsonl", []byte(admin("--format", "jsonl")))
		if found := clearIDs(clear, generated); len(found) != 5*households {
			t.Errorf("the unmasked export shows %d ID numbers, want %d (every person, heads twice)", len(found), 5*households)
		}
		if found := numbersIn(clear, secret); len(found) != len(secret) {
			t.Errorf("the unmasked export shows %d of the %d numbers", len(found), len(secret))
		}

		events, err := cat.ExportEvents(context.Background(), "household_visit")
		if err != nil || len(events) != 6 {
			t.Fatalf("%d audit rows, want 6: %v", len(events), err)
		}
		for i, e := range events {
			http := i < 3
			ok := e.Records == households && !e.FinishedAt.IsZero() && e.Failure == "" && e.Sharing == resource.SharingConditional &&
				e.Masked == (i < 5) && (e.UserID == reader.ID) == http && (e.Remote != "") == http &&
				(e.Command == "") == http && (http || strings.Contains(e.Command, "fieldbench catalogue export --form household_visit"))
			if !ok {
				t.Errorf("audit row %d: %+v", i, e)
			}
		}
		if !strings.Contains(events[3].Command, "--masked") || strings.Contains(events[5].Command, "--masked") || strings.Contains(events[3].Command, "postgres") {
			t.Errorf("commands: %q, %q", events[3].Command, events[5].Command)
		}
		if events[1].File != "household_visit.csv" || events[2].File != "household_visit-members.csv" {
			t.Errorf("csv files: %q %q", events[1].File, events[2].File)
		}
		_, out, _ := run(t, "", append([]string{"catalogue", "exports", "--form", "household_visit"}, where...)...)
		if !strings.Contains(out, "6 exports") || strings.Count(out, reader.ID) != 3 || strings.Count(out, "admin: fieldbench catalogue export") != 3 {
			t.Errorf("catalogue exports:\n%s", out)
		}
	})
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
