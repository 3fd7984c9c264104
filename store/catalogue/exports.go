package catalogue

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
	"github.com/fieldbench/fieldbench/store/export"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// Exports by the sharing rules. Who may have a dataset and whether its
// personal answers go out masked follow its effective sharing type
// (resource.Metadata.EffectiveSharing: 不予共享 until fully described) and
// the user's role and clearance:
//
//	不予共享   reviewers of the county only; readers are refused
//	有条件共享 reviewers and readers of the county
//	无条件共享 reviewers and readers of the county
//
// and, whatever the type, masked unless the user holds clearance. 无条件共享
// opens the dataset to every department, not its personal data: PIPL
// Art. 51 and GB/T 35273 ask for personal information to be de-identified
// before it is shown or shared, on the server (reference §3.1), so a
// user without clearance gets the §3.2 masks there too. A user gets only
// the records of townships within the user's county. The administrator,
// who holds the database itself, is not bound by the rules; every export,
// theirs included, is recorded in export_events.

// shareRule is what a user may have of a dataset of a sharing type:
// masked says whether personal answers are masked; a non-empty refusal is
// why the user may not have it at all.
func shareRule(sharing string, u *wire.User) (masked bool, refusal string) {
	if sharing != resource.SharingUnconditional && sharing != resource.SharingConditional && u.Role != wire.RoleReviewer {
		return true, "this dataset is 不予共享 (not shared, or not yet fully described in the catalogue, which counts as not shared): it is exported to the county's reviewers only"
	}
	return !u.Clearance, ""
}

// Export is one export of a form's records, allowed by the rules and
// ready to write; it implements wire.Export.
type Export struct {
	db      *DB
	req     wire.ExportRequest
	form    *forms.Form
	opts    export.Options
	sharing string
	files   []string
	only    string // csv: the one file wanted, "" for all
	// pseudonyms give the KEY_pseudonym columns: of the clear answer, or
	// for a sealed record in a masked export, the one stored at ingest.
	pseudonyms *storedPseudonyms
}

// OpenExport is NewExport for the HTTP server.
func (db *DB) OpenExport(ctx context.Context, req wire.ExportRequest) (wire.Export, error) {
	x, err := db.NewExport(ctx, req)
	if err != nil {
		return nil, err
	}
	return x, nil
}

// NewExport checks req against the dataset's sharing rules and prepares
// the export: wire.ErrNotFound for a form never published, a
// *wire.Refusal when the user may not have it.
func (db *DB) NewExport(ctx context.Context, req wire.ExportRequest) (*Export, error) {
	if req.Format != "csv" && req.Format != "xlsx" && req.Format != "jsonl" {
		return nil, fmt.Errorf("format %q: csv, xlsx or jsonl", req.Format)
	}
	if req.Labels && req.Format == "jsonl" {
		return nil, fmt.Errorf("labels are for csv and xlsx; jsonl keeps the codes")
	}
	entry, err := db.Entry(ctx, req.FormID)
	if err != nil {
		return nil, err
	}
	x := &Export{db: db, req: req, sharing: entry.Metadata.EffectiveSharing()}
	x.opts.Masked = req.Masked
	x.opts.Labels, x.opts.Language = req.Labels, req.Language
	if u := req.User; u != nil {
		if !allDigits(u.County) || u.County == "" {
			return nil, fmt.Errorf("user %s: county %q is not a division code", u.ID, u.County)
		}
		masked, refusal := shareRule(x.sharing, u)
		if refusal != "" {
			return nil, &wire.Refusal{Reason: req.FormID + ": " + refusal}
		}
		x.opts.Masked = masked
	}
	if x.form, x.opts.Earlier, err = db.FormVersionsOf(ctx, req.FormID); err != nil {
		return nil, err
	}
	key, err := db.PseudonymKey(ctx)
	if err != nil {
		return nil, err
	}
	x.pseudonyms = &storedPseudonyms{of: forms.NewPseudonymizer(key)}
	x.opts.Pseudonyms = x.pseudonyms
	switch req.Format {
	case "csv":
		x.files = export.CSVNames(x.form, x.opts)
	default:
		x.files = []string{req.FormID + "." + req.Format}
	}
	return x, nil
}

// Sharing is the sharing type applied.
func (x *Export) Sharing() string { return x.sharing }

// Masked says whether personal answers are masked.
func (x *Export) Masked() bool { return x.opts.Masked }

// Files names the files Write opens, the main level first.
func (x *Export) Files() []string { return x.files }

// Only restricts a CSV export to one of its files.
func (x *Export) Only(name string) error {
	if x.req.Format != "csv" || !slices.Contains(x.files, name) {
		return fmt.Errorf("no file %q in this export; it has %s", name, strings.Join(x.files, ", "))
	}
	x.only = name
	return nil
}

// Write streams the export through open and records it: a row in
// export_events before the first record (an export that cannot be
// recorded does not happen), completed with the count or the failure
// after the last.
func (x *Export) Write(ctx context.Context, open func(name string) (io.Writer, error)) (int, error) {
	id, err := x.db.startExport(ctx, x)
	if err != nil {
		return 0, fmt.Errorf("the export could not be recorded, so it was not made: %w", err)
	}
	src := func(yield func(string, []byte) error) error {
		each := func(v sealedVersion, data []byte) error {
			if err := x.pseudonyms.next(v, data, x.opts.Masked); err != nil {
				return err
			}
			return yield(v.recordID, data)
		}
		if x.req.User == nil {
			q, args := qRecordHeadsForm, []any{x.req.FormID}
			return x.db.eachVersion(ctx, q, args, !x.opts.Masked, each)
		}
		return x.db.versionsWithin(ctx, x.req.FormID, x.req.User.County, !x.opts.Masked, each)
	}
	var n int
	switch x.req.Format {
	case "jsonl", "xlsx":
		var w io.Writer
		if w, err = open(x.files[0]); err != nil {
			break
		}
		if x.req.Format == "xlsx" {
			n, err = export.WriteXLSX(w, x.form, src, x.opts)
		} else {
			n, err = export.WriteJSONL(w, x.form, src, x.opts)
		}
	default:
		n, err = export.WriteCSV(func(name string) (io.Writer, error) {
			if x.only != "" && name != x.only {
				return io.Discard, nil
			}
			return open(name)
		}, x.form, src, x.opts)
	}
	// The count is recorded even when the client went away mid-way and
	// took the request's context with it.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if ferr := x.db.finishExport(fctx, id, n, err); ferr != nil && err == nil {
		return n, fmt.Errorf("%w: %v", wire.ErrAuditIncomplete, ferr)
	}
	return n, err
}

// RecordsWithin is Records for one form and the townships of one county
// (or any division code taken as a prefix): what a user of that county may
// have.
func (db *DB) RecordsWithin(ctx context.Context, formID, county string, clear bool, yield func(recordID string, data []byte) error) error {
	return db.versionsWithin(ctx, formID, county, clear, func(v sealedVersion, data []byte) error { return yield(v.recordID, data) })
}

func (db *DB) versionsWithin(ctx context.Context, formID, county string, clear bool, yield func(v sealedVersion, data []byte) error) error {
	if county == "" || !allDigits(county) {
		return fmt.Errorf("county %q is not a division code", county) // and never a LIKE pattern
	}
	return db.eachVersion(ctx, qRecordHeadsWithin, []any{formID, county + "%"}, clear, yield)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pseudonymKeyName is the key's row in meta.
const pseudonymKeyName = "pseudonym_key"

// PseudonymKey is the catalogue's secret key for pseudonyms: 32 random
// bytes made on first use and kept in meta, the same for every server
// process and handle on the catalogue. Whoever races to make it, one
// insert wins (ON CONFLICT DO NOTHING) and all read the winner's key. It
// is never exported or logged: anyone holding it can test guessed ID
// numbers against pseudonyms.
func (db *DB) PseudonymKey(ctx context.Context) ([]byte, error) {
	var stored string
	err := db.queryRow(ctx, qMetaGet, pseudonymKeyName).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		fresh := make([]byte, 32)
		if _, err := rand.Read(fresh); err != nil {
			return nil, err
		}
		err = db.tx(ctx, func(tx txn) error {
			if _, err := tx.ExecContext(ctx, qMetaInsertNew, pseudonymKeyName, hex.EncodeToString(fresh)); err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, qMetaGet, pseudonymKeyName).Scan(&stored)
		})
	}
	if err != nil {
		return nil, fmt.Errorf("the pseudonym key: %w", err)
	}
	key, err := hex.DecodeString(stored)
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("the pseudonym key in meta is damaged (%d bytes)", len(key))
	}
	return key, nil
}
