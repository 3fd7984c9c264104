package wire

import "time"

// EntitiesPath is where a laptop downloads the entity lists of its
// township(s): GET EntitiesPath?since=SEQ answers an EntityPage of every
// entity changed after SEQ (the catalogue's change sequence), oldest
// first, so a laptop only ever fetches what changed since its last sync;
// with &list=LIST, of that list only.
const EntitiesPath = "/v1/entities"

// Entity is one entity of a list as the catalogue holds it.
type Entity struct {
	List     string `json:"list"`
	ID       string `json:"id"`
	Label    string `json:"label"`
	Version  int64  `json:"version"`
	Township string `json:"township"`
	// Properties holds only the properties the laptop's forms use, with
	// identifier properties masked unless a form needs them in clear.
	Properties map[string]string `json:"properties,omitempty"`
	// Conflict is true while an update conflict on the entity is open.
	Conflict bool `json:"conflict,omitempty"`
	// AssignedTo names the collector a preloaded visit is assigned to; ""
	// when the whole township may visit it.
	AssignedTo string `json:"assigned_to,omitempty"`
	// LastVisit is when the record whose create or update last applied
	// to the entity says it was collected (its end time, else its start,
	// else its laptop's clock when the version was stored); zero, and
	// left out, for a preloaded entity no record has visited. Catalogues
	// before it send none.
	LastVisit time.Time `json:"last_visit,omitzero"`
	// Seq is the catalogue's change sequence of this version.
	Seq int64 `json:"seq"`
}

// ToVisit reports whether e is a preloaded visit not yet made: assigned
// to a collector and still at the version the import gave it. The
// catalogue page counts visited against assigned by the same rule.
func (e Entity) ToVisit() bool { return e.AssignedTo != "" && e.Version == 1 }

// EntityPage is one page of a download: Next is the since of the
// following request, and More is true while there are more to fetch.
type EntityPage struct {
	Entities []Entity `json:"entities"`
	Next     int64    `json:"next"`
	More     bool     `json:"more"`
	// PropertySets holds, by list, a fingerprint of the properties the
	// catalogue sends of the list's entities: those the forms published
	// to the laptop's township read. It changes when a form published
	// later reads more of them; entities downloaded before lack those, and
	// the incremental download would bring them only as each entity
	// changes, so the laptop downloads the list again from 0
	// (EntitiesPath?list=LIST). Only its equality means anything.
	// Catalogues before it send none.
	PropertySets map[string]string `json:"property_sets,omitempty"`
}

// MaxEntityPage is the most entities one download page holds; a laptop
// asking for more gets this many.
const MaxEntityPage = 1000

// EntityConflict is an open (or resolved) conflict on an entity: an update
// based on a version other than the entity's latest, applied and flagged
// for a reviewer.
type EntityConflict struct {
	ID       string `json:"id"`
	List     string `json:"list"`
	EntityID string `json:"entity_id"`
	Label    string `json:"label"`
	Township string `json:"township"`
	// Version is the version the stale update made; BaseVersion the one
	// it was based on; Previous the latest it was applied over.
	Version     int64 `json:"version"`
	BaseVersion int64 `json:"base_version"`
	Previous    int64 `json:"previous_version"`
	// Current is the entity's properties now; Before those of Previous,
	// which keep "previous" brings back.
	Current  map[string]string `json:"current"`
	Before   map[string]string `json:"before"`
	DeviceID string            `json:"device_id"`
	OpenedAt string            `json:"opened_at"`
	Masked   bool              `json:"masked"`
}

// EntityResolution is how a reviewer resolves a conflict: Keep "current"
// (the entity as it stands, the stale update applied), "previous" (the
// properties before the stale update) or "set" (the current properties
// with Properties over them). Each makes a new version of the entity.
type EntityResolution struct {
	Keep       string            `json:"keep"`
	Properties map[string]string `json:"properties,omitempty"`
}

// The ways of resolving a conflict.
const (
	KeepCurrent  = "current"
	KeepPrevious = "previous"
	KeepSet      = "set"
)

// EntityConflictsPath lists a reviewer's open entity conflicts (GET, with
// clear=1 for the properties in clear); EntityConflictsPath/ID/resolve
// resolves one (POST an EntityResolution, answered by the entity's new
// version).
const EntityConflictsPath = "/v1/review/entity-conflicts"

// EntityError is an update of an entity the catalogue did not hold when
// the record carrying it arrived (ODK Central's entity error): the record
// is kept, no entity changed. A reviewer of the county of the laptop
// that sent it sees it, to follow the record up.
type EntityError struct {
	RecordID  string `json:"record_id"`
	VersionID string `json:"version_id"`
	FormID    string `json:"form_id"`
	List      string `json:"list"`
	EntityID  string `json:"entity_id"`
	// BaseVersion is the version the update was based on; -1 when the
	// catalogue's note does not say.
	BaseVersion int64  `json:"base_version"`
	Township    string `json:"township"`
	DeviceID    string `json:"device_id"`
	Reason      string `json:"reason"`
	At          string `json:"at"`
	Masked      bool   `json:"masked"`
}

// EntityErrorsPath lists a reviewer's entity errors (GET, with clear=1
// for the entity ids in clear), oldest first.
const EntityErrorsPath = "/v1/review/entity-errors"
