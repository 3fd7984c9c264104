package main

import (
	"context"
	"io"
	"os"
	"strconv"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// catalogueEntitiesCommand prints an entity list as the catalogue holds
// it: masked by the rules of the form that defines it, or in clear with
// --clear, which the catalogue records in its audit of exports with the
// command line and the operating system's user before printing anything.
func (a *App) catalogueEntitiesCommand() *Command {
	var format, townshipCol, assignCol, out *string
	var inClear *bool
	c := a.catalogueKeyedLeaf("entities", "syn.catalogue_entities", func(n int) bool { return n >= 1 && n <= 3 }, func(ctx context.Context, db *catalogue.DB, args []string) error {
		if len(args) == 2 {
			if args[0] != "export" {
				return errUsage
			}
			return a.exportEntities(ctx, db, args[1], *format, *out, *inClear)
		}
		if len(args) == 3 {
			if args[0] != "import" || *townshipCol == "" {
				return errUsage
			}
			return a.importEntities(ctx, db, catalogue.EntityImport{List: args[1], TownshipCol: *townshipCol, AssignCol: *assignCol,
				Lang: string(a.lang), Who: commandLine([]string{"fieldbench", "catalogue", "entities", "import", args[1], args[2]})}, args[2])
		}
		if *format != "table" && *format != "jsonl" {
			return &usageError{msg: a.f("entities.bad_format", *format)}
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
	out = c.Flags.String("out", "", a.t("flag.entities_out"))
	townshipCol = c.Flags.String("township", "", a.t("flag.import_township"))
	assignCol = c.Flags.String("assign", "", a.t("flag.import_assign"))
	c.Usage, c.Help = "catalogue_entities.usage", []string{"catalogue_entities.help"}
	return c
}

// exportEntities writes a list to a new file (under a temporary name,
// 0600, renamed once complete, so a killed export leaves no partial file
// by that name), masked unless inClear, and recorded in the audit of
// exports as the record exports are.
func (a *App) exportEntities(ctx context.Context, db *catalogue.DB, list, format, out string, inClear bool) error {
	if format != "csv" && format != "xlsx" && format != "jsonl" {
		return &usageError{msg: a.f("format.bad", format)}
	}
	if out == "" {
		return &usageError{msg: a.f("format.needs_out", format)}
	}
	args := []string{"fieldbench", "catalogue", "entities", "export", list, "--format", format, "--out", out}
	if inClear {
		args = append(args, "--clear")
	}
	x, err := db.NewEntityExport(ctx, wire.EntityExportRequest{List: list, Format: format, Clear: inClear, Command: commandLine(args)})
	if err != nil {
		return a.failed("entities.err", list, a.catalogueErr(err))
	}
	n, err := writeNewFile(out, func(w io.Writer) (int, error) {
		return x.Write(ctx, func(string) (io.Writer, error) { return w, nil })
	})
	if err != nil {
		return a.failed("export.failed", a.errText(err))
	}
	a.say(a.Stderr, "plain", a.nf("export_entities.done", n, n, list))
	return nil
}

// importEntities preloads a list from a CSV or XLSX file: every problem
// is printed as FILE:ROW:COLUMN: what, and then nothing is stored.
func (a *App) importEntities(ctx context.Context, db *catalogue.DB, imp catalogue.EntityImport, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return a.failed("plain", err)
	}
	rows, err := catalogue.ReadTable(path, data)
	if err != nil {
		return a.refused("import_entities.unreadable", path, err)
	}
	n, problems, err := db.ImportEntities(ctx, imp, rows)
	if err != nil {
		return err
	}
	for _, p := range problems {
		where := path
		if p.Row > 0 {
			where += ":" + strconv.Itoa(p.Row)
		}
		if p.Column != "" {
			where += ":" + p.Column
		}
		what := a.f("import_entities."+p.Code, p.Value, p.Detail)
		writeLine(a.Stderr, a.f("import_entities.problem", where, what))
	}
	if len(problems) > 0 {
		return a.refused("import_entities.nothing", len(problems))
	}
	a.say(a.Stdout, "plain", a.nf("import_entities.done", n, n, imp.List))
	return nil
}

// printEntities writes a list as a table or one JSON object a line.
func (a *App) printEntities(list []wire.Entity, format string) {
	if format == "jsonl" {
		enc := entityEncoder(a)
		for _, e := range list {
			enc.Encode(entityLine{ID: e.ID, Label: e.Label, Version: e.Version, Conflict: e.Conflict, Properties: nonNil(e.Properties),
				List: e.List, Township: e.Township, AssignedTo: e.AssignedTo, LastVisit: when.Stored(e.LastVisit)})
		}
		return
	}
	t := &table{}
	t.add(a.heads("h.id", "h.label", "h.version", "h.conflict", "h.township", "h.assigned", "h.last_visit", "h.properties")...)
	for _, e := range list {
		conflict := a.t("no")
		if e.Conflict {
			conflict = a.t("yes")
		}
		t.add(e.ID, e.Label, strconv.FormatInt(e.Version, 10), conflict, e.Township, e.AssignedTo, when.Minute(e.LastVisit),
			propertiesText(e.Properties))
	}
	t.write(a.Stdout)
	a.say(a.Stdout, "plain", a.nf("n_entities", len(list), len(list)))
}
