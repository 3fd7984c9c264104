package catalogue

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
	"github.com/fieldbench/fieldbench/store/export"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// EntityExport is one export of an entity list, allowed by the sharing
// rules of the form that defines the list (shareRule, as for its records)
// and ready to write: masked as ListEntities masks unless in clear, a
// user's limited to the townships of the user's county, each ID-number
// property followed by its pseudonym (PROP_pseudonym, as record exports
// have KEY_pseudonym), recorded in export_events (format entities-FORMAT,
// the list as file) as record exports are. It implements wire.Export.
type EntityExport struct {
	db      *DB
	req     wire.EntityExportRequest
	formID  string
	sharing string
	masker  *entityMasker // the defining form's: which question saves each property
	masked  bool
	props   []string
	// columns are the property columns, each ID number's pseudonym
	// column (pseudonymOf) after it.
	columns     []string
	pseudonymOf map[string]string
	pseudonyms  *forms.Pseudonymizer
}

// EntityExportColumns are the first columns of an entity export; one
// column per property of the list follows.
var EntityExportColumns = []string{"id", "label", "version", "township", "conflict", "assigned_to", "updated"}

// OpenEntityExport is NewEntityExport for the HTTP server.
func (db *DB) OpenEntityExport(ctx context.Context, req wire.EntityExportRequest) (wire.Export, error) {
	x, err := db.NewEntityExport(ctx, req)
	if err != nil {
		return nil, err
	}
	return x, nil
}

// NewEntityExport checks req against the defining form's sharing rules:
// wire.ErrNotFound for an unknown list, a *wire.Refusal when the user may
// not have it (or not in clear).
func (db *DB) NewEntityExport(ctx context.Context, req wire.EntityExportRequest) (*EntityExport, error) {
	if req.Format != "csv" && req.Format != "xlsx" && req.Format != "jsonl" {
		return nil, fmt.Errorf("format %q: csv, xlsx or jsonl", req.Format)
	}
	x := &EntityExport{db: db, req: req, sharing: resource.SharingNone, masked: !req.Clear}
	var formVersion, props string
	err := db.queryRow(ctx, qEntityListGet, req.List).Scan(&x.formID, &formVersion, &props)
	if isNoRows(err) {
		return nil, fmt.Errorf("entity list %s: %w", req.List, wire.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(props), &x.props); err != nil {
		return nil, fmt.Errorf("entity list %s: stored properties: %w", req.List, err)
	}
	if x.formID != "" {
		// A preloaded list no form defines yet counts as 不予共享.
		entry, err := db.Entry(ctx, x.formID)
		if err != nil {
			return nil, err
		}
		x.sharing = entry.Metadata.EffectiveSharing()
	}
	if u := req.User; u != nil {
		if !allDigits(u.County) || u.County == "" {
			return nil, fmt.Errorf("user %s: county %q is not a division code", u.ID, u.County)
		}
		ruleMasked, refusal := shareRule(x.sharing, u)
		if refusal == "" && req.Clear && ruleMasked {
			refusal = "only a user with clearance may have an entity list in clear"
		}
		if refusal != "" {
			return nil, &wire.Refusal{Reason: req.List + ": " + refusal}
		}
	}
	if x.masker, err = db.maskerFor(ctx, req.List); err != nil {
		return nil, err
	}
	key, err := db.PseudonymKey(ctx)
	if err != nil {
		return nil, err
	}
	x.pseudonyms = forms.NewPseudonymizer(key)
	x.nameColumns()
	return x, nil
}

// nameColumns puts after each property saved by an ID-number question
// (forms.HoldsIDNumber, the rule of record exports) its pseudonym column.
func (x *EntityExport) nameColumns() {
	taken := map[string]bool{}
	for _, c := range append(append([]string{}, EntityExportColumns...), x.props...) {
		taken[c] = true
	}
	x.pseudonymOf = map[string]string{}
	for _, p := range x.props {
		x.columns = append(x.columns, p)
		if fd := x.masker.fields[p]; fd != nil && forms.HoldsIDNumber(fd) {
			x.pseudonymOf[p] = export.PseudonymColumn(p, taken)
			x.columns = append(x.columns, x.pseudonymOf[p])
		}
	}
}

// Masked says whether the export is masked.
func (x *EntityExport) Masked() bool { return x.masked }

// Sharing is the sharing type applied.
func (x *EntityExport) Sharing() string { return x.sharing }

// Files names the one file of the export, LIST.FORMAT.
func (x *EntityExport) Files() []string { return []string{x.req.List + "." + x.req.Format} }

// Only accepts the export's one file.
func (x *EntityExport) Only(name string) error {
	if name != x.Files()[0] {
		return fmt.Errorf("no file %q in this export; it has %s", name, x.Files()[0])
	}
	return nil
}

// Write streams the list into the file open gives and records the export:
// its row in export_events before the first entity, completed with the
// count or the failure after the last.
func (x *EntityExport) Write(ctx context.Context, open func(name string) (io.Writer, error)) (int, error) {
	id, err := x.db.startAudit(ctx, x.req.User, x.req.Command, x.formID, "entities-"+x.req.Format, x.req.List, x.sharing, x.Masked(), x.req.Remote)
	if err != nil {
		return 0, fmt.Errorf("the export could not be recorded, so it was not made: %w", err)
	}
	var n int
	w, err := open(x.Files()[0])
	if err == nil {
		switch x.req.Format {
		case "csv":
			n, err = export.WriteTableCSV(w, x.header(), x.rows(ctx))
		case "xlsx":
			n, err = export.WriteTableXLSX(w, x.req.List, x.header(), x.rows(ctx))
		default:
			n, err = x.writeJSONL(ctx, w)
		}
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if ferr := x.db.finishExport(fctx, id, n, err); ferr != nil && err == nil {
		return n, fmt.Errorf("%w: %v", wire.ErrAuditIncomplete, ferr)
	}
	return n, err
}

func (x *EntityExport) header() []string {
	return append(append([]string{}, EntityExportColumns...), x.columns...)
}

// each streams the list's entities (a user's: of the user's county),
// oldest first, with when each last changed: masked unless in clear, and
// with the pseudonyms of the clear ID numbers among the properties.
func (x *EntityExport) each(ctx context.Context, yield func(e *wire.Entity, updated string) error) error {
	within := "%" // every township; a county is checked digits, so LIKE sees no other wildcard
	if x.req.User != nil {
		within = x.req.User.County + "%"
	}
	pseudonyms := make(map[string]string, len(x.pseudonymOf))
	us := x.db.unsealer()
	return sqlitedb.Each(ctx, x.db.reads(), qEntitiesOfListWithin, []any{x.req.List, within}, func(row sqlitedb.Scanner) error {
		var updated string
		r, err := scanEntity(withColumn{row, &updated})
		if err != nil {
			return err
		}
		e := r.Entity
		if e.Properties == nil {
			e.Properties = map[string]string{}
		}
		// A sealed row keeps its pseudonyms beside it; a row stored clear
		// (before step 14, or on a catalogue without keys) has them made.
		var stored map[string]string
		if r.seal.pseudonyms != "" {
			if err := json.Unmarshal([]byte(r.seal.pseudonyms), &stored); err != nil {
				return fmt.Errorf("entity %s of list %s: stored pseudonyms: %w", e.ID, e.List, err)
			}
		}
		for p, col := range x.pseudonymOf {
			switch {
			case len(r.seal.sealed) > 0 || stored != nil:
				pseudonyms[col] = stored[p]
			default:
				pseudonyms[col] = x.pseudonyms.Of(e.Properties[p])
			}
		}
		if x.masked {
			x.masker.mask(&e, false)
		} else if err := us.clearEntity(ctx, &e, r.seal, nil); err != nil {
			return err
		}
		// Added after masking, which would take a pseudonym's hex digits
		// for free text.
		for col, v := range pseudonyms {
			if v != "" {
				e.Properties[col] = v
			}
		}
		return yield(&e, updated)
	})
}

func (x *EntityExport) rows(ctx context.Context) export.Rows {
	return func(yield func([]string) error) error {
		return x.each(ctx, func(e *wire.Entity, updated string) error {
			cells := append(make([]string, 0, len(EntityExportColumns)+len(x.columns)),
				e.ID, e.Label, strconv.FormatInt(e.Version, 10), e.Township, strconv.FormatBool(e.Conflict), e.AssignedTo, updated)
			for _, c := range x.columns {
				cells = append(cells, e.Properties[c])
			}
			return yield(cells)
		})
	}
}

// entityExportLine is one entity in a jsonl export.
type entityExportLine struct {
	ID         string            `json:"id"`
	Label      string            `json:"label"`
	Version    int64             `json:"version"`
	Township   string            `json:"township"`
	Conflict   bool              `json:"conflict"`
	AssignedTo string            `json:"assigned_to"`
	Updated    string            `json:"updated"`
	Properties map[string]string `json:"properties"`
}

func (x *EntityExport) writeJSONL(ctx context.Context, w io.Writer) (int, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := 0
	err := x.each(ctx, func(e *wire.Entity, updated string) error {
		n++
		return enc.Encode(entityExportLine{ID: e.ID, Label: e.Label, Version: e.Version, Township: e.Township, Conflict: e.Conflict,
			AssignedTo: e.AssignedTo, Updated: updated, Properties: e.Properties})
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// withColumn scans one more column after those its Scanner's caller asks
// for, so a query can add a column to a shared scan function.
type withColumn struct {
	sqlitedb.Scanner
	extra any
}

func (s withColumn) Scan(dest ...any) error { return s.Scanner.Scan(append(dest, s.extra)...) }

const qEntitiesOfListWithin = `SELECT list, entity_id, label, version, township, properties, conflict, assigned_to, last_visit, seq,
	` + entitySealCols + `, updated_at
	FROM entities WHERE list = ? AND township LIKE ? ORDER BY created_at, seq`
