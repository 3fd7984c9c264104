package main

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// A laptop enrols once. Enrolling it again with an ordinary code is
// refused, and the laptop says what to do: give the administrator its
// device id, who makes a code for it with --replaces (in its own
// township only, listed by device list); with that code it enrols again
// and syncs on with its new token.
func TestEnrolAgainCommands(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		laptop := filepath.Join(t.TempDir(), "fb.db")
		catalogue := func(args ...string) (int, string, string) {
			return run(t, "", append(append([]string{"catalogue"}, args...), where...)...)
		}
		newCode := func(args ...string) string {
			t.Helper()
			code, out, errs := catalogue(append([]string{"device", "add"}, args...)...)
			f := strings.Fields(out)
			if code != 0 || len(f) == 0 {
				t.Fatalf("device add %v: %d %s%s", args, code, out, errs)
			}
			return f[len(f)-1]
		}
		if code, out, errs := catalogue("publish", household, "--township", "110105"); code != 0 {
			t.Fatalf("publish: %d %s%s", code, out, errs)
		}
		cat := openCatalogueAt(t, where)
		server := httptest.NewServer((&api.Server{Cat: cat, Reviews: cat, Form: cat.FormDefinition}).Handler())
		defer server.Close()

		code, out, errs := run(t, "", "enrol", "--db", laptop, server.URL, newCode("--township", "110105001"))
		if code != 0 {
			t.Fatalf("enrol: %d %s%s", code, out, errs)
		}
		id := strings.TrimSuffix(strings.TrimPrefix(strings.Fields(out)[3], "("), ")")
		if wire.CheckDeviceID(id) != nil || !strings.Contains(out, "("+id+")") {
			t.Fatalf("no device id in %q", out)
		}

		other := newCode("--township", "110105002")
		code, _, errs = run(t, "", "enrol", "--db", laptop, server.URL, other)
		if code != exitUnusable || !strings.Contains(errs, "enrolled this laptop (device "+id+") before") ||
			!strings.Contains(errs, "fieldbench catalogue device add --township CODE --replaces "+id) {
			t.Fatalf("enrolling again with an ordinary code: %d %s", code, errs)
		}
		if _, out, _ := catalogue("device", "list"); !strings.Contains(out, id) || !strings.Contains(out, "110105001") || !strings.Contains(out, "1 device") {
			t.Fatalf("device list:\n%s", out)
		}
		if code, _, errs := catalogue("device", "add", "--township", "110105002", "--replaces", id); code != exitUnusable || !strings.Contains(errs, "enrolled for township 110105001") {
			t.Fatalf("a replacement code for another township: %d %s", code, errs)
		}
		again := newCode("--township", "110105001", "--replaces", id)
		if code, out, errs := run(t, "", "enrol", "--db", laptop, server.URL, again); code != 0 || !strings.Contains(out, "township 110105001") {
			t.Fatalf("enrolling again with its code: %d %s%s", code, out, errs)
		}
		if code, out, errs := run(t, "", "--sync", "--db", laptop); code != 0 {
			t.Fatalf("sync with the new token: %d %s%s", code, out, errs)
		}
		// The ordinary code refused above is still good for a new laptop.
		if code, out, errs := run(t, "", "enrol", "--db", filepath.Join(t.TempDir(), "new.db"), server.URL, other); code != 0 || !strings.Contains(out, "township 110105002") {
			t.Fatalf("the refused code on a new laptop: %d %s%s", code, out, errs)
		}
	})
}
