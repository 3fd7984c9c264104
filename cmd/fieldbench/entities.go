package main

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
)

// entitiesCommand prints the laptop's copy of an entity list.
func (a *App) entitiesCommand() *Command {
	var format *string
	c := a.storeLeaf("entities", "entities.usage", exactly(1), func(ctx context.Context, db *store.DB, args []string) error {
		if *format != "table" && *format != "jsonl" {
			return a.usageErr("entities.bad_format", *format)
		}
		list := args[0]
		ents, err := db.Entities(ctx, list)
		if err != nil {
			return err
		}
		if len(ents) == 0 {
			held, err := db.HasEntityList(ctx, list)
			if err != nil {
				return err
			}
			if !held {
				return a.unknownList(ctx, db, list)
			}
		}
		if *format == "jsonl" {
			return writeEntitiesJSONL(a, ents)
		}
		var t table
		t.add(a.heads("h.id", "h.label", "h.version", "h.conflict", "h.last_visit", "h.properties")...)
		for _, e := range ents {
			conflict := ""
			if e.Conflict {
				conflict = a.t("yes")
			}
			t.add(e.ID, e.Label, strconv.FormatInt(e.Version, 10), conflict, when.Minute(e.LastVisit), propertiesText(e.Properties))
		}
		t.write(a.Stdout)
		a.say(a.Stdout, "plain", a.nf("n_entities", len(ents), len(ents)))
		return nil
	})
	format = c.Flags.String("format", "table", a.t("flag.entities_format"))
	c.Summary, c.Help = "cmd.entities", []string{"entities.help"}
	return c
}

// unknownList says which lists the laptop holds, since a misspelt list
// would otherwise look like an empty one.
func (a *App) unknownList(ctx context.Context, db *store.DB, list string) error {
	lists, err := db.EntityLists(ctx)
	if err != nil {
		return err
	}
	if len(lists) == 0 {
		return a.failed("entities.unknown_none", list)
	}
	names := make([]string, len(lists))
	for i, l := range lists {
		names[i] = l.List
	}
	return a.failed("entities.unknown", list, strings.Join(names, a.t("list_sep")))
}

// entityLine is one entity of the jsonl output; the same members as the
// catalogue's entities command prints (last_visit too: the laptop's is the
// catalogue's or a later visit of its own), and the laptop's own beside
// them.
type entityLine struct {
	ID         string            `json:"id"`
	Label      string            `json:"label"`
	Version    int64             `json:"version"`
	Conflict   bool              `json:"conflict"`
	Properties map[string]string `json:"properties"`
	List       string            `json:"list"`
	Township   string            `json:"township,omitempty"`
	AssignedTo string            `json:"assigned_to,omitempty"`
	LastVisit  string            `json:"last_visit,omitempty"`
	ToVisit    bool              `json:"to_visit,omitempty"`
	// Local is true while a change of this laptop's is not yet confirmed
	// by the catalogue.
	Local bool `json:"local,omitempty"`
}

// writeEntitiesJSONL is a machine output: written by its encoder, which
// escapes control characters, not through output.go.
func writeEntitiesJSONL(a *App, ents []store.Entity) error {
	enc := entityEncoder(a)
	for _, e := range ents {
		if err := enc.Encode(entityLine{ID: e.ID, Label: e.Label, Version: e.Version, Conflict: e.Conflict, Properties: nonNil(e.Properties),
			List: e.List, Township: e.Township, AssignedTo: e.AssignedTo, LastVisit: when.Stored(e.LastVisit), ToVisit: e.ToVisit,
			Local: e.Local}); err != nil {
			return err
		}
	}
	return nil
}

// entityEncoder writes the jsonl of both entities commands, laptop and
// catalogue, alike.
func entityEncoder(a *App) *json.Encoder {
	enc := json.NewEncoder(a.Stdout)
	enc.SetEscapeHTML(false)
	return enc
}

// nonNil keeps "properties" an object in jsonl, never null.
func nonNil(props map[string]string) map[string]string {
	if props == nil {
		return map[string]string{}
	}
	return props
}

// propertiesText is an entity's properties for a table cell: name=value,
// by name.
func propertiesText(props map[string]string) string {
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + "=" + props[k]
	}
	return strings.Join(parts, " ")
}
