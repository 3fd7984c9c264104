package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
	"github.com/google/uuid"
)

// mayReview refuses anyone but a reviewer.
func mayReview(u *wire.User) error {
	if u == nil || u.Role != wire.RoleReviewer {
		return fmt.Errorf("%w: only a reviewer reviews records", wire.ErrForbidden)
	}
	return nil
}

// inCounty refuses a record outside the reviewer's county exactly as an
// unknown record is refused: a reviewer learns neither that the record
// exists nor where it was collected.
func inCounty(u *wire.User, recordID, township string) error {
	if !u.Covers(township) {
		return noRecord(recordID)
	}
	return nil
}

// noRecord is the answer for a record the user cannot see.
func noRecord(recordID string) error {
	return fmt.Errorf("record %s: %w", recordID, wire.ErrNotFound)
}

// blank reports whether a comment shows nothing to read: nothing is left
// once spaces of every kind, control and format characters (zero-width
// spaces and joiners, direction marks, the BOM, the soft hyphen),
// variation selectors and the other characters Unicode says to draw as
// nothing (Hangul fillers among them) are taken out, and the Braille
// blank, which draws as a space.
func blank(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp, unicode.Cc, unicode.Cf,
			unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point), r == '\u2800':
		default:
			return false
		}
	}
	return true
}

// SetReview sets the review of a version of a record (its latest when
// req names none) and keeps the change in the history; see api.Reviews.
// Everything is checked before anything is written, in one transaction:
// a refused review stores nothing. The same review sent again by the same
// reviewer (a retry) changes nothing and returns the stored one.
func (db *DB) SetReview(ctx context.Context, u *wire.User, recordID string, req wire.ReviewRequest) (*wire.Review, error) {
	if err := mayReview(u); err != nil {
		return nil, err
	}
	state := wire.ReviewState(req.State)
	if state == "" {
		return nil, fmt.Errorf("%w: state %q: a review is approved, has_issues or rejected", wire.ErrInvalid, req.State)
	}
	comment := strings.TrimSpace(forms.Sanitize(strings.ToValidUTF8(req.Comment, ""), true))
	if blank(comment) {
		comment = ""
	}
	// A reviewer may quote an ID or mobile number: kept masked only, never
	// clear in the database (the record itself holds the number, sealed).
	comment = forms.MaskEmbeddedIDs(comment)
	switch {
	case state == wire.ReviewRejected && comment == "":
		return nil, fmt.Errorf("%w: a rejected record goes back to its collector: the comment must say what to correct (it is empty, or holds only spaces or invisible characters)", wire.ErrInvalid)
	case utf8.RuneCountInString(comment) > wire.MaxCommentRunes:
		return nil, fmt.Errorf("%w: the comment is longer than %d characters", wire.ErrInvalid, wire.MaxCommentRunes)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	var out *wire.Review
	err = db.tx(ctx, func(tx txn) error {
		out = nil
		var township, head string
		err := tx.QueryRowContext(ctx, qReviewRecordHead, recordID).Scan(&township, &head)
		if errors.Is(err, sql.ErrNoRows) {
			return noRecord(recordID)
		}
		if err != nil {
			return err
		}
		if err := inCounty(u, recordID, township); err != nil {
			return err
		}
		version := req.VersionID
		if version == "" {
			version = head
		}
		var of string
		err = tx.QueryRowContext(ctx, qVersionRecord, version).Scan(&of)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && of != recordID) {
			return fmt.Errorf("version %s of record %s: %w", version, recordID, wire.ErrNotFound)
		}
		if err != nil {
			return err
		}
		cur := wire.Review{RecordID: recordID, VersionID: version}
		err = tx.QueryRowContext(ctx, qReviewCurrent, version).Scan(&cur.ID, &cur.State, &cur.Comment, &cur.ReviewerID, &cur.Reviewer, &cur.At)
		switch {
		case err == nil && cur.State == state && cur.Comment == comment && cur.ReviewerID == u.ID:
			out = &cur
			return nil
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return err
		}
		r := wire.Review{ID: id.String(), RecordID: recordID, VersionID: version, State: state, Comment: comment,
			ReviewerID: u.ID, Reviewer: u.Name, At: db.stamp()}
		if _, err := tx.ExecContext(ctx, qReviewHistoryInsert, r.ID, r.RecordID, r.VersionID, r.State, r.Comment, r.ReviewerID, r.At); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, qReviewUpsert, r.VersionID, r.RecordID, r.ID, r.State, r.Comment, r.ReviewerID, r.At); err != nil {
			return err
		}
		out = &r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReviewList lists the records of the reviewer's county in the order they
// first arrived, a page at a time, with the review of each one's latest
// version; f.State filters on it (ReviewPending: not reviewed yet).
func (db *DB) ReviewList(ctx context.Context, u *wire.User, f wire.ReviewFilter) (*wire.ReviewPage, error) {
	if err := mayReview(u); err != nil {
		return nil, err
	}
	limit := f.Limit
	switch {
	case limit == 0:
		limit = wire.DefaultReviewPage
	case limit < 0 || limit > wire.MaxReviewPage:
		return nil, fmt.Errorf("%w: a page holds 1 to %d records, not %d", wire.ErrInvalid, wire.MaxReviewPage, limit)
	}
	// The county's code is six digits (AddUser checks), so LIKE needs no
	// escaping.
	conds, args := []string{"r.township LIKE ?"}, []any{u.County + "%"}
	if f.FormID != "" {
		conds, args = append(conds, "r.form_id = ?"), append(args, f.FormID)
	}
	switch f.State {
	case "":
	case wire.ReviewPending:
		conds = append(conds, "rv.state IS NULL")
	case wire.ReviewApproved, wire.ReviewHasIssues, wire.ReviewRejected:
		conds, args = append(conds, "rv.state = ?"), append(args, f.State)
	default:
		return nil, fmt.Errorf("%w: state %q: one of pending, approved, has_issues, rejected", wire.ErrInvalid, f.State)
	}
	if f.After != "" {
		seq, pos, ok := parseCursor(f.After)
		if !ok {
			return nil, fmt.Errorf("%w: %q is not a page of this listing", wire.ErrInvalid, f.After)
		}
		conds = append(conds, "(r.first_seq > ? OR (r.first_seq = ? AND r.first_pos > ?))")
		args = append(args, seq, seq, pos)
	}
	// One more than the page: whether it is there says if a next page is.
	args = append(args, limit+1)
	rows, err := db.query(ctx, fmt.Sprintf(qReviewList, strings.Join(conds, " AND ")), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := &wire.ReviewPage{Records: []wire.ReviewItem{}}
	var seq int64
	var pos, conflict int
	for rows.Next() {
		if len(page.Records) == limit {
			page.Next = strconv.FormatInt(seq, 10) + "." + strconv.Itoa(pos)
			break
		}
		var it wire.ReviewItem
		if err := rows.Scan(&it.RecordID, &it.FormID, &it.FormVersion, &it.Township, &it.Head, &conflict, &seq, &pos,
			&it.Collector, &it.ReceivedAt, &it.Versions, &it.State, &it.Comment, &it.Reviewer, &it.ReviewedAt); err != nil {
			return nil, err
		}
		it.Conflict = conflict != 0
		// A comment is free text a reviewer wrote, maybe quoting an answer;
		// the listing is never a clear view.
		it.Comment = forms.MaskEmbeddedIDs(it.Comment)
		page.Records = append(page.Records, it)
	}
	return page, rows.Err()
}

// parseCursor reads a listing's Next: the arrival (batch sequence and
// position in it) of the last record of the page before.
func parseCursor(s string) (int64, int, bool) {
	a, b, ok := strings.Cut(s, ".")
	seq, err1 := strconv.ParseInt(a, 10, 64)
	pos, err2 := strconv.Atoi(b)
	return seq, pos, ok && err1 == nil && err2 == nil
}

// ReviewRecord returns one record of the reviewer's county with every
// version the catalogue holds, oldest first, each with its data (masked
// unless view asks for it clear: reviewview.go), the answers it changed,
// who sent it and when, its current review and the history of its
// reviews.
func (db *DB) ReviewRecord(ctx context.Context, u *wire.User, recordID string, view wire.ReviewView) (*wire.RecordVersions, error) {
	if err := mayReview(u); err != nil {
		return nil, err
	}
	if err := mayViewClear(u, view); err != nil {
		return nil, err
	}
	rec := &wire.RecordVersions{RecordID: recordID}
	var conflict int
	err := db.queryRow(ctx, qReviewRecordGet, recordID).Scan(&rec.FormID, &rec.Township, &rec.Head, &conflict)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noRecord(recordID)
	}
	if err != nil {
		return nil, err
	}
	if err := inCounty(u, recordID, rec.Township); err != nil {
		return nil, err
	}
	rec.Conflict = conflict != 0
	var sealed []sealedVersion
	rec.Versions, err = sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (wire.VersionReview, error) {
		var v wire.VersionReview
		var data []byte
		s := sealedVersion{recordID: recordID}
		err := row.Scan(&v.VersionID, &v.Replaces, &v.FormVersion, &v.Status, &v.Collector, &v.DeviceID, &v.CreatedAt, &v.ReceivedAt, &data,
			&s.sha, &s.sealed, &s.keyID)
		s.versionID = v.VersionID
		sealed = append(sealed, s)
		v.Data, v.History = data, []wire.Review{}
		return v, err
	}, qReviewVersions, recordID)
	if err != nil {
		return nil, err
	}
	if view.Clear {
		// Opened here, shown only once finishView has recorded the view.
		u := db.unsealer()
		for i := range rec.Versions {
			if rec.Versions[i].Data, err = u.clear(ctx, sealed[i], rec.Versions[i].Data); err != nil {
				return nil, err
			}
		}
	}
	byVersion := map[string]*wire.VersionReview{}
	for i := range rec.Versions {
		byVersion[rec.Versions[i].VersionID] = &rec.Versions[i]
	}
	// The current reviews are read before the history: each is written
	// with its history row in one transaction, so the history read after
	// holds every review the current ones name, whatever lands meanwhile.
	err = db.eachReview(ctx, qReviewsOfRecord, recordID, func(r wire.Review) {
		if v := byVersion[r.VersionID]; v != nil {
			v.Review = &r
		}
	})
	if err != nil {
		return nil, err
	}
	err = db.eachReview(ctx, qReviewHistoryOfRecord, recordID, func(r wire.Review) {
		if v := byVersion[r.VersionID]; v != nil {
			v.History = append(v.History, r)
		}
	})
	if err != nil {
		return nil, err
	}
	if err := db.finishView(ctx, u, rec, view); err != nil {
		return nil, err
	}
	return rec, nil
}

// eachReview reads reviews of a record with q, whose columns are those of
// wire.Review in its order but the record id.
func (db *DB) eachReview(ctx context.Context, q, recordID string, yield func(wire.Review)) error {
	return sqlitedb.Each(ctx, db.reads(), q, []any{recordID}, func(row sqlitedb.Scanner) error {
		r := wire.Review{RecordID: recordID}
		if err := row.Scan(&r.ID, &r.VersionID, &r.State, &r.Comment, &r.ReviewerID, &r.Reviewer, &r.At); err != nil {
			return err
		}
		yield(r)
		return nil
	})
}

// Returns lists what goes back to a device: the rejected reviews of
// versions it sent that are still their record's latest. Once a
// correction arrives, the record's latest is the new version and the
// return is no longer listed.
func (db *DB) Returns(ctx context.Context, dev *wire.Device) ([]wire.Return, error) {
	return listed(sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (wire.Return, error) {
		var r wire.Return
		err := row.Scan(&r.RecordID, &r.VersionID, &r.ReviewID, &r.Comment, &r.Reviewer, &r.ReviewedAt)
		return r, err
	}, qReturns, dev.ID))
}

// Review's statements.
const (
	qReviewRecordHead = `SELECT township, head_version FROM records WHERE record_id = ?`

	qVersionRecord = `SELECT record_id FROM versions WHERE version_id = ?`

	qReviewCurrent = `SELECT rv.review_id, rv.state, rv.comment, rv.reviewer_id, u.name, rv.reviewed_at
		FROM reviews rv JOIN users u ON u.id = rv.reviewer_id WHERE rv.version_id = ?`

	qReviewHistoryInsert = `INSERT INTO review_history (review_id, record_id, version_id, state, comment, reviewer_id, reviewed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`

	qReviewUpsert = `INSERT INTO reviews (version_id, record_id, review_id, state, comment, reviewer_id, reviewed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (version_id) DO UPDATE SET review_id = excluded.review_id, state = excluded.state,
			comment = excluded.comment, reviewer_id = excluded.reviewer_id, reviewed_at = excluded.reviewed_at`

	// %s is the conditions, joined by AND; the last argument is LIMIT.
	qReviewList = `SELECT r.record_id, r.form_id, r.form_version, r.township, r.head_version, r.conflict, r.first_seq, r.first_pos,
			v.collector, v.received_at, (SELECT count(*) FROM versions x WHERE x.record_id = r.record_id),
			coalesce(rv.state, 'pending'), coalesce(rv.comment, ''), coalesce(u.name, ''), coalesce(rv.reviewed_at, '')
		FROM records r
		JOIN versions v ON v.version_id = r.head_version
		LEFT JOIN reviews rv ON rv.version_id = r.head_version
		LEFT JOIN users u ON u.id = rv.reviewer_id
		WHERE %s
		ORDER BY r.first_seq, r.first_pos
		LIMIT ?`

	qReviewRecordGet = `SELECT form_id, township, head_version, conflict FROM records WHERE record_id = ?`

	qReviewVersions = `SELECT version_id, replaces, form_version, status, collector, device_id, created_at, received_at, data,
			sha256, sealed, coalesce(sealed_key, '')
		FROM versions WHERE record_id = ? ORDER BY server_seq, version_id`

	qReviewsOfRecord = `SELECT rv.review_id, rv.version_id, rv.state, rv.comment, rv.reviewer_id, u.name, rv.reviewed_at
		FROM reviews rv JOIN users u ON u.id = rv.reviewer_id WHERE rv.record_id = ?`

	qReviewHistoryOfRecord = `SELECT h.review_id, h.version_id, h.state, h.comment, h.reviewer_id, u.name, h.reviewed_at
		FROM review_history h JOIN users u ON u.id = h.reviewer_id WHERE h.record_id = ?
		ORDER BY h.reviewed_at, h.review_id`

	qReturns = `SELECT rv.record_id, rv.version_id, rv.review_id, rv.comment, u.name, rv.reviewed_at
		FROM reviews rv
		JOIN records r ON r.record_id = rv.record_id AND r.head_version = rv.version_id
		JOIN versions v ON v.version_id = rv.version_id
		JOIN users u ON u.id = rv.reviewer_id
		WHERE rv.state = 'rejected' AND v.device_id = ?
		ORDER BY rv.reviewed_at, rv.review_id`
)
