package main

import (
	"context"

	"github.com/fieldbench/fieldbench/store"
)

func (a *App) auditCommand() *Command {
	// Only an existing fieldbench database: a mistyped path, or a backup
	// killed before it wrote anything, must not be created and then
	// reported as a sound, empty trail.
	verify := a.storeLeaf("verify", "audit.usage", exactly(0), func(ctx context.Context, db *store.DB, _ []string) error {
		// The pages first: a damaged file makes any reading of the chain moot.
		if err := db.QuickCheck(ctx); err != nil {
			a.say(a.Stdout, "audit.damaged", err)
			return errRejected
		}
		n, problem, err := db.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		// The records against the hashes the trail holds, also when the
		// chain is broken: what else changed is worth knowing then too.
		data, err := db.VerifyData(ctx)
		if err != nil {
			return err
		}
		if problem != nil {
			a.say(a.Stdout, "audit.broken", problem)
		}
		for _, p := range data.Problems {
			a.say(a.Stdout, "audit.data_changed", p.String())
		}
		if more := data.Count - len(data.Problems); more > 0 {
			a.say(a.Stdout, "audit.data_more", more)
		}
		if problem != nil || data.Count > 0 {
			return errRejected
		}
		a.say(a.Stdout, "plain", a.nf("audit.ok", n, n))
		return nil
	}, store.Existing())
	g := a.group("audit", "cmd.audit", verify)
	g.Usage = "audit.usage"
	return g
}
