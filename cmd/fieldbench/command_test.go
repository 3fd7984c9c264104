package main

import (
	"strings"
	"testing"
)

// flagsListed are the flags a command's -h lists, in order.
func flagsListed(help string) []string {
	var names []string
	for _, line := range strings.Split(help, "\n") {
		if rest, ok := strings.CutPrefix(line, "  --"); ok {
			name, _, _ := strings.Cut(rest, " ")
			names = append(names, name)
		}
	}
	return names
}

// TestEachCommandListsItsOwnFlags: a catalogue subcommand's help lists
// the flags it takes and no other command's.
func TestEachCommandListsItsOwnFlags(t *testing.T) {
	dir := t.TempDir()
	for cmd, want := range map[string]string{
		"catalogue device revoke": "data key key-passphrase lang postgres",
		"catalogue device list":   "data key key-passphrase lang postgres",
		"catalogue device add":    "data key key-passphrase lang postgres replaces township",
		"catalogue user add":      "clearance county data key key-passphrase lang name postgres role",
		"catalogue quality":       "data form json key key-passphrase lang postgres",
		"catalogue describe":      "data key key-passphrase lang postgres set",
		"catalogue export":        "data encrypt-to form format key key-passphrase labels lang masked out postgres",
		"catalogue key show":      "data key key-passphrase lang postgres",
		"catalogue key rotate":    "data key key-passphrase lang postgres",
		"catalogue rekey":         "data key key-passphrase lang postgres",
		"catalogue publish":       "attach data key key-passphrase lang postgres township",
		"review list":             "after form lang limit state token url",
		"review show":             "changed clear lang token url",
		"review set":              "comment lang state token url version",
		"serve":                   "addr body-memory data key key-passphrase lang max-connections min-rate postgres public-url quality-every retention-days slow-grace tls-cert tls-key tz",
		"enrol":                   "collector db lang",
		"--sync":                  "collector db lang",
		"download":                "clear form format labels lang list out token url",
		"--collector x":           "collector db lang",
		"forms check":             "attach lang",
		"forms show":              "attach lang",
		"forms add":               "attach collector db lang",
		"forms list":              "collector db lang",
		"records list":            "collector db form lang state",
		"audit verify":            "collector db lang",
		"backup":                  "collector db lang",
		"validate":                "attach encoding form lang report",
		"export":                  "collector db encrypt-to form format labels lang masked out state",
		"quality":                 "collector db form json lang",
	} {
		code, _, errs := runEnv(map[string]string{"XDG_DATA_HOME": dir}, "", append(strings.Fields(cmd), "-h", "--lang", "en")...)
		if code != exitUnusable {
			t.Errorf("%s -h: exit %d", cmd, code)
		}
		if got := strings.Join(flagsListed(errs), " "); got != want {
			t.Errorf("%s -h lists %q, want %q:\n%s", cmd, got, want, errs)
		}
		usage := "usage: fieldbench " + cmd
		if cmd == "--collector x" { // the workbench: the program's usage
			usage = "Usage: fieldbench [--db PATH] [--collector NAME] [--lang L]"
		}
		if !strings.Contains(errs, usage) {
			t.Errorf("%s -h shows no usage line of its own:\n%s", cmd, errs)
		}
	}
}

// TestAnotherCommandsFlagIsRefused: a flag of a sibling command is
// unknown here, and nothing is done.
func TestAnotherCommandsFlagIsRefused(t *testing.T) {
	dir := t.TempDir()
	for flag, args := range map[string][]string{
		"--masked":   {"catalogue", "user", "add", "--role", "reader", "--county", "110101", "--masked"},
		"--township": {"catalogue", "device", "revoke", "d1", "--township", "110101001"},
		"--json":     {"catalogue", "device", "list", "--json"},
	} {
		args = append(args, "--data", dir, "--lang", "en")
		code, out, errs := runEnv(map[string]string{"XDG_DATA_HOME": dir}, "", args...)
		if code != exitUnusable || out != "" || !strings.HasPrefix(errs, "fieldbench: flag provided but not defined: "+flag+"\n") {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s", args, code, out, errs)
		}
	}
	// Nothing was added: the user list is empty.
	_, out, _ := runEnv(map[string]string{"XDG_DATA_HOME": dir}, "", "catalogue", "user", "list", "--data", dir)
	if strings.Count(out, "\n") != 1 {
		t.Errorf("a refused command added a user:\n%s", out)
	}
}

// TestUnknownSubcommandNamesTheOnesThereAre.
func TestUnknownSubcommandNamesTheOnesThereAre(t *testing.T) {
	code, _, errs := runEnv(nil, "", "catalogue", "device", "remove", "--lang", "en")
	if code != exitUnusable || !strings.Contains(errs, `unknown command "catalogue device remove" (there are: add, revoke, list)`) {
		t.Errorf("exit %d:\n%s", code, errs)
	}
}

// TestRootListsOnlyNamedCommands: the workbench and --sync run from the
// root but have usage lines of their own, not a line among the commands;
// -h and help are the same usage.
func TestRootListsOnlyNamedCommands(t *testing.T) {
	code, out, _ := runEnv(nil, "", "-h", "--lang", "en")
	_, help, _ := runEnv(nil, "", "help", "--lang", "en")
	if code != exitOK || out != help {
		t.Fatalf("-h: exit %d, and not help's usage:\n%s\n%s", code, out, help)
	}
	_, list, _ := strings.Cut(out, "Commands:\n")
	for _, line := range strings.Split(list, "\n") {
		if strings.HasPrefix(line, "  --sync ") || strings.HasPrefix(line, "  fieldbench ") {
			t.Errorf("listed among the commands: %q", line)
		}
	}
}

// TestScanKnowsEveryCommandsValueFlags: the scan for --lang skips the
// values of every command's flags (serve --tz --lang is a time zone
// named --lang), asked of the commands' own FlagSets.
func TestScanKnowsEveryCommandsValueFlags(t *testing.T) {
	a := &App{lang: "en"}
	root := a.root()
	for arg, want := range map[string]bool{"--tz": true, "--addr": true, "--dry-run": false, "--url": true, "--masked": false} {
		if got := flagTakesValueAnywhere(root, arg); got != want {
			t.Errorf("%s takes a value: %v, want %v", arg, got, want)
		}
	}
}

// TestLaptopGroupsShowTheirUsage: forms, records and audit alone, with
// -h, or with a subcommand they lack show their own usage line, and
// name the subcommands there are when one was asked for.
func TestLaptopGroupsShowTheirUsage(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		usage, msg string
	}{
		{[]string{"forms", "-h"}, "usage: fieldbench forms check FILE... | show FILE | add FILE... | list\n", ""},
		{[]string{"forms", "remove"}, "usage: fieldbench forms check FILE...", `unknown command "forms remove" (there are: check, show, add, list)`},
		{[]string{"records"}, "usage: fieldbench records list [--form ID]", ""},
		{[]string{"audit", "check"}, "usage: fieldbench audit verify [--db PATH]\n", `unknown command "audit check" (there are: verify)`},
	} {
		code, out, errs := runEnv(map[string]string{"FIELDBENCH_LANG": "en"}, "", tc.args...)
		if code != exitUnusable || out != "" || !strings.Contains(errs, tc.usage) || !strings.Contains(errs, tc.msg) || strings.Contains(errs, "Options:") {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s", tc.args, code, out, errs)
		}
	}
}
