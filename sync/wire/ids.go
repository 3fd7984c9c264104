package wire

import "fmt"

// Bounds on the ids a laptop sends. A laptop makes UUIDs (36 bytes) for its
// device, batches, records and versions; the bound leaves room for any
// other client's scheme while keeping a hostile one from filling the
// catalogue's keys, indexes and log lines with megabyte ids.
const (
	MaxIDLen = 64
	// MaxFormIDLen bounds a form id and a form version in a batch: they
	// name a published form, and no sane form id comes near it.
	MaxFormIDLen = 128
	// MaxCodeLen bounds an enrolment code as typed: 12 symbols, with
	// dashes or spaces between them.
	MaxCodeLen = 64
)

// CheckDeviceID refuses a device id a catalogue will not enrol: empty,
// longer than MaxIDLen, or with a character outside A-Z a-z 0-9 . _ -
// (a laptop's is a UUID). The id is quoted back only when it is short and
// plain, so the message is safe to print and to log.
func CheckDeviceID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: the device id is empty", ErrInvalid)
	case len(id) > MaxIDLen:
		return fmt.Errorf("%w: the device id is %d bytes long; at most %d are accepted", ErrInvalid, len(id), MaxIDLen)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("%w: the device id may hold only letters A-Z and a-z, digits, '.', '_' and '-'", ErrInvalid)
		}
	}
	return nil
}
