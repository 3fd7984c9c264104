package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

func (a *App) runForms(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(a.Stderr, "usage: fieldbench forms check FILE... | show FILE | add FILE... | list")
		return exitUnusable
	}
	switch args[0] {
	case "check":
		return a.runFormsCheck(args[1:])
	case "show":
		return a.runFormsShow(args[1:])
	case "add":
		return a.runFormsAdd(args[1:])
	case "list":
		return a.runFormsList(args[1:])
	}
	fmt.Fprintf(a.Stderr, "fieldbench forms: unknown subcommand %q (check, show, add, list)\n", args[0])
	return exitUnusable
}

func (a *App) runFormsCheck(args []string) int {
	fs := flag.NewFlagSet("forms check", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	lang := fs.String("lang", "", "language of messages: zh-Hans, zh-Hant or en (default from LANG, else zh-Hans)")
	fs.Usage = func() {
		fmt.Fprintln(a.Stderr, "usage: fieldbench forms check [--lang L] FILE...")
		fmt.Fprintln(a.Stderr, "Loads each form (.xlsx, or .md markdown table) and prints ok or its located errors.")
		fmt.Fprintln(a.Stderr, "Exit 0 when every file loaded, 1 otherwise.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorderFlags(args)); err != nil {
		return exitUnusable
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUnusable
	}
	uiLang := a.language(*lang)
	code := exitOK
	for _, path := range fs.Args() {
		f, err := forms.LoadFile(path)
		if err != nil {
			printLoadError(a.Stdout, path, err, uiLang)
			code = exitRejected
			continue
		}
		fmt.Fprintf(a.Stdout, "%s: ok (%s)\n", path, summary(f))
		for _, w := range f.Warnings {
			fmt.Fprintf(a.Stdout, "  warning: %s\n", forms.Sanitize(w.Localized(uiLang), false))
		}
	}
	return code
}

// summary is the one-line description forms check prints for a good form.
func summary(f *forms.Form) string {
	n := 0
	for _, fd := range f.Fields {
		if !fd.Type.IsContainer() {
			n++
		}
	}
	return fmt.Sprintf("%d fields, %d choice lists, languages: %s", n, len(f.Lists), languageList(f))
}

func languageList(f *forms.Form) string {
	if len(f.Languages) == 0 {
		return "none"
	}
	names := make([]string, len(f.Languages))
	for i, l := range f.Languages {
		if l == "" {
			l = "(untagged)"
		}
		if l == f.DefaultLanguage {
			l += " [default]"
		}
		names[i] = forms.Sanitize(l, false)
	}
	return strings.Join(names, ", ")
}

func (a *App) runFormsShow(args []string) int {
	fs := flag.NewFlagSet("forms show", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	lang := fs.String("lang", "", "interface language for labels: zh-Hans, zh-Hant or en")
	fs.Usage = func() {
		fmt.Fprintln(a.Stderr, "usage: fieldbench forms show [--lang L] FILE")
		fmt.Fprintln(a.Stderr, "Prints the form as a tree: groups, repeats, types, rules and languages.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUnusable
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUnusable
	}
	uiLang := a.language(*lang)
	f, ok := a.loadForm(fs.Arg(0), uiLang)
	if !ok {
		return exitRejected
	}
	showForm(a.Stdout, f, f.MatchLanguage(uiLang))
	return exitOK
}

// showForm prints the tree with plain indentation: box-drawing characters
// are East-Asian ambiguous width and break alignment on CJK terminals.
func showForm(w io.Writer, f *forms.Form, lang string) {
	clean := func(s string) string { return forms.Sanitize(s, false) }
	fmt.Fprintf(w, "%s  %s", clean(f.ID), clean(f.Title))
	if f.Version != "" {
		fmt.Fprintf(w, "  (version %s)", clean(f.Version))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "languages: %s\n", languageList(f))
	if f.InstanceName != nil {
		fmt.Fprintf(w, "instance name: %s\n", clean(f.InstanceName.Src))
	}
	fmt.Fprintln(w)
	var walk func(fields []*forms.Field, depth int)
	walk = func(fields []*forms.Field, depth int) {
		for _, fd := range fields {
			indent := strings.Repeat("    ", depth)
			kind := fd.Type.String()
			if fd.ListName != "" {
				kind += " " + fd.ListName
			}
			label := clean(fd.Label.In(lang))
			if label != "" {
				label = "  \"" + label + "\""
			}
			key := ""
			if fd.Key != fd.Name {
				key = "  (record key " + clean(fd.Key) + ")"
			}
			fmt.Fprintf(w, "%s%s  [%s]%s%s\n", indent, clean(fd.Name), kind, label, key)
			for _, r := range rules(fd) {
				fmt.Fprintf(w, "%s    %s\n", indent, clean(r))
			}
			if fd.Type.IsContainer() {
				walk(fd.Children, depth+1)
			}
		}
	}
	walk(f.Root.Children, 0)
	if len(f.Lists) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "choice lists:")
		for _, name := range sortedLists(f) {
			l := f.Lists[name]
			extra := ""
			if len(l.Columns) > 0 {
				extra = " (filter columns: " + strings.Join(l.Columns, ", ") + ")"
			}
			fmt.Fprintf(w, "    %s: %d choices%s\n", clean(name), len(l.Choices), clean(extra))
		}
	}
}

func rules(fd *forms.Field) []string {
	var out []string
	add := func(name string, e *forms.Expression) {
		if e != nil {
			out = append(out, name+": "+e.Src)
		}
	}
	add("required", fd.Required)
	add("relevant", fd.Relevant)
	add("constraint", fd.Constraint)
	add("warning", fd.Warning)
	add("calculation", fd.Calculation)
	add("default", fd.Default)
	add("choice_filter", fd.ChoiceFilter)
	add("read_only", fd.ReadOnly)
	add("repeat_count", fd.RepeatCount)
	if fd.Validate != "" {
		out = append(out, "validate: "+fd.Validate)
	}
	if fd.Sensitive != "" {
		out = append(out, "sensitive: "+fd.Sensitive)
	}
	if fd.Appearance != "" {
		out = append(out, "appearance: "+fd.Appearance)
	}
	return out
}

func sortedLists(f *forms.Form) []string {
	names := make([]string, 0, len(f.Lists))
	for n := range f.Lists {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
