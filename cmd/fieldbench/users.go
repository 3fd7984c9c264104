package main

import (
	"context"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/catalogue"
)

// The county's reviewers and readers: added, revoked and listed.

func (a *App) catalogueUserAdd() *Command {
	var role, county, name *string
	var clearance *bool
	c := a.catalogueLeaf("add", "syn.catalogue_user_add", exactly(0), func(ctx context.Context, db *catalogue.DB, _ []string) error {
		if *role == "" || *county == "" {
			return errUsage
		}
		u, token, err := db.AddUser(ctx, *name, *role, *county, *clearance)
		if err != nil {
			return err
		}
		a.say(a.Stdout, "user.added", u.Role, u.ID, u.Name, u.County)
		a.say(a.Stdout, "user.token", token)
		return nil
	})
	role = c.Flags.String("role", "", a.t("flag.role"))
	county = c.Flags.String("county", "", a.t("flag.county"))
	name = c.Flags.String("name", "", a.t("flag.name"))
	clearance = c.Flags.Bool("clearance", false, a.t("flag.clearance"))
	return c
}

func (a *App) catalogueUserRevoke() *Command {
	return a.catalogueLeaf("revoke", "syn.catalogue_user_revoke", exactly(1), func(ctx context.Context, db *catalogue.DB, args []string) error {
		if err := db.RevokeUser(ctx, args[0]); err != nil {
			return a.failed("user.err", args[0], a.catalogueErr(err))
		}
		a.say(a.Stdout, "revoked", args[0])
		return nil
	})
}

func (a *App) catalogueUserList() *Command {
	return a.catalogueLeaf("list", "", exactly(0), func(ctx context.Context, db *catalogue.DB, _ []string) error {
		users, err := db.Users(ctx)
		if err != nil {
			return err
		}
		t := &table{}
		t.add(a.heads("h.id", "h.role", "h.county", "h.name", "h.clearance", "h.created", "h.revoked")...)
		for _, u := range users {
			c := ""
			if u.Clearance {
				c = a.t("yes")
			}
			t.add(u.ID, u.Role, u.County, u.Name, c, when.Minute(u.CreatedAt), when.Minute(u.RevokedAt))
		}
		t.write(a.Stdout)
		return nil
	})
}
