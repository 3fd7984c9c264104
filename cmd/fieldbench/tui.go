package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui"
)

// runTUI opens the workbench: fieldbench with no command, or with only the
// database flags. On first run it creates the database in the user's data
// directory and installs the sample forms, so a new user is filling a
// form within seconds.
func (a *App) runTUI(args []string) int {
	fs := a.newFlagSet("fieldbench")
	sf := a.addStoreFlags(fs)
	lang := fs.String("lang", "", a.t("flag.ui_lang"))
	fs.Usage = func() {
		a.usage(a.Stderr)
		fmt.Fprintln(a.Stderr)
		a.printFlags(a.Stderr, fs)
	}
	if err := a.parseFlags(fs, args); err != nil {
		return exitUnusable
	}
	if fs.NArg() > 0 {
		a.fail("unknown_command", fs.Arg(0))
		fmt.Fprintln(a.Stderr)
		a.usage(a.Stderr)
		return exitUnusable
	}
	// A name given here stands in for the first-run setup: the same
	// rules, and it is stored, not held for this session only, so that a
	// change in Settings takes effect at once.
	collector := ""
	if sf.collector != "" {
		name, err := tui.CollectorName(sf.collector)
		if err != nil {
			a.fail("tui.collector", tui.RuleText(a.lang, err))
			return exitUnusable
		}
		collector, sf.collector = name, ""
	}
	db, ok := a.openStore(sf)
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := installSamples(ctx, db); err != nil {
		a.fail("tui.samples", a.storeErr(err))
		return exitUnusable
	}
	if collector != "" {
		if err := db.SetCollector(ctx, collector); err != nil {
			a.fail("plain", a.storeErr(err))
			return exitUnusable
		}
	}
	notTerminal := a.IsTerminal == nil || !a.IsTerminal(a.Stdout)
	err := tui.Run(ctx, tui.Deps{DB: db, In: a.Stdin, Out: a.Stdout, Getenv: a.Getenv,
		Lang: a.language(*lang), NotTerminal: notTerminal,
		Enrol: func(ctx context.Context, address, code string) (string, error) {
			resp, _, err := enrolLaptop(ctx, db, address, code)
			if err != nil {
				return "", err
			}
			return resp.Township, nil
		}})
	if err != nil {
		a.fail("plain", clean(err.Error()))
		return exitUnusable
	}
	return exitOK
}

// installSamples registers the embedded sample forms in a database that
// has no forms yet.
func installSamples(ctx context.Context, db *store.DB) error {
	list, err := db.FormVersions(ctx)
	if err != nil || len(list) > 0 {
		return err
	}
	for _, name := range []string{"household_visit.xlsx", "business_census.xlsx"} {
		data, err := samples.FS.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := db.AddForm(ctx, name, data); err != nil {
			return err
		}
	}
	return nil
}
