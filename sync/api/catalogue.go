package api

import (
	"context"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
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
	Enrol(ctx context.Context, code, deviceID, tokenHash string) (*wire.Device, error)
	// DeviceByToken finds the enrolled, unrevoked device with that token
	// hash, or ErrUnauthorized.
	DeviceByToken(ctx context.Context, tokenHash string) (*wire.Device, error)
	// Forms lists the form versions published to a township.
	Forms(ctx context.Context, township string) ([]wire.FormInfo, error)
	// Form returns one published form version's definition, if it is
	// published to the township; ErrNotFound otherwise.
	Form(ctx context.Context, township, formID, version string) (*wire.FormFile, error)
	// Attachment returns a data file of a published form version, if the
	// form is published to the township; ErrNotFound otherwise. reserve
	// is called with the file's size before its bytes are read; its error
	// is returned as it is.
	Attachment(ctx context.Context, township, formID, version, name string, reserve func(size int64) error) (*wire.AttachmentFile, error)
	// StoreBatch stores a batch in one transaction and returns its receipt.
	// check validates one record (nil: accepted as far as the form goes;
	// otherwise the reason to reject it). A batch seen before with the same
	// fingerprint returns the stored receipt unchanged; with another
	// fingerprint, ErrBatchMismatch. A check error wrapping
	// ErrCheckUnavailable abandons the batch and is returned.
	//
	// check is given the clear record: a catalogue holding a key opens
	// the sealed part first. What it returns beside the error (the
	// validated instance and what validating it found) lets the catalogue
	// keep the record's pseudonyms and verdict without validating again.
	StoreBatch(ctx context.Context, dev *wire.Device, b *wire.Batch, fingerprint string, check Check) (*wire.Receipt, error)
	Close() error
}

// Check validates a clear record against its form version: the validated
// instance and what validating found, and nil or the reason to reject it.
type Check = func(*wire.Record) (*forms.Instance, *forms.Result, error)

// Keyed is a catalogue with a key of its own: laptops wrap their
// batches' data keys to its current public key, which enrolment hands
// out and /v1/info announces to every enrolled laptop.
type Keyed interface {
	// CatalogueKey is the current key; nil when the catalogue has none.
	CatalogueKey() *wire.CatalogueKey
}
