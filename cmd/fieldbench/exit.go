package main

import (
	"errors"
)

// Exit codes shared by every command.
const (
	exitOK        = 0
	exitRejected  = 1 // the command ran, and found something wrong in its input
	exitUnusable  = 2 // the command could not run: bad usage, unreadable input
	exitAttention = 3 // a sync ran, and records need the collector's attention
)

// errRejected is returned by a command that ran and has reported what
// was wrong with its input (a form's problems, rejected lines).
var errRejected = errors.New("rejected")

// errAttention is returned by --sync when it ran but records came back
// refused or returned, for the collector to see to.
var errAttention = errors.New("records need attention")

// errReported is returned by a command that could not run and has said
// why already, in lines of its own (a form's located problems).
var errReported = errors.New("reported")

// usageError is a command used wrongly: its message, then its usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// errUsage is wrong use that needs no message beyond the usage.
var errUsage = &usageError{}

// usageErr is wrong use with the message key's text says.
func (a *App) usageErr(key string, args ...any) error {
	return &usageError{msg: a.f(key, args...)}
}

// failure is a command that could not run, in the command's language.
type failure struct{ msg string }

func (e *failure) Error() string { return e.msg }

// failed is the failure key's text says.
func (a *App) failed(key string, args ...any) error {
	return &failure{msg: a.f(key, args...)}
}

// refusal is a command that ran and was refused, or stopped short, for
// the reason it gives (exit 1): a sync cut off, a download or review the
// catalogue refused.
type refusal struct{ msg string }

func (e *refusal) Error() string { return e.msg }

// refused is the refusal key's text says.
func (a *App) refused(key string, args ...any) error {
	return &refusal{msg: a.f(key, args...)}
}

// exitCode prints what a command's error says and maps it to the exit
// code: the one place where both are decided.
func (a *App) exitCode(c *Command, err error) int {
	var usage *usageError
	var fail *failure
	var refuse *refusal
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errRejected):
		return exitRejected
	case errors.Is(err, errAttention):
		return exitAttention
	case errors.Is(err, errReported):
		return exitUnusable
	case errors.As(err, &usage):
		if usage.msg != "" {
			a.fail("plain", usage.msg)
		}
		if c != nil {
			a.printUsage(a.Stderr, c)
		}
		return exitUnusable
	case errors.As(err, &fail):
		a.fail("plain", fail.msg)
		return exitUnusable
	case errors.As(err, &refuse):
		a.fail("plain", refuse.msg)
		return exitRejected
	}
	a.fail("plain", err.Error())
	return exitUnusable
}
