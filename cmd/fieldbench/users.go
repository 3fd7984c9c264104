package main

import (
	"context"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// catalogueUser adds, revokes and lists the county's reviewers and
// readers.
func (a *App) catalogueUser(ctx context.Context, db *catalogue.DB, cmd string, args []string, role, county, name string, clearance bool) int {
	switch {
	case cmd == "user add" && len(args) == 0 && role != "" && county != "":
		u, token, err := db.AddUser(ctx, name, role, county, clearance)
		if err != nil {
			a.fail("plain", clean(err.Error()))
			return exitUnusable
		}
		a.say(a.Stdout, "user.added", clean(u.Role), clean(u.ID), clean(u.Name), clean(u.County))
		a.say(a.Stdout, "user.token", token)
	case cmd == "user revoke" && len(args) == 1:
		if err := db.RevokeUser(ctx, args[0]); err != nil {
			a.fail("user.err", clean(args[0]), a.catalogueErr(err))
			return exitUnusable
		}
		a.say(a.Stdout, "revoked", clean(args[0]))
	case cmd == "user list" && len(args) == 0:
		users, err := db.Users(ctx)
		if err != nil {
			a.fail("plain", clean(err.Error()))
			return exitUnusable
		}
		t := &table{}
		t.add(a.heads("h.id", "h.role", "h.county", "h.name", "h.clearance", "h.created", "h.revoked")...)
		for _, u := range users {
			c := ""
			if u.Clearance {
				c = a.t("yes")
			}
			t.add(clean(u.ID), clean(u.Role), clean(u.County), clean(u.Name), c, when.Minute(u.CreatedAt), when.Minute(u.RevokedAt))
		}
		t.write(a.Stdout)
	default:
		a.saySyntax(a.Stderr, "user.usage", wire.RoleReviewer+"|"+wire.RoleReader)
		a.saySyntax(a.Stderr, "user.usage_more")
		return exitUnusable
	}
	return exitOK
}
