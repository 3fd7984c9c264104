package seal

import (
	"bytes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"golang.org/x/crypto/chacha20poly1305"
)

// A DataKey seals records' personal parts: 32 random bytes, and an id
// that names it without revealing it (the first 8 bytes of its SHA-256).
// The laptop has one, wrapped at rest (wrap.go); each batch sent to the
// catalogue has its own, wrapped to the catalogue's key (catalogue.go).
type DataKey struct {
	id    [idSize]byte
	key   [chacha20poly1305.KeySize]byte
	aead  cipher.AEAD
	index []byte // the blind index's own key, derived from key
}

// Sizes of a sealed blob's parts.
const (
	idSize    = 8
	nonceSize = chacha20poly1305.NonceSizeX
	blobMagic = "fbs1"
	headSize  = len(blobMagic) + idSize + nonceSize
	// Overhead is how much longer a blob is than what it seals.
	Overhead = headSize + chacha20poly1305.Overhead
)

// NewDataKey makes a data key of random bytes.
func NewDataKey() *DataKey {
	var b [chacha20poly1305.KeySize]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	k, _ := DataKeyFromBytes(b[:])
	return k
}

// DataKeyFromBytes is the data key of 32 bytes (as Bytes gives them).
func DataKeyFromBytes(b []byte) (*DataKey, error) {
	if len(b) != chacha20poly1305.KeySize {
		return nil, &DamagedError{What: "data key", Err: errors.New("a data key is 32 bytes")}
	}
	k := &DataKey{}
	copy(k.key[:], b)
	sum := sha256.Sum256(k.key[:])
	copy(k.id[:], sum[:idSize])
	k.aead, _ = chacha20poly1305.NewX(k.key[:]) // fails only for a key of another size
	mac := hmac.New(sha256.New, k.key[:])
	mac.Write([]byte("fieldbench blind index v1"))
	k.index = mac.Sum(nil)
	return k, nil
}

// ID names the key: 16 hex digits.
func (k *DataKey) ID() string { return hex.EncodeToString(k.id[:]) }

// Bytes is the key itself, to be wrapped; never store it in clear.
func (k *DataKey) Bytes() []byte { return bytes.Clone(k.key[:]) }

// AD is associated data made of parts (ids, hashes), for Seal and Open:
// the parts joined by NUL, which no id or hash holds. Sealing a record's
// part with its record id, version id and masked data's hash binds the
// blob to that record: moved to another, it does not open.
func AD(parts ...string) []byte {
	return []byte(strings.Join(parts, "\x00"))
}

// Seal encrypts plain with XChaCha20-Poly1305 under k. The blob is
// "fbs1", the key's id (8 bytes), a random 24-byte nonce, then the
// ciphertext and its tag; ad (see AD) is authenticated with the header
// and must be given again to Open.
func (k *DataKey) Seal(plain, ad []byte) []byte {
	blob := make([]byte, headSize, headSize+len(plain)+chacha20poly1305.Overhead)
	copy(blob, blobMagic)
	copy(blob[len(blobMagic):], k.id[:])
	rand.Read(blob[len(blobMagic)+idSize : headSize])
	return k.aead.Seal(blob, blob[len(blobMagic)+idSize:headSize], plain, k.fullAD(blob[:headSize], ad))
}

// fullAD is the header and the caller's associated data, as authenticated.
func (k *DataKey) fullAD(head, ad []byte) []byte {
	if len(ad) == 0 {
		return head
	}
	return append(head[:len(head):len(head)], ad...)
}

// Open decrypts a blob Seal made with k and ad.
func (k *DataKey) Open(blob, ad []byte) ([]byte, error) {
	return Open(blob, ad, Keys(k))
}

// A KeyLookup finds a data key by its id; nil when it has none. A laptop
// looks in its key and the keys it had before a reset; the catalogue
// unwraps the batch key a blob names.
type KeyLookup func(id string) *DataKey

// Keys looks among ks.
func Keys(ks ...*DataKey) KeyLookup {
	return func(id string) *DataKey {
		for _, k := range ks {
			if k != nil && k.ID() == id {
				return k
			}
		}
		return nil
	}
}

// BlobKeyID is the id of the data key a blob was sealed with.
func BlobKeyID(blob []byte) (string, error) {
	if len(blob) < Overhead || string(blob[:len(blobMagic)]) != blobMagic {
		return "", &DamagedError{What: "sealed data", Err: errors.New(`it does not start with "fbs1" and a full header`)}
	}
	return hex.EncodeToString(blob[len(blobMagic) : len(blobMagic)+idSize]), nil
}

// Open decrypts a blob with the key of its id among keys: a KeyError
// when that key is missing or does not open it (another ad, a changed
// blob), a DamagedError when it is no blob.
func Open(blob, ad []byte, keys KeyLookup) ([]byte, error) {
	id, err := BlobKeyID(blob)
	if err != nil {
		return nil, err
	}
	k := keys(id)
	if k == nil {
		return nil, &KeyError{KeyID: id, Missing: true}
	}
	plain, err := k.aead.Open(nil, blob[len(blobMagic)+idSize:headSize], blob[headSize:], k.fullAD(blob[:headSize], ad))
	if err != nil {
		return nil, &KeyError{KeyID: id}
	}
	return plain, nil
}

// Index is the blind index of a value of a kind ("id_number", "name",
// "phone"): HMAC-SHA256 under a key derived from k of the kind and the
// normalised value (forms.NormaliseIDNumber: no white space, full-width
// folded, upper case), 16 bytes in hex. Equal values give equal indexes
// under one key, so the laptop finds a person by exact name or ID, and
// duplicates, without decrypting; without k an index cannot be tried
// against every ID number as a plain hash could. "" for an empty value.
func (k *DataKey) Index(kind, value string) string {
	n := forms.NormaliseIDNumber(value)
	if n == "" {
		return ""
	}
	mac := hmac.New(sha256.New, k.index)
	mac.Write([]byte(kind))
	mac.Write([]byte{0})
	mac.Write([]byte(n))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}
