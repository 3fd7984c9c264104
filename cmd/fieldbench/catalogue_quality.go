package main

import (
	"context"
	"encoding/json"

	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/store/catalogue"
)

// catalogueQuality measures a dataset's records per township now, keeps
// the reports for the catalogue page, and prints them.
func (a *App) catalogueQuality(ctx context.Context, db *catalogue.DB, formID string, asJSON bool) error {
	reports, err := db.RefreshQuality(ctx, formID, quality.Options{})
	if err != nil {
		return a.failed("quality.of_failed", formID, a.catalogueErr(err))
	}
	if asJSON {
		type township struct {
			Township string          `json:"township"`
			Report   *quality.Report `json:"report"`
		}
		out := make([]township, 0, len(reports))
		for _, r := range reports {
			out = append(out, township{r.Township, r.Report})
		}
		enc := json.NewEncoder(a.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
		return nil
	}
	if len(reports) == 0 {
		a.say(a.Stdout, "quality.none_in_catalogue", formID)
	}
	for i, r := range reports {
		if i > 0 {
			blankLine(a.Stdout)
		}
		a.say(a.Stdout, "quality.township", r.Township)
		a.writeQuality(a.Stdout, r.Report)
	}
	return nil
}
