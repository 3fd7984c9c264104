package laptop

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// EntityPage fetches the entities of this laptop's township(s) changed
// after since. A catalogue without entity lists (an older one answers
// 404) gives an empty last page.
func (c *Client) EntityPage(ctx context.Context, since int64) (*wire.EntityPage, error) {
	var page wire.EntityPage
	err := c.do(ctx, http.MethodGet, wire.EntitiesPath+"?since="+strconv.FormatInt(since, 10), nil, nil, &page)
	var se *StatusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return &wire.EntityPage{Next: since}, nil
	}
	if err != nil {
		return nil, err
	}
	return &page, nil
}

// pullEntities downloads what changed in the entity lists since the
// laptop's cursor, page by page. Each page is stored with the cursor it
// moves to in one transaction, so a link cut mid-way loses nothing
// stored, and the next sync asks from the last page kept.
func pullEntities(ctx context.Context, db *store.DB, c *Client, sum *Summary) error {
	since, err := db.EntitiesSince(ctx)
	if err != nil {
		return err
	}
	for {
		page, err := c.EntityPage(ctx, since)
		if err != nil {
			return err
		}
		if page.More && page.Next <= since {
			// Asking again from the same place would never end.
			return fmt.Errorf("%w: its entity download does not move past %d", ErrNotCatalogue, since)
		}
		ents := make([]store.Entity, len(page.Entities))
		for i, e := range page.Entities {
			if e.List == "" || e.ID == "" {
				return fmt.Errorf("%w: it sent an entity without a list or an id", ErrNotCatalogue)
			}
			ents[i] = store.Entity{List: e.List, ID: e.ID, Label: e.Label, Version: e.Version, Township: e.Township,
				Properties: e.Properties, Conflict: e.Conflict, AssignedTo: e.AssignedTo, LastVisit: e.LastVisit, ToVisit: e.ToVisit(), Seq: e.Seq}
		}
		if len(ents) > 0 || page.Next != since {
			if err := db.ApplyDownloaded(ctx, ents, page.Next); err != nil {
				return err
			}
		}
		sum.Entities += len(ents)
		since = page.Next
		if !page.More {
			return nil
		}
	}
}
