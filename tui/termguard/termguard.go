// Package termguard keeps bubbletea v1 from stalling at start-up.
//
// bubbletea v1's package init asks lipgloss whether the terminal has a dark
// background, and termenv sends OSC 11 and waits up to 5 seconds for an
// answer. A terminal that answers nothing (some Windows consoles, serial
// links, minimal emulators) then shows nothing for 5 s. fieldbench never
// needs that answer (its themes do not adapt to the background), so this
// package, which sorts and is ready before bubbletea in Go's package
// initialisation order, sets TERM=dumb for the moment of that init: termenv
// skips the query for dumb terminals. Package tui calls Restore from its
// own init, which runs after bubbletea's, before anything is drawn.
//
// It must import nothing that imports lipgloss or termenv, or it would no
// longer be initialised first.
package termguard

import "os"

var (
	saved    string
	hadTerm  bool
	guarding bool
)

func init() {
	saved, hadTerm = os.LookupEnv("TERM")
	if saved == "dumb" {
		return
	}
	guarding = true
	os.Setenv("TERM", "dumb")
}

// Restore puts TERM back as it was.
func Restore() {
	if !guarding {
		return
	}
	guarding = false
	if hadTerm {
		os.Setenv("TERM", saved)
	} else {
		os.Unsetenv("TERM")
	}
}
