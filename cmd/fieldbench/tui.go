package main

import (
	"context"
	"errors"
	"slices"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/tui"
)

// workbenchCommand opens the workbench: fieldbench with no command, or
// with only its flags. On first run it creates the database in the
// user's data directory and installs the sample forms, so a new user is
// filling a form within seconds. An argument after its flags is taken
// for a command's name (execute says there is no such command).
func (a *App) workbenchCommand() *Command {
	var collector string
	var lang *string
	c, sf := a.laptopLeaf("fieldbench", exactly(0), func(ctx context.Context, db *store.DB, _ []string) error {
		if err := installSamples(ctx, db); err != nil {
			return a.failed("tui.samples", a.storeErr(err))
		}
		if collector != "" {
			if err := db.SetCollector(ctx, collector); err != nil {
				return a.failed("plain", a.storeErr(err))
			}
		}
		notTerminal := a.IsTerminal == nil || !a.IsTerminal(a.Stdout)
		// The full screen asks for the passphrase itself; the plain
		// prompts ask here, without echo, through the commands' prompt.
		if notTerminal || tui.Plain(a.Getenv) {
			if err := a.unlockForPrompts(ctx, db); err != nil {
				return err
			}
		}
		return tui.Run(ctx, tui.Deps{DB: db, In: a.Stdin, Out: a.Stdout, Getenv: a.Getenv,
			Lang: a.language(*lang), NotTerminal: notTerminal, ReadSecret: a.ReadPassphrase,
			Enrol: func(ctx context.Context, address, code string) (string, error) {
				resp, _, err := enrolLaptop(ctx, db, address, code)
				if err != nil {
					return "", err
				}
				return resp.Township, nil
			}})
	})
	lang = c.Flags.String("lang", "", a.t("flag.ui_lang"))
	open := c.Run
	c.Run = func(ctx context.Context, args []string) error {
		// A name given here stands in for the first-run setup: the same
		// rules, checked before the database is opened, and it is
		// stored, not held for this session only, so that a change in
		// Settings takes effect at once.
		if sf.collector != "" {
			name, err := tui.CollectorName(sf.collector)
			if err != nil {
				return a.failed("tui.collector", tui.RuleText(a.lang, err))
			}
			collector, sf.collector = name, ""
		}
		return open(ctx, args)
	}
	return c
}

// plainUnlockTries bounds the passphrases the plain prompts ask for
// before they stop with the lost-passphrase help.
const plainUnlockTries = 3

// unlockForPrompts asks for the passphrase of a database opened locked
// for want of it, on the terminal (a.ReadPassphrase), before the plain
// prompts start; each wrong one is said with what to do if it is lost.
// Without a terminal it stops with how to unlock (FIELDBENCH_PASSPHRASE).
func (a *App) unlockForPrompts(ctx context.Context, db *store.DB) error {
	if !errors.Is(db.Locked(), seal.ErrPassphraseNeeded) {
		return nil
	}
	for range plainUnlockTries {
		if a.ReadPassphrase == nil {
			break
		}
		pass, err := a.ReadPassphrase(a.t("passphrase.prompt"))
		if err != nil || pass == "" {
			break
		}
		err = db.Unlock(ctx, pass)
		if err == nil {
			return nil
		}
		if !errors.Is(err, seal.ErrWrongPassphrase) {
			return a.failed("plain", a.storeErr(err))
		}
		a.fail("plain", a.storeErr(err))
	}
	return a.failed("plain", a.storeErr(db.Locked()))
}

// installSamples registers the embedded sample forms: all of them on a
// new laptop (no forms yet), and on a laptop the workbench gave an
// earlier binary's samples (a form registered under a sample's own file
// name), each sample at this binary's version when it holds only earlier
// ones (a changed sample has a new version: its records stay on the
// version they were made with, which stays openable) and each sample it
// has never had (the 入户回访 follow-up). A laptop enrolled with a
// catalogue takes its forms from the catalogue (--sync) instead: a
// version the catalogue has not published would have its records
// rejected there. Forms a user added, samples among them, are theirs.
func installSamples(ctx context.Context, db *store.DB) error {
	list, err := db.FormVersions(ctx)
	if err != nil {
		return err
	}
	held := map[string][]string{} // form_id -> versions
	installed := false            // a form the workbench installed as a sample
	for _, fv := range list {
		held[fv.FormID] = append(held[fv.FormID], fv.Version)
		if id, ok := samples.Identity[fv.FileName]; ok && id.FormID == fv.FormID {
			installed = true
		}
	}
	if len(list) > 0 {
		token, err := db.Setting(ctx, laptop.SettingToken)
		if err != nil || token != "" || !installed {
			return err
		}
	}
	// The follow-ups come last: they read a list a form before them
	// declares, which the store then serves them.
	for _, name := range append(slices.Clone(samples.Names), samples.FollowUps...) {
		id := samples.Identity[name]
		if !slices.ContainsFunc(held[id.FormID], func(v string) bool { return v >= id.Version }) {
			if err := addSample(ctx, db, name); err != nil {
				return err
			}
		}
	}
	return nil
}

func addSample(ctx context.Context, db *store.DB, name string) error {
	data, err := samples.FS.ReadFile(name)
	if err != nil {
		return err
	}
	_, err = db.AddForm(ctx, name, data)
	return err
}
