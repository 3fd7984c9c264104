package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/store/catalogue"
)

// catalogueQuality measures a dataset's records per township now, keeps
// the reports for the catalogue page, and prints them.
func (a *App) catalogueQuality(ctx context.Context, db *catalogue.DB, formID string, asJSON bool) error {
	reports, err := db.RefreshQuality(ctx, formID, quality.Options{})
	if err != nil {
		return a.failed("quality.of_failed", clean(formID), a.catalogueErr(err))
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
		a.say(a.Stdout, "quality.none_in_catalogue", clean(formID))
	}
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(a.Stdout)
		}
		a.say(a.Stdout, "quality.township", clean(r.Township))
		a.writeQuality(a.Stdout, r.Report)
	}
	return nil
}

// keepQuality measures again, every interval, the datasets that received
// records since they were last measured, so the catalogue page shows
// figures at most one interval old without measuring on a request. It
// runs until ctx ends; one dataset at a time, in the background.
func keepQuality(ctx context.Context, db *catalogue.DB, every time.Duration, logger *log.Logger) {
	for {
		stale, err := db.StaleQuality(ctx)
		if err != nil && ctx.Err() == nil {
			logger.Printf("quality: %v", err)
		}
		for _, formID := range stale {
			start := time.Now()
			reports, err := db.RefreshQuality(ctx, formID, quality.Options{})
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				logger.Printf("quality of %s: %v", formID, err)
				continue
			}
			logger.Printf("quality of %s measured again: %d townships in %v", formID, len(reports), time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
