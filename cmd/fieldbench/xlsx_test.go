package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
	"github.com/xuri/excelize/v2"
)

// readSheet opens an exported workbook and returns a sheet's rows.
func readSheet(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	book, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer book.Close()
	rows, err := book.GetRows(sheet)
	if err != nil {
		t.Fatalf("%s sheet %s: %v", path, sheet, err)
	}
	return rows
}

// column is the value under header h in row r of rows.
func column(t *testing.T, rows [][]string, h string, r int) string {
	t.Helper()
	i := slices.Index(rows[0], h)
	if i < 0 || r >= len(rows) || i >= len(rows[r]) {
		t.Fatalf("no column %q in %q (row %d)", h, rows[0], r)
	}
	return rows[r][i]
}

// The catalogue exports XLSX, at its own command line and to a reader's
// download, with codes by default and labels when asked; a wrong format
// says so before the usage.
func TestCatalogueXLSX(t *testing.T) {
	ctx := context.Background()
	where := catalogueAt(t, "sqlite")
	if code, out, errs := run(t, "", append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...); code != 0 {
		t.Fatalf("publish: %s%s", out, errs)
	}
	cat := openCatalogueAt(t, where)
	useKeyFile(t, cat, where) // as serve would, and as the export commands below do
	records, _ := piitest.Households(t, 3)
	storeHouseholds(t, cat, records)
	_, reviewerToken, _ := cat.AddUser(ctx, "审核", wire.RoleReviewer, "110105", true)
	dir := t.TempDir()

	codes := filepath.Join(dir, "codes.xlsx")
	args := append([]string{"catalogue", "export", "--form", "household_visit", "--format", "xlsx", "--out", codes}, where...)
	if code, _, errs := run(t, "", args...); code != 0 || !strings.Contains(errs, "exported 3 records") {
		t.Fatalf("catalogue export xlsx: %d %s", code, errs)
	}
	rows := readSheet(t, codes, "household_visit")
	if len(rows) != 4 || column(t, rows, "township", 1) != "110105026" || column(t, rows, "hh_size", 1) != "4" {
		t.Errorf("codes: %q", rows[:2])
	}

	labelled := filepath.Join(dir, "labels.xlsx")
	args = append([]string{"catalogue", "export", "--form", "household_visit", "--format", "xlsx", "--labels", "--lang", "zh-Hans", "--out", labelled}, where...)
	if code, _, errs := run(t, "", args...); code != 0 {
		t.Fatalf("catalogue export xlsx --labels: %d %s", code, errs)
	}
	rows = readSheet(t, labelled, "household_visit")
	if slices.Contains(rows[0], "township") || column(t, rows, "乡（镇、街道）", 1) != "望京街道" {
		t.Errorf("labels: %q\n%q", rows[0], rows[1])
	}
	members := readSheet(t, labelled, "members")
	if !slices.Contains(members[1], "户主") || !slices.Contains(members[1], "男") {
		t.Errorf("member labels: %q\n%q", members[0], members[1])
	}

	srv := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition, Exports: cat}).Handler())
	defer srv.Close()
	got := filepath.Join(dir, "download.xlsx")
	if code, _, errs := run(t, "", "download", "--url", srv.URL, "--form", "household_visit", "--format", "xlsx", "--labels", "--lang", "en",
		"--out", got, "--token", reviewerToken); code != 0 || !strings.Contains(errs, "downloaded 3 records") {
		t.Fatalf("download xlsx: %d %s", code, errs)
	}
	rows = readSheet(t, got, "household_visit")
	if slices.Contains(rows[0], "township") || !slices.Contains(rows[1], "Wangjing Jiedao (望京街道)") {
		t.Errorf("download labels: %q\n%q", rows[0], rows[1])
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"catalogue", "export", "--form", "household_visit", "--format", "xls", "--out", filepath.Join(dir, "x")}, `--format "xls": csv, xlsx or jsonl`},
		{[]string{"catalogue", "export", "--form", "household_visit", "--format", "xlsx"}, "--format xlsx needs --out PATH"},
		{[]string{"catalogue", "export", "--form", "household_visit", "--format", "jsonl", "--labels"}, "--labels is for csv and xlsx"},
		{[]string{"download", "--url", srv.URL, "--form", "household_visit", "--format", "xlsx", "--token", reviewerToken}, "--format xlsx needs --out PATH"},
	} {
		if c.args[0] == "catalogue" {
			c.args = append(c.args, where...)
		}
		if code, _, errs := run(t, "", c.args...); code != exitUnusable || !strings.Contains(errs, "fieldbench: "+c.want) || !strings.Contains(errs, "usage") {
			t.Errorf("%q: %d %s", c.args, code, errs)
		}
	}
}
