//go:build !unix

package main

import (
	"os"
	"syscall"
)

// signalProcess can only end the process where there are no Unix signals.
// The tests that send signals drive tmux, which stops them first on such
// systems; this exists so that the package's tests build for every target
// (`GOOS=windows go vet ./...`).
func signalProcess(pid int, _ syscall.Signal) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}
