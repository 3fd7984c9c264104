package main

import (
	"flag"
	"slices"
	"testing"
)

// Flags may follow the positional arguments; whether a flag carries a
// value comes from the command's own FlagSet, so a value flag no global
// list has heard of (--widget here) keeps its value, a boolean takes
// none, and an unknown flag is left for Parse to refuse.
func TestReorderFlagsAsksTheFlagSet(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.String("form", "", "")
	fs.String("widget", "", "")
	fs.Bool("masked", false, "")
	got := reorderFlags(fs, []string{"a.jsonl", "--widget", "w", "--masked", "b.jsonl", "--form=f", "--bogus", "c.jsonl"})
	want := []string{"--widget", "w", "--masked", "--form=f", "--bogus", "a.jsonl", "b.jsonl", "c.jsonl"}
	if !slices.Equal(got, want) {
		t.Fatalf("reordered %q, want %q", got, want)
	}
	if err := fs.Parse(got[:4]); err != nil || fs.Lookup("widget").Value.String() != "w" || fs.Lookup("masked").Value.String() != "true" {
		t.Errorf("parse: %v widget=%s masked=%s", err, fs.Lookup("widget").Value, fs.Lookup("masked").Value)
	}
}

// The scan for --lang and --sync runs before the command is known: a
// flag of the default command (the workbench) or of an unlisted one
// (--sync) keeps its value there too, so `--widget --lang` sets no
// language and `--gadget --sync` syncs nothing.
func TestScanAsksTheDefaultAndUnlistedCommands(t *testing.T) {
	a := &App{lang: "en"}
	def := a.leaf("fieldbench")
	def.Flags.String("widget", "", "")
	sync := a.leaf("--sync")
	sync.Unlisted = true
	sync.Flags.String("gadget", "", "")
	sync.Flags.Bool("quiet", false, "")
	root := a.group("", "", sync).withDefault(def)
	if got := langArg(root, []string{"--widget", "--lang", "--lang", "en"}); got != "en" {
		t.Errorf("--widget --lang --lang en: language %q, want en", got)
	}
	if _, ok := syncArgs(root, []string{"--gadget", "--sync"}); ok {
		t.Error("--gadget --sync: the value --sync was taken for the command")
	}
	if rest, ok := syncArgs(root, []string{"--quiet", "--sync", "url"}); !ok || !slices.Equal(rest, []string{"--quiet", "url"}) {
		t.Errorf("--quiet --sync url: %q %v", rest, ok)
	}
}
