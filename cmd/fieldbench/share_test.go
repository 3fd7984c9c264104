package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
	"github.com/xuri/excelize/v2"
)

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
	records, ids, typed := piitest.HouseholdsWithNumbers(t, households)
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
		if found := piitest.ClearIDs(data, generated); len(found) > 0 {
			t.Errorf("%s holds %d clear ID numbers, such as %s", name, len(found), found[0])
		}
		if found := piitest.NumbersIn(data, secret); len(found) > 0 {
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
		if found := piitest.NumbersIn([]byte(export("--format", "jsonl")), secret); len(found) != len(secret) {
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
		if found := piitest.ClearIDs(clear, generated); len(found) != 5*households {
			t.Errorf("the unmasked export shows %d ID numbers, want %d (every person, heads twice)", len(found), 5*households)
		}
		if found := piitest.NumbersIn(clear, secret); len(found) != len(secret) {
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
