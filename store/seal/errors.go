package seal

import (
	"errors"
	"fmt"
)

// The kinds of failure, for errors.Is; the errors returned say more.
var (
	// ErrDamaged: sealed data, a wrapped key or a key file that does not
	// read as one.
	ErrDamaged = errors.New("seal: damaged")
	// ErrWrongKey: no key at hand opens the data (KeyError says which).
	ErrWrongKey = errors.New("seal: wrong key")
	// ErrWrongPassphrase: the passphrase does not unlock the key.
	ErrWrongPassphrase = errors.New("seal: wrong passphrase")
	// ErrPassphraseNeeded: the key is passphrase-protected and none was
	// given.
	ErrPassphraseNeeded = errors.New("seal: a passphrase is needed")
)

// DamagedError is data that does not read: What names it (a sealed
// blob, a sealed part, a wrapped key, a key file).
type DamagedError struct {
	What string
	Err  error
}

func (e *DamagedError) Error() string {
	if e.Err == nil {
		return "the " + e.What + " is damaged"
	}
	return fmt.Sprintf("the %s is damaged: %v", e.What, e.Err)
}

func (e *DamagedError) Unwrap() []error { return []error{ErrDamaged, e.Err} }

// KeyError is data no key at hand opens: the key it was sealed with
// (KeyID) is missing, or the key of that id does not open it (the data
// was changed, or moved from another record).
type KeyError struct {
	KeyID string
	// Missing: no key of that id is at hand.
	Missing bool
	// Catalogue: KeyID is a catalogue key (an age key of the catalogue's
	// key file), not a data key.
	Catalogue bool
}

func (e *KeyError) Error() string {
	switch {
	case e.Missing && e.Catalogue:
		return fmt.Sprintf("catalogue key %s is not in the key file: what was sealed to it cannot be read until that key is restored", e.KeyID)
	case e.Missing:
		return fmt.Sprintf("data key %s is not at hand: what was sealed with it cannot be read", e.KeyID)
	case e.Catalogue:
		return fmt.Sprintf("catalogue key %s does not open this key: it was changed or made for another key", e.KeyID)
	}
	return fmt.Sprintf("data key %s does not open this: it was changed, or moved from another record", e.KeyID)
}

func (e *KeyError) Is(target error) bool { return target == ErrWrongKey }
