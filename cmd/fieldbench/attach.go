package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/catalogue"
)

// attachFlag adds --attach to a command that reads forms: the data files
// they name (select_one_from_file, pulldata, instance lookups), the flag
// repeated for several.
func (a *App) attachFlag(fs *flag.FlagSet) *multiFlag {
	var paths multiFlag
	fs.Var(&paths, "attach", a.t("flag.attach"))
	return &paths
}

// readAttachments reads the files --attach names; one that cannot be read
// is printed as any unreadable file is, and ok is false.
func (a *App) readAttachments(paths []string) (files []forms.File, ok bool) {
	for _, p := range paths {
		read, err := forms.ReadFiles([]string{p})
		if err != nil {
			a.printLoadError(a.Stderr, p, err)
			return nil, false
		}
		files = append(files, read...)
	}
	return files, true
}

// reportUnused prints a located error for each attached file that none of
// the forms named, and says whether there was one.
func (a *App) reportUnused(w io.Writer, files []forms.File, loaded []*forms.Form) bool {
	errs := forms.UnusedFiles(files, loaded)
	if len(errs) > 0 {
		a.printLoadError(w, "", errs)
	}
	return len(errs) > 0
}

// loadFormAttached loads the form at path with the files --attach named,
// printing its located errors on failure.
func (a *App) loadFormAttached(path string, attach []string) (*forms.Form, bool) {
	files, ok := a.readAttachments(attach)
	if !ok {
		return nil, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		a.printLoadError(a.Stderr, path, err)
		return nil, false
	}
	f, err := forms.Load(path, data, files...)
	if err != nil {
		a.printLoadError(a.Stderr, path, err)
		return nil, false
	}
	return f, true
}

// showAttachments lists the data files a form names, each with its size
// and SHA-256, or as not given.
func (a *App) showAttachments(w io.Writer, f *forms.Form) {
	if len(f.Attachments) == 0 {
		return
	}
	blankLine(w)
	a.say(w, "forms_show.attachments")
	for _, at := range f.Attachments {
		where := fmt.Sprintf("%s:%d", at.Loc.Sheet, at.Loc.Row)
		if !at.Given() {
			a.say(w, "forms_show.attachment_missing", at.Name, at.Use, where, at.Name)
			continue
		}
		a.say(w, "forms_show.attachment", at.Name, at.Use, where, at.Size, at.SHA256)
	}
}

// versionConflict says, in the interface language, that a form version is
// registered (on the laptop) or published (at the catalogue) with other
// content or other data files.
func (a *App) versionConflict(err error) (string, bool) {
	var laptop *store.ErrFormVersionConflict
	var central *catalogue.ErrFormVersionConflict
	var id, version, file string
	switch {
	case errors.As(err, &laptop):
		id, version, file = laptop.FormID, laptop.Version, laptop.Attachment
	case errors.As(err, &central):
		id, version, file = central.FormID, central.Version, central.Attachment
	default:
		return "", false
	}
	if file != "" {
		return a.f("forms.conflict_file", id, version, file), true
	}
	return a.f("forms.conflict", id, version), true
}
