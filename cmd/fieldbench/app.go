package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

// Exit codes shared by every subcommand.
const (
	exitOK       = 0
	exitRejected = 1 // the command ran, and found something wrong in its input
	exitUnusable = 2 // the command could not run: bad usage, unreadable input
)

// App is the command line with its dependencies injected, so tests run
// every subcommand in-process against buffers.
type App struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// IsTerminal says whether a writer is a terminal: progress displays
	// are drawn there and nowhere else. nil means never.
	IsTerminal func(io.Writer) bool
}

type command struct {
	name    string
	summary string
	run     func(a *App, args []string) int
}

func (a *App) commands() []command {
	return []command{
		{"forms", "form definitions: check FILE..., show FILE, add FILE..., list", (*App).runForms},
		{"validate", "validate answer records against a form without storing them", (*App).runValidate},
		{"import", "validate records (JSONL or CSV) and store the accepted ones as finalized", (*App).runImport},
		{"export", "export a form's records as csv, xlsx or jsonl [--masked]", (*App).runExport},
		{"records", "records list [--form ID] [--state S]", (*App).runRecords},
		{"quality", "quality --form ID [--json]: completeness, failed and warned answers, duplicate IDs, records per collector per day", (*App).runQuality},
		{"audit", "audit verify: check the database for damage and the audit trail's hash chain", (*App).runAudit},
		{"enrol", "enrol URL CODE: register this laptop with a catalogue (then fieldbench --sync sends to it)", (*App).runEnrol},
		{"download", "download --url URL --form ID --format csv|jsonl: a catalogue export, with a user token", (*App).runDownload},
		{"serve", "run the central catalogue server (see fieldbench serve -h)", (*App).runServe},
		{"catalogue", "catalogue administration: publish, describe, device add|revoke, user add|revoke|list, records, quality, export, exports", (*App).runCatalogue},
		{"review", "review records on a catalogue: list, show RECORD, set RECORD --state S --comment TEXT", (*App).runReview},
		{"backup", "backup FILE: a consistent copy of the database, also while in use", (*App).runBackup},
		{"help", "show this help", func(a *App, _ []string) int { a.usage(a.Stdout); return exitOK }},
	}
}

// Run executes one command line and returns the process exit code.
func (a *App) Run(args []string) int {
	if len(args) > 0 && args[0] == "--sync" {
		return a.runSync(args[1:])
	}
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help") {
		return a.runTUI(args)
	}
	switch args[0] {
	case "-h", "--help":
		a.usage(a.Stdout)
		return exitOK
	}
	for _, c := range a.commands() {
		if c.name == args[0] {
			return c.run(a, args[1:])
		}
	}
	fmt.Fprintf(a.Stderr, "fieldbench: unknown command %q\n\n", args[0])
	a.usage(a.Stderr)
	return exitUnusable
}

func (a *App) usage(w io.Writer) {
	fmt.Fprintln(w, "fieldbench: offline collection workbench for township data collectors")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: fieldbench [--db PATH] [--collector NAME] [--lang L]   (the workbench)")
	fmt.Fprintln(w, "       fieldbench --sync [URL]   (send finalized records, fetch new form versions)")
	fmt.Fprintln(w, "       fieldbench COMMAND [ARGS]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range a.commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'fieldbench COMMAND -h' for a command's options.")
}

// language is the interface language: the flag when given, else
// FIELDBENCH_LANG, else LANG, else Simplified Chinese.
func (a *App) language(flagValue string) string {
	for _, v := range []string{flagValue, a.Getenv("FIELDBENCH_LANG"), a.Getenv("LC_ALL"), a.Getenv("LANG")} {
		if v != "" && v != "C" && v != "POSIX" && !strings.HasPrefix(v, "C.") {
			return forms.UILanguage(v)
		}
	}
	return forms.LangHans
}

// loadForm loads a form and prints its located errors, in the interface
// language lang, on failure.
func (a *App) loadForm(path, lang string) (*forms.Form, bool) {
	f, err := forms.LoadFile(path)
	if err != nil {
		printLoadError(a.Stderr, path, err, lang)
		return nil, false
	}
	return f, true
}

// printLoadError prints why a form (or a file) cannot be used: a form's
// problems one located line each, in the interface language lang.
func printLoadError(w io.Writer, path string, err error, lang string) {
	var errs forms.LoadErrors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Fprintln(w, forms.Sanitize(e.Localized(lang), false))
		}
		return
	}
	if os.IsNotExist(err) {
		fmt.Fprintf(w, "%s: no such file\n", path)
		return
	}
	fmt.Fprintf(w, "%s: %s\n", path, forms.Sanitize(forms.LocalizedError(err, lang), false))
}
