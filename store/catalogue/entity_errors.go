package catalogue

import (
	"context"
	"fmt"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// unknownEntityReason is the note of an update of an entity the catalogue
// does not hold, with the version it was based on: written by
// applyEntities, read back by EntityErrors.
const unknownEntityReason = "update based on version %d of an entity the catalogue does not hold"

// EntityErrors lists the entity errors of the reviewer's county (of the
// townships of the laptops that sent them), oldest first; see
// wire.EntityError. An entity id may be a name a preload file gave, an ID
// number among them: masked as any text is, unless view.Clear (refused
// without clearance, recorded).
func (db *DB) EntityErrors(ctx context.Context, u *wire.User, view wire.ReviewView) ([]wire.EntityError, error) {
	out, err := countyView(ctx, db, u, view, "entity-errors", scanEntityError, qEntityErrorsOf)
	if err != nil || view.Clear {
		return out, err
	}
	for i := range out {
		out[i].EntityID, out[i].Masked = forms.MaskEmbeddedIDs(out[i].EntityID), true
	}
	return out, nil
}

func scanEntityError(row sqlitedb.Scanner) (wire.EntityError, error) {
	var e wire.EntityError
	err := row.Scan(&e.VersionID, &e.RecordID, &e.FormID, &e.List, &e.EntityID, &e.Township, &e.DeviceID, &e.Reason, &e.At)
	if _, scanErr := fmt.Sscanf(e.Reason, unknownEntityReason, &e.BaseVersion); scanErr != nil {
		e.BaseVersion = -1
	}
	return e, err
}

// The county is a prefix of digits (checked when the user is added).
const qEntityErrorsOf = `SELECT e.record_version, coalesce(v.record_id, ''), coalesce(r.form_id, ''), e.list, e.entity_id,
		d.township, e.device_id, e.reason, e.at
	FROM entity_errors e
	JOIN devices d ON d.id = e.device_id
	LEFT JOIN versions v ON v.version_id = e.record_version
	LEFT JOIN records r ON r.record_id = v.record_id
	WHERE d.township LIKE ?
	ORDER BY e.at, e.record_version, e.list, e.entity_id`
