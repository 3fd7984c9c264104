package laptop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// ErrTokenRefused: the catalogue does not know the user token, or it was
// revoked.
var ErrTokenRefused = errors.New("the catalogue does not accept this token (unknown or revoked); ask the administrator for a user token")

// ErrCutShort: the export stopped before its end; what was written is
// incomplete.
var ErrCutShort = errors.New("the export was cut off before its end; the file is incomplete")

// ExportInfo is what the catalogue said of an export it sent.
type ExportInfo struct {
	File    string   // the name of the file sent
	Files   []string // csv: every file of the export, the main level first
	Sharing string   // the sharing type applied
	Masked  bool
	Records int
}

// DownloadExport fetches one file of an export (format csv, xlsx or jsonl; file
// "" for the main one) with the client's user token. open is called once
// the catalogue has agreed, with what it said, and the body streams into
// the writer it returns. No retry: each try would be another export in
// the audit.
func (c *Client) DownloadExport(ctx context.Context, formID, format, file string, open func(*ExportInfo) (io.Writer, error)) (*ExportInfo, error) {
	return c.DownloadExportWith(ctx, formID, format, file, ExportOptions{}, open)
}

// ExportOptions are the reader's choices of an export's shape.
type ExportOptions struct {
	// Labels asks for question labels as headers and choice labels and
	// division names as values (csv and xlsx), in the form language that
	// best matches Language (zh-Hans, zh-Hant or en).
	Labels   bool
	Language string
}

// DownloadExportWith is DownloadExport (format csv, xlsx or jsonl) in the
// shape o asks for.
func (c *Client) DownloadExportWith(ctx context.Context, formID, format, file string, o ExportOptions, open func(*ExportInfo) (io.Writer, error)) (*ExportInfo, error) {
	q := url.Values{"form": {formID}, "format": {format}}
	if file != "" {
		q.Set("file", file)
	}
	if o.Labels {
		q.Set("labels", "true")
		if o.Language != "" {
			q.Set("lang", o.Language)
		}
	}
	return c.downloadExport(ctx, wire.ExportPath, q, open)
}

// DownloadEntityExport fetches the export of an entity list (format csv,
// xlsx or jsonl, one file), masked unless clear, which the catalogue
// allows only a user with clearance; otherwise as DownloadExport.
func (c *Client) DownloadEntityExport(ctx context.Context, list, format string, clear bool, open func(*ExportInfo) (io.Writer, error)) (*ExportInfo, error) {
	q := url.Values{"list": {list}, "format": {format}}
	if clear {
		q.Set("clear", "1")
	}
	return c.downloadExport(ctx, wire.EntityExportPath, q, open)
}

// downloadExport asks the export endpoint for the export q names
// and streams it through open.
func (c *Client) downloadExport(ctx context.Context, endpoint string, q url.Values, open func(*ExportInfo) (io.Writer, error)) (*ExportInfo, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(c.BaseURL, "/")+endpoint+"?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	hc := c.HTTP
	if hc == nil {
		// No overall timeout: a large export takes as long as it takes.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = 2 * time.Minute
		hc = &http.Client{Transport: t}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.Header.Get(wire.ProtocolHeader) == "" {
		return nil, fmt.Errorf("%w (HTTP %d)", ErrNotCatalogue, resp.StatusCode)
	}
	if resp.StatusCode != http.StatusOK {
		var p wire.Problem
		json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&p)
		if resp.StatusCode == http.StatusUnauthorized {
			return nil, fmt.Errorf("%w: %s", ErrTokenRefused, p.Error)
		}
		if p.Error == "" {
			p.Error = http.StatusText(resp.StatusCode)
		}
		return nil, &StatusError{Status: resp.StatusCode, Msg: p.Error}
	}
	info := &ExportInfo{Masked: resp.Header.Get(wire.HeaderMasked) == "true"}
	info.Sharing, _ = url.PathUnescape(resp.Header.Get(wire.HeaderSharing))
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		info.File = params["filename"]
	}
	for _, f := range strings.Split(resp.Header.Get(wire.HeaderFiles), ",") {
		if name, err := url.PathUnescape(f); err == nil && name != "" {
			info.Files = append(info.Files, name)
		}
	}
	// The names become file names on this machine: plain names only.
	for _, name := range append([]string{info.File}, info.Files...) {
		if name == "" || name != path.Base(name) || strings.ContainsAny(name, `/\:`) || name == "." || name == ".." {
			return nil, fmt.Errorf("the catalogue named a file %q, which is not a plain file name", name)
		}
	}
	w, err := open(info)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		return info, fmt.Errorf("%w: %v", ErrCutShort, err)
	}
	// The trailer comes only after the last byte of a complete export.
	n, err := strconv.Atoi(resp.Trailer.Get(wire.HeaderRecords))
	if err != nil {
		return info, ErrCutShort
	}
	info.Records = n
	return info, nil
}
