package catalogue

import (
	"context"
	"sort"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
)

// Dataset is a published form as the resource catalogue shows it: its
// entry, its versions with their records, and the records per township.
type Dataset struct {
	resource.Dataset
	Elements  []Element
	Townships []TownshipRecords // by township code
	Quality   *DatasetQuality   // as last measured; nil when never measured
}

// TownshipRecords is how many records of a dataset came from a township.
type TownshipRecords struct {
	Township string
	Records  int
}

// Datasets returns every published form as a dataset, by form id. Its
// figures come from the count rows (counts.go) and one index look-up per
// form, so the cost follows the number of datasets, not of records.
func (db *DB) Datasets(ctx context.Context) ([]Dataset, error) {
	entries, err := db.Entries(ctx)
	if err != nil {
		return nil, err
	}
	per, err := db.recordCounts(ctx)
	if err != nil {
		return nil, err
	}
	arrived, err := db.lastArrivals(ctx)
	if err != nil {
		return nil, err
	}
	kept, err := db.KeptQuality(ctx)
	if err != nil {
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
			c = &formCounts{}
		}
		for _, f := range append([]*forms.Form{latest}, earlier...) {
			d.Versions = append(d.Versions, resource.Version{Version: f.Version, Records: c.byVersion[f.Version]})
		}
		for t, n := range c.byTownship {
			d.Townships = append(d.Townships, TownshipRecords{Township: t, Records: n})
		}
		sort.Slice(d.Townships, func(i, j int) bool { return d.Townships[i].Township < d.Townships[j].Township })
		d.Modified = arrived[e.FormID]
		if reports := kept[e.FormID]; len(reports) > 0 {
			labels := make(map[string]string, len(d.Items))
			for _, it := range d.Items {
				labels[it.Name] = it.Label
			}
			d.Quality = summarise(reports, labels)
		}
		out = append(out, d)
	}
	return out, nil
}
