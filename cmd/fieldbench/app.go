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

	// lang is the language of what the command prints (Run sets it).
	lang string
}

type command struct {
	name    string
	summary string
	run     func(a *App, args []string) int
}

func (a *App) commands() []command {
	return []command{
		{"forms", a.t("cmd.forms"), (*App).runForms},
		{"validate", a.t("cmd.validate"), (*App).runValidate},
		{"import", a.t("cmd.import"), (*App).runImport},
		{"export", a.t("cmd.export"), (*App).runExport},
		{"records", a.t("cmd.records"), (*App).runRecords},
		{"quality", a.t("cmd.quality"), (*App).runQuality},
		{"audit", a.t("cmd.audit"), (*App).runAudit},
		{"enrol", a.t("cmd.enrol"), (*App).runEnrol},
		{"download", a.t("cmd.download"), (*App).runDownload},
		{"serve", a.t("cmd.serve"), (*App).runServe},
		{"catalogue", a.t("cmd.catalogue"), (*App).runCatalogue},
		{"review", a.t("cmd.review"), (*App).runReview},
		{"backup", a.t("cmd.backup"), (*App).runBackup},
		{"help", a.t("cmd.help"), func(a *App, _ []string) int { a.usage(a.Stdout); return exitOK }},
	}
}

// Run executes one command line and returns the process exit code.
func (a *App) Run(args []string) int {
	// The language first: usage and errors printed before a command's
	// own flags are parsed speak it too.
	a.lang = a.language(langArg(args))
	if rest, ok := syncArgs(args); ok {
		return a.runSync(rest)
	}
	// --lang may come before the command as well as after it.
	for len(args) > 1 && (args[0] == "--lang" || args[0] == "-lang") && len(args) > 2 && a.isCommand(args[2]) {
		args = args[2:]
	}
	for len(args) > 1 && (strings.HasPrefix(args[0], "--lang=") || strings.HasPrefix(args[0], "-lang=")) && a.isCommand(args[1]) {
		args = args[1:]
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
	a.fail("unknown_command", args[0])
	fmt.Fprintln(a.Stderr)
	a.usage(a.Stderr)
	return exitUnusable
}

func (a *App) isCommand(name string) bool {
	for _, c := range a.commands() {
		if c.name == name {
			return true
		}
	}
	return false
}

// langArg is the value of --lang anywhere among the arguments (the last
// one wins, as with the flag package), "" when there is none.
func langArg(args []string) string {
	v := ""
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !strings.HasPrefix(arg, "-") || name != "lang" {
			if strings.HasPrefix(arg, "-") && !hasValue && takesValue(arg) {
				i++ // skip a flag's value: --name --lang is a name
			}
			continue
		}
		if hasValue {
			v = value
		} else if i+1 < len(args) {
			v = args[i+1]
			i++
		}
	}
	return v
}

// syncArgs finds --sync among the flags before the first argument that
// is not one, so that `fieldbench --lang en --sync` and `fieldbench
// --sync --lang en URL` both sync; it returns the arguments without it.
func syncArgs(args []string) ([]string, bool) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--sync" || arg == "-sync":
			return append(append([]string{}, args[:i]...), args[i+1:]...), true
		case arg == "--" || !strings.HasPrefix(arg, "-") || arg == "-":
			return nil, false
		case !strings.Contains(arg, "=") && takesValue(arg):
			i++
		}
	}
	return nil, false
}

func (a *App) usage(w io.Writer) {
	a.say(w, "usage.title")
	fmt.Fprintln(w)
	a.say(w, "usage.tui")
	a.say(w, "usage.sync")
	a.say(w, "usage.command")
	fmt.Fprintln(w)
	a.say(w, "usage.commands")
	for _, c := range a.commands() {
		// Long summaries go on under themselves, within 80 columns.
		for i, line := range wrapCells(c.summary, helpWidth-13) {
			name := ""
			if i == 0 {
				name = c.name
			}
			fmt.Fprintf(w, "  %-10s %s\n", name, line)
		}
	}
	fmt.Fprintln(w)
	a.sayWrapped(w, "usage.more")
}

// language is the interface language: the flag when given, else
// FIELDBENCH_LANG, else LC_ALL, else LANG, else Simplified Chinese.
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
	a := &App{lang: lang} // for its text only
	var errs forms.LoadErrors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Fprintln(w, forms.Sanitize(e.Localized(lang), false))
		}
		return
	}
	if os.IsNotExist(err) {
		fmt.Fprintln(w, a.f("no_such_file", clean(path)))
		return
	}
	fmt.Fprintf(w, "%s: %s\n", path, forms.Sanitize(forms.LocalizedError(err, lang), false))
}
