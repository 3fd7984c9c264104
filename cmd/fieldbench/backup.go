package main

import (
	"context"
	"errors"

	"github.com/fieldbench/fieldbench/store"
)

func (a *App) backupCommand() *Command {
	c := a.storeLeaf("backup", "backup.usage", exactly(1), func(ctx context.Context, db *store.DB, args []string) error {
		if err := db.Backup(ctx, args[0]); err != nil {
			if errors.Is(err, store.ErrExists) {
				return a.failed("backup.exists", args[0])
			}
			return a.failed("backup.failed", a.storeErr(err))
		}
		a.say(a.Stdout, "backup.done", args[0])
		return nil
	})
	c.Summary, c.Help = "cmd.backup", []string{"backup.help"}
	return c
}
