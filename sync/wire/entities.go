package wire

// EntitiesPath is where a laptop downloads the entity lists of its
// township(s): GET EntitiesPath?since=SEQ answers an EntityPage of every
// entity changed after SEQ (the catalogue's change sequence), oldest
// first, so a laptop only ever fetches what changed since its last sync.
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
	// Seq is the catalogue's change sequence of this version.
	Seq int64 `json:"seq"`
}

// EntityPage is one page of a download: Next is the since of the
// following request, and More is true while there are more to fetch.
type EntityPage struct {
	Entities []Entity `json:"entities"`
	Next     int64    `json:"next"`
	More     bool     `json:"more"`
}
