// Command fieldbench is the offline collection workbench: it checks and
// shows forms, validates answer files, and (in later releases) runs the
// data-entry terminal interface, the local store, sync and the catalogue.
package main

import (
	"os"
)

func main() {
	app := &App{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
	}
	os.Exit(app.Run(os.Args[1:]))
}
