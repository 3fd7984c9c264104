package wire

import (
	"encoding/json"
	"errors"
	"strings"
)

// Review on the catalogue: a reviewer of a county marks each record
// version approved, has_issues or rejected, with a comment; every change
// is kept with who made it and when. A rejected version that is still its
// record's latest goes back to the device that sent it (a Return), whose
// correction arrives as a new version, unreviewed, beside the old one.

// Review states. ReviewPending is no review at all: it appears in
// listings and filters, never in a stored review.
const (
	ReviewPending   = "pending"
	ReviewApproved  = "approved"
	ReviewHasIssues = "has_issues"
	ReviewRejected  = "rejected"
)

// ReviewState reads a review state as a person may type it ("has-issues"
// for has_issues); "" when it is none of approved, has_issues, rejected.
func ReviewState(s string) string {
	switch s = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_"); s {
	case ReviewApproved, ReviewHasIssues, ReviewRejected:
		return s
	}
	return ""
}

// MaxCommentRunes bounds a review's comment.
const MaxCommentRunes = 2000

// Review is one review of a record version: its current one, or one
// change in its history.
type Review struct {
	ID         string `json:"id"`
	RecordID   string `json:"record_id"`
	VersionID  string `json:"version_id"`
	State      string `json:"state"`
	Comment    string `json:"comment"`
	ReviewerID string `json:"reviewer_id"`
	Reviewer   string `json:"reviewer"` // the reviewer's name
	At         string `json:"at"`       // the server's clock
}

// ReviewRequest sets the review of one version of a record.
type ReviewRequest struct {
	VersionID string `json:"version_id,omitempty"` // "": the record's latest version
	State     string `json:"state"`
	Comment   string `json:"comment"`
}

// ReviewFilter narrows the records listed for review; the zero value
// lists the first page of every record in the reviewer's county.
type ReviewFilter struct {
	FormID string
	State  string // "", ReviewPending or a review state: of the latest version
	Limit  int    // records on a page; 0 is DefaultReviewPage
	After  string // the Next of the page before
}

// Page sizes of review listings.
const (
	DefaultReviewPage = 50
	MaxReviewPage     = 500
)

// ReviewItem is one record in a review listing: its latest version and
// that version's review.
type ReviewItem struct {
	RecordID    string `json:"record_id"`
	FormID      string `json:"form_id"`
	FormVersion string `json:"form_version"`
	Township    string `json:"township"`
	Head        string `json:"head_version"`
	Versions    int    `json:"versions"`
	Conflict    bool   `json:"conflict"`
	Collector   string `json:"collector"`
	ReceivedAt  string `json:"received_at"`
	State       string `json:"state"` // ReviewPending until the latest version is reviewed
	Comment     string `json:"comment,omitempty"`
	Reviewer    string `json:"reviewer,omitempty"`
	ReviewedAt  string `json:"reviewed_at,omitempty"`
}

// ReviewPage is one page of a review listing.
type ReviewPage struct {
	Records []ReviewItem `json:"records"`
	Next    string       `json:"next,omitempty"` // "" on the last page
}

// RecordVersions is one record with every version the catalogue holds,
// oldest first, each with its review and the history of its reviews.
type RecordVersions struct {
	RecordID string `json:"record_id"`
	FormID   string `json:"form_id"`
	Township string `json:"township"`
	Head     string `json:"head_version"`
	Conflict bool   `json:"conflict"`
	// Masked says the versions' data went through the masking of exports
	// (forms.MaskAnswer, by each version's form version): false only for
	// a reviewer with clearance who asked for clear data (ReviewView).
	Masked   bool            `json:"masked"`
	Versions []VersionReview `json:"versions"`
	// Labels are the questions' labels in Simplified Chinese by answer
	// key, from the form version of the latest version, so that a
	// reviewer reads 联系电话（手机） where the data says head_phone.
	Labels map[string]string `json:"labels,omitempty"`
	// Choices are, by answer key, the labels of the choices the versions'
	// answers name (户主 for head): only those, since a division list
	// holds tens of thousands.
	Choices map[string]map[string]string `json:"choices,omitempty"`
}

// VersionReview is one version of a record as a reviewer sees it: the
// data (masked unless a cleared reviewer asked for it in clear), who sent
// it and when, and its reviews.
type VersionReview struct {
	VersionID   string          `json:"version_id"`
	Replaces    string          `json:"replaces,omitempty"`
	FormVersion string          `json:"form_version"`
	Status      string          `json:"status"` // accepted or conflict, as the batch's receipt said
	Collector   string          `json:"collector"`
	DeviceID    string          `json:"device_id"`
	CreatedAt   string          `json:"created_at"` // the device's clock
	ReceivedAt  string          `json:"received_at"`
	Data        json.RawMessage `json:"data"`
	// Changed are the answer paths (AnswerPaths) whose clear values differ
	// from those of the version this one replaces (of the version before
	// it when it replaces none the catalogue holds; none for the first):
	// masked data cannot show a change in the hidden digits. In a masked
	// view the paths are masked as the data's keys are. A catalogue older
	// than this sends none (nil): the client compares the data itself.
	Changed []string `json:"changed"`
	Review  *Review  `json:"review,omitempty"` // the current one; nil while pending
	History []Review `json:"history"`          // every change, oldest first
}

// Return is a record sent back to the device that sent it: a reviewer
// rejected its latest version.
type Return struct {
	RecordID   string `json:"record_id"`
	VersionID  string `json:"version_id"`
	ReviewID   string `json:"review_id"`
	Comment    string `json:"comment"`
	Reviewer   string `json:"reviewer"`
	ReviewedAt string `json:"reviewed_at"`
}

// ReviewView is how a reviewer asks to see a record: masked, unless Clear
// asks for clear data, which only a user with clearance gets, each time
// recorded in the catalogue's audit with Remote, the HTTP client's
// address.
type ReviewView struct {
	Clear  bool
	Remote string
}

// ReturnList is the answer to GET /v1/returns.
type ReturnList struct {
	Returns []Return `json:"returns"`
}

// Errors of review: ErrForbidden for what the person may not do (403),
// ErrInvalid for a request that cannot be done as it stands (422).
var (
	ErrForbidden = errors.New("not allowed")
	ErrInvalid   = errors.New("refused")
)
