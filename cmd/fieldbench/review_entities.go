package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// The reviewer's side of entity conflicts: list the open ones of the
// county and resolve one, over the review API (wire.EntityConflictsPath);
// and of entity errors (wire.EntityErrorsPath), which are only listed.

func (a *App) reviewConflictsCommand() *Command {
	var inClear *bool
	c := a.reviewLeaf("conflicts", "syn.review_conflicts", exactly(0), func(ctx context.Context, c *laptop.Client, _ []string) error {
		list, err := c.EntityConflicts(ctx, *inClear)
		if err != nil {
			return a.reviewFailed(err)
		}
		t := &table{}
		t.add(a.heads("h.id", "h.list", "h.entity", "h.label", "h.version", "h.base", "h.device", "h.properties", "h.before")...)
		for _, x := range list {
			t.add(x.ID, x.List, x.EntityID, x.Label, strconv.FormatInt(x.Version, 10), strconv.FormatInt(x.BaseVersion, 10),
				x.DeviceID, propertiesText(x.Current), propertiesText(x.Before))
		}
		t.write(a.Stdout)
		a.say(a.Stdout, "plain", a.nf("n_conflicts", len(list), len(list)))
		return nil
	})
	inClear = c.Flags.Bool("clear", false, a.t("flag.conflicts_clear"))
	return c
}

func (a *App) reviewResolveCommand() *Command {
	var keep *string
	var sets multiFlag
	c := a.reviewLeaf("resolve", "syn.review_resolve", exactly(1), func(ctx context.Context, c *laptop.Client, args []string) error {
		if *keep == "" {
			return errUsage
		}
		res := wire.EntityResolution{Keep: *keep}
		for _, s := range sets {
			k, v, ok := strings.Cut(s, "=")
			if !ok || k == "" {
				return &usageError{msg: a.f("resolve.bad_set", s)}
			}
			if res.Properties == nil {
				res.Properties = map[string]string{}
			}
			res.Properties[k] = v
		}
		e, err := c.ResolveEntityConflict(ctx, args[0], res)
		if err != nil {
			return a.reviewFailed(err)
		}
		a.say(a.Stdout, "resolve.done", args[0], res.Keep, e.List, e.ID, e.Version)
		return nil
	})
	keep = c.Flags.String("keep", "", a.t("flag.resolve_keep"))
	c.Flags.Var(&sets, "set", a.t("flag.resolve_set"))
	return c
}

// reviewEntityErrorsCommand lists the updates of entities the catalogue
// did not hold: their records are kept and changed no entity, for the
// reviewer to follow up (a household registered elsewhere, a pick from an
// outdated list).
func (a *App) reviewEntityErrorsCommand() *Command {
	var inClear *bool
	c := a.reviewLeaf("entity-errors", "syn.review_entity_errors", exactly(0), func(ctx context.Context, c *laptop.Client, _ []string) error {
		list, err := c.EntityErrors(ctx, *inClear)
		if err != nil {
			return a.reviewFailed(err)
		}
		t := &table{}
		t.add(a.heads("h.record", "h.form", "h.list", "h.entity", "h.base", "h.township", "h.device", "h.at")...)
		for _, x := range list {
			base := ""
			if x.BaseVersion >= 0 {
				base = strconv.FormatInt(x.BaseVersion, 10)
			}
			t.add(x.RecordID, x.FormID, x.List, x.EntityID, base, x.Township, x.DeviceID, when.Stamp(x.At))
		}
		t.write(a.Stdout)
		a.say(a.Stdout, "plain", a.nf("n_entity_errors", len(list), len(list)))
		return nil
	})
	inClear = c.Flags.Bool("clear", false, a.t("flag.entity_errors_clear"))
	return c
}
