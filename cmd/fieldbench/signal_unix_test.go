//go:build unix

package main

import "syscall"

// signalProcess sends sig to the process pid, as a terminal or kill would.
func signalProcess(pid int, sig syscall.Signal) error { return syscall.Kill(pid, sig) }
