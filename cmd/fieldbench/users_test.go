package main

import (
	"context"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// catalogue user add prints a token once that then identifies the user;
// revoke stops it; bad flags are refused with the usage and store nothing.
func TestCatalogueUsers(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		cmd := func(args ...string) (int, string, string) {
			return run(t, "", append(append([]string{"catalogue"}, args...), where...)...)
		}
		if code, _, errs := cmd("user", "add", "--role", "boss", "--county", "110105"); code != exitUnusable || !strings.Contains(errs, "role") {
			t.Fatalf("bad role: %d %s", code, errs)
		}
		if code, _, errs := cmd("user", "add", "--role", "reviewer"); code != exitUnusable || !strings.Contains(errs, "usage") {
			t.Fatalf("no county: %d %s", code, errs)
		}
		code, out, errs := cmd("user", "add", "--role", "reviewer", "--county", "110105", "--name", "李审核", "--clearance")
		if code != 0 {
			t.Fatalf("user add: %d %s", code, errs)
		}
		token := strings.TrimSpace(out[strings.LastIndex(out, " "):])
		cat := openCatalogueAt(t, where)
		u, err := cat.UserByToken(context.Background(), wire.HashToken(token))
		if err != nil || u.Name != "李审核" || !u.Clearance || u.Role != wire.RoleReviewer {
			t.Fatalf("the printed token does not find the user: %+v %v (%q)", u, err, out)
		}
		cat.Close()
		if _, out, _ := cmd("user", "list"); strings.Count(out, "\n") != 2 || !strings.Contains(out, u.ID) || strings.Contains(out, token) {
			t.Errorf("user list:\n%s", out)
		}
		if code, out, errs := cmd("user", "revoke", u.ID); code != 0 || !strings.Contains(out, "revoked") {
			t.Fatalf("revoke: %d %s%s", code, out, errs)
		}
		if code, _, errs := cmd("user", "revoke", "user-none"); code != exitUnusable || !strings.Contains(errs, "not found") {
			t.Fatalf("revoke unknown: %d %s", code, errs)
		}
	})
}
