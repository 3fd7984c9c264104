package catalogue

import (
	"context"
	"errors"
	"testing"

	"github.com/fieldbench/fieldbench/sync/wire"
)

func TestUsers(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db := openDB(t, w)
		for _, bad := range []struct{ role, county string }{
			{"admin", "110105"}, {wire.RoleReviewer, "110105001"}, {wire.RoleReviewer, "1101"}, {wire.RoleReader, "99999x"},
		} {
			if _, _, err := db.AddUser(ctx, "x", bad.role, bad.county, false); err == nil {
				t.Errorf("AddUser(%q, %q) took it", bad.role, bad.county)
			}
		}
		if n := query[int](t, db, `SELECT count(*) FROM users`); n != 0 {
			t.Fatalf("a refused user was stored: %d rows", n)
		}
		u, token, err := db.AddUser(ctx, "王审核\x1b[31m", wire.RoleReviewer, "110105", true)
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "王审核[31m" && u.Name != "王审核" {
			t.Errorf("name not stripped of its escape: %q", u.Name)
		}
		if n := query[int](t, db, `SELECT count(*) FROM users WHERE token_hash = ?`, token); n != 0 {
			t.Fatal("the token is stored in clear")
		}
		got, err := db.UserByToken(ctx, wire.HashToken(token))
		if err != nil || got.ID != u.ID || got.Role != wire.RoleReviewer || got.County != "110105" || !got.Clearance {
			t.Fatalf("UserByToken: %+v %v", got, err)
		}
		if !got.Covers("110105001") || got.Covers("110106001") {
			t.Error("Covers is wrong")
		}
		reader, _, err := db.AddUser(ctx, "", wire.RoleReader, "110105", false)
		if err != nil || reader.Name != wire.RoleReader || reader.Clearance {
			t.Fatalf("reader: %+v %v", reader, err)
		}
		if err := db.RevokeUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserByToken(ctx, wire.HashToken(token)); !errors.Is(err, wire.ErrUnauthorized) {
			t.Fatalf("revoked token still works: %v", err)
		}
		if err := db.RevokeUser(ctx, "user-nobody"); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("unknown user: %v", err)
		}
		list, err := db.Users(ctx)
		if err != nil || len(list) != 2 {
			t.Fatalf("Users: %+v %v", list, err)
		}
		for _, l := range list {
			if (l.ID == u.ID) != !l.RevokedAt.IsZero() {
				t.Errorf("revocation shown wrong: %+v", l)
			}
		}
	})
}
