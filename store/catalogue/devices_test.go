package catalogue

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/sync/wire"
)

func TestEnrol(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db := openDB(t, w)
		code, err := db.AddDevice(ctx, township)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$`).MatchString(code) {
			t.Fatalf("code %q", code)
		}
		if n := query[int](t, db, `SELECT count(*) FROM enrol_codes WHERE code_hash LIKE ?`, "%"+code+"%"); n != 0 {
			t.Fatal("the code is stored in clear")
		}
		if _, err := db.Enrol(ctx, "ABCD-EFGH-JKMN", "laptop-1", tokenHash("t1")); !errors.Is(err, wire.ErrBadCode) {
			t.Fatalf("wrong code: %v", err)
		}
		// Typed in lower case without the dashes, it still works.
		typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
		dev, err := db.Enrol(ctx, typed, "laptop-1", tokenHash("t1"))
		if err != nil || dev.ID != "laptop-1" || dev.Township != township {
			t.Fatalf("Enrol: %+v %v", dev, err)
		}
		// Once only.
		if _, err := db.Enrol(ctx, code, "laptop-2", tokenHash("t2")); !errors.Is(err, wire.ErrBadCode) {
			t.Fatalf("code used twice: %v", err)
		}
		got, err := db.DeviceByToken(ctx, tokenHash("t1"))
		if err != nil || *got != *dev {
			t.Fatalf("DeviceByToken: %+v %v", got, err)
		}
		if _, err := db.DeviceByToken(ctx, tokenHash("t2")); !errors.Is(err, wire.ErrUnauthorized) {
			t.Fatalf("unknown token: %v", err)
		}

		if err := db.RevokeDevice(ctx, "laptop-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DeviceByToken(ctx, tokenHash("t1")); !errors.Is(err, wire.ErrUnauthorized) {
			t.Fatalf("revoked token: %v", err)
		}
		if err := db.RevokeDevice(ctx, "laptop-1"); err != nil {
			t.Fatalf("revoking again: %v", err)
		}
		if err := db.RevokeDevice(ctx, "laptop-9"); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("unknown device: %v", err)
		}

		// A code made for the laptop enrols it again, with a new token;
		// the old one stays dead (see TestEnrolNeverTakesOverADevice for
		// any other code).
		again, err := db.ReplaceDevice(ctx, township, "laptop-1")
		if err != nil {
			t.Fatal(err)
		}
		dev2, err := db.Enrol(ctx, again, "laptop-1", tokenHash("t3"))
		if err != nil || *dev2 != *dev {
			t.Fatalf("re-enrolled %+v %v", dev2, err)
		}
		if _, err := db.DeviceByToken(ctx, tokenHash("t1")); !errors.Is(err, wire.ErrUnauthorized) {
			t.Fatalf("old token after re-enrolment: %v", err)
		}
		if got, err := db.DeviceByToken(ctx, tokenHash("t3")); err != nil || *got != *dev {
			t.Fatalf("new token after re-enrolment: %+v %v", got, err)
		}
		list, err := db.Devices(ctx)
		if err != nil || len(list) != 1 || !list[0].RevokedAt.IsZero() || list[0].Township != township {
			t.Fatalf("Devices: %+v %v", list, err)
		}

		if _, err := db.AddDevice(ctx, "12345"); err == nil {
			t.Fatal("bad township accepted")
		}
	})
}

func TestCodesDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c, err := newCode()
		if err != nil {
			t.Fatal(err)
		}
		if seen[c] || len(normCode(c)) != codeLen || strings.ContainsAny(c, "01OIL") {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
}
