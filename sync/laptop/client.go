package laptop

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// Client talks to a catalogue.
type Client struct {
	BaseURL string // e.g. https://catalogue.example:8480
	Token   string
	HTTP    *http.Client
	// MaxAttempts bounds the tries of one request in one sync run.
	MaxAttempts int
	// Sleep waits between tries; tests replace it. Run has more than one
	// request out at once, but never calls Sleep concurrently, so a
	// replacement need not be safe for concurrent use.
	Sleep func(context.Context, time.Duration) error
}

// Error kinds a person can act on; errors.Is matches them.
var (
	// ErrUnreachable: no network, or the server does not answer.
	ErrUnreachable = errors.New("the catalogue cannot be reached")
	// ErrNotCatalogue: something answered that is not a catalogue, such as
	// the login page of a captive Wi-Fi portal.
	ErrNotCatalogue = errors.New("the answer did not come from a fieldbench catalogue")
	// ErrRevoked: the token is unknown or revoked.
	ErrRevoked = errors.New("this laptop's access was revoked or never granted")
)

// StatusError is an answer the client does not retry (or gave up on).
type StatusError struct {
	Status int
	Msg    string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("the catalogue answered %d: %s", e.Status, e.Msg)
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 60 * time.Second}
}

// sleepHook serialises calls to Client.Sleep.
var sleepHook sync.Mutex

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		sleepHook.Lock()
		defer sleepHook.Unlock()
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// do sends one request, retrying what may succeed on a retry (network
// errors, 5xx, 429, an answer from something that is not the catalogue)
// with exponential backoff and jitter, honouring Retry-After; 4xx answers
// are returned at once. body is sent gzipped; the same bytes every try.
func (c *Client) do(ctx context.Context, method, path string, header http.Header, body []byte, out any) error {
	var zipped []byte
	if body != nil {
		zipped = gzipBytes(body)
	}
	return c.doZipped(ctx, method, path, header, zipped, out)
}

// gzipBytes compresses a request body. The default level: BestSpeed
// saved a fifth of the time on a batch of household records but sent a
// third more bytes, and a township link is slower than the laptop.
func gzipBytes(body []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(body)/4 + 64)
	zw, _ := gzipWriters.Get().(*gzip.Writer)
	if zw == nil {
		zw = gzip.NewWriter(&b)
	} else {
		zw.Reset(&b)
	}
	zw.Write(body)
	zw.Close()
	gzipWriters.Put(zw)
	return b.Bytes()
}

// gzipWriters keeps gzip writers for reuse: a new one allocates the
// compressor's ~800 KB of tables, as much garbage per batch as the
// batch's own bytes.
var gzipWriters sync.Pool

// isGzip reports whether body is gzip data already, as the batches Run
// queues are; JSON never starts with gzip's magic bytes.
func isGzip(body []byte) bool {
	return len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b
}

// doZipped is do with the body already gzipped.
func (c *Client) doZipped(ctx context.Context, method, path string, header http.Header, zipped []byte, out any) error {
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = 6
	}
	var last error
	for try := 0; try < attempts; try++ {
		if try > 0 {
			wait := time.Duration(250*(1<<min(try-1, 6))) * time.Millisecond
			wait = wait/2 + time.Duration(rand.Int64N(int64(wait)))
			if ra := retryAfter(last); ra > 0 {
				wait = ra
			}
			if err := c.sleep(ctx, wait); err != nil {
				return last
			}
		}
		var retry bool
		retry, last = c.once(ctx, method, path, header, zipped, out)
		if last == nil || !retry {
			return last
		}
	}
	return last
}

// retryAfterError carries a server's Retry-After.
type retryAfterError struct {
	error
	after time.Duration
}

func (e *retryAfterError) Unwrap() error { return e.error }

func retryAfter(err error) time.Duration {
	var ra *retryAfterError
	if errors.As(err, &ra) {
		return ra.after
	}
	return 0
}

func (c *Client) once(ctx context.Context, method, path string, header http.Header, zipped []byte, out any) (retry bool, err error) {
	var body io.Reader
	if zipped != nil {
		body = bytes.NewReader(zipped)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, body)
	if err != nil {
		return false, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set(wire.ProtocolHeader, wire.ProtocolVersion)
	if zipped != nil {
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return !noRoute(err), fmt.Errorf("%w (%v)", ErrUnreachable, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return true, fmt.Errorf("%w: the answer was cut off (%v)", ErrUnreachable, err)
	}
	if resp.Header.Get(wire.ProtocolHeader) != wire.ProtocolVersion {
		// A captive portal's 200 is not success: retried, then reported.
		return true, fmt.Errorf("%w (status %d)", ErrNotCatalogue, resp.StatusCode)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if raw, ok := out.(*rawBody); ok {
			raw.data, raw.header = data, resp.Header
			return false, nil
		}
		if err := json.Unmarshal(data, out); err != nil {
			return true, fmt.Errorf("%w: the answer does not parse (%v)", ErrNotCatalogue, err)
		}
		return false, nil
	}
	var p wire.Problem
	json.Unmarshal(data, &p)
	se := &StatusError{Status: resp.StatusCode, Msg: p.Error}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return false, fmt.Errorf("%w: %s", ErrRevoked, p.Error)
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		var after time.Duration
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
			after = time.Duration(s) * time.Second
		}
		return true, &retryAfterError{se, after}
	}
	return false, se
}

// noRoute reports a network error that a retry within seconds will not
// mend: no network at all, no route to the catalogue, a name that does
// not resolve, nothing listening. Offline is the normal case on a
// township laptop, so the sync says so at once instead of backing off
// for many seconds first. Timeouts and dropped connections are still
// retried: those come and go on a weak link.
func noRoute(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return !dns.IsTimeout
	}
	for _, errno := range []syscall.Errno{syscall.ECONNREFUSED, syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ENETDOWN, syscall.EADDRNOTAVAIL,
		wsaECONNREFUSED, wsaEHOSTUNREACH, wsaENETUNREACH, wsaENETDOWN, wsaEADDRNOTAVAIL} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}

// Info is the pre-flight request: protocol, limits, and (with a token)
// who the server takes this laptop to be.
func (c *Client) Info(ctx context.Context) (*wire.Info, error) {
	var info wire.Info
	return &info, c.do(ctx, http.MethodGet, "/v1/info", nil, nil, &info)
}

// Enrol trades a one-time code for a token. A laptop the catalogue has
// enrolled already is ErrDeviceExists: it needs a code made for it.
func (c *Client) Enrol(ctx context.Context, code, deviceID string) (*wire.EnrolResponse, error) {
	body, _ := json.Marshal(wire.EnrolRequest{Code: code, DeviceID: deviceID})
	var resp wire.EnrolResponse
	err := c.do(ctx, http.MethodPost, "/v1/enrol", nil, body, &resp)
	if se := (*StatusError)(nil); errors.As(err, &se) && se.Status == http.StatusConflict {
		return &resp, fmt.Errorf("%w: %w", wire.ErrDeviceExists, se)
	}
	return &resp, err
}

// Forms lists the form versions published to this laptop's township.
func (c *Client) Forms(ctx context.Context) ([]wire.FormInfo, error) {
	var list []wire.FormInfo
	return list, c.do(ctx, http.MethodGet, "/v1/forms", nil, nil, &list)
}

// Form downloads one form version.
func (c *Client) Form(ctx context.Context, formID, version string) (*wire.FormFile, error) {
	var f wire.FormFile
	return &f, c.do(ctx, http.MethodGet, "/v1/forms/"+url.PathEscape(formID)+"/"+url.PathEscape(version), nil, nil, &f)
}

// rawBody receives an answer that is not JSON (an attachment's bytes)
// as it came, with its headers.
type rawBody struct {
	data   []byte
	header http.Header
}

// Attachment downloads a data file of a form version and checks it
// against what the form list said of it: its size and its SHA-256, as
// the catalogue sent it along. A file that does not match is
// ErrNotCatalogue: it arrived damaged, and nothing of it is kept.
func (c *Client) Attachment(ctx context.Context, formID, version string, a wire.AttachmentInfo) ([]byte, error) {
	damaged := func(why string) error {
		return fmt.Errorf("%w: the file %s of form %s version %s arrived damaged (%s)", ErrNotCatalogue, a.Name, formID, version, why)
	}
	if a.Size < 0 || a.Size > forms.MaxAttachmentBytes {
		return nil, damaged(fmt.Sprintf("announced as %d bytes", a.Size))
	}
	dl := *c
	if c.HTTP == nil {
		// A large list over a slow link takes longer than a request's
		// usual minute: allow a floor of 16 KB/s on top of it.
		dl.HTTP = &http.Client{Timeout: 60*time.Second + time.Duration(a.Size/(16<<10))*time.Second}
	}
	var raw rawBody
	if err := dl.do(ctx, http.MethodGet, wire.AttachmentPath(formID, version, a.Name), nil, nil, &raw); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw.data)
	switch got := hex.EncodeToString(sum[:]); {
	case int64(len(raw.data)) != a.Size:
		return nil, damaged(fmt.Sprintf("%d bytes of %d", len(raw.data), a.Size))
	case got != a.SHA256 || raw.header.Get(wire.AttachmentHashHeader) != a.SHA256:
		return nil, damaged("its SHA-256 differs")
	}
	return raw.data, nil
}

// SendBatch uploads a batch's stored bytes under its id: JSON, or JSON
// gzipped already (what Run queues), sent as it is.
func (c *Client) SendBatch(ctx context.Context, batchID string, body []byte) (*wire.Receipt, error) {
	var r wire.Receipt
	h := http.Header{"Idempotency-Key": {batchID}}
	zipped := body
	if !isGzip(body) {
		zipped = gzipBytes(body)
	}
	if err := c.doZipped(ctx, http.MethodPost, "/v1/batches", h, zipped, &r); err != nil {
		return nil, err
	}
	if r.BatchID != batchID {
		return nil, fmt.Errorf("%w: the receipt is for batch %q, not %q", ErrNotCatalogue, r.BatchID, batchID)
	}
	return &r, nil
}
