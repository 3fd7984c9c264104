package wire

import "errors"

// Errors a catalogue returns, which the API answers with their HTTP
// statuses.
var (
	ErrUnauthorized  = errors.New("unknown or revoked device token")
	ErrBadCode       = errors.New("unknown or already used enrolment code")
	ErrDeviceExists  = errors.New("this device id is enrolled already")
	ErrNotFound      = errors.New("not found")
	ErrBatchMismatch = errors.New("this batch id was sent before with other contents")
	// ErrCheckUnavailable, wrapped in a check's error, means the record
	// could not be checked just now (its form failed to load): the batch
	// is abandoned whole and answered 503, not stored with a rejection
	// that would stand for good.
	ErrCheckUnavailable = errors.New("the record cannot be checked now")
)
