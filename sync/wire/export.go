package wire

import (
	"context"
	"errors"
	"io"
)

// Where the county's reviewers and readers take exports with their user
// token: ExportPath?form=ID&format=F a form's records (sync/api/export.go),
// EntityExportPath?list=L&format=F[&clear=1] an entity list.
const (
	ExportPath       = "/v1/export"
	EntityExportPath = ExportPath + "/entities"
)

// Headers of an export's answer. Sharing is percent-encoded UTF-8 (HTTP
// header values are not reliably UTF-8), file names too.
const (
	HeaderSharing = "Fieldbench-Sharing"        // the sharing type applied, e.g. 有条件共享
	HeaderMasked  = "Fieldbench-Masked"         // "true" or "false"
	HeaderFiles   = "Fieldbench-Export-Files"   // csv: every file of the export, main level first, comma-separated
	HeaderRecords = "Fieldbench-Export-Records" // trailer: the number of records (or entities) written
)

// Errors of exports.
var (
	// ErrAuditIncomplete: the export was written but its audit row could
	// not be completed with the count (its start is recorded).
	ErrAuditIncomplete = errors.New("the export was written but its audit row could not be completed")
)

// Refusal is an export the sharing rules do not allow, with the reason a
// person can act on.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string { return r.Reason }

// Is makes a Refusal match ErrForbidden (review.go).
func (r *Refusal) Is(target error) bool { return target == ErrForbidden }

// ExportRequest is who asks for which export.
type ExportRequest struct {
	FormID string
	Format string // "csv", "xlsx" or "jsonl"
	// Labels and Language: csv and xlsx for people (export.Options).
	Labels   bool
	Language string
	// User is the token holder asking; nil for the administrator at the
	// catalogue's own command line, to whom the sharing rules do not apply.
	User *User
	// Masked is the administrator's choice; a user's export is masked or
	// not as the sharing rules say.
	Masked  bool
	Command string // the administrator's command line, for the audit
	Remote  string // the HTTP client's address, for the audit
}

// EntityExportRequest is who asks for which export of an entity list. The
// list is exported by the sharing rules of the form that defines it.
type EntityExportRequest struct {
	List   string
	Format string // "csv", "xlsx" or "jsonl"
	// Clear asks for every property in clear: the administrator's choice,
	// or a user's, which the rules allow only with clearance.
	Clear   bool
	User    *User  // nil for the administrator, as in ExportRequest
	Command string // the administrator's command line, for the audit
	Remote  string // the HTTP client's address, for the audit
}

// Export is an export the rules allow, ready to write.
type Export interface {
	Sharing() string // the dataset's sharing type, as applied
	Masked() bool
	// Files names what Write opens: FORM.jsonl, or the CSV files, the
	// main level first; LIST.FORMAT for an entity list.
	Files() []string
	// Only restricts a CSV export to one of its Files.
	Only(name string) error
	// Write streams the export, calling open once per file, records it in
	// the audit and returns the number of records written. CSV writers
	// that are io.Closers are closed.
	Write(ctx context.Context, open func(name string) (io.Writer, error)) (int, error)
}
