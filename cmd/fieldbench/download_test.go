package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// fieldbench download: the token from FIELDBENCH_TOKEN or --token, the
// export to a new file or stdout, and every refusal shown with its status
// and the catalogue's reason, leaving no file behind.
func TestDownloadCommand(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		ctx := context.Background()
		if code, out, errs := run(t, "", append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...); code != 0 {
			t.Fatalf("publish: %s%s", out, errs)
		}
		cat := openCatalogueAt(t, where)
		records, ids := piitest.Households(t, 3)
		storeHouseholds(t, cat, records)
		_, readerToken, _ := cat.AddUser(ctx, "读者", wire.RoleReader, "110105", true)
		_, reviewerToken, _ := cat.AddUser(ctx, "审核", wire.RoleReviewer, "110105", true)
		revoked, revokedToken, _ := cat.AddUser(ctx, "", wire.RoleReviewer, "110105", true)
		cat.RevokeUser(ctx, revoked.ID)
		srv := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition, Exports: cat}).Handler())
		defer srv.Close()
		dir := t.TempDir()
		out := filepath.Join(dir, "hh.jsonl")
		download := func(token string, more ...string) (int, string, string) {
			args := append([]string{"download", "--url", srv.URL, "--form", "household_visit", "--format", "jsonl"}, more...)
			if token != "" {
				args = append(args, "--token", token)
			}
			return run(t, "", args...)
		}

		for _, c := range []struct {
			name, token string
			args        []string
			code        int
			want        []string
		}{
			{"no token", "", nil, exitUnusable, []string{"FIELDBENCH_TOKEN"}},
			{"不予共享 to a reader", readerToken, []string{"--out", out}, exitRejected, []string{"does not allow this (403)", "reviewers only"}},
			{"revoked", revokedToken, []string{"--out", out}, exitRejected, []string{"401", "unknown or revoked"}},
			{"a laptop's token", "laptop-token", nil, exitRejected, []string{"403", "laptop"}},
			{"unknown form", reviewerToken, []string{"--form", "nothing"}, exitRejected, []string{"404", "nothing"}},
		} {
			code, stdout, errs := download(c.token, c.args...)
			if code != c.code || stdout != "" {
				t.Errorf("%s: exit %d, want %d; stdout %q", c.name, code, c.code, stdout)
			}
			for _, w := range c.want {
				if !strings.Contains(errs, w) {
					t.Errorf("%s: %q does not say %q", c.name, errs, w)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatalf("%s: a refused download left %s", c.name, out)
			}
		}
		if code, _, errs := run(t, "", "download", "--url", srv.URL, "--format", "jsonl", "--token", "x"); code != exitUnusable || !strings.Contains(errs, "usage") {
			t.Errorf("no --form: %d %s", code, errs)
		}

		// The token from the environment, to a new file.
		var stdout, stderr bytes.Buffer
		app := &App{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string {
			if k == tokenEnv {
				return reviewerToken + "\n"
			}
			return ""
		}}
		if code := app.Run([]string{"download", "--url", srv.URL, "--form", "household_visit", "--format", "jsonl", "--out", out}); code != 0 {
			t.Fatalf("download with %s: %d %s", tokenEnv, code, stderr.String())
		}
		got := string(readFile(t, out))
		if strings.Count(got, "\n") != 3 || !strings.Contains(got, ids[0]) || !strings.Contains(got, "head_id_pseudonym") ||
			!strings.Contains(stderr.String(), "已下载 3 条记录（household_visit，不予共享，原文）到 "+out) { // no language set: Simplified Chinese
			t.Errorf("download:\n%s\n%s", got, stderr.String())
		}
		if code, _, errs := download(reviewerToken, "--out", out); code != exitRejected || !strings.Contains(errs, "already exists") {
			t.Errorf("over an existing file: %d %s", code, errs)
		}
		if string(readFile(t, out)) != got {
			t.Error("the existing file was changed")
		}
		// CSV to stdout is the main level.
		if code, stdout, errs := run(t, "", "download", "--url", srv.URL, "--form", "household_visit", "--format", "csv", "--token", reviewerToken); code != 0 ||
			!strings.HasPrefix(stdout, "\uFEFFKEY,") || strings.Count(stdout, "\n") != 4 || strings.Contains(stdout, "PARENT_KEY") {
			t.Errorf("csv to stdout: %d %s\n%s", code, errs, stdout)
		}

		// Something that is not the catalogue answers.
		portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>login</html>")) }))
		defer portal.Close()
		if code, _, errs := run(t, "", "download", "--url", portal.URL, "--form", "household_visit", "--format", "jsonl", "--token", reviewerToken); code != exitRejected || !strings.Contains(errs, "not the catalogue") {
			t.Errorf("captive portal: %d %s", code, errs)
		}
	})
}

// The help names the variable the token is read from in every language:
// the text spells it out, the code reads tokenEnv.
func TestDownloadHelpNamesTheTokenVariable(t *testing.T) {
	for _, lang := range []string{"zh-Hans", "zh-Hant", "en"} {
		if _, _, errs := runEnv(nil, "", "download", "-h", "--lang", lang); strings.Count(errs, tokenEnv) < 2 {
			t.Errorf("download -h --lang %s names %s in the flags only:\n%s", lang, tokenEnv, errs)
		}
	}
}
