package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
)

// Dataset is a published form as the resource catalogue shows it: its
// entry, its versions with their records, and the records per township.
type Dataset struct {
	resource.Dataset
	Elements  []Element
	Townships []TownshipRecords // by township code
}

// TownshipRecords is how many records of a dataset came from a township.
type TownshipRecords struct {
	Township string
	Records  int
}

// Datasets returns every published form as a dataset, by form id.
func (db *DB) Datasets(ctx context.Context) ([]Dataset, error) {
	entries, err := db.Entries(ctx)
	if err != nil {
		return nil, err
	}
	type counts struct {
		byVersion  map[string]int
		byTownship map[string]int
		lastSeq    int64
	}
	per := map[string]*counts{}
	rows, err := db.query(ctx, qDatasetCounts)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var form, version, township string
		var n int
		var seq int64
		if err := rows.Scan(&form, &version, &township, &n, &seq); err != nil {
			rows.Close()
			return nil, err
		}
		c := per[form]
		if c == nil {
			c = &counts{byVersion: map[string]int{}, byTownship: map[string]int{}}
			per[form] = c
		}
		c.byVersion[version] += n
		c.byTownship[township] += n
		c.lastSeq = max(c.lastSeq, seq)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	out := make([]Dataset, 0, len(entries))
	for _, e := range entries {
		latest, earlier, err := db.FormVersionsOf(ctx, e.FormID)
		if err != nil {
			return nil, err
		}
		d := Dataset{Elements: e.Elements}
		d.FormID, d.Metadata, d.Items = e.FormID, e.Metadata, resource.InfoItems(latest)
		c := per[e.FormID]
		if c == nil {
			c = &counts{}
		}
		for _, f := range append([]*forms.Form{latest}, earlier...) {
			d.Versions = append(d.Versions, resource.Version{Version: f.Version, Records: c.byVersion[f.Version]})
		}
		for t, n := range c.byTownship {
			d.Townships = append(d.Townships, TownshipRecords{Township: t, Records: n})
		}
		sort.Slice(d.Townships, func(i, j int) bool { return d.Townships[i].Township < d.Townships[j].Township })
		if c.lastSeq > 0 {
			var at string
			err := db.queryRow(ctx, qBatchReceivedAt, c.lastSeq).Scan(&at)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
			d.Modified, _ = time.Parse(timeFormat, at)
		}
		out = append(out, d)
	}
	return out, nil
}
