// Command fieldbench is the offline collection workbench: with no
// command it runs the workbench (the TUI) on the laptop's database; its
// commands check and show forms, validate, import and export records,
// sync with the catalogue (--sync), and serve and administer the
// catalogue. Each command is a Command (command.go) with its own flags;
// exit.go decides exit codes and output.go everything people read.
package main

import (
	"errors"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
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
	app.ReadPassphrase = readPassphrase
	return app.Run(os.Args[1:])
}

// readPassphrase asks for a passphrase on the terminal without echoing
// it; an error when standard input is not a terminal.
func readPassphrase(prompt string) (string, error) {
	if !term.IsTerminal(os.Stdin.Fd()) {
		return "", errors.New("standard input is not a terminal")
	}
	os.Stderr.WriteString(prompt) // already the command's sanitised text
	p, err := term.ReadPassword(os.Stdin.Fd())
	os.Stderr.WriteString("\n")
	return strings.TrimRight(string(p), "\r\n"), err
}
