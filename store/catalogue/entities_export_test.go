package catalogue

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
	"github.com/xuri/excelize/v2"
)

// An entity list is exported by the rules of the form that defines it:
// masked unless in clear, in clear only for the administrator or a user
// with clearance, nothing of another county, every export in the audit;
// each format reads back with one row per entity.
func TestEntityExport(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		if _, err := db.Publish(ctx, "hh_register.xlsx", clearForm(t), []string{township}); err != nil {
			t.Fatal(err)
		}
		r := entRec("r1", "v1", create(hh1, "张三家", map[string]string{"head_id": "110105196805140036", "head_phone": "13811062547", "size": "=1+1"}))
		r2 := entRec("r2", "v2", create(hh2, "李四家", map[string]string{"head_id": "110105197001010011", "head_phone": "13911062547"}))
		r.FormID, r.FormVersion, r2.FormID, r2.FormVersion = "hh_register", "1", "hh_register", "1"
		send(t, db, dev, batch("b1", dev, r, r2))

		key, err := db.PseudonymKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pseudonym := forms.NewPseudonymizer(key)
		write := func(req wire.EntityExportRequest) (string, int, error) {
			t.Helper()
			req.List = "households"
			x, err := db.NewEntityExport(ctx, req)
			if err != nil {
				return "", 0, err
			}
			var buf bytes.Buffer
			n, err := x.Write(ctx, func(string) (io.Writer, error) { return &buf, nil })
			return buf.String(), n, err
		}
		for _, format := range []string{"csv", "xlsx", "jsonl"} {
			out, n, err := write(wire.EntityExportRequest{Format: format, Command: "test"})
			if err != nil || n != 2 {
				t.Fatalf("%s: %d %v", format, n, err)
			}
			rows := readBack(t, format, out)
			if len(rows) != 3 || rows[0][0] != "id" || len(rows[0]) != len(EntityExportColumns)+4 {
				t.Fatalf("%s read back: %q", format, rows)
			}
			// The ID number's pseudonym, beside it, masked or not, as in
			// record exports.
			if col := len(EntityExportColumns) + 1; rows[0][col] != "head_id_pseudonym" || rows[1][col] != pseudonym.Of("110105196805140036") ||
				rows[2][col] != pseudonym.Of("110105197001010011") {
				t.Errorf("%s pseudonyms: %q", format, rows)
			}
			if format == "xlsx" {
				out = ""
				for _, row := range rows {
					out += strings.Join(row, ",") + "\n"
				}
			}
			if strings.Contains(out, "110105196805140036") || strings.Contains(out, "13811062547") || !strings.Contains(out, "138****2547") {
				t.Errorf("%s masked export:\n%s", format, out)
			}
		}
		if out, _, _ := write(wire.EntityExportRequest{Format: "csv"}); !strings.Contains(out, "'=1+1") {
			t.Errorf("a formula-like property is not defused:\n%s", out)
		}
		if out, _, err := write(wire.EntityExportRequest{Format: "csv", Clear: true, Command: "admin --clear"}); err != nil ||
			!strings.Contains(out, "110105196805140036,"+pseudonym.Of("110105196805140036")) {
			t.Errorf("the administrator's clear export: %v\n%s", err, out)
		}

		cleared := &wire.User{ID: "u1", Role: wire.RoleReviewer, County: "110105", Clearance: true}
		plain := &wire.User{ID: "u2", Role: wire.RoleReviewer, County: "110105"}
		elsewhere := &wire.User{ID: "u3", Role: wire.RoleReviewer, County: "110106", Clearance: true}
		reader := &wire.User{ID: "u4", Role: wire.RoleReader, County: "110105", Clearance: true}
		if out, n, err := write(wire.EntityExportRequest{Format: "jsonl", Clear: true, User: cleared}); err != nil || n != 2 || !strings.Contains(out, "13811062547") {
			t.Errorf("a cleared reviewer in clear: %d %v\n%s", n, err, out)
		}
		if out, n, err := write(wire.EntityExportRequest{Format: "jsonl", User: cleared}); err != nil || n != 2 || strings.Contains(out, "13811062547") {
			t.Errorf("a cleared reviewer, masked by default: %d %v\n%s", n, err, out)
		}
		var refusal *wire.Refusal
		if _, _, err := write(wire.EntityExportRequest{Format: "jsonl", Clear: true, User: plain}); !errors.As(err, &refusal) {
			t.Errorf("a reviewer without clearance in clear: %v", err)
		}
		if _, _, err := write(wire.EntityExportRequest{Format: "jsonl", User: reader}); !errors.As(err, &refusal) {
			t.Errorf("a reader of a 不予共享 list: %v", err)
		}
		if out, n, err := write(wire.EntityExportRequest{Format: "jsonl", User: elsewhere}); err != nil || n != 0 || out != "" {
			t.Errorf("a reviewer of another county: %d %v\n%s", n, err, out)
		}
		if _, err := db.NewEntityExport(ctx, wire.EntityExportRequest{List: "nosuch", Format: "csv"}); !errors.Is(err, wire.ErrNotFound) {
			t.Errorf("unknown list: %v", err)
		}

		events, err := db.ExportEvents(ctx, "hh_register")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			masked := "clear"
			if e.Masked {
				masked = "masked"
			}
			got = append(got, e.Format+" "+e.File+" "+masked+" "+e.UserID+" "+strings.Repeat("+", e.Records))
		}
		want := []string{"entities-csv households masked  ++", "entities-xlsx households masked  ++", "entities-jsonl households masked  ++",
			"entities-csv households masked  ++", "entities-csv households clear  ++", "entities-jsonl households clear u1 ++",
			"entities-jsonl households masked u1 ++", "entities-jsonl households masked u3 "}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// readBack parses an export as rows of cells, the header first.
func readBack(t *testing.T, format, out string) [][]string {
	t.Helper()
	switch format {
	case "csv":
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	case "xlsx":
		f, err := excelize.OpenReader(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("households")
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	props := []string{"head_id", "head_id_pseudonym", "head_phone", "size"}
	rows := [][]string{append(append([]string{}, EntityExportColumns...), props...)}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var e struct {
			ID         string            `json:"id"`
			Properties map[string]string `json:"properties"`
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		row := append([]string{e.ID}, make([]string, len(EntityExportColumns)-1)...)
		for _, p := range props {
			row = append(row, e.Properties[p])
		}
		rows = append(rows, row)
	}
	return rows
}
