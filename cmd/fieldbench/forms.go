package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

// formsCommand is the forms on their own (check, show) and in the
// laptop's database (add, list).
func (a *App) formsCommand() *Command {
	g := a.group("forms", "cmd.forms", a.formsCheck(), a.formsShow(), a.formsAdd(), a.formsList())
	g.Usage = "forms.usage"
	return g
}

func (a *App) formsCheck() *Command {
	c := a.leaf("check")
	c.Usage, c.Help, c.Args = "forms_check.usage", []string{"forms_check.help"}, atLeast(1)
	attach := a.attachFlag(c.Flags)
	c.Run = func(_ context.Context, paths []string) error {
		files, ok := a.readAttachments(*attach)
		if !ok {
			return errRejected
		}
		var rejected error
		var loaded []*forms.Form
		for _, path := range paths {
			data, err := os.ReadFile(path)
			var f *forms.Form
			if err == nil {
				f, err = forms.LoadAmong(path, data, files)
				if err != nil {
					if stubs := forms.EntityListStubs(path, data, files); stubs != nil {
						f, err = forms.LoadAmong(path, data, append(stubs, files...))
					}
				}
			}
			if err != nil {
				a.printLoadError(a.Stdout, path, err)
				rejected = errRejected
				continue
			}
			loaded = append(loaded, f)
			a.say(a.Stdout, "forms_check.ok", path, a.summary(f))
			for _, w := range f.Warnings {
				a.say(a.Stdout, "forms_check.warning", w.Localized(a.lang))
			}
		}
		// A file a form that did not load may have named is not called
		// unused: that form's own errors come first.
		if rejected == nil && a.reportUnused(a.Stdout, files, loaded) {
			rejected = errRejected
		}
		return rejected
	}
	return c
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
		names[i] = l
	}
	return strings.Join(names, ", ")
}

func (a *App) formsShow() *Command {
	c := a.leaf("show")
	c.Usage, c.Help, c.Args = "forms_show.usage", []string{"forms_show.help"}, exactly(1)
	// Its --lang chooses the labels shown as well as the messages.
	c.Flags.String("lang", "", a.t("flag.show_lang"))
	attach := a.attachFlag(c.Flags)
	c.Run = func(_ context.Context, args []string) error {
		files, ok := a.readAttachments(*attach)
		if !ok {
			return errRejected
		}
		data, err := os.ReadFile(args[0])
		var f *forms.Form
		if err == nil {
			// Shown without the files it names, if need be: it lists them.
			f, err = forms.LoadForShow(args[0], data, files...)
		}
		if err != nil {
			a.printLoadError(a.Stderr, args[0], err)
			return errRejected
		}
		a.showForm(a.Stdout, f, f.MatchLanguage(a.lang))
		return nil
	}
	return c
}

// showForm prints the tree with plain indentation: box-drawing characters
// are East-Asian ambiguous width and break alignment on CJK terminals.
// Each line is composed first and said whole, which strips what the form
// put in its names and labels that a terminal would act on.
func (a *App) showForm(w io.Writer, f *forms.Form, lang string) {
	head := f.ID + "  " + f.Title
	if f.Version != "" {
		head += a.f("forms_show.version", f.Version)
	}
	a.say(w, "plain", head)
	a.say(w, "forms_show.languages", a.languageList(f))
	if f.InstanceName != nil {
		a.say(w, "forms_show.instance_name", f.InstanceName.Src)
	}
	blankLine(w)
	var walk func(fields []*forms.Field, depth int)
	walk = func(fields []*forms.Field, depth int) {
		for _, fd := range fields {
			indent := strings.Repeat("    ", depth)
			kind := fd.Type.String()
			if fd.ListName != "" {
				kind += " " + fd.ListName
			}
			if fd.ChoicesFrom != "" {
				kind += " ${" + fd.ChoicesFrom + "}"
			}
			// A label of nothing but control characters shows as none.
			label := forms.Sanitize(fd.Label.In(lang), false)
			if label != "" {
				label = "  \"" + label + "\""
			}
			key := ""
			if fd.Key != fd.Name {
				key = a.f("forms_show.record_key", fd.Key)
			}
			a.say(w, "plain", fmt.Sprintf("%s%s  [%s]%s%s", indent, fd.Name, kind, label, key))
			for _, r := range rules(fd) {
				a.say(w, "plain", indent+"    "+r)
			}
			if key := deviceNote[fd.Type]; key != "" {
				a.say(w, key, indent+"    ")
			}
			if fd.Type.IsContainer() {
				walk(fd.Children, depth+1)
			}
		}
	}
	walk(f.Root.Children, 0)
	if len(f.Lists) > 0 {
		blankLine(w)
		a.say(w, "forms_show.lists")
		for _, name := range sortedLists(f) {
			l := f.Lists[name]
			extra := ""
			if len(l.Columns) > 0 {
				extra = a.f("forms_show.filter_columns", strings.Join(l.Columns, ", "))
			}
			a.say(w, "plain", fmt.Sprintf("    %s: %s%s", name, a.nf("n_choices", len(l.Choices), len(l.Choices)), extra))
		}
	}
	a.showAttachments(w, f)
}

// deviceNote says, under a question a phone fills by itself, what
// fieldbench does with it instead.
var deviceNote = map[forms.Type]string{
	forms.TypeStartGeopoint:      "forms_show.no_gps",
	forms.TypeBackgroundGeopoint: "forms_show.no_gps",
	forms.TypeAudit:              "forms_show.audit",
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
	if len(fd.Trigger) > 0 {
		out = append(out, "trigger: ${"+strings.Join(fd.Trigger, "}, ${")+"}")
		add("calculation", fd.TriggerValue)
	}
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

func (a *App) formsAdd() *Command {
	var attach *multiFlag
	c := a.storeLeaf("add", "forms_add.usage", atLeast(1), func(ctx context.Context, db *store.DB, paths []string) error {
		files, ok := a.readAttachments(*attach)
		if !ok {
			return errRejected
		}
		var rejected error
		var loaded []*forms.Form
		for _, path := range paths {
			data, err := os.ReadFile(path)
			var shown *forms.Form
			if err == nil {
				// Which of the files this form names; AddForm loads it
				// with them, all of them or nothing.
				shown, err = forms.LoadForShow(path, data)
			}
			var fv *store.FormVersion
			if err == nil {
				fv, err = db.AddForm(ctx, path, data, shown.Named(files)...)
			}
			if err != nil {
				a.printLoadError(a.Stderr, path, err)
				rejected = errRejected
				continue
			}
			loaded = append(loaded, shown)
			what := "forms_add.added"
			if fv.AlreadyPresent {
				what = "forms_add.present"
			}
			a.say(a.Stdout, what, path, fv.FormID, fv.Version, fv.Title)
			for _, at := range fv.Attachments {
				a.say(a.Stdout, "forms_add.attachment", at.Name, at.Size, at.SHA256)
			}
		}
		if rejected == nil && a.reportUnused(a.Stderr, files, loaded) {
			rejected = errRejected
		}
		return rejected
	})
	attach = a.attachFlag(c.Flags)
	c.Help = []string{"forms_add.help"}
	return c
}

func (a *App) formsList() *Command {
	return a.storeLeaf("list", "forms_list.usage", exactly(0), func(ctx context.Context, db *store.DB, _ []string) error {
		list, err := db.Forms(ctx)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			a.say(a.Stdout, "forms_list.none")
			return nil
		}
		// Each form version takes a line and its records, counted in every
		// state, an indented line under it: seven count columns beside the
		// title would not fit 80 columns. The counts line up from one form to
		// the next, each padded to its widest.
		var t table
		t.add(a.heads("h.form", "h.version", "h.title")...)
		digits := map[store.State]int{}
		for _, fv := range list {
			t.add(fv.FormID, fv.Version, fv.Title)
			for _, s := range store.States {
				digits[s] = max(digits[s], len(fmt.Sprint(fv.Counts[s])))
			}
		}
		lines := t.lines()
		writeLine(a.Stdout, lines[0])
		for i, fv := range list {
			writeLine(a.Stdout, lines[i+1])
			var counts []string
			for _, s := range store.States {
				counts = append(counts, fmt.Sprintf("%s %*d", a.stateName(s), digits[s], fv.Counts[s]))
			}
			for _, l := range wrap(counts, "  ", 80) {
				writeLine(a.Stdout, l)
			}
		}
		return nil
	})
}
