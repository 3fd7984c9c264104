package forms

// Entity lists follow ODK's Entities (XLSForm spec 2024.1, and 2025.1 for
// entities declared inside repeats): a form's entities sheet declares the
// lists it creates or updates, its survey's save_to column names the
// property each question saves, and a follow-up form reads a list as it
// reads an attached CSV (select_one_from_file LIST.csv, instance('LIST'),
// pulldata), served from the laptop's or the catalogue's copy of the list
// with the columns ODK Central gives it: name (the entity id), label,
// __version and one column per property.
//
// A finalized record carries the changes it makes under EntitiesKey, so
// that they travel with it (sync, audit trail, review) as ODK's submission
// carries its meta/entity block: each with the version of the entity the
// collector saw, which is how the catalogue tells a stale update (two
// laptops updated one household offline) from a fresh one.

// EntitiesKey is the reserved record member that holds a finalized
// record's entity changes, a JSON array of EntityChange.
const EntitiesKey = ReservedPrefix + "entities"

// EntityVersionColumn is the column of an entity list's table that holds
// each entity's version, as in ODK Central's entity list CSVs.
const EntityVersionColumn = "__version"

// EntityChange is one entity a finalized record creates or updates.
type EntityChange struct {
	List string `json:"list"`
	// ID is the entity's UUID. A created entity's ID is derived from the
	// record ID and Path, so checking the same record again gives the
	// same ID; an update's is the form's entity_id.
	ID     string `json:"id"`
	Create bool   `json:"create,omitempty"` // false: an update
	// Label is the entity's label; "" on an update that leaves it.
	Label string `json:"label,omitempty"`
	// BaseVersion is the version of the entity the collector saw when
	// updating it (its __version in the list the form was given); 0 for a
	// create, or when the list did not have the entity.
	BaseVersion int64 `json:"base_version,omitempty"`
	// Properties are the saved properties by name (save_to), each the
	// question's stored answer ("" for a blank answer, which clears it).
	// A question that does not apply is left out, and its property kept
	// as it was, as ODK Central does with a field a submission lacks.
	Properties map[string]string `json:"properties,omitempty"`
	// Path is the repeat instance that declares the entity, as a
	// record path ("members[2]"); "" when it is the record's.
	Path string `json:"path,omitempty"`
}

// EntityDecl is one row of a form's entities sheet, as the loader reads it.
type EntityDecl struct {
	List string
	// Saves maps each question that saves a property (save_to) to the
	// property's name; Properties is those names in form order.
	Saves      map[string]string
	Properties []string
	// Creates and Updates say what the declaration may do: a create_if or
	// a label without entity_id creates, an entity_id with update_if (or
	// without create_if) updates, both when both are given.
	Creates, Updates bool
	// IDField is the question whose answer is the entity to update when
	// entity_id is just ${question} (the follow-up form's pick from the
	// list, typically a select_one_from_file LIST.csv); "" otherwise.
	IDField string
	// Repeat is the repeat whose every instance declares one entity (a
	// person per household member); "" when the record declares one.
	Repeat string
	Loc    Location
}
