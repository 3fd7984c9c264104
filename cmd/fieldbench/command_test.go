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
		"catalogue device revoke": "data lang postgres",
		"catalogue device list":   "data lang postgres",
		"catalogue device add":    "data lang postgres replaces township",
		"catalogue user add":      "clearance county data lang name postgres role",
		"catalogue quality":       "data form json lang postgres",
		"catalogue describe":      "data lang postgres set",
		"catalogue export":        "data form format labels lang masked out postgres",
		"catalogue publish":       "data lang postgres township",
		"forms check":             "lang",
		"forms show":              "lang",
		"forms add":               "collector db lang",
		"forms list":              "collector db lang",
		"records list":            "collector db form lang state",
		"audit verify":            "collector db lang",
		"backup":                  "collector db lang",
		"validate":                "encoding form lang report",
		"export":                  "collector db form format labels lang masked out state",
		"quality":                 "collector db form json lang",
	} {
		code, _, errs := runEnv(map[string]string{"XDG_DATA_HOME": dir}, "", append(strings.Fields(cmd), "-h", "--lang", "en")...)
		if code != exitUnusable {
			t.Errorf("%s -h: exit %d", cmd, code)
		}
		if got := strings.Join(flagsListed(errs), " "); got != want {
			t.Errorf("%s -h lists %q, want %q:\n%s", cmd, got, want, errs)
		}
		if !strings.Contains(errs, "usage: fieldbench "+cmd) {
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
