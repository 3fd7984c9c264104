package store

// State is where a record is in its life.
type State string

// The states; conflict and rejected come from the server's answers,
// returned from its review: a reviewer sent the record back to be
// corrected, with a comment (the record's sync note).
const (
	Draft     State = "draft"
	Finalized State = "finalized"
	Queued    State = "queued"
	Sent      State = "sent"
	Conflict  State = "conflict"
	Rejected  State = "rejected"
	Returned  State = "returned"
)

// States is every record state, in the order a record goes through them
// (and the order listings show them in). It is the one list: the records
// table's CHECK constraint must name exactly these (a test reads the
// schema to hold it to that), and every screen, command and rule that
// picks some of them does so through the predicates below, so a new state
// is added here, to the schema and to the predicates' switches, and
// nowhere else.
var States = []State{Draft, Finalized, Queued, Sent, Conflict, Rejected, Returned}

// StatesThat is the states a predicate is true of, in States order:
// StatesThat(State.Exportable), say.
func StatesThat(pred func(State) bool) []State {
	var out []State
	for _, s := range States {
		if pred(s) {
			out = append(out, s)
		}
	}
	return out
}

// Exportable reports whether export takes a record in this state by
// default: a record is worth exporting once it is finalized, whether or
// not it has been sent yet, and a returned record is a sent one waiting
// for its correction. A draft is not finished, and a conflict or rejected
// record has a version the catalogue did not take as it stands, which a
// person has to settle first.
func (s State) Exportable() bool {
	switch s {
	case Finalized, Queued, Sent, Returned:
		return true
	}
	return false
}

// AwaitsSync reports whether the next sync sends a record in this state
// without anyone doing anything: finalized ones wait for a batch, queued
// ones are in a batch whose answer has not come back. Home counts these
// as waiting and the Sync screen lists them apart from those needing
// attention.
func (s State) AwaitsSync() bool {
	return s == Finalized || s == Queued
}

// NeedsAttention reports whether a record in this state waits for the
// collector rather than for sync: the catalogue holds another version
// (conflict), refused it (rejected, the reason in the sync note) or a
// reviewer sent it back to be corrected (returned, the comment in the
// sync note). Sending again changes nothing until a person edits it.
func (s State) NeedsAttention() bool {
	return s == Conflict || s == Rejected || s == Returned
}

// Returnable reports whether a reviewer's return may land on a record in
// this state (ApplyReturns checks too that the returned version is still
// the record's latest): the catalogue must have taken a version of it
// (sent, or in conflict over a later one), and a record returned before
// may be returned again by another review. A finalized or queued record
// has a newer version on its way, which the return did not see, and a
// rejected one never reached the reviewer.
func (s State) Returnable() bool {
	return s == Sent || s == Conflict || s == Returned
}

// Editable reports whether a record in this state can take an edit saved
// as a new version (Edit): a draft has no version to replace yet, and a
// queued record is in a batch in flight: sync decides how its answer
// marks the record, so until it does, edits wait.
func (s State) Editable() bool {
	return s != Draft && s != Queued
}
