package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
)

// storeFlags are the flags of every command that opens the database.
type storeFlags struct {
	db        string
	collector string
}

func (a *App) addStoreFlags(fs *flag.FlagSet) *storeFlags {
	sf := &storeFlags{}
	fs.StringVar(&sf.db, "db", "", a.t("flag.db"))
	fs.StringVar(&sf.collector, "collector", "", a.t("flag.collector"))
	return sf
}

// openLaptopStore opens the database the flags name with the options
// given (CreateDir, or Existing for a command that must not create one).
func (a *App) openLaptopStore(sf *storeFlags, opts ...store.Option) (*store.DB, error) {
	path := sf.db
	ownDir := false
	if path == "" {
		p, err := store.DefaultPath(a.Getenv)
		if err != nil {
			return nil, a.failed("db.no_place", err)
		}
		path = p
		// The default directory is fieldbench's own; a directory named
		// by --db or FIELDBENCH_DB is the person's, shared or not.
		ownDir = a.Getenv("FIELDBENCH_DB") == ""
	}
	if sf.collector != "" {
		opts = append(opts, store.WithCollector(sf.collector))
	}
	db, err := store.Open(path, opts...)
	if err != nil {
		return nil, a.failed("plain", a.storeErr(err))
	}
	check := store.DatabaseFiles(path)
	if ownDir {
		check = append(check, filepath.Dir(path))
	}
	a.warnExposed(check...)
	return db, nil
}

// storeLeaf is a command on the laptop's database, with the flags naming
// it; run gets it open (creating it if need be, unless opts say
// otherwise), and it is closed after.
func (a *App) storeLeaf(name, usage string, args func(int) bool, run func(ctx context.Context, db *store.DB, args []string) error, opts ...store.Option) *Command {
	c := a.leaf(name)
	c.Usage, c.Args = usage, args
	sf := a.addStoreFlags(c.Flags)
	c.Run = func(ctx context.Context, args []string) error {
		db, err := a.openLaptopStore(sf, append([]store.Option{store.CreateDir()}, opts...)...)
		if err != nil {
			return err
		}
		defer db.Close()
		return run(ctx, db, args)
	}
	return c
}

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

// shortTime shows a time the catalogue sent (wire text: UTC, or with an
// offset) in the reader's zone, to the minute, as the screens show the
// store's times; the text becomes a time here, at the edge.
func shortTime(stamp string) string { return forms.Sanitize(when.Stamp(stamp), false) }

// findRegisteredForm finds a registered form: the version named, or the
// most recently added one, parsed.
func (a *App) findRegisteredForm(ctx context.Context, db *store.DB, formID, version string) (store.FormVersion, *forms.Form, error) {
	list, err := db.Forms(ctx)
	if err != nil {
		return store.FormVersion{}, nil, err
	}
	fv, found := latestVersion(list, formID, version)
	if !found {
		which := fmt.Sprintf("%q", formID)
		if version != "" {
			which += a.f("version_q", version)
		}
		return store.FormVersion{}, nil, a.failed("form_not_registered", which)
	}
	form, err := db.Form(ctx, fv.FormID, fv.Version)
	if err != nil {
		return store.FormVersion{}, nil, err
	}
	return fv, form, nil
}

// latestVersion picks the version of a form to import into: the one named,
// or the most recently added.
func latestVersion(list []store.FormVersion, formID, version string) (store.FormVersion, bool) {
	var found []store.FormVersion
	for _, fv := range list {
		if fv.FormID == formID && (version == "" || fv.Version == version) {
			found = append(found, fv)
		}
	}
	if len(found) == 0 {
		return store.FormVersion{}, false
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].AddedAt.Before(found[j].AddedAt) })
	return found[len(found)-1], true
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
