package main

import (
	"context"
	"slices"
	"strings"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
)

func (a *App) recordsCommand() *Command {
	var formID, state *string
	list := a.storeLeaf("list", "records.usage", exactly(0), func(ctx context.Context, db *store.DB, _ []string) error {
		// A misspelt state would list nothing and look like an empty database.
		if *state != "" && !slices.Contains(store.States, store.State(*state)) {
			return a.failed("records.bad_state", *state, a.stateCodes(store.States))
		}
		recs, err := db.Records(ctx, store.Filter{FormID: *formID, State: store.State(*state)})
		if err != nil {
			return err
		}
		var t table
		t.add(a.heads("h.id", "h.form", "h.version", "h.state", "h.name", "h.updated")...)
		for _, r := range recs {
			t.add(r.ID, r.FormID, r.FormVersion, string(r.State), r.InstanceName, when.Minute(r.UpdatedAt))
		}
		t.write(a.Stdout)
		a.say(a.Stdout, "plain", a.nf("n_records", len(recs), len(recs)))
		return nil
	})
	formID = list.Flags.String("form", "", a.t("flag.records_form"))
	state = list.Flags.String("state", "", a.t("flag.records_state"))
	g := a.group("records", "cmd.records", list)
	g.Usage = "records.usage"
	return g
}

// stateCodes lists states by the codes --state takes, in the reader's
// list punctuation.
func (a *App) stateCodes(states []store.State) string {
	codes := make([]string, len(states))
	for i, st := range states {
		codes[i] = string(st)
	}
	return strings.Join(codes, a.t("list_sep"))
}
