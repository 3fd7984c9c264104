package laptop

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// EntityPage fetches the entities of this laptop's township(s) changed
// after since, of list only unless it is "". A catalogue without entity
// lists (an older one answers 404) gives an empty last page.
func (c *Client) EntityPage(ctx context.Context, since int64, list string) (*wire.EntityPage, error) {
	path := wire.EntitiesPath + "?since=" + strconv.FormatInt(since, 10)
	if list != "" {
		path += "&list=" + url.QueryEscape(list)
	}
	var page wire.EntityPage
	err := c.do(ctx, http.MethodGet, path, nil, nil, &page)
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
// stored, and the next sync asks from the last page kept. A list whose
// property set changed (a form published since reads more of its
// properties) is first downloaded again whole (refetchStale).
func pullEntities(ctx context.Context, db *store.DB, c *Client, sum *Summary) error {
	since, err := db.EntitiesSince(ctx)
	if err != nil {
		return err
	}
	for again := 0; ; {
		page, err := nextPage(ctx, c, since, "")
		if err != nil {
			return err
		}
		ents, err := downloaded(page, "")
		if err != nil {
			return err
		}
		moved, err := refetchStale(ctx, db, c, page.PropertySets, sum)
		if err != nil {
			return err
		}
		if moved {
			// A form was published while a list was fetched again: this
			// page holds that list by the set before it. Asked again, a
			// few times: sets that never settle are a catalogue's fault.
			if again++; again > maxSetChanges {
				return fmt.Errorf("%w: the property sets of its entity lists keep changing", ErrNotCatalogue)
			}
			continue
		}
		again = 0
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

// maxSetChanges is how many times in a row a page is asked again because
// a list's property set changed while it was downloaded again.
const maxSetChanges = 3

// nextPage fetches a page and refuses one that would keep the laptop
// asking for ever.
func nextPage(ctx context.Context, c *Client, since int64, list string) (*wire.EntityPage, error) {
	page, err := c.EntityPage(ctx, since, list)
	if err != nil {
		return nil, err
	}
	if page.More && page.Next <= since {
		// Asking again from the same place would never end.
		return nil, fmt.Errorf("%w: its entity download does not move past %d", ErrNotCatalogue, since)
	}
	return page, nil
}

// downloaded is a page's entities as the laptop stores them; list, when
// not "", is the only list the page may hold.
func downloaded(page *wire.EntityPage, list string) ([]store.Entity, error) {
	ents := make([]store.Entity, len(page.Entities))
	for i, e := range page.Entities {
		if e.List == "" || e.ID == "" {
			return nil, fmt.Errorf("%w: it sent an entity without a list or an id", ErrNotCatalogue)
		}
		if list != "" && e.List != list {
			return nil, fmt.Errorf("%w: asked for list %q, it sent an entity of %q", ErrNotCatalogue, list, e.List)
		}
		ents[i] = store.Entity{List: e.List, ID: e.ID, Label: e.Label, Version: e.Version, Township: e.Township,
			Properties: e.Properties, Conflict: e.Conflict, AssignedTo: e.AssignedTo, LastVisit: e.LastVisit, ToVisit: e.ToVisit(), Seq: e.Seq}
	}
	return ents, nil
}

// refetchStale compares the property sets a page was filtered by with
// those the laptop holds each list by. A list whose set changed and of
// which the laptop holds downloaded entities is downloaded again whole;
// for any other, the new set is noted (its entities come down with it).
// moved reports a list downloaded again under a later set than the page's.
func refetchStale(ctx context.Context, db *store.DB, c *Client, sets map[string]string, sum *Summary) (moved bool, err error) {
	if len(sets) == 0 {
		return false, nil // a catalogue from before property sets
	}
	held, err := db.EntityPropertySets(ctx)
	if err != nil {
		return false, err
	}
	for _, list := range slices.Sorted(maps.Keys(sets)) {
		set := sets[list]
		if held[list] == set {
			continue
		}
		stale, err := db.HoldsDownloaded(ctx, list)
		if err != nil {
			return false, err
		}
		if !stale {
			if err := db.SetEntityPropertySet(ctx, list, set); err != nil {
				return false, err
			}
			continue
		}
		now, err := refetch(ctx, db, c, list, set, sum)
		if err != nil {
			return false, err
		}
		moved = moved || now != set
	}
	return moved, nil
}

// refetch downloads list again from 0 (or from where a cut refetch for the
// same set stopped) under the property set set, page by page, and returns
// the set it ended under: a page filtered by another set (a form
// published meanwhile) starts it again under that one.
func refetch(ctx context.Context, db *store.DB, c *Client, list, set string, sum *Summary) (string, error) {
	since, err := db.EntityRefetch(ctx, list, set)
	if err != nil {
		return "", err
	}
	for {
		page, err := nextPage(ctx, c, since, list)
		if err != nil {
			return "", err
		}
		if now := page.PropertySets[list]; now != "" && now != set {
			set, since = now, 0
			continue
		}
		ents, err := downloaded(page, list)
		if err != nil {
			return "", err
		}
		if err := db.ApplyRefetched(ctx, ents, list, set, page.Next, !page.More); err != nil {
			return "", err
		}
		sum.Entities += len(ents)
		since = page.Next
		if !page.More {
			return set, nil
		}
	}
}
