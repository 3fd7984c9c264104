package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// maxReviewBody bounds a review request, before and after gzip: a state,
// a version id and a comment of at most MaxCommentRunes, each of which
// JSON may spell in up to 12 bytes (a surrogate pair of \u escapes).
const maxReviewBody = wire.MaxCommentRunes*12 + 4<<10

// reviewRoutes adds the reviewers' endpoints and the devices' returns.
func (s *Server) reviewRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/returns", s.authed(s.returns))
	mux.HandleFunc("GET /v1/review/records", s.reviewer(s.reviewList))
	mux.HandleFunc("GET /v1/review/records/{id}", s.reviewer(s.reviewRecord))
	mux.HandleFunc("POST /v1/review/records/{id}/review", s.reviewer(s.reviewSet))
}

// reviewer admits requests carrying the token of an unrevoked reviewer:
// a device's token or a reader's is refused with 403, an unknown or
// revoked token with 401.
func (s *Server) reviewer(next func(http.ResponseWriter, *http.Request, *wire.User, Reviews)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rv := s.Reviews
		if rv == nil {
			s.fail(w, r, &httpError{http.StatusNotFound, "this catalogue keeps no reviews"})
			return
		}
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			s.fail(w, r, &httpError{http.StatusUnauthorized, "a reviewer's token is needed (Authorization: Bearer TOKEN)"})
			return
		}
		hash := wire.HashToken(token)
		u, err := rv.UserByToken(r.Context(), hash)
		switch {
		case errors.Is(err, wire.ErrUnauthorized):
			if dev, derr := s.Cat.DeviceByToken(r.Context(), hash); derr == nil {
				s.fail(w, r, fmt.Errorf("%w: the token of device %s cannot review", wire.ErrForbidden, dev.ID))
				return
			}
			s.fail(w, r, &httpError{http.StatusUnauthorized, "unknown or revoked token"})
			return
		case err != nil:
			s.fail(w, r, err)
			return
		case u.Role != wire.RoleReviewer:
			s.fail(w, r, fmt.Errorf("%w: user %s is a %s; only reviewers review", wire.ErrForbidden, u.ID, u.Role))
			return
		}
		next(w, r, u, rv)
	}
}

func (s *Server) reviewList(w http.ResponseWriter, r *http.Request, u *wire.User, rv Reviews) {
	q := r.URL.Query()
	f := wire.ReviewFilter{FormID: q.Get("form"), After: q.Get("after")}
	if st := q.Get("state"); st != "" {
		switch f.State = wire.ReviewState(st); {
		case strings.EqualFold(strings.TrimSpace(st), wire.ReviewPending):
			f.State = wire.ReviewPending
		case f.State == "":
			s.fail(w, r, &httpError{http.StatusBadRequest, fmt.Sprintf("state %q: one of pending, approved, has_issues, rejected", st)})
			return
		}
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > wire.MaxReviewPage {
			s.fail(w, r, &httpError{http.StatusBadRequest, fmt.Sprintf("limit %q: a number from 1 to %d", l, wire.MaxReviewPage)})
			return
		}
		f.Limit = n
	}
	page, err := rv.ReviewList(r.Context(), u, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Records == nil {
		page.Records = []wire.ReviewItem{}
	}
	writeJSON(w, http.StatusOK, page)
}

// reviewRecord answers a record's versions, masked unless the query says
// clear=1 (or true); the catalogue refuses that to a reviewer without
// clearance and records every clear view it gives.
func (s *Server) reviewRecord(w http.ResponseWriter, r *http.Request, u *wire.User, rv Reviews) {
	view, ok := s.clearView(w, r)
	if !ok {
		return
	}
	rec, err := rv.ReviewRecord(r.Context(), u, r.PathValue("id"), view)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Clear {
		s.Log.Printf("review: user %s viewed record %s in clear from %s", u.ID, rec.RecordID, r.RemoteAddr)
	}
	s.addLabels(r.Context(), rec)
	writeJSON(w, http.StatusOK, rec)
}

// clearView reads a request's clear=1 (or true); a bad value is answered
// 400 and ok is false.
func (s *Server) clearView(w http.ResponseWriter, r *http.Request) (view wire.ReviewView, ok bool) {
	view.Remote = r.RemoteAddr
	c := r.URL.Query().Get("clear")
	if view.Clear, ok = clearParam(c); !ok {
		s.fail(w, r, &httpError{http.StatusBadRequest, fmt.Sprintf("clear %q: 1 for the data in clear (reviewers with clearance), 0 or nothing for it masked", c)})
		return view, false
	}
	return view, true
}

// clearParam reads a clear query parameter: 1 or true asks for the data
// in clear, 0, false or nothing for it masked; ok is false for any other.
func clearParam(c string) (clear, ok bool) {
	switch strings.ToLower(c) {
	case "", "0", "false":
		return false, true
	case "1", "true":
		return true, true
	}
	return false, false
}

// addLabels gives rec the labels of its questions and of the choices its
// answers name, in Simplified Chinese, from the form version of its latest
// version. Without that form it adds none: the answers still show, by key.
// It reads the data as it goes out, masked or not: a choice whose name
// masking changed (one that holds an ID or mobile number) shows masked
// and without its label, and Choices never names what the data hides.
func (s *Server) addLabels(ctx context.Context, rec *wire.RecordVersions) {
	if s.Form == nil {
		return
	}
	var f *forms.Form
	for _, v := range rec.Versions {
		if v.VersionID == rec.Head {
			f, _ = s.Form(ctx, rec.FormID, v.FormVersion)
		}
	}
	if f == nil {
		return
	}
	lang := f.MatchLanguage(forms.LangHans)
	rec.Labels, rec.Choices = map[string]string{}, map[string]map[string]string{}
	// By key, as the records name them; a key used at two levels is
	// read as the last field with it, as flatten's paths cannot tell them
	// apart in a label either.
	lists := map[string]*forms.ChoiceList{}
	for _, fd := range f.Fields {
		if l := fd.Label.In(lang); l != "" && fd.Type.HasAnswer() {
			rec.Labels[fd.Key] = l
		}
		if fd.Type.IsSelect() {
			if list := f.Lists[fd.ListName]; list != nil {
				lists[fd.Key] = list
			}
		}
	}
	var walk func(obj map[string]any)
	walk = func(obj map[string]any) {
		for k, v := range obj {
			switch x := v.(type) {
			case []any:
				for _, item := range x {
					if m, ok := item.(map[string]any); ok {
						walk(m)
					}
				}
			case string:
				list := lists[k]
				if list == nil {
					continue
				}
				for _, name := range strings.Fields(x) {
					if c := list.Lookup(name); c != nil && c.LabelIn(lang) != "" {
						if rec.Choices[k] == nil {
							rec.Choices[k] = map[string]string{}
						}
						rec.Choices[k][name] = c.LabelIn(lang)
					}
				}
			}
		}
	}
	for _, v := range rec.Versions {
		if obj, err := forms.DecodeStoredRecord(v.Data); err == nil {
			walk(obj)
		}
	}
}

func (s *Server) reviewSet(w http.ResponseWriter, r *http.Request, u *wire.User, rv Reviews) {
	var req wire.ReviewRequest
	if err := s.readBodyLimit(w, r, &req, maxReviewBody); err != nil {
		s.fail(w, r, err)
		return
	}
	review, err := rv.SetReview(r.Context(), u, r.PathValue("id"), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The comment stays out of the log: a reviewer may quote an ID
	// number in it.
	s.Log.Printf("review: user %s set record %s version %s to %s", u.ID, review.RecordID, review.VersionID, review.State)
	writeJSON(w, http.StatusOK, review)
}

// returns hands a device the records its reviewers sent back. A
// catalogue without reviews has none to give.
func (s *Server) returns(w http.ResponseWriter, r *http.Request, dev *wire.Device) {
	list := wire.ReturnList{Returns: []wire.Return{}}
	if rv := s.Reviews; rv != nil {
		got, err := rv.Returns(r.Context(), dev)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if got != nil {
			list.Returns = got
		}
	}
	writeJSON(w, http.StatusOK, list)
}
