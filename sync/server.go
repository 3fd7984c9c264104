package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"runtime"
	"strings"
	gosync "sync"
	"time"

	"github.com/fieldbench/fieldbench/forms"
)

// Server is the catalogue's HTTP side.
type Server struct {
	Cat Catalogue
	// Form loads a published form version for validating records.
	Form func(ctx context.Context, formID, version string) (*forms.Form, error)
	// MaxBodyBytes bounds a request's decoded size; MaxRecords a batch.
	MaxBodyBytes int64
	MaxRecords   int
	Log          *log.Logger
	Now          func() time.Time
	// MaxConcurrent bounds the batches decoded and stored at once: the
	// rest wait unread, so fifty laptops syncing together cost the memory
	// of a few batches, not fifty. The write lock serialises storing
	// anyway.
	MaxConcurrent int
	slots         chan struct{}
	// Exports serves GET /v1/export to user tokens (export.go); nil
	// leaves the endpoint out. MaxExports bounds the exports streaming at
	// once (default 2), each holding a database connection throughout.
	Exports     Exporter
	MaxExports  int
	exportSlots chan struct{}
}

// Defaults for a Server's limits.
const (
	DefaultMaxBodyBytes = 32 << 20
	DefaultMaxRecords   = 1000
)

// Handler routes the protocol's endpoints.
func (s *Server) Handler() http.Handler {
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if s.MaxRecords == 0 {
		s.MaxRecords = DefaultMaxRecords
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Log == nil {
		s.Log = log.New(io.Discard, "", 0)
	}
	if s.MaxConcurrent <= 0 {
		s.MaxConcurrent = max(2, runtime.GOMAXPROCS(0))
	}
	s.slots = make(chan struct{}, s.MaxConcurrent)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/info", s.info)
	mux.HandleFunc("POST /v1/enrol", s.enrol)
	mux.HandleFunc("GET /v1/forms", s.authed(s.formList))
	mux.HandleFunc("GET /v1/forms/{id}/{version}", s.authed(s.formFile))
	mux.HandleFunc("POST /v1/batches", s.authed(s.batch))
	if s.Exports != nil {
		if s.MaxExports <= 0 {
			s.MaxExports = 2
		}
		s.exportSlots = make(chan struct{}, s.MaxExports)
		mux.HandleFunc("GET /v1/export", s.export)
	}
	s.reviewRoutes(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(ProtocolHeader, ProtocolVersion)
		mux.ServeHTTP(w, r)
	})
}

// httpError is an answer other than success, with the reason logged.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	status := http.StatusInternalServerError
	msg := "internal error"
	switch {
	case errors.As(err, &he):
		status, msg = he.status, he.msg
	case errors.Is(err, ErrUnauthorized):
		status, msg = http.StatusUnauthorized, err.Error()
	case errors.Is(err, ErrBadCode):
		status, msg = http.StatusForbidden, err.Error()
	case errors.Is(err, ErrDeviceExists):
		status, msg = http.StatusConflict, err.Error()
	case errors.Is(err, ErrNotFound):
		status, msg = http.StatusNotFound, err.Error()
	case errors.Is(err, ErrForbidden):
		status, msg = http.StatusForbidden, err.Error()
	case errors.Is(err, ErrInvalid):
		status, msg = http.StatusUnprocessableEntity, err.Error()
	case errors.Is(err, ErrBatchMismatch):
		status, msg = http.StatusUnprocessableEntity, err.Error()
	case errors.Is(err, ErrCheckUnavailable):
		status, msg = http.StatusServiceUnavailable, err.Error()
		w.Header().Set("Retry-After", "5")
	}
	s.Log.Printf("%s %s from %s: %d %s (%v)", r.Method, r.URL.Path, r.RemoteAddr, status, msg, err)
	writeJSON(w, status, Problem{Error: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// readBody decodes a JSON body, gzip or not, refusing more than
// MaxBodyBytes after decoding (net/http does not decode gzip bodies, and
// a small gzip body can inflate to gigabytes).
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, v any) error {
	return s.readBodyLimit(w, r, v, s.MaxBodyBytes)
}

// readBodyLimit is readBody with a bound of its own, before and after
// decoding.
func (s *Server) readBodyLimit(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	var body io.Reader = http.MaxBytesReader(w, r.Body, limit)
	size := 512 // what to expect after decoding, to read into one buffer
	switch strings.ToLower(r.Header.Get("Content-Encoding")) {
	case "":
		size += int(min(max(r.ContentLength, 0), limit))
	case "gzip":
		// The gzip data is read whole first (a fraction of the size):
		// its trailer gives the decoded size, so the decoded body is read
		// into one buffer of the right size instead of one doubled again
		// and again. A false trailer only misjudges that buffer, which
		// is never more than limit nor more than deflate's best ratio
		// (1032:1) could give: no more than an honest body could cost.
		zipped, err := io.ReadAll(body)
		if err != nil {
			return bodyReadError(err, limit)
		}
		if n := len(zipped); n >= 18 {
			size += int(min(int64(binary.LittleEndian.Uint32(zipped[n-4:])), limit, 1032*int64(n)))
		}
		zr, _ := gzipReaders.Get().(*gzip.Reader)
		if zr == nil {
			zr, err = gzip.NewReader(bytes.NewReader(zipped))
		} else {
			err = zr.Reset(bytes.NewReader(zipped))
		}
		if err != nil {
			return &httpError{http.StatusBadRequest, "the body is not valid gzip"}
		}
		defer gzipReaders.Put(zr)
		body = zr
	default:
		return &httpError{http.StatusUnsupportedMediaType, "only gzip bodies are accepted"}
	}
	data, err := readAllSized(io.LimitReader(body, limit+1), size)
	if err != nil {
		return bodyReadError(err, limit)
	}
	if int64(len(data)) > limit {
		return &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("the decoded body is larger than %d bytes", limit)}
	}
	if b, ok := v.(*Batch); ok && decodeBatch(data, b) {
		return nil
	} else if ok {
		*b = Batch{} // what the fast path filled in before it gave up
	}
	if err := json.Unmarshal(data, v); err != nil {
		return &httpError{http.StatusBadRequest, "malformed JSON: " + err.Error()}
	}
	return nil
}

// bodyReadError is the answer to a body that could not be read.
func bodyReadError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", limit)}
	}
	return &httpError{http.StatusBadRequest, "the body could not be read: " + err.Error()}
}

// readAllSized is io.ReadAll starting with room for size bytes.
func readAllSized(r io.Reader, size int) ([]byte, error) {
	b := make([]byte, 0, size)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // let append grow the buffer
		}
	}
}

// gzipReaders keeps gzip readers for reuse (each holds a decompressor's
// window and tables, ~40 KB); Reset makes a kept one as good as new.
var gzipReaders gosync.Pool

// authed admits requests carrying the token of an enrolled, unrevoked
// device.
func (s *Server) authed(next func(http.ResponseWriter, *http.Request, *Device)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		dev, err := s.device(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		next(w, r, dev)
	}
}

func (s *Server) device(r *http.Request) (*Device, error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return nil, ErrUnauthorized
	}
	return s.Cat.DeviceByToken(r.Context(), HashToken(token))
}

// HashToken is how tokens are kept: only their SHA-256.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	info := Info{Protocol: ProtocolVersion, ServerTime: s.Now().UTC(), MaxBodyBytes: s.MaxBodyBytes, MaxRecords: s.MaxRecords}
	if r.Header.Get("Authorization") != "" {
		dev, err := s.device(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		info.Device = dev
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	var req EnrolRequest
	if err := s.readBody(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Code == "" || req.DeviceID == "" {
		s.fail(w, r, &httpError{http.StatusBadRequest, "code and device_id are required"})
		return
	}
	// Checked before the code is looked at, so a bad request never uses
	// one up.
	if err := CheckDeviceID(req.DeviceID); err != nil {
		s.fail(w, r, &httpError{http.StatusBadRequest, err.Error()})
		return
	}
	if len(req.Code) > maxCodeLen {
		s.fail(w, r, &httpError{http.StatusBadRequest, fmt.Sprintf("the code is longer than %d characters; an enrolment code looks like ABCD-EFGH-JKMN", maxCodeLen)})
		return
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	token := hex.EncodeToString(raw)
	dev, err := s.Cat.Enrol(r.Context(), req.Code, req.DeviceID, HashToken(token))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, EnrolResponse{Device: *dev, Token: token})
}

func (s *Server) formList(w http.ResponseWriter, r *http.Request, dev *Device) {
	list, err := s.Cat.Forms(r.Context(), dev.Township)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []FormInfo{}
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) formFile(w http.ResponseWriter, r *http.Request, dev *Device) {
	f, err := s.Cat.Form(r.Context(), dev.Township, r.PathValue("id"), r.PathValue("version"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

func (s *Server) batch(w http.ResponseWriter, r *http.Request, dev *Device) {
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-r.Context().Done():
		return
	}
	var b Batch
	if err := s.readBody(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	switch {
	case b.BatchID == "" || r.Header.Get("Idempotency-Key") != b.BatchID:
		s.fail(w, r, &httpError{http.StatusBadRequest, "the Idempotency-Key header must carry the batch_id"})
		return
	case b.DeviceID != dev.ID:
		s.fail(w, r, &httpError{http.StatusForbidden, "the batch names another device"})
		return
	case len(b.Records) > s.MaxRecords:
		s.fail(w, r, &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("a batch holds at most %d records", s.MaxRecords)})
		return
	case len(b.BatchID) > MaxIDLen:
		s.fail(w, r, &httpError{http.StatusBadRequest, fmt.Sprintf("the batch_id is longer than %d bytes", MaxIDLen)})
		return
	}
	// The receipt names each record by its version id, so one too long
	// to keep cannot be answered record by record.
	for i := range b.Records {
		if len(b.Records[i].VersionID) > MaxIDLen {
			s.fail(w, r, &httpError{http.StatusBadRequest, fmt.Sprintf("record %d of the batch: the version_id is longer than %d bytes", i+1, MaxIDLen)})
			return
		}
	}
	receipt, err := s.Cat.StoreBatch(r.Context(), dev, &b, Fingerprint(&b), s.prevalidate(r.Context(), &b))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, res := range receipt.Results {
		if res.Status == StatusRejected || res.Status == StatusConflict {
			s.Log.Printf("batch %s from device %s: version %s %s: %s", b.BatchID, dev.ID, res.VersionID, res.Status, res.Reason)
		}
	}
	writeJSON(w, http.StatusOK, receipt)
}

// prevalidate runs the form engine over a batch's records on every core
// before the catalogue's write transaction starts, so validation neither
// holds the write lock nor runs one record at a time; the check handed to
// the catalogue then answers from these results (the record it is given is
// a copy of the same bytes, found by version id).
func (s *Server) prevalidate(ctx context.Context, b *Batch) func(*Record) error {
	check := s.check(ctx)
	results := make([]error, len(b.Records))
	byVersion := make(map[string]int, len(b.Records))
	for i, rec := range b.Records {
		byVersion[rec.VersionID] = i
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	var wg gosync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = check(&b.Records[i])
			}
		}()
	}
	for i := range b.Records {
		next <- i
	}
	close(next)
	wg.Wait()
	return func(rec *Record) error {
		i, ok := byVersion[rec.VersionID]
		if !ok || !bytes.Equal(b.Records[i].Data, rec.Data) {
			return check(rec)
		}
		return results[i]
	}
}

// check validates a record against its form version exactly as the laptop
// did when it was finalized: the catalogue trusts no client.
func (s *Server) check(ctx context.Context) func(*Record) error {
	// One batch names a handful of form versions: look each up once.
	var mu gosync.Mutex
	loaded := map[[2]string]*forms.Form{}
	form := func(id, version string) (*forms.Form, error) {
		mu.Lock()
		defer mu.Unlock()
		if f := loaded[[2]string{id, version}]; f != nil {
			return f, nil
		}
		f, err := s.Form(ctx, id, version)
		if err == nil {
			loaded[[2]string{id, version}] = f
		}
		return f, err
	}
	return func(rec *Record) error {
		f, err := form(rec.FormID, rec.FormVersion)
		if err != nil {
			// Published forms load (publish refuses any that does not), so
			// this is the database or the context failing: try again later.
			return fmt.Errorf("%w: form %s version %s cannot be loaded: %v", ErrCheckUnavailable, rec.FormID, rec.FormVersion, err)
		}
		obj, err := forms.DecodeRecord(rec.Data)
		if err != nil {
			return fmt.Errorf("the data is not a JSON object: %v", err)
		}
		_, res := f.ValidateRecord(obj, forms.Options{Language: forms.LangHans})
		if !res.OK() {
			var msgs []string
			for i, p := range res.Errors {
				if i == 3 {
					msgs = append(msgs, fmt.Sprintf("... (%d more)", len(res.Errors)-3))
					break
				}
				msgs = append(msgs, p.Path+": "+p.Message)
			}
			return fmt.Errorf("fails the form's checks: %s", strings.Join(msgs, "; "))
		}
		return nil
	}
}

// Fingerprint identifies a batch's contents: the same id must always come
// with the same records.
func Fingerprint(b *Batch) string {
	h := sha256.New()
	for _, r := range b.Records {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\n", r.RecordID, r.VersionID, r.Replaces, r.FormID, r.FormVersion, r.SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))
}
