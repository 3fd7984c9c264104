package catalogue

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/export"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// What a reviewer sees of the data follows the rule of exports: masked
// unless the user holds clearance, and then clear only when asked for,
// each clear view kept in the audit of exports (export_events, format
// "review", the record's id in file) so that `catalogue exports` lists
// who saw which record in clear, when, and from where.

// reviewFormat is the format of a clear review view in export_events.
const reviewFormat = "review"

// mayViewClear refuses clear data to a user without clearance: such a
// request is not a view and is not recorded.
func mayViewClear(u *wire.User, view wire.ReviewView) error {
	if view.Clear && !u.Clearance {
		return fmt.Errorf("%w: user %s has no clearance to see records in clear; asked without clear, the record comes masked "+
			"(the administrator adds a user with clearance: fieldbench catalogue user add --clearance)", wire.ErrForbidden, u.ID)
	}
	return nil
}

// finishView readies rec's clear versions for the reviewer: it names
// each version's changed answers on the clear data, then masks the data
// or, for a clear view, records it before it is shown.
func (db *DB) finishView(ctx context.Context, u *wire.User, rec *wire.RecordVersions, view wire.ReviewView) error {
	// A version's entity changes are worked out from its answers and
	// repeat them (names among them) outside the questions masking goes
	// by: review shows the answers, as exports do, and the changes the
	// answers made are the entity list's history.
	for i := range rec.Versions {
		v := &rec.Versions[i]
		if bytes.Contains(v.Data, []byte(`"`+forms.EntitiesKey+`"`)) {
			data, err := forms.WithEntityChanges(v.Data, nil)
			if err != nil {
				return fmt.Errorf("version %s of record %s: the data does not read: %w", v.VersionID, rec.RecordID, err)
			}
			v.Data = data
		}
	}
	if err := markChanges(rec); err != nil {
		return err
	}
	rec.Masked = !view.Clear
	if view.Clear {
		if err := db.recordClearView(ctx, u, rec, view.Remote); err != nil {
			return fmt.Errorf("the view could not be recorded, so the record is not shown in clear: %w", err)
		}
		return nil
	}
	return db.maskVersions(ctx, rec)
}

// markChanges sets each version's Changed: the answer paths that differ
// from the version it replaces, or, when it replaces none the catalogue
// holds, from the version before it.
func markChanges(rec *wire.RecordVersions) error {
	at := make(map[string]int, len(rec.Versions))
	for i, v := range rec.Versions {
		at[v.VersionID] = i
	}
	for i := range rec.Versions {
		v := &rec.Versions[i]
		base, ok := at[v.Replaces]
		if v.Replaces == "" || !ok || base == i {
			base = i - 1
		}
		if base < 0 {
			v.Changed = []string{}
			continue
		}
		changed, err := wire.ChangedPaths(rec.Versions[base].Data, v.Data)
		if err != nil {
			return fmt.Errorf("version %s of record %s: the data does not read: %w", v.VersionID, rec.RecordID, err)
		}
		v.Changed = changed
	}
	return nil
}

// maskVersions masks every version's data as a masked export masks it,
// by the version's own form version, and the changed paths as any text
// (a key no question names may hold a number). A version whose form the
// catalogue cannot read is an error, never data in clear.
func (db *DB) maskVersions(ctx context.Context, rec *wire.RecordVersions) error {
	for i := range rec.Versions {
		v := &rec.Versions[i]
		f, err := db.FormDefinition(ctx, rec.FormID, v.FormVersion)
		if err != nil {
			return fmt.Errorf("version %s of record %s: form %s version %s, which masks its data, cannot be read: %w",
				v.VersionID, rec.RecordID, rec.FormID, v.FormVersion, err)
		}
		masked, err := export.MaskedRecord(f, v.Data)
		if err != nil {
			return fmt.Errorf("version %s of record %s: the data does not read: %w", v.VersionID, rec.RecordID, err)
		}
		v.Data = masked
		for j, p := range v.Changed {
			v.Changed[j] = forms.MaskEmbeddedIDs(p)
		}
		// Comments are free text: a reviewer may have quoted an answer.
		if v.Review != nil {
			v.Review.Comment = forms.MaskEmbeddedIDs(v.Review.Comment)
		}
		for j := range v.History {
			v.History[j].Comment = forms.MaskEmbeddedIDs(v.History[j].Comment)
		}
	}
	return nil
}

// recordClearView writes the clear view to export_events before the
// record goes out: a view that cannot be recorded is not given.
func (db *DB) recordClearView(ctx context.Context, u *wire.User, rec *wire.RecordVersions, remote string) error {
	entry, err := db.Entry(ctx, rec.FormID)
	if err != nil {
		return err
	}
	raw := make([]byte, 8)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	at := db.stamp()
	return db.tx(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, qReviewViewInsert, "review-"+hex.EncodeToString(raw), at, at, u.ID, rec.FormID,
			reviewFormat, rec.RecordID, entry.Metadata.EffectiveSharing(), remote)
		return err
	})
}

// One record, shown whole: finished when started, no failure.
const qReviewViewInsert = `INSERT INTO export_events
		(id, started_at, finished_at, user_id, command, form_id, format, file, sharing, masked, records, remote, failure)
	VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, 0, 1, ?, '')`
