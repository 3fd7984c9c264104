package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
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
	// ReadPassphrase asks for a passphrase on the terminal, without
	// echo, showing prompt; nil (the tests, a service) never asks.
	ReadPassphrase func(prompt string) (string, error)

	// lang is the language of what the command prints (Run sets it).
	lang string
}

// root is the command tree; every command's flags and help are in the
// language Run has chosen. With no command, or a flag first, it runs the
// workbench.
func (a *App) root() *Command {
	return a.group("", "",
		a.formsCommand(),
		a.validateCommand(),
		a.importCommand(),
		a.exportCommand(),
		a.recordsCommand(),
		a.entitiesCommand(),
		a.qualityCommand(),
		a.auditCommand(),
		a.enrolCommand(),
		a.downloadCommand(),
		a.serveCommand(),
		a.catalogueCommand(),
		a.reviewCommand(),
		a.backupCommand(),
		a.passphraseCommand(),
		a.helpCommand(),
		a.syncCommand(),
	).withDefault(a.workbenchCommand())
}

func (a *App) helpCommand() *Command {
	c := a.leaf("help")
	c.Summary = "cmd.help"
	c.Args = exactly(0)
	c.Run = func(context.Context, []string) error {
		a.usage(a.Stdout)
		return nil
	}
	return c
}

// Run executes one command line and returns the process exit code.
func (a *App) Run(args []string) int {
	// The language first: usage and errors printed before a command's
	// own flags are parsed speak it too.
	a.lang = a.language(langArg(a.root(), args))
	root := a.root() // its help texts in that language
	return a.execute(context.Background(), root, commandFirst(root, args))
}

// commandFirst puts the command's name first in args, where execute
// looks for it, as a person may type it elsewhere: --sync among the
// flags before any argument (fieldbench --lang en --sync), and a command
// after --lang (fieldbench --lang en records list). -h alone is help.
func commandFirst(root *Command, args []string) []string {
	if rest, ok := syncArgs(root, args); ok {
		return append([]string{"--sync"}, rest...)
	}
	for len(args) > 2 && (args[0] == "--lang" || args[0] == "-lang") && root.find(args[2]) != nil {
		args = args[2:]
	}
	for len(args) > 1 && (strings.HasPrefix(args[0], "--lang=") || strings.HasPrefix(args[0], "-lang=")) && root.find(args[1]) != nil {
		args = args[1:]
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		return []string{"help"}
	}
	return args
}

// langArg is the value of --lang anywhere among the arguments (the last
// one wins, as with the flag package), "" when there is none.
func langArg(root *Command, args []string) string {
	v := ""
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !strings.HasPrefix(arg, "-") || name != "lang" {
			if strings.HasPrefix(arg, "-") && !hasValue && flagTakesValueAnywhere(root, arg) {
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
func syncArgs(root *Command, args []string) ([]string, bool) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--sync" || arg == "-sync":
			return append(append([]string{}, args[:i]...), args[i+1:]...), true
		case arg == "--" || !strings.HasPrefix(arg, "-") || arg == "-":
			return nil, false
		case !strings.Contains(arg, "=") && flagTakesValueAnywhere(root, arg):
			i++
		}
	}
	return nil, false
}

func (a *App) usage(w io.Writer) {
	a.say(w, "usage.title")
	blankLine(w)
	a.say(w, "usage.tui")
	a.say(w, "usage.sync")
	a.say(w, "usage.command")
	blankLine(w)
	a.say(w, "usage.commands")
	for _, c := range a.root().listed() {
		// Long summaries go on under themselves, within 80 columns.
		for i, line := range wrapCells(a.t(c.Summary), helpWidth-13) {
			name := ""
			if i == 0 {
				name = c.Name
			}
			writeLine(w, fmt.Sprintf("  %-10s %s", name, line))
		}
	}
	blankLine(w)
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

// printLoadError prints why a form (or a file) cannot be used: a form's
// problems one located line each.
func (a *App) printLoadError(w io.Writer, path string, err error) {
	var errs forms.LoadErrors
	if errors.As(err, &errs) {
		for _, e := range errs {
			writeLine(w, forms.Sanitize(e.Localized(a.lang), false))
		}
		return
	}
	if os.IsNotExist(err) {
		writeLine(w, a.f("no_such_file", path))
		return
	}
	if msg, ok := a.versionConflict(err); ok {
		writeLine(w, forms.Sanitize(path, false)+": "+msg)
		return
	}
	writeLine(w, forms.Sanitize(path, false)+": "+forms.Sanitize(forms.LocalizedError(err, a.lang), false))
}
