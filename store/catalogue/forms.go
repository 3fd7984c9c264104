package catalogue

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/cnid"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// ErrFormVersionConflict is returned by Publish when (form_id, version) is
// already published with other bytes: records point at the pair, so its
// definition can never change.
type ErrFormVersionConflict struct {
	FormID, Version string
	Have, Got       string // sha256 of the published and the offered definition
	// Attachment names the data file that differs when the definition is
	// the same: ODK Central too publishes other attachments only as a new
	// version.
	Attachment string
}

func (e *ErrFormVersionConflict) Error() string {
	if e.Attachment != "" {
		return fmt.Sprintf("form %q version %q is already published with another %s; change the version in the settings sheet and publish it as a new version",
			e.FormID, e.Version, e.Attachment)
	}
	return fmt.Sprintf("form %q version %q is already published with different content; change the version in the settings sheet and publish it as a new version",
		e.FormID, e.Version)
}

// Publish makes a form definition available to the townships given (division
// codes of 6, 9 or 12 digits; a county's code reaches every township in it).
// A definition that does not load is refused with the loader's error.
// Publishing the very same bytes again only adds townships.
func (db *DB) Publish(ctx context.Context, fileName string, definition []byte, townships []string) (*wire.FormInfo, error) {
	return db.PublishAttached(ctx, fileName, definition, nil, townships)
}

// PublishAttached is Publish of a form with the data files it names,
// stored with the version in the same transaction. Publishing the same
// definition with other files is refused as other bytes are.
func (db *DB) PublishAttached(ctx context.Context, fileName string, definition []byte, files []forms.File, townships []string) (*wire.FormInfo, error) {
	if len(townships) == 0 {
		return nil, errors.New("name at least one township to publish the form to")
	}
	codes := make([]string, len(townships))
	for i, t := range townships {
		c, err := CheckTownship(t)
		if err != nil {
			return nil, err
		}
		codes[i] = c
	}
	f, err := forms.Load(fileName, definition, files...)
	if err != nil {
		// A follow-up form is published without its entity lists: each
		// is kept as its header, which laptops replace by the list made
		// from their own entities (and FormDefinition loads as stored).
		stubs := forms.EntityListStubs(fileName, definition, files)
		if stubs == nil {
			return nil, err
		}
		files = append(stubs, files...)
		if f, err = forms.Load(fileName, definition, files...); err != nil {
			return nil, err
		}
	}
	info := &wire.FormInfo{FormID: f.ID, Version: f.Version, Title: f.Title, FileName: fileName, SHA256: hashHex(definition)}
	for _, a := range f.Attachments {
		info.Attachments = append(info.Attachments, wire.AttachmentInfo{Name: a.Name, Size: a.Size, SHA256: a.SHA256})
	}
	err = db.tx(ctx, func(tx txn) error {
		now := db.stamp()
		var have wire.FormInfo
		err := tx.QueryRowContext(ctx, qFormGet, f.ID, f.Version).Scan(&have.Title, &have.FileName, &have.SHA256)
		switch {
		case err == nil && have.SHA256 != info.SHA256:
			return &ErrFormVersionConflict{FormID: f.ID, Version: f.Version, Have: have.SHA256, Got: info.SHA256}
		case err == nil:
			stored, err := attachmentsOf(ctx, tx, f.ID, f.Version)
			if err != nil {
				return err
			}
			if name := forms.DifferentFile(hashesOf(stored), f.AttachmentHashes()); name != "" {
				return &ErrFormVersionConflict{FormID: f.ID, Version: f.Version, Have: have.SHA256, Got: info.SHA256, Attachment: name}
			}
			// The first publication's name and title stay: they are what
			// devices already downloaded.
			info.Title, info.FileName = have.Title, have.FileName
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, qFormInsert, f.ID, f.Version, f.Title, fileName, info.SHA256, definition, now); err != nil {
				return err
			}
			for _, a := range info.Attachments {
				if _, err := tx.ExecContext(ctx, qAttachmentInsert, f.ID, f.Version, a.Name, a.SHA256, a.Size, forms.FileData(files, a.Name)); err != nil {
					return err
				}
			}
		default:
			return err
		}
		for _, c := range codes {
			if _, err := tx.ExecContext(ctx, qFormTownshipAdd, f.ID, f.Version, c, now); err != nil {
				return err
			}
		}
		return db.describeFromSettings(ctx, tx, f)
	})
	if err != nil {
		return nil, err
	}
	db.mu.Lock()
	db.forms[forms.VersionKey(info.SHA256, f.AttachmentHashes())] = f
	db.mu.Unlock()
	return info, nil
}

// Forms lists the form versions published to a township (or to its county),
// each with its data files.
func (db *DB) Forms(ctx context.Context, township string) ([]wire.FormInfo, error) {
	s := scopes(township)
	list, err := listed(sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (wire.FormInfo, error) {
		var fi wire.FormInfo
		err := row.Scan(&fi.FormID, &fi.Version, &fi.Title, &fi.FileName, &fi.SHA256)
		return fi, err
	}, qFormsFor, s[0], s[1], s[2]))
	for i := range list {
		if err != nil {
			break
		}
		list[i].Attachments, err = attachmentsOf(ctx, db.reads(), list[i].FormID, list[i].Version)
	}
	return list, err
}

// Form returns a published form version's definition if it is published to
// the township; wire.ErrNotFound otherwise, so a device cannot tell a form
// of another township from one that does not exist.
func (db *DB) Form(ctx context.Context, township, formID, version string) (*wire.FormFile, error) {
	s := scopes(township)
	ff := &wire.FormFile{FormInfo: wire.FormInfo{FormID: formID, Version: version}}
	err := db.queryRow(ctx, qFormFileFor, formID, version, s[0], s[1], s[2]).
		Scan(&ff.Title, &ff.FileName, &ff.SHA256, &ff.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wire.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if ff.Attachments, err = attachmentsOf(ctx, db.reads(), formID, version); err != nil {
		return nil, err
	}
	return ff, nil
}

// FormDefinition returns a published form version parsed, for checking
// records against it; wire.ErrNotFound when it was never published. Parsed
// forms are cached by the hash of their bytes: a form is loaded once per
// process, however many batches use it.
func (db *DB) FormDefinition(ctx context.Context, formID, version string) (*forms.Form, error) {
	var fileName, sum string
	var def []byte
	err := db.queryRow(ctx, qFormDefinition, formID, version).Scan(&fileName, &sum, &def)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wire.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	atts, err := attachmentsOf(ctx, db.reads(), formID, version)
	if err != nil {
		return nil, err
	}
	key := forms.VersionKey(sum, hashesOf(atts))
	db.mu.Lock()
	f := db.forms[key]
	db.mu.Unlock()
	if f != nil {
		return f, nil
	}
	var files []forms.File
	if len(atts) > 0 {
		files, err = sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (forms.File, error) {
			var f forms.File
			err := row.Scan(&f.Name, &f.Data)
			return f, err
		}, qAttachmentFiles, formID, version)
		if err != nil {
			return nil, err
		}
	}
	// Loaded outside the lock: a first load takes milliseconds, and two
	// goroutines loading the same form at once is harmless.
	f, err = forms.Load(fileName, def, files...)
	if err != nil {
		return nil, fmt.Errorf("form %q version %q: %w", formID, version, err)
	}
	db.mu.Lock()
	db.forms[key] = f
	db.mu.Unlock()
	return f, nil
}

// Attachment returns a data file of a published form version if the form
// is published to the township; wire.ErrNotFound otherwise, as for Form.
// reserve is told the file's size before its bytes are read, so the
// server can hold the memory for them first (or refuse).
func (db *DB) Attachment(ctx context.Context, township, formID, version, name string, reserve func(size int64) error) (*wire.AttachmentFile, error) {
	s := scopes(township)
	af := &wire.AttachmentFile{AttachmentInfo: wire.AttachmentInfo{Name: name}}
	err := db.queryRow(ctx, qAttachmentInfoFor, formID, version, name, s[0], s[1], s[2]).Scan(&af.Size, &af.SHA256)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wire.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := reserve(af.Size); err != nil {
		return nil, err
	}
	if err := db.queryRow(ctx, qAttachmentData, formID, version, name).Scan(&af.Data); err != nil {
		return nil, err
	}
	return af, nil
}

// attachmentsOf lists a form version's data files by name.
func attachmentsOf(ctx context.Context, q sqlitedb.Querier, formID, version string) ([]wire.AttachmentInfo, error) {
	return sqlitedb.QueryAll(ctx, q, func(row sqlitedb.Scanner) (wire.AttachmentInfo, error) {
		var a wire.AttachmentInfo
		err := row.Scan(&a.Name, &a.Size, &a.SHA256)
		return a, err
	}, qAttachmentsOf, formID, version)
}

// hashesOf is a listing's hashes by name, as forms.AttachmentHashes.
func hashesOf(atts []wire.AttachmentInfo) map[string]string {
	out := make(map[string]string, len(atts))
	for _, a := range atts {
		out[a.Name] = a.SHA256
	}
	return out
}

// FormVersionsOf returns a form's most recently published version, parsed,
// and its other versions (newest first), for an export: the columns come
// from the latest and then from whatever the earlier ones asked, since the
// catalogue holds records of every version. wire.ErrNotFound when the form
// was never published.
func (db *DB) FormVersionsOf(ctx context.Context, formID string) (*forms.Form, []*forms.Form, error) {
	versions, err := sqlitedb.QueryAll(ctx, db.reads(), sqlitedb.Value[string], qFormVersions, formID)
	if err != nil {
		return nil, nil, err
	}
	if len(versions) == 0 {
		return nil, nil, wire.ErrNotFound
	}
	all := make([]*forms.Form, len(versions))
	for i, v := range versions {
		if all[i], err = db.FormDefinition(ctx, formID, v); err != nil {
			return nil, nil, err
		}
	}
	return all[0], all[1:], nil
}

// CheckTownship checks a division code a form is published to or a device
// is enrolled for, returning it cleaned of spaces and full-width digits. It
// must be a well-formed code of 6 (county), 9 (township) or 12 (village)
// digits. A well-formed code missing from the bundled edition is accepted:
// division codes change every year and the bundled list may be older than
// the township being set up.
func CheckTownship(code string) (string, error) {
	n, err := cnid.Division(code)
	if err != nil && !cnid.IsWarning(err) {
		return "", fmt.Errorf("township %q: %w", code, err)
	}
	switch len(n) {
	case 6, 9, 12:
		return n, nil
	}
	return "", fmt.Errorf("township %q: a division code of 6 (county), 9 (township) or 12 (village) digits is needed", code)
}

// scopes is a township with its ancestors down from the county: the codes a
// form may be published to for it to reach this township. Always three
// values (repeating the code) so the SQL has a fixed shape.
func scopes(township string) [3]string {
	s := [3]string{township, township, township}
	if len(township) >= 9 {
		s[1] = township[:9]
	}
	if len(township) >= 6 {
		s[0] = township[:6]
	}
	return s
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
