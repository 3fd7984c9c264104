package wire

import "fmt"

// Bounds on the sealing fields of a batch, checked (CheckSealing) before
// a catalogue unwraps a key or opens a sealed part: a hostile batch must
// not make it run age's parser on megabytes or decrypt a record's worth
// of data many times over.
const (
	// MaxBatchKeys: a laptop sends one data key per batch; a few more
	// leave room for a batch cut across a key change.
	MaxBatchKeys = 4
	// MaxWrappedKeyBytes: an age file wrapping a 32-byte key to one
	// X25519 recipient is about 200 bytes.
	MaxWrappedKeyBytes = 1 << 10
	// MaxSealedBytes: a record's data is at most 1 MiB (the store's
	// bound); its sealed part, each value with its JSON pointer, sealed,
	// is at most about twice that.
	MaxSealedBytes = 2 << 20
)

// CheckSealing refuses a batch whose sealing fields are out of bounds or
// out of shape: more than MaxBatchKeys keys, a key without its ids or
// with ids longer than MaxIDLen, a wrapped key over MaxWrappedKeyBytes,
// a key id twice, a sealed part over MaxSealedBytes, or a sealed part in
// a batch without keys. Whether the keys unwrap and the parts open is for
// the catalogue, which holds the key.
func CheckSealing(b *Batch) error {
	if len(b.Keys) > MaxBatchKeys {
		return fmt.Errorf("%w: the batch has %d data keys; at most %d are accepted", ErrInvalid, len(b.Keys), MaxBatchKeys)
	}
	seen := make(map[string]bool, len(b.Keys))
	for i, k := range b.Keys {
		switch {
		case k.ID == "" || k.CatalogueKey == "" || len(k.Wrapped) == 0:
			return fmt.Errorf("%w: data key %d of the batch lacks its id, its catalogue key or the key", ErrInvalid, i+1)
		case len(k.ID) > MaxIDLen || len(k.CatalogueKey) > MaxIDLen:
			return fmt.Errorf("%w: data key %d of the batch has an id longer than %d bytes", ErrInvalid, i+1, MaxIDLen)
		case len(k.Wrapped) > MaxWrappedKeyBytes:
			return fmt.Errorf("%w: data key %d of the batch is %d bytes wrapped; at most %d are accepted", ErrInvalid, i+1, len(k.Wrapped), MaxWrappedKeyBytes)
		case seen[k.ID]:
			return fmt.Errorf("%w: data key %d of the batch is there twice", ErrInvalid, i+1)
		}
		seen[k.ID] = true
	}
	for i := range b.Records {
		switch n := len(b.Records[i].Sealed); {
		case n > MaxSealedBytes:
			return fmt.Errorf("%w: record %d of the batch has a sealed part of %d bytes; at most %d are accepted", ErrInvalid, i+1, n, MaxSealedBytes)
		case n > 0 && len(b.Keys) == 0:
			return fmt.Errorf("%w: record %d of the batch has a sealed part, and the batch no key to open it", ErrInvalid, i+1)
		}
	}
	return nil
}
