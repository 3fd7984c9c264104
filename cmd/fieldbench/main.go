// Command fieldbench is the offline collection workbench: it checks and
// shows forms, validates answer files, and (in later releases) runs the
// data-entry terminal interface, the local store, sync and the catalogue.
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(fieldbench())
}

// fieldbench runs the command line of the process and returns its exit
// code; the tests' scripts run it as their fieldbench command.
func fieldbench() int {
	privateUmask()
	app := &App{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		IsTerminal: func(w io.Writer) bool {
			f, ok := w.(*os.File)
			if !ok {
				return false
			}
			st, err := f.Stat()
			return err == nil && st.Mode()&os.ModeCharDevice != 0
		},
	}
	return app.Run(os.Args[1:])
}
