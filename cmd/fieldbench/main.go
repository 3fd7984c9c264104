// Command fieldbench is the offline collection workbench: with no
// command it runs the workbench (the TUI) on the laptop's database; its
// commands check and show forms, validate, import and export records,
// sync with the catalogue (--sync), and serve and administer the
// catalogue. Each command is a Command (command.go) with its own flags;
// exit.go decides exit codes and output.go everything people read.
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
