package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// EntityListCSV is a list as a form reads it, in ODK Central's shape:
// the columns name (the entity id), label, __version and one per
// property (those the list's entities have, with the extra ones named,
// sorted), one row per entity, ordered as Entities orders them. A list
// with no entity yet is the header alone.
func (db *DB) EntityListCSV(ctx context.Context, list string, extra ...string) ([]byte, error) {
	return entityListCSV(ctx, db.sql, db.readKey(), list, extra)
}

// entityListCSV opens each entity's sealed part with dk (nil: the list
// is made of the masked values).
func entityListCSV(ctx context.Context, q sqlitedb.Querier, dk *seal.DataKey, list string, extra []string) ([]byte, error) {
	type row struct {
		id, label string
		version   int64
		props     map[string]string
	}
	var rows []row
	columns := map[string]bool{}
	for _, p := range extra {
		columns[p] = true
	}
	err := sqlitedb.Each(ctx, q, `SELECT id, label, version, properties, sealed FROM entities WHERE list = ?`,
		[]any{list}, func(s sqlitedb.Scanner) error {
			var r row
			var props string
			var blob []byte
			if err := s.Scan(&r.id, &r.label, &r.version, &props, &blob); err != nil {
				return err
			}
			var err error
			if r.props, err = decodeProperties(props); err != nil {
				return err
			}
			if blob != nil {
				e := Entity{List: list, ID: r.id, Label: r.label, Properties: r.props}
				if err := openEntity(dk, &e, blob); err != nil {
					return err
				}
				r.label = e.Label
			}
			for p := range r.props {
				columns[p] = true
			}
			rows = append(rows, r)
			return nil
		})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b row) int { return byLabel(a.label, a.id, b.label, b.id) })
	// The fixed columns win over properties of the same name.
	for _, fixed := range []string{"name", "label", forms.EntityVersionColumn} {
		delete(columns, fixed)
	}
	props := make([]string, 0, len(columns))
	for p := range columns {
		props = append(props, p)
	}
	sort.Strings(props)
	var b bytes.Buffer
	b.Grow(len(rows) * (64 + 16*len(props)))
	w := csv.NewWriter(&b)
	record := listHeader(props)
	if err := w.Write(record); err != nil {
		return nil, err
	}
	for _, r := range rows {
		record = append(record[:0], r.id, r.label, strconv.FormatInt(r.version, 10))
		for _, p := range props {
			record = append(record, r.props[p])
		}
		if err := w.Write(record); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// rowQuerier is a *sql.DB or *sql.Tx.
type rowQuerier interface {
	sqlitedb.Querier
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// listHeader is a list CSV's columns: ODK Central's three, then the
// properties.
func listHeader(props []string) []string {
	return append([]string{"name", "label", forms.EntityVersionColumn}, props...)
}

// listOfFile is the entity list an attachment's name would be
// ("households.csv": households); "" for a file that cannot be one.
func listOfFile(name string) string {
	if !strings.EqualFold(path.Ext(name), ".csv") {
		return ""
	}
	return strings.TrimSuffix(name, path.Ext(name))
}

// entityListFiles maps each attachment of a form that is an entity list
// to its list: those the form says are lists, and any CSV named after a
// list this laptop holds. These are made from the laptop's entities
// whenever the form is loaded, never stored with it.
func entityListFiles(ctx context.Context, q rowQuerier, f *forms.Form) (map[string]string, error) {
	out := map[string]string{}
	for _, name := range f.EntityListFiles() {
		if list := listOfFile(name); list != "" {
			out[name] = list
		}
	}
	names := make([]string, len(f.Attachments))
	for i, a := range f.Attachments {
		names[i] = a.Name
	}
	return out, addHeldLists(ctx, q, names, out)
}

// addHeldLists adds to lists each of the files named after a list this
// laptop holds.
func addHeldLists(ctx context.Context, q rowQuerier, names []string, lists map[string]string) error {
	for _, name := range names {
		list := listOfFile(name)
		if list == "" || lists[name] != "" {
			continue
		}
		held, err := holdsList(ctx, q, list)
		if err != nil {
			return err
		}
		if held {
			lists[name] = list
		}
	}
	return nil
}

// holdsList reports whether this laptop holds any entity of list, or has
// ever changed it.
func holdsList(ctx context.Context, q rowQuerier, list string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM entity_lists WHERE list = ?)
		+ (SELECT count(*) FROM (SELECT 1 FROM entities WHERE list = ? LIMIT 1))`, list, list).Scan(&n)
	return n > 0, err
}

// listFiles makes the CSV of each list file, as forms.File to load the
// form with.
func listFiles(ctx context.Context, q sqlitedb.Querier, dk *seal.DataKey, lists map[string]string) ([]forms.File, error) {
	names := make([]string, 0, len(lists))
	for name := range lists {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []forms.File
	for _, name := range names {
		data, err := entityListCSV(ctx, q, dk, lists[name], nil)
		if err != nil {
			return nil, err
		}
		out = append(out, forms.File{Name: name, Data: data})
	}
	return out, nil
}

// listGenerations is the cache key's part for a form's lists: each
// list's count of changes, so a form is loaded again once its lists
// changed, and only then.
func listGenerations(ctx context.Context, q rowQuerier, lists map[string]string) (string, error) {
	names := make([]string, 0, len(lists))
	for name := range lists {
		names = append(names, name)
	}
	sort.Strings(names)
	var key strings.Builder
	for _, name := range names {
		var gen int64
		err := q.QueryRowContext(ctx, `SELECT generation FROM entity_lists WHERE list = ?`, lists[name]).Scan(&gen)
		if err != nil && err != sql.ErrNoRows {
			return "", err
		}
		key.WriteString(" list:" + name + "@" + strconv.FormatInt(gen, 10))
	}
	return key.String(), nil
}

// storedListFiles is a form version's list files: those AddForm
// recorded, and any file stored with it that is named after a list this
// laptop holds now (a list the catalogue sent as a file before the
// laptop had any of it).
func storedListFiles(ctx context.Context, q rowQuerier, formID, version string, atts []Attachment) (map[string]string, error) {
	out := map[string]string{}
	err := sqlitedb.Each(ctx, q, `SELECT name, list FROM form_entity_lists WHERE form_id = ? AND version = ?`,
		[]any{formID, version}, func(s sqlitedb.Scanner) error {
			var name, list string
			if err := s.Scan(&name, &list); err != nil {
				return err
			}
			out[name] = list
			return nil
		})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(atts))
	for i, a := range atts {
		names[i] = a.Name
	}
	return out, addHeldLists(ctx, q, names, out)
}

// withoutFiles is files less those named in lists.
func withoutFiles(files []forms.File, lists map[string]string) []forms.File {
	out := make([]forms.File, 0, len(files))
	for _, f := range files {
		if _, ok := lists[forms.FileName(f.Name)]; !ok {
			out = append(out, f)
		}
	}
	return out
}

// withoutHashes is a form's AttachmentHashes less the list files.
func withoutHashes(hashes map[string]string, lists map[string]string) map[string]string {
	for name := range lists {
		delete(hashes, name)
	}
	return hashes
}

// FormsReadingLists is the forms one of whose versions reads an entity
// list (a follow-up such as 入户回访), by form id: Home lists them after
// the forms that register what they follow up.
func (db *DB) FormsReadingLists(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	err := sqlitedb.Each(ctx, db.sql, `SELECT DISTINCT form_id FROM form_entity_lists`, nil, func(s sqlitedb.Scanner) error {
		var id string
		if err := s.Scan(&id); err != nil {
			return err
		}
		out[id] = true
		return nil
	})
	return out, err
}
