package catalogue

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// EntityListSummary is an entity list as the catalogue page shows it: per
// township, how many entities, open conflicts and, for preloaded ones,
// how many of those assigned have been visited; and the same progress per
// collector. An assigned entity counts as visited once a record has
// updated it (its version is past the import's 1). Errors counts the
// updates of entities the catalogue did not hold (DB.EntityErrors): a
// list may have only those.
type EntityListSummary struct {
	Name       string
	FormID     string
	Townships  []EntityTownship
	Collectors []EntityProgress
	Errors     int
}

// EntityTownship is one township's share of a list.
type EntityTownship struct {
	Township  string
	Entities  int
	Conflicts int
	EntityProgress
	Updated time.Time
}

// EntityProgress is the visits of the assigned entities of a township or
// a collector.
type EntityProgress struct {
	Collector         string // "" for a township's row
	Assigned, Visited int
}

// EntityLists summarises every entity list, by name.
func (db *DB) EntityLists(ctx context.Context) ([]EntityListSummary, error) {
	var out []EntityListSummary
	at := map[string]int{}
	err := sqlitedb.Each(ctx, db.reads(), qEntityListsTownships, nil, func(row sqlitedb.Scanner) error {
		var name, formID string
		var t EntityTownship
		if err := row.Scan(&name, &formID, &t.Township, &t.Entities, &t.Conflicts, &t.Assigned, &t.Visited, when.Column(&t.Updated)); err != nil {
			return err
		}
		i, ok := at[name]
		if !ok {
			i = len(out)
			at[name] = i
			out = append(out, EntityListSummary{Name: name, FormID: formID})
		}
		out[i].Townships = append(out[i].Townships, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = sqlitedb.Each(ctx, db.reads(), qEntityListsCollectors, nil, func(row sqlitedb.Scanner) error {
		var name string
		var p EntityProgress
		if err := row.Scan(&name, &p.Collector, &p.Assigned, &p.Visited); err != nil {
			return err
		}
		if i, ok := at[name]; ok {
			out[i].Collectors = append(out[i].Collectors, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = sqlitedb.Each(ctx, db.reads(), qEntityListsErrors, nil, func(row sqlitedb.Scanner) error {
		var name string
		var n int
		if err := row.Scan(&name, &n); err != nil {
			return err
		}
		i, ok := at[name]
		if !ok {
			i = len(out)
			at[name] = i
			out = append(out, EntityListSummary{Name: name})
		}
		out[i].Errors = n
		return nil
	})
	slices.SortStableFunc(out, func(a, b EntityListSummary) int { return strings.Compare(a.Name, b.Name) })
	return out, err
}

const (
	qEntityListsTownships = `SELECT e.list, l.form_id, e.township, count(*),
			coalesce(sum(e.conflict), 0),
			coalesce(sum(CASE WHEN e.assigned_to <> '' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN e.assigned_to <> '' AND e.version > 1 THEN 1 ELSE 0 END), 0),
			max(e.updated_at)
		FROM entities e JOIN entity_lists l ON l.name = e.list
		GROUP BY e.list, l.form_id, e.township ORDER BY e.list, e.township`

	qEntityListsErrors = `SELECT list, count(*) FROM entity_errors GROUP BY list ORDER BY list`

	qEntityListsCollectors = `SELECT list, assigned_to, count(*), coalesce(sum(CASE WHEN version > 1 THEN 1 ELSE 0 END), 0)
		FROM entities WHERE assigned_to <> '' GROUP BY list, assigned_to ORDER BY list, assigned_to`
)
