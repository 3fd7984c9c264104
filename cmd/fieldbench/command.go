package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"strings"
)

// Command is one command of the command line, or a group of them, in the
// manner of the go command's base.Command: it owns its flags and its
// usage, so `catalogue device revoke -h` lists revoke's flags only and a
// flag another command takes is refused.
//
// A command is built by an App method that declares its flags on Flags
// and closes Run over their values; the tree is built anew for each
// command line, after the language is known, so help texts are in it.
type Command struct {
	Name string // as typed: "revoke"
	// Summary is the text key of the command's line in its group's list.
	Summary string
	// Usage is the text key of the command's whole usage line(s); when it
	// is empty the line is made of the command's path and Synopsis.
	Usage string
	// Synopsis is the text key of what follows the command's path in its
	// usage line: its arguments and flags.
	Synopsis string
	// Help are text keys of the paragraphs shown under the usage.
	Help []string
	// Flags are the command's own; execute adds --lang, which every
	// command takes.
	Flags *flag.FlagSet
	// Args says whether n arguments (what is left after the flags) suit
	// the command; nil takes any number.
	Args func(n int) bool
	// Run does the work. Its error decides the exit code (exitCode).
	Run func(ctx context.Context, args []string) error
	// Commands are a group's subcommands; a group has no Run.
	Commands []*Command
	// Default is what a group runs when no subcommand is named (no
	// argument, or a flag first): the workbench, under the root.
	Default *Command
	// Unlisted keeps a command out of its group's list in the usage: the
	// root's --sync, which its usage line shows.
	Unlisted bool

	parent *Command
}

// path is the command as typed after the program's name: "catalogue
// device revoke".
func (c *Command) path() string {
	if c.parent == nil || c.parent.parent == nil {
		return c.Name
	}
	return c.parent.path() + " " + c.Name
}

// How many arguments a command takes (Command.Args).
func exactly(k int) func(int) bool { return func(n int) bool { return n == k } }
func atLeast(k int) func(int) bool { return func(n int) bool { return n >= k } }
func atMost(k int) func(int) bool  { return func(n int) bool { return n <= k } }

// find is the subcommand named name, nil when there is none.
func (c *Command) find(name string) *Command {
	for _, s := range c.Commands {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// leaves are the commands that run under c, its Default among them, c
// itself when it runs.
func (c *Command) leaves() []*Command {
	if len(c.Commands) == 0 {
		return []*Command{c}
	}
	var out []*Command
	if c.Default != nil {
		out = append(out, c.Default)
	}
	for _, s := range c.Commands {
		out = append(out, s.leaves()...)
	}
	return out
}

// listed are the subcommands c's usage names.
func (c *Command) listed() []*Command {
	var out []*Command
	for _, s := range c.Commands {
		if !s.Unlisted {
			out = append(out, s)
		}
	}
	return out
}

// isDefault says whether c is what its group runs when no subcommand is
// named.
func (c *Command) isDefault() bool { return c.parent != nil && c.parent.Default == c }

// group is a command made of subcommands; it links them to it.
func (a *App) group(name, summary string, subs ...*Command) *Command {
	g := &Command{Name: name, Summary: summary, Commands: subs}
	for _, s := range subs {
		s.parent = g
	}
	return g
}

// withDefault makes def what g runs when no subcommand is named.
func (g *Command) withDefault(def *Command) *Command {
	g.Default, def.parent = def, g
	return g
}

// leaf is a command that runs, with an empty FlagSet of its own.
func (a *App) leaf(name string) *Command {
	return &Command{Name: name, Flags: a.newFlagSet(name)}
}

// execute finds the command args name under root, parses its flags and
// runs it, and returns the exit code of what happened.
func (a *App) execute(ctx context.Context, root *Command, args []string) int {
	c := root
	for len(c.Commands) > 0 {
		sub := c.find(firstOf(args))
		switch {
		case sub != nil:
			c, args = sub, args[1:]
			continue
		case len(args) > 0 && !strings.HasPrefix(args[0], "-"):
			return a.unknownCommand(c, args[0])
		case c.Default != nil:
			c = c.Default // its flags and arguments are all of args
		default:
			// A group alone, or with a flag (catalogue -h), shows what it
			// holds.
			a.printUsage(a.Stderr, c)
			return exitUnusable
		}
	}
	a.addLangFlag(c.Flags)
	c.Flags.Usage = func() { a.printUsage(a.Stderr, c) }
	if err := a.parseFlags(c.Flags, reorderFlags(c.Flags, args)); err != nil {
		return exitUnusable
	}
	if c.Args != nil && !c.Args(c.Flags.NArg()) {
		if c.isDefault() {
			// An argument after the group's flags was meant as one of
			// its commands.
			return a.unknownCommand(c.parent, c.Flags.Arg(0))
		}
		a.printUsage(a.Stderr, c)
		return exitUnusable
	}
	return a.exitCode(c, c.Run(ctx, c.Flags.Args()))
}

// firstOf is the first of args, "" when there is none.
func firstOf(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// unknownCommand says that group has no command name, and shows what it
// has.
func (a *App) unknownCommand(group *Command, name string) int {
	if group.parent == nil {
		a.fail("unknown_command", name)
		blankLine(a.Stderr)
	} else {
		a.fail("unknown_subcommand", group.path()+" "+name, a.names(group.listed()))
	}
	a.printUsage(a.Stderr, group)
	return exitUnusable
}

// names lists commands' names for a message.
func (a *App) names(cs []*Command) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return strings.Join(names, a.t("list_sep"))
}

// printUsage shows a command's usage line(s), its help and its flags; a
// group's shows the usage lines of every command in it.
func (a *App) printUsage(w io.Writer, c *Command) {
	switch {
	case c.parent == nil || c.isDefault():
		// The program's usage: what runs with no command is the root's.
		a.usage(w)
		if c.Flags != nil {
			blankLine(w)
		}
	case c.Usage != "":
		a.saySyntax(w, c.Usage)
	default:
		prefix := a.t("usage.prefix")
		indent := strings.Repeat(" ", cells(prefix))
		for i, l := range c.leaves() {
			line := prefix
			if i > 0 {
				line = indent
			}
			line += "fieldbench " + l.path()
			if l.Synopsis != "" {
				line += " " + a.t(l.Synopsis)
			}
			a.saySyntax(w, "plain", line)
		}
	}
	for _, h := range c.Help {
		a.sayWrapped(w, h)
	}
	if c.Flags != nil {
		a.printFlags(w, c.Flags)
	}
}

// flagTakesValueAnywhere says whether any command has a flag of that name
// followed by its value: the scan for --lang and --sync runs before the
// command, and so its FlagSet, is known. --lang is every command's.
func flagTakesValueAnywhere(root *Command, arg string) bool {
	if strings.TrimLeft(arg, "-") == "lang" {
		return true
	}
	for _, c := range root.leaves() {
		if c.Flags != nil && flagTakesValue(c.Flags, arg) {
			return true
		}
	}
	return false
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }

func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// reorderFlags lets flags follow the positional argument, as users type
// `fieldbench validate answers.jsonl --form f.xlsx`; Go's flag package
// stops at the first non-flag otherwise. Whether a flag is followed by
// its value is asked of the command's own FlagSet (every flag that is
// not a boolean), so a new flag needs no list kept beside it; a flag the
// set does not know is left for Parse to refuse.
func reorderFlags(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			return append(flags, append([]string{"--"}, rest...)...)
		case len(a) > 1 && a[0] == '-' && a != "-":
			flags = append(flags, a)
			if !bytes.Contains([]byte(a), []byte("=")) && i+1 < len(args) && flagTakesValue(fs, a) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}

// flagTakesValue says whether fs has the flag and it is not a boolean.
func flagTakesValue(fs *flag.FlagSet, arg string) bool {
	f := fs.Lookup(strings.TrimLeft(arg, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}
