package laptop

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// Returns fetches the records the catalogue's reviewers sent back to this
// laptop. A catalogue older than review answers 404: no returns.
func (c *Client) Returns(ctx context.Context) ([]wire.Return, error) {
	var list wire.ReturnList
	err := c.do(ctx, http.MethodGet, "/v1/returns", nil, nil, &list)
	var se *StatusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return nil, nil
	}
	return list.Returns, err
}

// ReviewList lists records for review (a reviewer's token).
func (c *Client) ReviewList(ctx context.Context, f wire.ReviewFilter) (*wire.ReviewPage, error) {
	q := url.Values{}
	for k, v := range map[string]string{"form": f.FormID, "state": f.State, "after": f.After} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	path := "/v1/review/records"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var page wire.ReviewPage
	return &page, c.do(ctx, http.MethodGet, path, nil, nil, &page)
}

// ReviewRecord fetches one record with all its versions (a reviewer's
// token), masked unless inClear asks for clear data (refused with 403 to a
// reviewer without clearance; recorded by the catalogue).
func (c *Client) ReviewRecord(ctx context.Context, recordID string, inClear bool) (*wire.RecordVersions, error) {
	path := "/v1/review/records/" + url.PathEscape(recordID)
	if inClear {
		path += "?clear=1"
	}
	var rv wire.RecordVersions
	return &rv, c.do(ctx, http.MethodGet, path, nil, nil, &rv)
}

// SetReview reviews a record (a reviewer's token). Sending the same
// review again changes nothing, so a retry is safe.
func (c *Client) SetReview(ctx context.Context, recordID string, req wire.ReviewRequest) (*wire.Review, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	var rv wire.Review
	return &rv, c.do(ctx, http.MethodPost, "/v1/review/records/"+url.PathEscape(recordID)+"/review", nil, body, &rv)
}

// EntityConflicts lists the open entity conflicts of the reviewer's
// county, masked unless inClear asks for clear data.
func (c *Client) EntityConflicts(ctx context.Context, inClear bool) ([]wire.EntityConflict, error) {
	return countyList[wire.EntityConflict](ctx, c, wire.EntityConflictsPath, inClear)
}

// EntityErrors lists the entity errors of the reviewer's county, masked
// unless inClear asks for clear data.
func (c *Client) EntityErrors(ctx context.Context, inClear bool) ([]wire.EntityError, error) {
	return countyList[wire.EntityError](ctx, c, wire.EntityErrorsPath, inClear)
}

// countyList gets one of a reviewer's lists of the county at path, in
// clear when inClear.
func countyList[T any](ctx context.Context, c *Client, path string, inClear bool) ([]T, error) {
	if inClear {
		path += "?clear=1"
	}
	var list []T
	return list, c.do(ctx, http.MethodGet, path, nil, nil, &list)
}

// ResolveEntityConflict resolves one conflict (a reviewer's token) and
// returns the entity's new version. It is sent once, never retried: each
// resolution makes a new version.
func (c *Client) ResolveEntityConflict(ctx context.Context, id string, res wire.EntityResolution) (*wire.Entity, error) {
	body, err := json.Marshal(res)
	if err != nil {
		return nil, err
	}
	var e wire.Entity
	_, err = c.once(ctx, http.MethodPost, wire.EntityConflictsPath+"/"+url.PathEscape(id)+"/resolve", nil, gzipBytes(body), &e)
	return &e, err
}
