package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms/when"
)

// Retention: once the catalogue has held a version longer than the
// retention period it announces, the laptop keeps only the version's
// masked data. The sealed part is not deleted but replaced by
// maskedOnlyMark, so that a reader knows the data it gets is masked, not
// clear: shown as such, never edited into a new version (which would send
// the masked values as answers), never taken for a clear export or a
// form's last-saved values.

// EventSealedExpired: the sealed parts of versions the catalogue has held
// longer than its retention period were removed; the records keep their
// masked data.
const EventSealedExpired Event = "sealed_expired"

// maskedOnlyMark stands in sealed_versions for a sealed part removed by
// retention or by a key reset. No sealed blob looks like it: those begin
// with seal's "fbs1".
var maskedOnlyMark = []byte("masked-only")

// isMaskedOnly reports whether a stored sealed part is the mark.
func isMaskedOnly(blob []byte) bool { return bytes.Equal(blob, maskedOnlyMark) }

// metaRetentionDays is the retention period the catalogue announced at
// the last sync, kept so the store applies it when it is opened for work
// with no network.
const metaRetentionDays = "retention_days"

// ErrMaskedOnly is what a *MaskedOnlyError is (errors.Is).
var ErrMaskedOnly = errors.New("the record keeps only its masked data on this laptop")

// MaskedOnlyError refuses to edit a record whose clear personal answers
// are no longer on this laptop: the catalogue has held it longer than its
// retention period (or the data key was reset). Its masked data is not its
// answers; the full record is at the catalogue.
type MaskedOnlyError struct {
	RecordID  string
	VersionID string
}

func (e *MaskedOnlyError) Error() string {
	return fmt.Sprintf("record %s keeps only its masked data on this laptop (the personal answers of version %s were removed after the catalogue's receipt); it cannot be edited here: the full record is at the catalogue",
		e.RecordID, e.VersionID)
}

func (e *MaskedOnlyError) Is(target error) bool { return target == ErrMaskedOnly }

// DropExpiredSealed keeps days as the retention period and applies it
// (ApplyRetention); sync calls it with the period the catalogue announced.
func (db *DB) DropExpiredSealed(ctx context.Context, days int) (int, error) {
	if days <= 0 {
		return 0, fmt.Errorf("a retention period of %d days", days)
	}
	if err := db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, metaRetentionDays, strconv.Itoa(days))
		return err
	}); err != nil {
		return 0, err
	}
	return db.ApplyRetention(ctx)
}

// ApplyRetention marks masked-only the versions the catalogue acknowledged
// more than the kept retention period ago, and writes an audit row with
// their count when there were any. Before any sync announced a period
// nothing was acknowledged, and it does nothing.
func (db *DB) ApplyRetention(ctx context.Context) (int, error) {
	n := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var kept string
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaRetentionDays).Scan(&kept)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		days, err := strconv.Atoi(kept)
		if err != nil || days <= 0 {
			return fmt.Errorf("the retention period kept is %q days", kept)
		}
		cutoff := when.Stored(db.now().Add(-time.Duration(days) * 24 * time.Hour))
		res, err := tx.ExecContext(ctx, qExpireSealed(), cutoff, maskedOnlyMark)
		if err != nil {
			return err
		}
		m, err := res.RowsAffected()
		if err != nil || m == 0 {
			return err
		}
		n = int(m)
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		return c.add(ctx, EventSealedExpired, "", map[string]int{"versions": n, "retention_days": days})
	})
	return n, err
}

// qExpireSealed marks a version's sealed part when the receipt kept with
// its batch says the catalogue took it (accepted, or held already) before
// the cutoff ?1. A version the catalogue refused or found in conflict
// keeps its part: the catalogue does not hold it. So do all versions of a
// record that waits for its collector (returned, in conflict, rejected:
// the correction starts from the clear answers) or has an edit in
// progress (the edit is saved against its base).
func qExpireSealed() string {
	var kept []string
	for _, s := range StatesThat(State.NeedsAttention) {
		kept = append(kept, "'"+string(s)+"'")
	}
	return `UPDATE sealed_versions SET blob = ?2 WHERE blob <> ?2 AND version_id IN (
	SELECT json_extract(r.value, '$.version_id') FROM outbox o, json_each(o.receipt, '$.results') r
	WHERE o.sent_at IS NOT NULL AND o.sent_at < ?1 AND json_valid(o.receipt)
	AND json_extract(r.value, '$.status') IN ('accepted', 'duplicate'))
	AND version_id NOT IN (SELECT v.version_id FROM record_versions v JOIN records rec ON rec.id = v.record_id
	WHERE rec.state IN (` + strings.Join(kept, ", ") + `) OR rec.id IN (SELECT record_id FROM pending_edits))`
}
