package laptop

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// batchSealer seals the personal answers of one batch's records under the
// batch's own data key, which travels wrapped to the pinned catalogue key:
// the outbox, a proxy or a request log holds only masked data and
// ciphertext, and only the catalogue's private key opens them.
type batchSealer struct {
	dk   *seal.DataKey
	keys []wire.SealedKey
}

// newBatchSealer makes a fresh data key wrapped to k. With no key pinned
// (a catalogue from before keys, which announces none) it returns nil, and
// records go as their clear data, as they did then.
func newBatchSealer(k *store.CatalogueKey) (*batchSealer, error) {
	if k == nil {
		return nil, nil
	}
	dk := seal.NewDataKey()
	wrapped, err := seal.WrapBatchKey(dk, k.Recipient)
	if err != nil {
		return nil, err
	}
	return &batchSealer{dk: dk, keys: []wire.SealedKey{{ID: dk.ID(), CatalogueKey: k.ID, Wrapped: wrapped}}}, nil
}

// fill sets the record's data, hash and sealed part from the version:
// the masked data as stored with its part sealed to the batch (bound to
// record id, version id and the masked data's hash, as the catalogue
// opens it), or, without a sealer, the clear record.
func (s *batchSealer) fill(rec *wire.Record, v *store.QueuedVersion) error {
	rec.Data, rec.SHA256 = v.Data, v.SHA256
	switch {
	case v.Part == nil:
	case s == nil:
		clear, err := seal.Merge(v.Data, v.Part)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(clear)
		rec.Data, rec.SHA256 = clear, hex.EncodeToString(sum[:])
	default:
		rec.Sealed = s.dk.Seal(v.Part, seal.AD(v.RecordID, v.VersionID, v.SHA256))
	}
	return nil
}

// batchKeys are the keys a batch of vs carries: none when nothing in it
// is sealed, so such a batch is byte for byte as before sealing.
func (s *batchSealer) batchKeys(vs []store.QueuedVersion) []wire.SealedKey {
	if s == nil {
		return nil
	}
	for i := range vs {
		if vs[i].Part != nil {
			return s.keys
		}
	}
	return nil
}

// clearSize is the size of the version's clear record, which the collector
// knows as the record's size (the masked data may be much smaller, and the
// record on the wire larger, its part sealed and in base64). Only for a
// record set aside: it merges the record.
func clearSize(v *store.QueuedVersion) int {
	if v.Part == nil {
		return len(v.Data)
	}
	clear, err := seal.Merge(v.Data, v.Part)
	if err != nil {
		return len(v.Data) + len(v.Part)
	}
	return len(clear)
}
