// Package wire is the protocol between a laptop and the central catalogue:
// what goes over HTTP (Batch, Receipt, Info, the review, return and export
// types), its codecs (the batch encoder and the one-pass decoder), its
// bounds and its errors. Both sides import it, and it imports only the
// standard library and the canonical JSON writer (forms/canonjson): the
// laptop's engine is sync/laptop, the catalogue's HTTP side sync/api, and
// the catalogue's database store/catalogue.
//
// The rules follow OpenRosa, ODK Central, CouchDB and DHIS2: a batch's id
// and manifest are written to the laptop's outbox before the first send
// and every retry sends the same bytes under the same Idempotency-Key;
// the server commits before it answers and answers per record; success is
// a 2xx carrying the protocol header and a receipt that parses.
package wire

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms/canonjson"
)

// ProtocolVersion is sent in the Protocol header of every request and
// response. A response without it did not come from a catalogue (a
// captive portal's login page, say), whatever its status.
const ProtocolVersion = "1"

// ProtocolHeader names the header carrying ProtocolVersion.
const ProtocolHeader = "Fieldbench-Protocol"

// Statuses of one record in a receipt.
const (
	StatusAccepted  = "accepted"
	StatusDuplicate = "duplicate" // the same version with the same hash was stored before: success
	StatusConflict  = "conflict"  // same version id with other bytes, or an edit of a version that is not the head
	StatusRejected  = "rejected"  // see Result.Reason
)

// Info is the server's answer to the pre-flight request.
type Info struct {
	Protocol     string    `json:"protocol"`
	ServerTime   time.Time `json:"server_time"`
	MaxBodyBytes int64     `json:"max_body_bytes"` // decoded (uncompressed) size of one request
	MaxRecords   int       `json:"max_records"`    // records in one batch
	Device       *Device   `json:"device,omitempty"`
	// CatalogueKey and RetentionDays come with Device, to the laptop the
	// token names, on the pre-flight every sync starts with: the key its
	// batches' data keys are to be wrapped to from now on (a rotation
	// shows here first; a laptop enrolled before keys existed learns it
	// here), and for how many days after the catalogue's receipt the
	// laptop keeps a sent record's sealed part (0: the catalogue does not
	// say, DefaultRetentionDays).
	CatalogueKey  *CatalogueKey `json:"catalogue_key,omitempty"`
	RetentionDays int           `json:"retention_days,omitempty"`
}

// CatalogueKey is the catalogue's public key: an age X25519 recipient
// and its id (store/seal.KeyIDOf, which the laptop checks before pinning
// it).
type CatalogueKey struct {
	ID        string `json:"id"`
	Recipient string `json:"recipient"`
}

// DefaultRetentionDays is how long a laptop keeps a sent record's sealed
// part when the catalogue does not say.
const DefaultRetentionDays = 30

// The limits a catalogue applies unless configured otherwise; a laptop
// assumes them when a catalogue's Info does not say.
const (
	DefaultMaxBodyBytes = 32 << 20
	DefaultMaxRecords   = 1000
)

// Device is an enrolled laptop as the server knows it.
type Device struct {
	ID       string `json:"id"`
	Township string `json:"township"` // the division code whose forms it may use
}

// User is a person of a county: a reviewer, who reviews the records of
// the county's townships, or a reader, who receives exports.
type User struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Role      string `json:"role"`      // RoleReviewer or RoleReader
	County    string `json:"county"`    // 6-digit division code: the townships under it
	Clearance bool   `json:"clearance"` // may receive 有条件共享 data unmasked
}

// The roles of users.
const (
	RoleReviewer = "reviewer"
	RoleReader   = "reader"
)

// Covers reports whether a township's records are within the user's county.
func (u *User) Covers(township string) bool { return strings.HasPrefix(township, u.County) }

// EnrolRequest trades a one-time code for a token.
type EnrolRequest struct {
	Code     string `json:"code"`
	DeviceID string `json:"device_id"` // the laptop database's own device id
}

// EnrolResponse carries the token the device sends from then on, and
// the catalogue key the laptop pins (none from a catalogue without one).
type EnrolResponse struct {
	Device
	Token        string        `json:"token"`
	CatalogueKey *CatalogueKey `json:"catalogue_key,omitempty"`
}

// FormInfo is one published form version in the form list.
type FormInfo struct {
	FormID   string `json:"form_id"`
	Version  string `json:"version"`
	Title    string `json:"title"`
	FileName string `json:"file_name"`
	SHA256   string `json:"sha256"` // of the definition's bytes
	// Attachments are the data files the version names, which a laptop
	// downloads (AttachmentPath) and checks before keeping the form.
	Attachments []AttachmentInfo `json:"attachments,omitempty"`
}

// AttachmentInfo is one data file of a published form version.
type AttachmentInfo struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // of the file's bytes
}

// AttachmentFile is a data file downloaded from the server.
type AttachmentFile struct {
	AttachmentInfo
	Data []byte `json:"-"` // the body of the answer, not JSON
}

// AttachmentPath is where a device downloads a form version's data file:
// the answer's body is the file's bytes, as published, with their SHA-256
// in AttachmentHashHeader.
func AttachmentPath(formID, version, name string) string {
	return "/v1/forms/" + url.PathEscape(formID) + "/" + url.PathEscape(version) + "/attachments/" + url.PathEscape(name)
}

// AttachmentHashHeader carries the SHA-256 (hex) of an attachment's bytes.
const AttachmentHashHeader = "Fieldbench-SHA256"

// FormFile is a form definition downloaded from the server.
type FormFile struct {
	FormInfo
	Data []byte `json:"data"`
}

// Batch is what a device uploads: finalized record versions.
type Batch struct {
	BatchID  string `json:"batch_id"`
	DeviceID string `json:"device_id"`
	// Keys are the data keys the records' sealed parts are sealed with,
	// each wrapped to a catalogue key: one per batch. None in a batch
	// without sealed parts, which is then byte for byte as before.
	Keys    []SealedKey `json:"keys,omitempty"`
	Records []Record    `json:"records"`
}

// SealedKey is a batch's data key wrapped to a catalogue key.
type SealedKey struct {
	ID           string `json:"id"`            // the data key's id (store/seal.DataKey.ID)
	CatalogueKey string `json:"catalogue_key"` // the id of the catalogue key it is wrapped to
	Wrapped      []byte `json:"wrapped"`       // an age file (store/seal.WrapBatchKey); base64 in JSON
}

// Record is one finalized record version.
type Record struct {
	RecordID    string     `json:"record_id"`
	VersionID   string     `json:"version_id"`
	Replaces    string     `json:"replaces,omitempty"` // the version this edit replaces
	FormID      string     `json:"form_id"`
	FormVersion string     `json:"form_version"`
	SHA256      string     `json:"sha256"` // of Data, as stored
	Data        RecordData `json:"data"`   // the record's JSON object, canonical bytes
	// Sealed is the record's sealed part (store/seal.Split) sealed with a
	// data key of the batch's Keys, with associated data record id, NUL,
	// version id, NUL, SHA256; Data is then the masked data. Base64 in
	// JSON; absent for a record with nothing personal or from a laptop
	// that does not seal.
	Sealed    []byte `json:"sealed,omitempty"`
	Collector string `json:"collector"`
	CreatedAt string `json:"created_at"` // the device's clock: data only
}

// Receipt is the server's answer to a batch, stored by the client as the
// proof of what the server holds.
type Receipt struct {
	BatchID    string    `json:"batch_id"`
	ServerSeq  int64     `json:"server_seq"` // the server's order of batches
	ReceivedAt time.Time `json:"received_at"`
	Results    []Result  `json:"results"`
}

// Result is the fate of one record version of a batch.
type Result struct {
	VersionID string `json:"version_id"`
	Status    string `json:"status"`
	Reason    string `json:"reason,omitempty"`
}

// Problem is the body of every error response.
type Problem struct {
	Error string `json:"error"`
}

// RecordData is a record's stored bytes, the ones its SHA256 is of. The
// laptop's batch writer (encodeBatch) puts them on the wire as the JSON
// object itself, byte for byte: a quarter smaller than base64, and
// compressible. It reads as well the base64 string that encoding/json
// makes of a []byte, which batches written by earlier versions carry (an
// outbox resends its batches byte for byte after an upgrade) and which
// json.Marshal of a Batch still writes.
type RecordData []byte

// UnmarshalJSON keeps an object's bytes exactly as they arrived (the
// decoder hands over the value from its '{' to its '}'), so the hash the
// server takes is of the bytes the laptop hashed.
func (d *RecordData) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) > 0 && b[0] == '"':
		var raw []byte
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		*d = raw
	case string(b) == "null":
		*d = nil
	default:
		*d = append(RecordData(nil), b...)
	}
	return nil
}

// verbatim reports whether data can go on the wire as it is and come out
// of a JSON decoder's raw value unchanged: one valid JSON object in valid
// UTF-8, with nothing around it. Anything else goes as base64. The check
// is by hand: json.Valid took longer than writing the whole batch.
func verbatim(data []byte) bool {
	if len(data) < 2 || data[0] != '{' || data[len(data)-1] != '}' || !utf8.Valid(data) {
		return false
	}
	v := validator{data: data}
	return v.value(0) && v.pos == len(data)
}

// maxDepth bounds the nesting verbatim follows; deeper data goes as
// base64, which is always safe.
const maxDepth = 200

// validator checks JSON as RFC 8259 defines it, as encoding/json does.
type validator struct {
	data []byte
	pos  int
}

func (v *validator) space() {
	for v.pos < len(v.data) {
		switch v.data[v.pos] {
		case ' ', '\t', '\n', '\r':
			v.pos++
		default:
			return
		}
	}
}

// value reads one value and the space after it.
func (v *validator) value(depth int) bool {
	if depth > maxDepth || v.pos >= len(v.data) {
		return false
	}
	switch c := v.data[v.pos]; {
	case c == '{':
		return v.members('}', depth, true)
	case c == '[':
		return v.members(']', depth, false)
	case c == '"':
		if !v.str() {
			return false
		}
	case c == '-' || c >= '0' && c <= '9':
		if !v.number() {
			return false
		}
	case c == 't':
		if !v.literal("true") {
			return false
		}
	case c == 'f':
		if !v.literal("false") {
			return false
		}
	case c == 'n':
		if !v.literal("null") {
			return false
		}
	default:
		return false
	}
	v.space()
	return true
}

// members reads an object's members (named) or an array's elements up to
// and including close, and the space after it.
func (v *validator) members(close byte, depth int, named bool) bool {
	v.pos++
	v.space()
	if v.pos < len(v.data) && v.data[v.pos] == close {
		v.pos++
		v.space()
		return true
	}
	for {
		if named {
			if v.pos >= len(v.data) || v.data[v.pos] != '"' || !v.str() {
				return false
			}
			v.space()
			if v.pos >= len(v.data) || v.data[v.pos] != ':' {
				return false
			}
			v.pos++
			v.space()
		}
		if !v.value(depth+1) || v.pos >= len(v.data) {
			return false
		}
		switch v.data[v.pos] {
		case close:
			v.pos++
			v.space()
			return true
		case ',':
			v.pos++
			v.space()
		default:
			return false
		}
	}
}

func (v *validator) literal(lit string) bool {
	if len(v.data)-v.pos < len(lit) || string(v.data[v.pos:v.pos+len(lit)]) != lit {
		return false
	}
	v.pos += len(lit)
	return true
}

// str reads a string from its opening quote.
func (v *validator) str() bool {
	v.pos++
	for v.pos < len(v.data) {
		c := v.data[v.pos]
		switch {
		case c == '"':
			v.pos++
			return true
		case c < 0x20:
			return false
		case c == '\\':
			if v.pos+1 >= len(v.data) {
				return false
			}
			switch v.data[v.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				v.pos += 2
			case 'u':
				if v.pos+6 > len(v.data) {
					return false
				}
				for _, h := range v.data[v.pos+2 : v.pos+6] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return false
					}
				}
				v.pos += 6
			default:
				return false
			}
		default:
			v.pos++
		}
	}
	return false
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (v *validator) number() bool {
	d := v.data
	if d[v.pos] == '-' {
		v.pos++
	}
	switch {
	case v.pos < len(d) && d[v.pos] == '0':
		v.pos++
	case v.pos < len(d) && d[v.pos] >= '1' && d[v.pos] <= '9':
		v.digits()
	default:
		return false
	}
	if v.pos < len(d) && d[v.pos] == '.' {
		v.pos++
		if !v.digits() {
			return false
		}
	}
	if v.pos < len(d) && (d[v.pos] == 'e' || d[v.pos] == 'E') {
		v.pos++
		if v.pos < len(d) && (d[v.pos] == '+' || d[v.pos] == '-') {
			v.pos++
		}
		if !v.digits() {
			return false
		}
	}
	return true
}

// digits reads one or more digits.
func (v *validator) digits() bool {
	start := v.pos
	for v.pos < len(v.data) && v.data[v.pos] >= '0' && v.data[v.pos] <= '9' {
		v.pos++
	}
	return v.pos > start
}

// encodeBatch writes a batch as JSON that json.Unmarshal reads back into
// an equal Batch, with each record's data verbatim where it can be (see
// verbatim). Written by hand because encoding/json compacts a
// json.RawMessage, and unless told not to escapes <, >, &, U+2028 and
// U+2029 in it: either changes bytes the hash is of.
func encodeBatch(b *Batch) []byte {
	size := 64
	for i := range b.Records {
		size += len(b.Records[i].Data)*4/3 + 400
	}
	out := AppendBatchHead(make([]byte, 0, size), b.BatchID, b.DeviceID, b.Keys)
	for i := range b.Records {
		if i > 0 {
			out = append(out, ',')
		}
		out = AppendRecord(out, &b.Records[i])
	}
	return append(out, "]}"...)
}

// AppendBatchHead appends a batch as encodeBatch writes it up to its first
// record: the ids, the keys, and the opening of the records array.
func AppendBatchHead(out []byte, batchID, deviceID string, keys []SealedKey) []byte {
	out = append(out, `{"batch_id":`...)
	out = canonjson.AppendString(out, batchID)
	out = append(out, `,"device_id":`...)
	out = canonjson.AppendString(out, deviceID)
	if len(keys) > 0 {
		out = append(out, `,"keys":[`...)
		for i, k := range keys {
			if i > 0 {
				out = append(out, ',')
			}
			out = append(out, `{"id":`...)
			out = canonjson.AppendString(out, k.ID)
			out = append(out, `,"catalogue_key":`...)
			out = canonjson.AppendString(out, k.CatalogueKey)
			out = append(out, `,"wrapped":`...)
			out = appendBase64(out, k.Wrapped)
			out = append(out, '}')
		}
		out = append(out, ']')
	}
	return append(out, `,"records":[`...)
}

// AppendRecord appends one record of a batch as encodeBatch writes it.
func AppendRecord(out []byte, r *Record) []byte {
	out = append(out, `{"record_id":`...)
	out = canonjson.AppendString(out, r.RecordID)
	out = append(out, `,"version_id":`...)
	out = canonjson.AppendString(out, r.VersionID)
	if r.Replaces != "" {
		out = append(out, `,"replaces":`...)
		out = canonjson.AppendString(out, r.Replaces)
	}
	out = append(out, `,"form_id":`...)
	out = canonjson.AppendString(out, r.FormID)
	out = append(out, `,"form_version":`...)
	out = canonjson.AppendString(out, r.FormVersion)
	out = append(out, `,"sha256":`...)
	out = canonjson.AppendString(out, r.SHA256)
	out = append(out, `,"data":`...)
	switch {
	case r.Data == nil:
		out = append(out, "null"...)
	case verbatim(r.Data):
		out = append(out, r.Data...)
	default:
		out = appendBase64(out, r.Data)
	}
	if len(r.Sealed) > 0 {
		out = append(out, `,"sealed":`...)
		out = appendBase64(out, r.Sealed)
	}
	out = append(out, `,"collector":`...)
	out = canonjson.AppendString(out, r.Collector)
	out = append(out, `,"created_at":`...)
	out = canonjson.AppendString(out, r.CreatedAt)
	return append(out, '}')
}

// appendBase64 appends b as encoding/json writes a []byte: a base64
// string, null for nil.
func appendBase64(out, b []byte) []byte {
	if b == nil {
		return append(out, "null"...)
	}
	out = append(out, '"')
	out = base64.StdEncoding.AppendEncode(out, b)
	return append(out, '"')
}
