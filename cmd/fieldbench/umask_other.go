//go:build !unix

package main

// privateUmask does nothing where there is no umask: on Windows a new
// file takes the access list of its directory, and the user's profile,
// where fieldbench keeps its data by default, is private to the user.
func privateUmask() {}
