// Package api is the catalogue's HTTP side of the sync protocol
// (sync/wire): enrolment, the forms a township may use, batches of
// records, review and returns, and exports, with the limits that keep
// slow, large or many clients from harming the others. Server is the
// handler; `fieldbench serve` runs it.
//
// The database stays behind interfaces defined here, where they are used:
// Catalogue (devices, forms, batches) always, and the optional Reviews
// and Exporter as fields of Server, nil leaving their endpoints out.
// store/catalogue implements them on SQLite and on PostgreSQL without
// importing this package; cmd/fieldbench wires the two. Nothing here
// imports the laptop's store (see deps_test.go at the module root).
package api

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
	"golang.org/x/sync/semaphore"
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
	// MaxConcurrent bounds the batches checked and stored at once (the
	// write lock serialises storing anyway). Their bodies are read
	// before, so a slow uploader holds no slot.
	MaxConcurrent int
	slots         chan struct{}
	// BodyMemory bounds the bytes of request bodies held at once, read,
	// inflated or decoded (default 64 MiB): a body waits for its share,
	// taken before it is allocated, at most BodyWait (default 20 s), and
	// is then answered 503 with Retry-After. Fifty laptops syncing
	// together cost this much at most, not fifty bodies' worth.
	BodyMemory int64
	BodyWait   time.Duration
	mem        *bodyMemory
	// MinRate and Grace are the slowest a client may send a body or take
	// an export: once Grace (default 10 s) has passed, MinRate bytes a
	// second on average (default 1024), counting only the time spent
	// waiting on the client. Slower bodies are answered 408, slower
	// exports cut off. A floor, not a total timeout: an export of a
	// million records over an ordinary link takes as long as it needs.
	MinRate int64
	Grace   time.Duration
	// PerDevice bounds the batches one device has in progress, being
	// read or stored (default 2); more are answered 429 with Retry-After.
	PerDevice int
	busy      inProgress
	// Exports serves GET /v1/export and /v1/export/entities to user
	// tokens (export.go); nil leaves the endpoints out. MaxExports bounds
	// the exports streaming at once (default 2), each holding a database
	// connection throughout.
	Exports     Exporter
	MaxExports  int
	exportSlots chan struct{}
	// Reviews serves the reviewers' endpoints (/v1/review/...) and hands
	// devices their returns (review_server.go); nil: /v1/review answers
	// 404 and a device has no returns.
	Reviews Reviews
	// Entities serves the laptops' download of entity lists and the
	// reviewers' entity conflicts (entities.go); nil leaves them out.
	Entities Entities
	// RetentionDays is how long a laptop keeps a sent record's sealed
	// part after the catalogue's receipt, announced in /v1/info (0:
	// wire.DefaultRetentionDays).
	RetentionDays int

	built   sync.Once
	handler http.Handler
}

// Handler routes the protocol's endpoints. The first call fills in the
// defaults of the limits left zero and makes the handler; later calls
// return that same handler, so the concurrency limits and the body
// memory stay one set however often it is asked for.
func (s *Server) Handler() http.Handler {
	s.built.Do(func() { s.handler = s.build() })
	return s.handler
}

func (s *Server) build() http.Handler {
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = wire.DefaultMaxBodyBytes
	}
	if s.MaxRecords == 0 {
		s.MaxRecords = wire.DefaultMaxRecords
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
	if s.BodyMemory <= 0 {
		s.BodyMemory = DefaultBodyMemory
	}
	if s.BodyWait <= 0 {
		s.BodyWait = DefaultBodyWait
	}
	s.mem = &bodyMemory{sem: semaphore.NewWeighted(s.BodyMemory), size: s.BodyMemory, wait: s.BodyWait}
	if s.MinRate <= 0 {
		s.MinRate = DefaultMinRate
	}
	if s.Grace <= 0 {
		s.Grace = DefaultGrace
	}
	if s.PerDevice <= 0 {
		s.PerDevice = DefaultPerDevice
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/info", s.info)
	mux.HandleFunc("POST /v1/enrol", s.enrol)
	mux.HandleFunc("GET /v1/forms", s.authed(s.formList))
	mux.HandleFunc("GET /v1/forms/{id}/{version}", s.authed(s.formFile))
	mux.HandleFunc("GET /v1/forms/{id}/{version}/attachments/{name}", s.authed(s.attachment))
	mux.HandleFunc("POST /v1/batches", s.authed(s.batch))
	s.exportRoutes(mux)
	s.reviewRoutes(mux)
	s.entityRoutes(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(wire.ProtocolHeader, wire.ProtocolVersion)
		if r.ContentLength != 0 {
			// A body nobody reads (a refusal, an unknown route) is read
			// away by net/http before the answer goes out: under the
			// floor, not for as long as its sender trickles it.
			f := rateFloor{rate: s.MinRate, grace: s.Grace}
			http.NewResponseController(w).SetReadDeadline(f.deadline(time.Now(), max(r.ContentLength, 0)))
		}
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
	case errors.Is(err, wire.ErrUnauthorized):
		status, msg = http.StatusUnauthorized, err.Error()
	case errors.Is(err, wire.ErrBadCode):
		status, msg = http.StatusForbidden, err.Error()
	case errors.Is(err, wire.ErrDeviceExists):
		status, msg = http.StatusConflict, err.Error()
	case errors.Is(err, wire.ErrNotFound):
		status, msg = http.StatusNotFound, err.Error()
	case errors.Is(err, wire.ErrForbidden):
		status, msg = http.StatusForbidden, err.Error()
	case errors.Is(err, wire.ErrInvalid):
		status, msg = http.StatusUnprocessableEntity, err.Error()
	case errors.Is(err, wire.ErrBatchMismatch):
		status, msg = http.StatusUnprocessableEntity, err.Error()
	case errors.Is(err, wire.ErrCheckUnavailable):
		status, msg = http.StatusServiceUnavailable, err.Error()
	}
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "5")
	}
	if r.ContentLength != 0 {
		// Answered with its body perhaps unread (or its read deadline
		// passed): close the connection rather than have net/http read
		// the rest before the answer goes out.
		w.Header().Set("Connection", "close")
	}
	s.Log.Printf("%s %q from %s: %d %s (%v)", r.Method, r.URL.Path, r.RemoteAddr, status, msg, err)
	writeJSON(w, status, wire.Problem{Error: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// readBodyLimit decodes a small JSON body, gzip or not, of at most limit
// bytes before and after decoding; the memory it took is given back at
// once.
func (s *Server) readBodyLimit(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	release, err := s.readBodyHeld(w, r, v, limit)
	if err == nil {
		release()
	}
	return err
}

// readBodyHeld decodes a JSON body, gzip or not, refusing more than limit
// bytes before or after decoding (net/http does not decode gzip bodies,
// and a small gzip body can inflate to gigabytes). The bytes it reads and
// inflates are taken from the body memory, which every request shares,
// before they are allocated; release gives them back once v is no longer
// needed (a batch's records alias the decoded bytes). A body arriving
// slower than MinRate after Grace is refused with 408.
func (s *Server) readBodyHeld(w http.ResponseWriter, r *http.Request, v any, limit int64) (release func(), err error) {
	hold := s.mem.hold(r.Context())
	defer func() {
		if err != nil {
			hold.release()
		}
	}()
	slow, done := s.slowBody(w, r)
	body := http.MaxBytesReader(w, io.NopCloser(slow), limit)
	var data []byte
	switch strings.ToLower(r.Header.Get("Content-Encoding")) {
	case "":
		data, err = hold.readAll(body, r.ContentLength, limit)
		done()
		if err != nil {
			return nil, s.bodyReadError(err, limit)
		}
	case "gzip":
		// The gzip data is read whole first: its trailer gives the
		// decoded size, so the decoded body is read into one buffer of
		// the right size, taken from the body memory before it is
		// allocated. A trailer claiming less than the body inflates to
		// is a lie (it holds the size modulo 4 GiB, far above limit) and
		// refused; one claiming more than deflate's best ratio (1032:1)
		// could give is one too, but costs no more than an honest body.
		zipped, err := hold.readAll(body, r.ContentLength, limit)
		done()
		if err != nil {
			return nil, s.bodyReadError(err, limit)
		}
		size := int64(0)
		if n := len(zipped); n >= 18 {
			size = min(int64(binary.LittleEndian.Uint32(zipped[n-4:])), limit, 1032*int64(n))
		}
		if err := hold.take(size + 512); err != nil {
			return nil, err
		}
		zr, _ := gzipReaders.Get().(*gzip.Reader)
		if zr == nil {
			zr, err = gzip.NewReader(bytes.NewReader(zipped))
		} else {
			err = zr.Reset(bytes.NewReader(zipped))
		}
		if err != nil {
			return nil, &httpError{http.StatusBadRequest, "the body is not valid gzip"}
		}
		data, err = readAllSized(io.LimitReader(zr, size+1), int(size)+512)
		gzipReaders.Put(zr)
		if err != nil {
			return nil, &httpError{http.StatusBadRequest, "the body could not be read: " + err.Error()}
		}
		hold.give(int64(cap(zipped))) // garbage from here on
		if int64(len(data)) > size {
			if size == limit {
				return nil, &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("the decoded body is larger than %d bytes", limit)}
			}
			return nil, &httpError{http.StatusBadRequest, "the gzip body inflates to more than its trailer says (send one gzip member)"}
		}
	default:
		done()
		return nil, &httpError{http.StatusUnsupportedMediaType, "only gzip bodies are accepted"}
	}
	if b, ok := v.(*wire.Batch); ok && wire.DecodeBatch(data, b) {
		return hold.release, nil
	} else if ok {
		*b = wire.Batch{} // what the fast path filled in before it gave up
	}
	if err := json.Unmarshal(data, v); err != nil {
		return nil, &httpError{http.StatusBadRequest, "malformed JSON: " + err.Error()}
	}
	return hold.release, nil
}

// bodyReadError is the answer to a body that could not be read.
func (s *Server) bodyReadError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	var he *httpError
	switch {
	case errors.As(err, &he):
		return err
	case errors.As(err, &mbe):
		return &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", limit)}
	case s.tooSlow(err) != nil:
		return s.tooSlow(err)
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
var gzipReaders sync.Pool

// authed admits requests carrying the token of an enrolled, unrevoked
// device.
func (s *Server) authed(next func(http.ResponseWriter, *http.Request, *wire.Device)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		dev, err := s.device(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		next(w, r, dev)
	}
}

func (s *Server) device(r *http.Request) (*wire.Device, error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return nil, wire.ErrUnauthorized
	}
	return s.Cat.DeviceByToken(r.Context(), wire.HashToken(token))
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	info := wire.Info{Protocol: wire.ProtocolVersion, ServerTime: s.Now().UTC(), MaxBodyBytes: s.MaxBodyBytes, MaxRecords: s.MaxRecords}
	if r.Header.Get("Authorization") != "" {
		dev, err := s.device(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		info.Device = dev
		info.CatalogueKey = s.catalogueKey()
		info.RetentionDays = cmp.Or(s.RetentionDays, wire.DefaultRetentionDays)
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	var req wire.EnrolRequest
	if err := s.readBodyLimit(w, r, &req, maxEnrolBody); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Code == "" || req.DeviceID == "" {
		s.fail(w, r, &httpError{http.StatusBadRequest, "code and device_id are required"})
		return
	}
	// Checked before the code is looked at, so a bad request never uses
	// one up.
	if err := wire.CheckDeviceID(req.DeviceID); err != nil {
		s.fail(w, r, &httpError{http.StatusBadRequest, err.Error()})
		return
	}
	if len(req.Code) > wire.MaxCodeLen {
		s.fail(w, r, &httpError{http.StatusBadRequest, fmt.Sprintf("the code is longer than %d characters; an enrolment code looks like ABCD-EFGH-JKMN", wire.MaxCodeLen)})
		return
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	token := hex.EncodeToString(raw)
	dev, err := s.Cat.Enrol(r.Context(), req.Code, req.DeviceID, wire.HashToken(token))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, wire.EnrolResponse{Device: *dev, Token: token, CatalogueKey: s.catalogueKey()})
}

// catalogueKey is the catalogue's current public key, nil when it has none.
func (s *Server) catalogueKey() *wire.CatalogueKey {
	if k, ok := s.Cat.(Keyed); ok {
		return k.CatalogueKey()
	}
	return nil
}

func (s *Server) formList(w http.ResponseWriter, r *http.Request, dev *wire.Device) {
	list, err := s.Cat.Forms(r.Context(), dev.Township)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []wire.FormInfo{}
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) formFile(w http.ResponseWriter, r *http.Request, dev *wire.Device) {
	f, err := s.Cat.Form(r.Context(), dev.Township, r.PathValue("id"), r.PathValue("version"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// attachment sends a data file of a form version to a device of a
// township the form is published to (404 to any other, as formFile). The
// file's bytes are held in the body memory while they are read and sent,
// so laptops fetching large lists at once take turns (503 with
// Retry-After past BodyWait) rather than exhaust the server, and a
// client reading slower than the floor is cut off.
func (s *Server) attachment(w http.ResponseWriter, r *http.Request, dev *wire.Device) {
	hold := s.mem.hold(r.Context())
	defer hold.release()
	af, err := s.Cat.Attachment(r.Context(), dev.Township, r.PathValue("id"), r.PathValue("version"), r.PathValue("name"), hold.take)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set(wire.AttachmentHashHeader, af.SHA256)
	h.Add("Vary", "Accept-Encoding")
	rc := http.NewResponseController(w)
	defer rc.SetWriteDeadline(time.Time{}) // the connection may serve another request
	floor := &floorWriter{w: w, rc: rc, floor: rateFloor{rate: s.MinRate, grace: s.Grace}}
	if !acceptsGzip(r) {
		h.Set("Content-Length", strconv.Itoa(len(af.Data)))
		floor.Write(af.Data)
		return
	}
	// A list of villages compresses to a fifth: worth it on a township link.
	h.Set("Content-Encoding", "gzip")
	zw, _ := gzip.NewWriterLevel(floor, gzip.BestSpeed)
	zw.Write(af.Data)
	zw.Close()
}

func (s *Server) batch(w http.ResponseWriter, r *http.Request, dev *wire.Device) {
	key := "device " + dev.ID
	if !s.busy.take(key, s.PerDevice) {
		s.fail(w, r, &httpError{http.StatusTooManyRequests, fmt.Sprintf("this device has %d batches in progress already; send one when one is answered", s.PerDevice)})
		return
	}
	defer s.busy.done(key)
	// The body is read before a slot is taken: a slot is for checking and
	// storing, which go at the server's pace, not the client's.
	var b wire.Batch
	release, err := s.readBodyHeld(w, r, &b, s.MaxBodyBytes)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer release()
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
	case len(b.BatchID) > wire.MaxIDLen:
		s.fail(w, r, &httpError{http.StatusBadRequest, fmt.Sprintf("the batch_id is longer than %d bytes", wire.MaxIDLen)})
		return
	}
	// The receipt names each record by its version id, so one too long
	// to keep cannot be answered record by record.
	for i := range b.Records {
		if len(b.Records[i].VersionID) > wire.MaxIDLen {
			s.fail(w, r, &httpError{http.StatusBadRequest, fmt.Sprintf("record %d of the batch: the version_id is longer than %d bytes", i+1, wire.MaxIDLen)})
			return
		}
	}
	// Before any key is unwrapped or part opened: a hostile batch does
	// not get age's parser to run on megabytes.
	if err := wire.CheckSealing(&b); err != nil {
		s.fail(w, r, &httpError{http.StatusBadRequest, err.Error()})
		return
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-r.Context().Done():
		return
	}
	check := s.noted(r.Context())
	receipt, err := s.Cat.StoreBatch(r.Context(), dev, &b, wire.Fingerprint(&b), check.check)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, res := range receipt.Results {
		if res.Status == wire.StatusRejected || res.Status == wire.StatusConflict {
			s.Log.Printf("batch %q from device %q: version %q %s: %s", b.BatchID, dev.ID, res.VersionID, res.Status, check.logReason(res))
		}
	}
	writeJSON(w, http.StatusOK, receipt)
}

// noted is a batch's check, noting each failure for the log. The
// catalogue runs it on every core before its write transaction starts
// (and on the clear record, once a sealed part is open), so validation
// neither holds the write lock nor runs one record at a time.
func (s *Server) noted(ctx context.Context) *prevalidated {
	check := s.check(ctx)
	p := &prevalidated{failed: map[string]*checkFailure{}}
	p.check = func(rec *wire.Record) (*forms.Instance, *forms.Result, error) {
		in, res, err := check(rec)
		p.note(rec.VersionID, err)
		return in, res, err
	}
	return p
}

// check validates a record against its form version exactly as the laptop
// did when it was finalized: the catalogue trusts no client.
func (s *Server) check(ctx context.Context) Check {
	// One batch names a handful of form versions: look each up once.
	var mu sync.Mutex
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
	return func(rec *wire.Record) (*forms.Instance, *forms.Result, error) {
		f, err := form(rec.FormID, rec.FormVersion)
		if err != nil {
			// Published forms load (publish refuses any that does not), so
			// this is the database or the context failing: try again later.
			return nil, nil, fmt.Errorf("%w: form %s version %s cannot be loaded: %v", wire.ErrCheckUnavailable, rec.FormID, rec.FormVersion, err)
		}
		obj, err := forms.DecodeRecord(rec.Data)
		if err != nil {
			return nil, nil, &checkFailure{fmt.Sprintf("the data is not a JSON object: %v", err), "the data is not a JSON object"}
		}
		// The laptop's last saved record is not here: ${last-saved#...}
		// reads blank, as on a laptop with no earlier record.
		in, res := f.ValidateRecord(obj, forms.Options{Language: forms.LangHans, InstanceID: forms.InstanceIDOf(rec.RecordID)})
		res.Errors = withoutEntityPicks(f, res.Errors)
		if !res.OK() {
			var msgs, where []string
			for i, p := range res.Errors {
				if i == 3 {
					more := fmt.Sprintf("... (%d more)", len(res.Errors)-3)
					msgs, where = append(msgs, more), append(where, more)
					break
				}
				msgs = append(msgs, p.Path+": "+p.Message)
				where = append(where, fmt.Sprintf("%q (%s)", p.Path, p.Rule))
			}
			return nil, nil, &checkFailure{"fails the form's checks: " + strings.Join(msgs, "; "), "fails the form's checks at " + strings.Join(where, ", ")}
		}
		return in, res, nil
	}
}

// withoutEntityPicks drops the problems of a follow-up's pick not being
// among the choices of the list as published (the catalogue keeps its
// header only): the entity it names is looked up when its update is
// applied, which notes an unknown one in entity_errors and keeps the
// record, as ODK Central does. The entity may come from a record of the
// same batch.
func withoutEntityPicks(f *forms.Form, errs []forms.Problem) []forms.Problem {
	picks := f.EntityPicks()
	if len(picks) == 0 {
		return errs
	}
	return slices.DeleteFunc(errs, func(p forms.Problem) bool { return p.Rule == forms.RuleChoice && picks[p.Field] })
}
