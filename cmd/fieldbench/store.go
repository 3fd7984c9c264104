package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
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

// openStore opens (creating if needed) the database the flags name.
func (a *App) openStore(sf *storeFlags) (*store.DB, bool) {
	return a.openStoreWith(sf, store.CreateDir())
}

// openStoreWith is openLaptopStore for a command that prints its own
// failure. TODO(issue 15): gone once every command is a Command.
func (a *App) openStoreWith(sf *storeFlags, opts ...store.Option) (*store.DB, bool) {
	db, err := a.openLaptopStore(sf, opts...)
	if err != nil {
		a.exitCode(nil, err)
		return nil, false
	}
	return db, true
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

// parseAndOpen parses a store command's flags, checks the number of
// arguments left (want reports whether n is right; nil takes any), and
// opens the database. ok false means exit with exitUnusable: the reason
// has been printed.
func (a *App) parseAndOpen(fs *flag.FlagSet, sf *storeFlags, args []string, want func(n int) bool) (*store.DB, bool) {
	if err := a.parseFlags(fs, reorderFlags(fs, args)); err != nil {
		return nil, false
	}
	if want != nil && !want(fs.NArg()) {
		fs.Usage()
		return nil, false
	}
	return a.openStore(sf)
}

func exactly(k int) func(int) bool { return func(n int) bool { return n == k } }
func atLeast(k int) func(int) bool { return func(n int) bool { return n >= k } }

func (a *App) runFormsAdd(args []string) int {
	fs := a.newFlagSet("forms add")
	sf := a.addStoreFlags(fs)
	a.addLangFlag(fs)
	fs.Usage = func() {
		a.saySyntax(a.Stderr, "forms_add.usage")
		a.sayWrapped(a.Stderr, "forms_add.help")
		a.printFlags(a.Stderr, fs)
	}
	db, ok := a.parseAndOpen(fs, sf, args, atLeast(1))
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	code := exitOK
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			a.printLoadError(a.Stderr, path, err)
			code = exitRejected
			continue
		}
		fv, err := db.AddForm(context.Background(), path, data)
		if err != nil {
			a.printLoadError(a.Stderr, path, err)
			code = exitRejected
			continue
		}
		what := "forms_add.added"
		if fv.AlreadyPresent {
			what = "forms_add.present"
		}
		a.say(a.Stdout, what, clean(path), forms.Sanitize(fv.FormID, false),
			forms.Sanitize(fv.Version, false), forms.Sanitize(fv.Title, false))
	}
	return code
}

func (a *App) runFormsList(args []string) int {
	fs := a.newFlagSet("forms list")
	sf := a.addStoreFlags(fs)
	a.addLangFlag(fs)
	fs.Usage = func() {
		a.saySyntax(a.Stderr, "forms_list.usage")
		a.printFlags(a.Stderr, fs)
	}
	db, ok := a.parseAndOpen(fs, sf, args, exactly(0))
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	list, err := db.Forms(context.Background())
	if err != nil {
		a.fail("plain", clean(err.Error()))
		return exitUnusable
	}
	if len(list) == 0 {
		a.say(a.Stdout, "forms_list.none")
		return exitOK
	}
	// Each form version takes a line and its records, counted in every
	// state, an indented line under it: seven count columns beside the
	// title would not fit 80 columns. The counts line up from one form to
	// the next, each padded to its widest.
	var t table
	t.add(a.heads("h.form", "h.version", "h.title")...)
	digits := map[store.State]int{}
	for _, fv := range list {
		t.add(forms.Sanitize(fv.FormID, false), forms.Sanitize(fv.Version, false), forms.Sanitize(fv.Title, false))
		for _, s := range store.States {
			digits[s] = max(digits[s], len(fmt.Sprint(fv.Counts[s])))
		}
	}
	lines := t.lines()
	fmt.Fprintln(a.Stdout, lines[0])
	for i, fv := range list {
		fmt.Fprintln(a.Stdout, lines[i+1])
		var counts []string
		for _, s := range store.States {
			counts = append(counts, fmt.Sprintf("%s %*d", a.stateName(s), digits[s], fv.Counts[s]))
		}
		for _, l := range wrap(counts, "  ", 80) {
			fmt.Fprintln(a.Stdout, l)
		}
	}
	return exitOK
}

func (a *App) runRecords(args []string) int {
	if len(args) == 0 || args[0] != "list" {
		a.saySyntax(a.Stderr, "records.usage")
		return exitUnusable
	}
	fs := a.newFlagSet("records list")
	sf := a.addStoreFlags(fs)
	a.addLangFlag(fs)
	formID := fs.String("form", "", a.t("flag.records_form"))
	state := fs.String("state", "", a.t("flag.records_state"))
	fs.Usage = func() {
		a.saySyntax(a.Stderr, "records.usage")
		a.printFlags(a.Stderr, fs)
	}
	db, ok := a.parseAndOpen(fs, sf, args[1:], exactly(0))
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	// A misspelt state would list nothing and look like an empty database.
	if *state != "" && !slices.Contains(store.States, store.State(*state)) {
		a.fail("records.bad_state", clean(*state), a.stateCodes(store.States))
		return exitUnusable
	}
	recs, err := db.Records(context.Background(), store.Filter{FormID: *formID, State: store.State(*state)})
	if err != nil {
		a.fail("plain", clean(err.Error()))
		return exitUnusable
	}
	var t table
	t.add(a.heads("h.id", "h.form", "h.version", "h.state", "h.name", "h.updated")...)
	for _, r := range recs {
		t.add(r.ID, forms.Sanitize(r.FormID, false), forms.Sanitize(r.FormVersion, false),
			string(r.State), forms.Sanitize(r.InstanceName, false), when.Minute(r.UpdatedAt))
	}
	t.write(a.Stdout)
	a.say(a.Stdout, "plain", a.nf("n_records", len(recs), len(recs)))
	return exitOK
}

func (a *App) runAudit(args []string) int {
	if len(args) == 0 || args[0] != "verify" {
		a.saySyntax(a.Stderr, "audit.usage")
		return exitUnusable
	}
	fs := a.newFlagSet("audit verify")
	sf := a.addStoreFlags(fs)
	a.addLangFlag(fs)
	fs.Usage = func() {
		a.saySyntax(a.Stderr, "audit.usage")
		a.printFlags(a.Stderr, fs)
	}
	if err := a.parseFlags(fs, reorderFlags(fs, args[1:])); err != nil {
		return exitUnusable
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUnusable
	}
	// Only an existing fieldbench database: a mistyped path, or a backup
	// killed before it wrote anything, must not be created and then
	// reported as a sound, empty trail.
	db, ok := a.openStoreWith(sf, store.Existing())
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	// The pages first: a damaged file makes any reading of the chain moot.
	if err := db.QuickCheck(context.Background()); err != nil {
		a.say(a.Stdout, "audit.damaged", clean(err.Error()))
		return exitRejected
	}
	n, problem, err := db.VerifyAudit(context.Background())
	if err != nil {
		a.fail("plain", clean(err.Error()))
		return exitUnusable
	}
	// The records against the hashes the trail holds, also when the
	// chain is broken: what else changed is worth knowing then too.
	data, err := db.VerifyData(context.Background())
	if err != nil {
		a.fail("plain", clean(err.Error()))
		return exitUnusable
	}
	if problem != nil {
		a.say(a.Stdout, "audit.broken", clean(problem.Error()))
	}
	for _, p := range data.Problems {
		a.say(a.Stdout, "audit.data_changed", clean(p.String()))
	}
	if more := data.Count - len(data.Problems); more > 0 {
		a.say(a.Stdout, "audit.data_more", more)
	}
	if problem != nil || data.Count > 0 {
		return exitRejected
	}
	a.say(a.Stdout, "plain", a.nf("audit.ok", n, n))
	return exitOK
}

func (a *App) runBackup(args []string) int {
	fs := a.newFlagSet("backup")
	sf := a.addStoreFlags(fs)
	a.addLangFlag(fs)
	fs.Usage = func() {
		a.saySyntax(a.Stderr, "backup.usage")
		a.sayWrapped(a.Stderr, "backup.help")
		a.printFlags(a.Stderr, fs)
	}
	db, ok := a.parseAndOpen(fs, sf, args, exactly(1))
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	if err := db.Backup(context.Background(), fs.Arg(0)); err != nil {
		if errors.Is(err, store.ErrExists) {
			a.fail("backup.exists", clean(fs.Arg(0)))
		} else {
			a.fail("backup.failed", a.storeErr(err))
		}
		return exitUnusable
	}
	a.say(a.Stdout, "backup.done", clean(fs.Arg(0)))
	return exitOK
}

// shortTime shows a time the catalogue sent (wire text: UTC, or with an
// offset) in the reader's zone, to the minute, as the screens show the
// store's times; the text becomes a time here, at the edge.
func shortTime(stamp string) string { return forms.Sanitize(when.Stamp(stamp), false) }

// registeredForm finds a registered form: the version named, or the most
// recently added one, parsed. It prints why when there is none.
func (a *App) registeredForm(ctx context.Context, db *store.DB, formID, version string) (store.FormVersion, *forms.Form, bool) {
	list, err := db.Forms(ctx)
	if err != nil {
		a.fail("plain", clean(err.Error()))
		return store.FormVersion{}, nil, false
	}
	fv, found := latestVersion(list, formID, version)
	if !found {
		which := fmt.Sprintf("%q", formID)
		if version != "" {
			which += a.f("version_q", version)
		}
		a.fail("form_not_registered", clean(which))
		return store.FormVersion{}, nil, false
	}
	form, err := db.Form(ctx, fv.FormID, fv.Version)
	if err != nil {
		a.fail("plain", clean(err.Error()))
		return store.FormVersion{}, nil, false
	}
	return fv, form, true
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
