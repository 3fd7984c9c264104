package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

func (a *App) runForms(args []string) int {
	if len(args) == 0 {
		a.saySyntax(a.Stderr, "forms.usage")
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
	fmt.Fprintln(a.Stderr, "fieldbench forms: "+a.f("forms.unknown", args[0]))
	return exitUnusable
}

func (a *App) runFormsCheck(args []string) int {
	fs := a.newFlagSet("forms check")
	a.addLangFlag(fs)
	fs.Usage = func() {
		a.saySyntax(a.Stderr, "forms_check.usage")
		a.sayWrapped(a.Stderr, "forms_check.help")
		a.printFlags(a.Stderr, fs)
	}
	if err := a.parseFlags(fs, reorderFlags(fs, args)); err != nil {
		return exitUnusable
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUnusable
	}
	code := exitOK
	for _, path := range fs.Args() {
		f, err := forms.LoadFile(path)
		if err != nil {
			a.printLoadError(a.Stdout, path, err)
			code = exitRejected
			continue
		}
		a.say(a.Stdout, "forms_check.ok", path, a.summary(f))
		for _, w := range f.Warnings {
			a.say(a.Stdout, "forms_check.warning", forms.Sanitize(w.Localized(a.lang), false))
		}
	}
	return code
}

// summary is the one-line description forms check prints for a good form.
func (a *App) summary(f *forms.Form) string {
	n := 0
	for _, fd := range f.Fields {
		if !fd.Type.IsContainer() {
			n++
		}
	}
	return a.f("forms_check.summary", a.nf("n_fields", n, n), a.nf("n_lists", len(f.Lists), len(f.Lists)), a.languageList(f))
}

func (a *App) languageList(f *forms.Form) string {
	if len(f.Languages) == 0 {
		return a.t("forms.no_languages")
	}
	names := make([]string, len(f.Languages))
	for i, l := range f.Languages {
		if l == "" {
			l = a.t("forms.untagged")
		}
		if l == f.DefaultLanguage {
			l += a.t("forms.default")
		}
		names[i] = forms.Sanitize(l, false)
	}
	return strings.Join(names, ", ")
}

func (a *App) runFormsShow(args []string) int {
	fs := a.newFlagSet("forms show")
	fs.String("lang", "", a.t("flag.show_lang"))
	fs.Usage = func() {
		a.saySyntax(a.Stderr, "forms_show.usage")
		a.sayWrapped(a.Stderr, "forms_show.help")
		a.printFlags(a.Stderr, fs)
	}
	if err := a.parseFlags(fs, reorderFlags(fs, args)); err != nil {
		return exitUnusable
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUnusable
	}
	uiLang := a.lang
	f, ok := a.loadForm(fs.Arg(0), uiLang)
	if !ok {
		return exitRejected
	}
	a.showForm(a.Stdout, f, f.MatchLanguage(a.lang))
	return exitOK
}

// showForm prints the tree with plain indentation: box-drawing characters
// are East-Asian ambiguous width and break alignment on CJK terminals.
func (a *App) showForm(w io.Writer, f *forms.Form, lang string) {
	clean := func(s string) string { return forms.Sanitize(s, false) }
	fmt.Fprintf(w, "%s  %s", clean(f.ID), clean(f.Title))
	if f.Version != "" {
		fmt.Fprint(w, a.f("forms_show.version", clean(f.Version)))
	}
	fmt.Fprintln(w)
	a.say(w, "forms_show.languages", a.languageList(f))
	if f.InstanceName != nil {
		a.say(w, "forms_show.instance_name", clean(f.InstanceName.Src))
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
				key = a.f("forms_show.record_key", clean(fd.Key))
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
		a.say(w, "forms_show.lists")
		for _, name := range sortedLists(f) {
			l := f.Lists[name]
			extra := ""
			if len(l.Columns) > 0 {
				extra = a.f("forms_show.filter_columns", clean(strings.Join(l.Columns, ", ")))
			}
			fmt.Fprintf(w, "    %s: %s%s\n", clean(name), a.nf("n_choices", len(l.Choices), len(l.Choices)), extra)
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
