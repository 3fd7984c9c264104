//go:build unix

package main

import "syscall"

// privateUmask makes everything this process creates private to its user,
// whatever code creates it: SQLite's journals, excelize's spill files,
// directories made on the way. Files fieldbench opens itself are given
// 0600 and 0700 explicitly as well, since tests run it in-process.
func privateUmask() { syscall.Umask(0o077) }
