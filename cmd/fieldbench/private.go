package main

import (
	"github.com/fieldbench/fieldbench/store"
)

// warnExposed tells, once at the start of a command, which of the given
// existing files and directories other users of the computer can read:
// a database readable by others gives away every record and, on the
// catalogue, the pseudonym key. fieldbench makes its own files private
// (0600, directories 0700); it leaves the modes of existing ones to their
// owner, who may have shared them on purpose, and says how to fix them.
func (a *App) warnExposed(paths ...string) {
	for _, e := range store.ExposedFiles(paths...) {
		a.fail("exposed", a.exposedText(e))
	}
}

// exposedText is the warning for one exposed file, in the command's
// language.
func (a *App) exposedText(e store.Exposed) string {
	return a.f("exposed.text", e.Path, uint32(e.Mode.Perm()), e.Fix)
}
