package sync

import (
	"context"
	"errors"
)

// Catalogue is the central catalogue's database as the server uses it.
// store/catalogue implements it on SQLite and on PostgreSQL; several
// server processes may share one PostgreSQL database, so everything that
// must happen once (a batch, a record version) is enforced by the
// database, not by memory.
type Catalogue interface {
	// Enrol turns a one-time code into a device; the code is used up.
	// tokenHash is the SHA-256 (hex) of the token the server gave out. An
	// enrolled device id is ErrDeviceExists unless the code was made to
	// enrol that device again; a bad id is ErrInvalid.
	Enrol(ctx context.Context, code, deviceID, tokenHash string) (*Device, error)
	// DeviceByToken finds the enrolled, unrevoked device with that token
	// hash, or ErrUnauthorized.
	DeviceByToken(ctx context.Context, tokenHash string) (*Device, error)
	// Forms lists the form versions published to a township.
	Forms(ctx context.Context, township string) ([]FormInfo, error)
	// Form returns one published form version's definition, if it is
	// published to the township; ErrNotFound otherwise.
	Form(ctx context.Context, township, formID, version string) (*FormFile, error)
	// StoreBatch stores a batch in one transaction and returns its receipt.
	// check validates one record (nil: accepted as far as the form goes;
	// otherwise the reason to reject it). A batch seen before with the same
	// fingerprint returns the stored receipt unchanged; with another
	// fingerprint, ErrBatchMismatch. A check error wrapping
	// ErrCheckUnavailable abandons the batch and is returned.
	StoreBatch(ctx context.Context, dev *Device, b *Batch, fingerprint string, check func(*Record) error) (*Receipt, error)
	Close() error
}

// Errors a Catalogue returns.
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
