package api

import (
	"context"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// Reviews is the review side of a catalogue's database (store/catalogue
// implements it). A Server given one in its Reviews field serves the
// reviewer endpoints and hands devices their returns; without one,
// /v1/review answers 404 and a device has no returns.
type Reviews interface {
	// UserByToken finds the unrevoked user holding that token hash, or
	// ErrUnauthorized.
	UserByToken(ctx context.Context, tokenHash string) (*wire.User, error)
	// SetReview sets the review of a version of a record in the user's
	// county. Errors wrap ErrForbidden (not a reviewer, or a record
	// outside the county), ErrNotFound or ErrInvalid (no such state, a
	// rejection without a comment); nothing is stored then.
	SetReview(ctx context.Context, u *wire.User, recordID string, req wire.ReviewRequest) (*wire.Review, error)
	// ReviewList lists the records of the user's county for review.
	ReviewList(ctx context.Context, u *wire.User, f wire.ReviewFilter) (*wire.ReviewPage, error)
	// ReviewRecord is one record of the user's county with all its
	// versions and reviews, the data masked unless view.Clear; a clear
	// view is recorded before it is returned. Errors wrap ErrForbidden
	// (not a reviewer; clear data asked by a user without clearance) or
	// ErrNotFound (no such record in the user's county).
	ReviewRecord(ctx context.Context, u *wire.User, recordID string, view wire.ReviewView) (*wire.RecordVersions, error)
	// Returns lists the rejected reviews of versions the device sent that
	// are still their record's latest.
	Returns(ctx context.Context, dev *wire.Device) ([]wire.Return, error)
}
