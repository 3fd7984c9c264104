package store

import "time"

// Entity is the laptop's copy of one entity of a list: created or updated
// here by a finalized record, or downloaded from the catalogue.
type Entity struct {
	List       string
	ID         string
	Label      string
	Version    int64
	Township   string
	Properties map[string]string
	// Conflict is true while the catalogue has an open update conflict on
	// the entity.
	Conflict bool
	// AssignedTo names the collector a preloaded visit is assigned to.
	AssignedTo string
	// LastVisit is when a record of this laptop or the catalogue last
	// created or updated the entity; zero if never.
	LastVisit time.Time
	// ToVisit is true for a preloaded entity no record has visited yet.
	ToVisit bool
	// Seq is the catalogue's change sequence of the version held (what
	// ApplyDownloaded is given); 0 for one never downloaded.
	Seq int64
	// Local is true while a change made on this laptop is not yet
	// confirmed by a download of the catalogue's version.
	Local bool
}

// EntityListSummary counts one list's entities on the laptop.
type EntityListSummary struct {
	List    string
	Count   int
	ToVisit int
}
