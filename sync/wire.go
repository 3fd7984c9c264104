// Package sync moves finalized records from a laptop to the central
// catalogue and form versions back, so that every record arrives exactly
// once whatever happens to the link, the laptop or the server. It holds
// the wire protocol, the client engine (Client) and the HTTP server
// (Server) over a Catalogue, whose databases live in store/catalogue.
//
// The rules follow OpenRosa, ODK Central, CouchDB and DHIS2: a batch's id
// and manifest are written to the laptop's outbox before the first send
// and every retry sends the same bytes under the same Idempotency-Key;
// the server commits before it answers and answers per record; success is
// a 2xx carrying the protocol header and a receipt that parses.
package sync

import "time"

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
}

// Device is an enrolled laptop as the server knows it.
type Device struct {
	ID       string `json:"id"`
	Township string `json:"township"` // the division code whose forms it may use
}

// EnrolRequest trades a one-time code for a token.
type EnrolRequest struct {
	Code     string `json:"code"`
	DeviceID string `json:"device_id"` // the laptop database's own device id
}

// EnrolResponse carries the token the device sends from then on.
type EnrolResponse struct {
	Device
	Token string `json:"token"`
}

// FormInfo is one published form version in the form list.
type FormInfo struct {
	FormID   string `json:"form_id"`
	Version  string `json:"version"`
	Title    string `json:"title"`
	FileName string `json:"file_name"`
	SHA256   string `json:"sha256"` // of the definition's bytes
}

// FormFile is a form definition downloaded from the server.
type FormFile struct {
	FormInfo
	Data []byte `json:"data"`
}

// Batch is what a device uploads: finalized record versions.
type Batch struct {
	BatchID  string   `json:"batch_id"`
	DeviceID string   `json:"device_id"`
	Records  []Record `json:"records"`
}

// Record is one finalized record version.
type Record struct {
	RecordID    string `json:"record_id"`
	VersionID   string `json:"version_id"`
	Replaces    string `json:"replaces,omitempty"` // the version this edit replaces
	FormID      string `json:"form_id"`
	FormVersion string `json:"form_version"`
	SHA256      string `json:"sha256"` // of Data, as stored
	Data        []byte `json:"data"`   // the record's JSON object, canonical bytes (base64 on the wire)
	Collector   string `json:"collector"`
	CreatedAt   string `json:"created_at"` // the device's clock: data only
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
