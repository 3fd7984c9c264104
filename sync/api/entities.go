package api

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// Entities is the entity lists' side of a catalogue's database
// (store/catalogue implements it). A Server without one has no entity
// endpoints.
type Entities interface {
	// EntitiesSince is a page of the townships' entities (of list, unless
	// "") changed after since, masked for a laptop; limit is capped at
	// wire.MaxEntityPage.
	EntitiesSince(ctx context.Context, townships []string, list string, since int64, limit int) (wire.EntityPage, error)
	// EntityConflicts lists the open conflicts of the reviewer's county,
	// masked unless view.Clear (refused without clearance, recorded).
	EntityConflicts(ctx context.Context, u *wire.User, view wire.ReviewView) ([]wire.EntityConflict, error)
	// EntityErrors lists the entity errors of the reviewer's county,
	// masked unless view.Clear (refused without clearance, recorded).
	EntityErrors(ctx context.Context, u *wire.User, view wire.ReviewView) ([]wire.EntityError, error)
	// ResolveEntityConflict resolves an open conflict of the reviewer's
	// county and returns the entity's new version. Errors wrap
	// ErrForbidden, ErrNotFound or ErrInvalid; nothing is stored then.
	ResolveEntityConflict(ctx context.Context, u *wire.User, id string, res wire.EntityResolution) (*wire.Entity, error)
}

// maxResolutionBody bounds a resolution: a few properties set by hand.
const maxResolutionBody = 64 << 10

// entityRoutes adds the laptops' download and the reviewers' conflicts
// and entity errors.
func (s *Server) entityRoutes(mux *http.ServeMux) {
	if s.Entities == nil {
		return
	}
	mux.HandleFunc("GET "+wire.EntitiesPath, s.authed(s.entities))
	mux.HandleFunc("GET "+wire.EntityConflictsPath, s.reviewer(countyList(s, "entity conflicts", s.Entities.EntityConflicts)))
	mux.HandleFunc("POST "+wire.EntityConflictsPath+"/{id}/resolve", s.reviewer(s.resolveEntityConflict))
	mux.HandleFunc("GET "+wire.EntityErrorsPath, s.reviewer(countyList(s, "entity errors", s.Entities.EntityErrors)))
}

// entities hands a device the entities of its own township changed after
// since, of one list when it names one; the township is the device's,
// never one the request names.
func (s *Server) entities(w http.ResponseWriter, r *http.Request, dev *wire.Device) {
	q := r.URL.Query()
	since, err := strconv.ParseInt(q.Get("since"), 10, 64)
	if q.Get("since") == "" {
		since, err = 0, nil
	}
	if err != nil || since < 0 {
		s.fail(w, r, &httpError{http.StatusBadRequest, fmt.Sprintf("since %q: the next of the previous page, a whole number from 0", q.Get("since"))})
		return
	}
	limit := wire.MaxEntityPage
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > wire.MaxEntityPage {
			s.fail(w, r, &httpError{http.StatusBadRequest, fmt.Sprintf("limit %q: a number from 1 to %d", l, wire.MaxEntityPage)})
			return
		}
		limit = n
	}
	page, err := s.Entities.EntitiesSince(r.Context(), []string{dev.Township}, q.Get("list"), since, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !acceptsGzip(r) {
		writeJSON(w, http.StatusOK, page)
		return
	}
	// A first download is many pages of similar rows: gzip takes them to
	// a fraction on a township link.
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Encoding", "gzip")
	h.Add("Vary", "Accept-Encoding")
	w.WriteHeader(http.StatusOK)
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	json.NewEncoder(zw).Encode(page)
	zw.Close()
}

// countyList answers a reviewer's GET of one of the county's lists
// (what names it in the log), in clear when asked with clear=1.
func countyList[T any](s *Server, what string, list func(context.Context, *wire.User, wire.ReviewView) ([]T, error)) func(http.ResponseWriter, *http.Request, *wire.User, Reviews) {
	return func(w http.ResponseWriter, r *http.Request, u *wire.User, _ Reviews) {
		view, ok := s.clearView(w, r)
		if !ok {
			return
		}
		out, err := list(r.Context(), u, view)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if view.Clear {
			s.Log.Printf("review: user %s viewed %d %s in clear from %s", u.ID, len(out), what, r.RemoteAddr)
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func (s *Server) resolveEntityConflict(w http.ResponseWriter, r *http.Request, u *wire.User, _ Reviews) {
	var res wire.EntityResolution
	if err := s.readBodyLimit(w, r, &res, maxResolutionBody); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.Entities.ResolveEntityConflict(r.Context(), u, r.PathValue("id"), res)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The properties stay out of the log: they may hold an ID number.
	s.Log.Printf("review: user %s resolved entity conflict %s (%s): entity %s of list %s is at version %d",
		u.ID, r.PathValue("id"), res.Keep, e.ID, e.List, e.Version)
	writeJSON(w, http.StatusOK, e)
}
