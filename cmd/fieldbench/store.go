package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/fieldbench/fieldbench/forms"
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
	// First, so that a command's own (passphrase reset's) comes after it
	// and wins.
	opts = append([]store.Option{a.passphraseOption()}, opts...)
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
