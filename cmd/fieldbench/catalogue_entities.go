package main

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// catalogueEntitiesCommand prints an entity list as the catalogue holds
// it: masked by the rules of the form that defines it, or in clear with
// --clear, which the catalogue records in its audit of exports with the
// command line and the operating system's user before printing anything.
func (a *App) catalogueEntitiesCommand() *Command {
	var format *string
	var inClear *bool
	c := a.catalogueLeaf("entities", "syn.catalogue_entities", exactly(1), func(ctx context.Context, db *catalogue.DB, args []string) error {
		if *format != "table" && *format != "jsonl" {
			return &usageError{msg: a.f("entities.format_bad", *format)}
		}
		command := ""
		if *inClear {
			command = commandLine([]string{"fieldbench", "catalogue", "entities", args[0], "--format", *format, "--clear"})
		}
		list, err := db.ListEntities(ctx, args[0], *inClear, command)
		if err != nil {
			return a.failed("entities.err", args[0], a.catalogueErr(err))
		}
		a.printEntities(list, *format)
		return nil
	})
	format = c.Flags.String("format", "table", a.t("flag.entities_format"))
	inClear = c.Flags.Bool("clear", false, a.t("flag.entities_clear"))
	return c
}

// entityLine is one entity of --format jsonl: conflict is always there.
type entityLine struct {
	ID         string            `json:"id"`
	Label      string            `json:"label"`
	Version    int64             `json:"version"`
	Conflict   bool              `json:"conflict"`
	Township   string            `json:"township"`
	AssignedTo string            `json:"assigned_to,omitempty"`
	Properties map[string]string `json:"properties"`
}

// printEntities writes a list as a table or one JSON object a line.
func (a *App) printEntities(list []wire.Entity, format string) {
	if format == "jsonl" {
		enc := json.NewEncoder(a.Stdout)
		for _, e := range list {
			props := e.Properties
			if props == nil {
				props = map[string]string{}
			}
			enc.Encode(entityLine{ID: e.ID, Label: e.Label, Version: e.Version, Conflict: e.Conflict, Township: e.Township,
				AssignedTo: e.AssignedTo, Properties: props})
		}
		return
	}
	t := &table{}
	t.add(a.heads("h.id", "h.label", "h.version", "h.conflict", "h.township", "h.properties")...)
	for _, e := range list {
		conflict := a.t("no")
		if e.Conflict {
			conflict = a.t("yes")
		}
		t.add(e.ID, e.Label, strconv.FormatInt(e.Version, 10), conflict, e.Township, propertiesText(e.Properties))
	}
	t.write(a.Stdout)
	a.say(a.Stdout, "plain", a.nf("n_entities", len(list), len(list)))
}

// propertiesText is name=value pairs in name order.
func propertiesText(props map[string]string) string {
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + "=" + props[k]
	}
	return strings.Join(parts, " ")
}
