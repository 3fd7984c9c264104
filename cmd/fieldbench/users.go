package main

import (
	"context"
	"fmt"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync"
)

// catalogueUser adds, revokes and lists the county's reviewers and
// readers.
func (a *App) catalogueUser(ctx context.Context, db *catalogue.DB, cmd string, args []string, role, county, name string, clearance bool) int {
	switch {
	case cmd == "user add" && len(args) == 0 && role != "" && county != "":
		u, token, err := db.AddUser(ctx, name, role, county, clearance)
		if err != nil {
			fmt.Fprintf(a.Stderr, "fieldbench: %v\n", err)
			return exitUnusable
		}
		fmt.Fprintf(a.Stdout, "added %s %s (%s) of county %s\n", u.Role, u.ID, u.Name, u.County)
		fmt.Fprintf(a.Stdout, "token (shown once, give it to the person): %s\n", token)
	case cmd == "user revoke" && len(args) == 1:
		if err := db.RevokeUser(ctx, args[0]); err != nil {
			fmt.Fprintf(a.Stderr, "fieldbench: user %s: %v\n", args[0], err)
			return exitUnusable
		}
		fmt.Fprintf(a.Stdout, "revoked %s\n", args[0])
	case cmd == "user list" && len(args) == 0:
		users, err := db.Users(ctx)
		if err != nil {
			fmt.Fprintf(a.Stderr, "fieldbench: %v\n", err)
			return exitUnusable
		}
		t := &table{}
		t.add("ID", "ROLE", "COUNTY", "NAME", "CLEARANCE", "CREATED", "REVOKED")
		for _, u := range users {
			c := ""
			if u.Clearance {
				c = "yes"
			}
			t.add(u.ID, u.Role, u.County, u.Name, c, when.Minute(u.CreatedAt), when.Minute(u.RevokedAt))
		}
		t.write(a.Stdout)
	default:
		fmt.Fprintln(a.Stderr, "usage: fieldbench catalogue user add --role "+sync.RoleReviewer+"|"+sync.RoleReader+" --county CODE [--name NAME] [--clearance]")
		fmt.Fprintln(a.Stderr, "       fieldbench catalogue user revoke ID")
		fmt.Fprintln(a.Stderr, "       fieldbench catalogue user list")
		return exitUnusable
	}
	return exitOK
}
