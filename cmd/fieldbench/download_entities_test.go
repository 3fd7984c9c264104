package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// fieldbench download --list: an entity list by the sharing rules of the
// form that defines it, masked unless a user with clearance gives
// --clear, one file to stdout or a new file; refusals leave no file.
func TestDownloadEntityList(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		ctx := context.Background()
		if code, out, errs := run(t, "", append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...); code != 0 {
			t.Fatalf("publish: %s%s", out, errs)
		}
		cat := openCatalogueAt(t, where)
		dev := laptopOne(t, cat)
		data, _ := json.Marshal(map[string]any{"head_name": "张建国", forms.EntitiesKey: []forms.EntityChange{{List: "households",
			ID: "0193a000-0000-7000-8000-000000000001", Create: true, Label: "张建国（花家地北里）",
			Properties: map[string]string{"phone": "13811062547", "size": "4"}}}})
		sum := sha256.Sum256(data)
		b := &wire.Batch{BatchID: "b1", DeviceID: dev.ID, Records: []wire.Record{{RecordID: "r1", VersionID: "r1-v1", FormID: "household_visit",
			FormVersion: samples.HouseholdVisitVersion, SHA256: hex.EncodeToString(sum[:]), Data: data, Collector: "王芳", CreatedAt: "2026-03-01T08:00:00Z"}}}
		if rc, err := cat.StoreBatch(ctx, dev, b, wire.Fingerprint(b), nil); err != nil || rc.Results[0].Status != wire.StatusAccepted {
			t.Fatalf("store: %+v %v", rc, err)
		}
		_, readerToken, _ := cat.AddUser(ctx, "读者", wire.RoleReader, "110105", true)
		_, reviewerToken, _ := cat.AddUser(ctx, "审核", wire.RoleReviewer, "110105", true)
		srv := httptest.NewServer((&api.Server{Cat: cat, Exports: cat}).Handler())
		defer srv.Close()
		download := func(token string, more ...string) (int, string, string) {
			return run(t, "", append([]string{"download", "--url", srv.URL, "--token", token, "--list", "households"}, more...)...)
		}

		code, stdout, errs := download(reviewerToken, "--format", "csv")
		if code != 0 || !strings.HasPrefix(stdout, "\uFEFFid,label,") || !strings.Contains(stdout, "138****2547") || strings.Contains(stdout, "13811062547") ||
			!strings.Contains(errs, "downloaded 1 entity of list households (不予共享, masked) to standard output") {
			t.Fatalf("masked csv to stdout: %d %s\n%s", code, errs, stdout)
		}
		out := filepath.Join(t.TempDir(), "households.jsonl")
		if code, stdout, errs := download(reviewerToken, "--format", "jsonl", "--clear", "--out", out); code != 0 || stdout != "" ||
			!strings.Contains(errs, "(不予共享, clear) to "+out) || !strings.Contains(string(readFile(t, out)), `"phone":"13811062547"`) {
			t.Fatalf("clear jsonl to a file: %d %s %s", code, stdout, errs)
		}
		refused := filepath.Join(t.TempDir(), "refused.csv")
		if code, _, errs := download(readerToken, "--format", "csv", "--out", refused); code != exitRejected || !strings.Contains(errs, "403") ||
			!strings.Contains(errs, "reviewers only") {
			t.Errorf("a reader of a 不予共享 list: %d %s", code, errs)
		}
		if _, err := os.Stat(refused); err == nil {
			t.Error("a refused download left its file")
		}
		for name, args := range map[string][]string{
			"--form and --list":      {"--form", "household_visit", "--format", "csv"},
			"--labels with --list":   {"--format", "csv", "--labels"},
			"xlsx to stdout":         {"--format", "xlsx"},
			"--clear without --list": nil,
		} {
			var code int
			var errs string
			if args == nil {
				code, _, errs = run(t, "", "download", "--url", srv.URL, "--token", reviewerToken, "--form", "household_visit", "--format", "csv", "--clear")
			} else {
				code, _, errs = download(reviewerToken, args...)
			}
			if code != exitUnusable {
				t.Errorf("%s: exit %d %s", name, code, errs)
			}
		}
		events, err := cat.ExportEvents(ctx, "household_visit")
		if err != nil || len(events) != 2 || events[0].Format != "entities-csv" || !events[0].Masked || events[1].Masked || events[1].Records != 1 {
			t.Errorf("audit: %+v %v", events, err)
		}
	})
}
