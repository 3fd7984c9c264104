package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// FormVersion is one registered form definition.
type FormVersion struct {
	FormID   string
	Version  string
	Title    string
	FileName string
	SHA256   string
	AddedAt  time.Time
	// AlreadyPresent is set by AddForm when the same definition was
	// registered before and nothing was written.
	AlreadyPresent bool
	// Counts holds the number of records per state (Forms only).
	Counts map[State]int
	// Attachments are the data files registered with the version
	// (AddForm and FormAttachments only).
	Attachments []Attachment
}

// Attachment is a data file of a form version: its name as the form
// writes it, its size and its SHA-256 (hex).
type Attachment struct {
	Name   string
	Size   int64
	SHA256 string
}

// ErrFormVersionConflict is returned when a (form_id, version) pair is
// already registered with a different definition: records point at the
// pair, so its content can never change.
type ErrFormVersionConflict struct {
	FormID, Version string
	Have, Got       string // sha256 of the stored and the offered definition
	// Attachment names the data file that differs when the definition
	// is the same: a version's files are as much part of it.
	Attachment string
}

func (e *ErrFormVersionConflict) Error() string {
	if e.Attachment != "" {
		return fmt.Sprintf("form %q version %q is already registered with another %s; change the version in the settings sheet and add it again",
			e.FormID, e.Version, e.Attachment)
	}
	return fmt.Sprintf("form %q version %q is already registered with different content; change the version in the settings sheet and add it again",
		e.FormID, e.Version)
}

// ErrUnknownForm is returned for a (form_id, version) never added.
type ErrUnknownForm struct{ FormID, Version string }

func (e *ErrUnknownForm) Error() string {
	return fmt.Sprintf("form %q version %q is not registered; add it with fieldbench forms add", e.FormID, e.Version)
}

// AddForm registers a form definition with the data files it names, all
// in one transaction. A definition that does not load, with these files,
// is refused with forms.LoadErrors. Adding the very same bytes and files
// again is a no-op that returns the stored row with AlreadyPresent set;
// other files under the same version are a conflict, as other bytes are.
func (db *DB) AddForm(ctx context.Context, fileName string, data []byte, files ...forms.File) (*FormVersion, error) {
	f, lists, err := db.loadWithLists(ctx, fileName, data, files)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	fv := &FormVersion{FormID: f.ID, Version: f.Version, Title: f.Title, FileName: fileName,
		SHA256: hex.EncodeToString(sum[:]), AddedAt: db.now().UTC(), Attachments: attachmentsOf(f, lists)}
	hashes := withoutHashes(f.AttachmentHashes(), lists)
	err = db.tx(ctx, func(tx *sql.Tx) error {
		var have FormVersion
		err := tx.QueryRowContext(ctx, `SELECT title, file_name, sha256, added_at FROM forms WHERE form_id = ? AND version = ?`,
			f.ID, f.Version).Scan(&have.Title, &have.FileName, &have.SHA256, when.Column(&have.AddedAt))
		switch {
		case err == nil && have.SHA256 == fv.SHA256:
			stored, err := formAttachments(ctx, tx, f.ID, f.Version)
			if err != nil {
				return err
			}
			if differs := forms.DifferentFile(withoutHashes(hashesOf(stored), lists), hashes); differs != "" {
				return &ErrFormVersionConflict{FormID: f.ID, Version: f.Version, Have: have.SHA256, Got: fv.SHA256, Attachment: differs}
			}
			fv.Title, fv.FileName, fv.AddedAt, fv.AlreadyPresent = have.Title, have.FileName, have.AddedAt, true
			return nil
		case err == nil:
			return &ErrFormVersionConflict{FormID: f.ID, Version: f.Version, Have: have.SHA256, Got: fv.SHA256}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO forms (form_id, version, title, file_name, sha256, definition, added_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, fv.FormID, fv.Version, fv.Title, fv.FileName, fv.SHA256, data, when.Stored(fv.AddedAt)); err != nil {
			return err
		}
		detail := map[string]string{"form_id": fv.FormID, "version": fv.Version, "file": fileName, "sha256": fv.SHA256}
		if len(fv.Attachments) > 0 {
			var list []string
			for _, a := range fv.Attachments {
				if _, err := tx.ExecContext(ctx, `INSERT INTO form_attachments (form_id, version, name, sha256, size, data)
					VALUES (?, ?, ?, ?, ?, ?)`, fv.FormID, fv.Version, a.Name, a.SHA256, a.Size, forms.FileData(files, a.Name)); err != nil {
					return err
				}
				list = append(list, a.Name+" "+a.SHA256)
			}
			detail["attachments"] = strings.Join(list, ", ")
		}
		for name, list := range lists {
			if _, err := tx.ExecContext(ctx, `INSERT INTO form_entity_lists (form_id, version, name, list) VALUES (?, ?, ?, ?)`,
				fv.FormID, fv.Version, name, list); err != nil {
				return err
			}
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		return c.add(ctx, EventFormAdded, "", detail)
	})
	if err != nil {
		return nil, err
	}
	gens, err := listGenerations(ctx, db.sql, lists)
	if err != nil {
		return nil, err
	}
	db.cacheForm(fv.FormID, fv.Version, forms.VersionKey(fv.SHA256, hashes)+gens, f)
	return fv, nil
}

// loadWithLists loads a definition as AddForm stores it: with the given
// files, less those that are entity lists (entityListFiles), which are
// made from the laptop's entities instead and never stored. It returns
// the list files by name.
func (db *DB) loadWithLists(ctx context.Context, fileName string, data []byte, files []forms.File) (*forms.Form, map[string]string, error) {
	f, err := forms.Load(fileName, data, files...)
	var lists map[string]string
	if err == nil {
		// The common case, a form reading no list, loads once.
		if lists, err = entityListFiles(ctx, db.sql, f); err != nil || len(lists) == 0 {
			return f, lists, err
		}
	} else {
		// A follow-up form is not given its lists: learn which files
		// they are from the form as it loads without them.
		shown, serr := forms.LoadForShow(fileName, data, files...)
		if serr != nil {
			return nil, nil, err
		}
		if lists, serr = entityListFiles(ctx, db.sql, shown); serr != nil {
			return nil, nil, serr
		}
		if len(lists) == 0 {
			return nil, nil, err
		}
	}
	made, err := listFiles(ctx, db.sql, db.readKey(), lists)
	if err != nil {
		return nil, nil, err
	}
	if f, err = forms.Load(fileName, data, append(withoutFiles(files, lists), made...)...); err != nil {
		return nil, nil, err
	}
	return f, lists, nil
}

// cacheForm keeps a parsed form version under key, dropping the one it
// replaces: a form reading a list is parsed again each time the list
// changed, and the old parse (a 100,000-entity table) is garbage.
func (db *DB) cacheForm(formID, version, key string, f *forms.Form) {
	db.mu.Lock()
	defer db.mu.Unlock()
	fk := [2]string{formID, version}
	if old, ok := db.formKeys[fk]; ok && old != key {
		delete(db.forms, old)
	}
	db.formKeys[fk] = key
	db.forms[key] = f
}

// attachmentsOf lists a loaded form's data files as stored: without the
// entity lists, which are not.
func attachmentsOf(f *forms.Form, lists map[string]string) []Attachment {
	out := make([]Attachment, 0, len(f.Attachments))
	for _, a := range f.Attachments {
		if _, isList := lists[a.Name]; !isList {
			out = append(out, Attachment{Name: a.Name, Size: a.Size, SHA256: a.SHA256})
		}
	}
	return out
}

// hashesOf is a listing's hashes by name, as forms.AttachmentHashes.
func hashesOf(atts []Attachment) map[string]string {
	out := make(map[string]string, len(atts))
	for _, a := range atts {
		out[a.Name] = a.SHA256
	}
	return out
}

// formAttachments lists a version's data files, by name.
func formAttachments(ctx context.Context, q sqlitedb.Querier, formID, version string) ([]Attachment, error) {
	return sqlitedb.QueryAll(ctx, q, func(row sqlitedb.Scanner) (Attachment, error) {
		var a Attachment
		err := row.Scan(&a.Name, &a.Size, &a.SHA256)
		return a, err
	}, `SELECT name, size, sha256 FROM form_attachments WHERE form_id = ? AND version = ? ORDER BY name`, formID, version)
}

// FormAttachments lists the data files registered with a form version.
func (db *DB) FormAttachments(ctx context.Context, formID, version string) ([]Attachment, error) {
	return formAttachments(ctx, db.sql, formID, version)
}

// Forms lists every registered form version with its record counts.
func (db *DB) Forms(ctx context.Context) ([]FormVersion, error) {
	out, err := db.FormVersions(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := db.Counts(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		for s, n := range counts[[2]string{out[i].FormID, out[i].Version}] {
			out[i].Counts[s] = n
		}
	}
	return out, nil
}

// FormVersions lists every registered form version, ordered by form id
// and then by when it was added (so the last of a form is its newest),
// with empty Counts: it reads no records, so it stays instant however
// many there are.
func (db *DB) FormVersions(ctx context.Context) ([]FormVersion, error) {
	return sqlitedb.QueryAll(ctx, db.sql, func(row sqlitedb.Scanner) (FormVersion, error) {
		fv := FormVersion{Counts: map[State]int{}}
		err := row.Scan(&fv.FormID, &fv.Version, &fv.Title, &fv.FileName, &fv.SHA256, when.Column(&fv.AddedAt))
		return fv, err
	}, `SELECT form_id, version, title, file_name, sha256, added_at FROM forms ORDER BY form_id, added_at`)
}

// Counts is the number of records by form version ({form_id, version})
// and state. It reads the records_form index whole (tens of milliseconds
// for 100,000 records), so screens load it after their first frame.
func (db *DB) Counts(ctx context.Context) (map[[2]string]map[State]int, error) {
	out := map[[2]string]map[State]int{}
	err := sqlitedb.Each(ctx, db.sql, `SELECT form_id, form_version, state, count(*) FROM records GROUP BY form_id, form_version, state`, nil, func(row sqlitedb.Scanner) error {
		var id, version string
		var state State
		var n int
		if err := row.Scan(&id, &version, &state, &n); err != nil {
			return err
		}
		k := [2]string{id, version}
		if out[k] == nil {
			out[k] = map[State]int{}
		}
		out[k][state] = n
		return nil
	})
	return out, err
}

// Form returns the parsed definition of a registered form version. Parsed
// forms are kept by hash: a hash names one definition for good.
func (db *DB) Form(ctx context.Context, formID, version string) (*forms.Form, error) {
	var sum string
	err := db.sql.QueryRowContext(ctx, `SELECT sha256 FROM forms WHERE form_id = ? AND version = ?`, formID, version).Scan(&sum)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &ErrUnknownForm{FormID: formID, Version: version}
	}
	if err != nil {
		return nil, err
	}
	atts, err := formAttachments(ctx, db.sql, formID, version)
	if err != nil {
		return nil, err
	}
	lists, err := storedListFiles(ctx, db.sql, formID, version, atts)
	if err != nil {
		return nil, err
	}
	gens, err := listGenerations(ctx, db.sql, lists)
	if err != nil {
		return nil, err
	}
	key := forms.VersionKey(sum, hashesOf(atts)) + gens
	db.mu.Lock()
	f := db.forms[key]
	db.mu.Unlock()
	if f != nil {
		return f, nil
	}
	var name string
	var data []byte
	if err := db.sql.QueryRowContext(ctx, `SELECT file_name, definition FROM forms WHERE form_id = ? AND version = ?`,
		formID, version).Scan(&name, &data); err != nil {
		return nil, err
	}
	files, err := sqlitedb.QueryAll(ctx, db.sql, func(row sqlitedb.Scanner) (forms.File, error) {
		var f forms.File
		err := row.Scan(&f.Name, &f.Data)
		return f, err
	}, `SELECT name, data FROM form_attachments WHERE form_id = ? AND version = ?`, formID, version)
	if err != nil {
		return nil, err
	}
	made, err := listFiles(ctx, db.sql, db.readKey(), lists)
	if err != nil {
		return nil, err
	}
	if f, err = forms.Load(name, data, append(withoutFiles(files, lists), made...)...); err != nil {
		// It loaded when added; failing now means this program's form
		// engine changed its mind, which the person must hear about.
		return nil, fmt.Errorf("form %q version %q no longer loads: %w", formID, version, err)
	}
	db.cacheForm(formID, version, key, f)
	return f, nil
}
