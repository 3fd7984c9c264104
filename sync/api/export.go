package api

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// The export endpoints, for the county's reviewers and readers:
//
//	GET /v1/export?form=ID&format=jsonl
//	GET /v1/export?form=ID&format=csv[&file=NAME]
//	GET /v1/export?form=ID&format=xlsx
//	(csv and xlsx: &labels=true[&lang=zh-Hans|zh-Hant|en] for labels)
//	Authorization: Bearer USER_TOKEN
//
// JSONL is the whole record, one per line. XLSX is one workbook, a sheet
// per level, streamed by excelize through temporary files. CSV is one file per request:
// the main level by default, or the repeat file NAME among those the
// answer lists in Fieldbench-Export-Files, because the levels' rows
// interleave record by record and a zip of them would have to be spooled
// whole before its first byte. The body streams as the records are read;
// its record count comes last, in the Fieldbench-Export-Records trailer,
// and an export that fails midway is cut off rather than ended, so a
// client never takes a short file for a whole one.

// The same for an entity list, exported by the sharing rules of the form
// that defines it, as one file LIST.FORMAT:
//
//	GET /v1/export/entities?list=L&format=csv|xlsx|jsonl[&clear=1]
//
// masked unless clear=1, which only a user with clearance may ask for.

// Exporter is what the export endpoints need of the catalogue.
type Exporter interface {
	// UserByToken finds the unrevoked user with that token hash, or
	// ErrUnauthorized.
	UserByToken(ctx context.Context, tokenHash string) (*wire.User, error)
	// OpenExport applies the dataset's sharing rules to req: ErrNotFound
	// for a form never published, a Refusal when the user may not have it.
	OpenExport(ctx context.Context, req wire.ExportRequest) (wire.Export, error)
	// OpenEntityExport applies the sharing rules of the list's defining
	// form to req: ErrNotFound for an unknown list, a Refusal when the
	// user may not have it, or not in clear.
	OpenEntityExport(ctx context.Context, req wire.EntityExportRequest) (wire.Export, error)
}

// exportRoutes adds the export endpoints, with their slots, when the
// server has an Exporter.
func (s *Server) exportRoutes(mux *http.ServeMux) {
	if s.Exports == nil {
		return
	}
	if s.MaxExports <= 0 {
		s.MaxExports = 2
	}
	s.exportSlots = make(chan struct{}, s.MaxExports)
	mux.HandleFunc("GET "+wire.ExportPath, s.export)
	mux.HandleFunc("GET "+wire.EntityExportPath, s.exportEntities)
}

// exportAsk is one export request as its endpoint read it.
type exportAsk struct {
	what   string // what is exported, for the log and a 404: form "ID", entity list "L"
	format string
	file   string // csv: the file asked for, "" for the main one
	bad    string // why the query is wrong, "" when it is not
	open   func(u *wire.User) (wire.Export, error)
}

// export answers GET /v1/export.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	formID, format, file := q.Get("form"), q.Get("format"), q.Get("file")
	labels := q.Get("labels") == "true"
	ask := exportAsk{what: fmt.Sprintf("form %q", formID), format: format, file: file}
	if formID == "" || (format != "csv" && format != "xlsx" && format != "jsonl") || (file != "" && format != "csv") || (labels && format == "jsonl") {
		ask.bad = "form and format (csv, xlsx or jsonl) are required; file only with csv; labels only with csv or xlsx"
	}
	ask.open = func(u *wire.User) (wire.Export, error) {
		return s.Exports.OpenExport(r.Context(), wire.ExportRequest{FormID: formID, Format: format, User: u, Remote: r.RemoteAddr,
			Labels: labels, Language: q.Get("lang")})
	}
	s.serveExport(w, r, ask)
}

// exportEntities answers GET /v1/export/entities.
func (s *Server) exportEntities(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	list, format := q.Get("list"), q.Get("format")
	ask := exportAsk{what: fmt.Sprintf("entity list %q", list), format: format}
	clear, ok := clearParam(q.Get("clear"))
	if list == "" || (format != "csv" && format != "xlsx" && format != "jsonl") || !ok {
		ask.bad = "list and format (csv, xlsx or jsonl) are required; clear is 1 for the list in clear (users with clearance), 0 or nothing for it masked"
	}
	ask.open = func(u *wire.User) (wire.Export, error) {
		return s.Exports.OpenEntityExport(r.Context(), wire.EntityExportRequest{List: list, Format: format, Clear: clear, User: u, Remote: r.RemoteAddr})
	}
	s.serveExport(w, r, ask)
}

// serveExport checks the token and the limits, opens the export by the
// sharing rules and streams it.
func (s *Server) serveExport(w http.ResponseWriter, r *http.Request, ask exportAsk) {
	refuse := func(status int, who, msg string) {
		s.Log.Printf("export of %s refused to %s from %s: %d %s", ask.what, who, r.RemoteAddr, status, msg)
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="fieldbench"`)
		}
		writeJSON(w, status, wire.Problem{Error: msg})
	}
	u, status, msg := s.exportUser(r)
	if u == nil {
		refuse(status, "a request with no valid user token", msg)
		return
	}
	who := "user " + u.ID
	if ask.bad != "" {
		refuse(http.StatusBadRequest, who, ask.bad)
		return
	}
	format := ask.format
	// One export at a time per user: slow readers of one user cannot
	// hold every export slot.
	key := "user " + u.ID
	if !s.busy.take(key, exportsPerUser) {
		w.Header().Set("Retry-After", "30")
		refuse(http.StatusTooManyRequests, who, "an export of yours is under way; one at a time: try again when it has finished")
		return
	}
	defer s.busy.done(key)
	x, err := ask.open(u)
	switch {
	case errors.Is(err, wire.ErrForbidden):
		refuse(http.StatusForbidden, who, err.Error())
		return
	case errors.Is(err, wire.ErrNotFound):
		refuse(http.StatusNotFound, who, ask.what+" is not in the catalogue")
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	select {
	case s.exportSlots <- struct{}{}:
		defer func() { <-s.exportSlots }()
	default:
		w.Header().Set("Retry-After", "30")
		refuse(http.StatusServiceUnavailable, who, fmt.Sprintf("%d exports are under way; try again in a minute", cap(s.exportSlots)))
		return
	}
	files := x.Files()
	name := files[0]
	if format == "csv" {
		if ask.file != "" {
			name = ask.file
		}
		if err := x.Only(name); err != nil {
			refuse(http.StatusBadRequest, who, err.Error())
			return
		}
		escaped := make([]string, len(files))
		for i, f := range files {
			escaped[i] = url.PathEscape(f)
		}
		w.Header().Set(wire.HeaderFiles, strings.Join(escaped, ","))
	}
	h := w.Header()
	h.Set("Content-Type", map[string]string{"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format])
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	h.Set(wire.HeaderSharing, url.PathEscape(x.Sharing()))
	h.Set(wire.HeaderMasked, strconv.FormatBool(x.Masked()))
	h.Set("Trailer", wire.HeaderRecords)
	h.Add("Vary", "Accept-Encoding")
	// A client taking the answer slower than the floor is cut off rather
	// than holding its slot (and a database connection) for days.
	rc := http.NewResponseController(w)
	floor := &floorWriter{w: w, rc: rc, floor: rateFloor{rate: s.MinRate, grace: s.Grace}}
	defer rc.SetWriteDeadline(time.Time{}) // the connection may serve another request
	body := io.Writer(floor)
	var zw *gzip.Writer
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		zw, _ = gzip.NewWriterLevel(floor, gzip.BestSpeed) // a county link is faster than BestCompression on 2 cores
		body = zw
	}
	w.WriteHeader(http.StatusOK)
	// Send the headers now: the client learns at once that the export is
	// under way (the first records may take a while), and a failure
	// before the first buffer is full still shows as a cut-off transfer.
	rc.Flush()
	n, err := x.Write(r.Context(), func(string) (io.Writer, error) { return onlyWriter{body}, nil })
	if err != nil && !errors.Is(err, wire.ErrAuditIncomplete) {
		// The status is out already: cut the answer off so that the
		// client sees a broken transfer, not a complete-looking file.
		s.Log.Printf("export of %s to %s from %s failed after %d records: %v", ask.what, who, r.RemoteAddr, n, err)
		panic(http.ErrAbortHandler)
	}
	if err != nil {
		s.Log.Printf("export of %s to %s: %v", ask.what, who, err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			panic(http.ErrAbortHandler)
		}
	}
	// The last buffered bytes go out under the floor too.
	rc.SetWriteDeadline(floor.floor.deadline(time.Now(), 4<<10))
	if err := rc.Flush(); err != nil {
		panic(http.ErrAbortHandler)
	}
	h.Set(wire.HeaderRecords, strconv.Itoa(n))
	s.Log.Printf("export of %s (%s %s, %s, masked %v) to %s from %s: %d records", ask.what, format, name, x.Sharing(), x.Masked(), who, r.RemoteAddr, n)
}

// exportUser is the user whose token the request carries; otherwise nil
// with the status and reason: 401 for no token or an unknown or revoked
// one, 403 for a laptop's token, which may send records but not take any.
func (s *Server) exportUser(r *http.Request) (*wire.User, int, string) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return nil, http.StatusUnauthorized, "a user token is required (Authorization: Bearer TOKEN)"
	}
	u, err := s.Exports.UserByToken(r.Context(), wire.HashToken(token))
	if err == nil {
		return u, 0, ""
	}
	if !errors.Is(err, wire.ErrUnauthorized) {
		return nil, http.StatusInternalServerError, "internal error"
	}
	if _, derr := s.Cat.DeviceByToken(r.Context(), wire.HashToken(token)); derr == nil {
		return nil, http.StatusForbidden, "this is a laptop's token: laptops send records but cannot export them; exports are for the county's reviewers and readers"
	}
	return nil, http.StatusUnauthorized, "unknown or revoked user token"
}

// acceptsGzip reports whether the client takes a gzip body (Go's HTTP
// client asks for one, and decodes it, unless told otherwise).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// onlyWriter hides a writer's Close, so a CSV writer closing its files
// does not end the answer (or its gzip stream) early.
type onlyWriter struct{ io.Writer }
