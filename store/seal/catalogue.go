package seal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
)

// The catalogue's keys are age X25519 identities (filippo.io/age). A
// laptop pins the catalogue's recipient (its public key) at enrolment and
// wraps each batch's data key to it (WrapBatchKey); only the catalogue,
// holding the identity, unwraps it. The identities are kept in a key file,
// one per line, the newest last: rotation adds one, and the old ones stay
// to read what was sealed to them.

// An Identity is one catalogue key.
type Identity struct{ x *age.X25519Identity }

// NewIdentity makes a catalogue key.
func NewIdentity() (*Identity, error) {
	x, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	return &Identity{x: x}, nil
}

// Recipient is the public key to seal to: "age1…".
func (i *Identity) Recipient() string { return i.x.Recipient().String() }

// KeyID names the key (KeyIDOf its recipient).
func (i *Identity) KeyID() string { return keyIDOf(i.Recipient()) }

// KeyIDOf is the id of a catalogue key by its recipient, checked to be
// an age X25519 recipient: 16 hex digits of its SHA-256, which a batch
// names the key its data key is wrapped to by, and an error message a
// person reads names a missing key by.
func KeyIDOf(recipient string) (string, error) {
	if _, err := age.ParseX25519Recipient(recipient); err != nil {
		return "", &DamagedError{What: "catalogue key", Err: err}
	}
	return keyIDOf(recipient), nil
}

func keyIDOf(recipient string) string {
	sum := sha256.Sum256([]byte(recipient))
	return hex.EncodeToString(sum[:idSize])
}

// KeyRing is a key file's identities, the newest last.
type KeyRing []*Identity

// Current is the key new data is sealed to: the newest; nil when none.
func (k KeyRing) Current() *Identity {
	if len(k) == 0 {
		return nil
	}
	return k[len(k)-1]
}

// Find is the key of an id; nil when the ring does not have it.
func (k KeyRing) Find(keyID string) *Identity {
	for _, i := range k {
		if i.KeyID() == keyID {
			return i
		}
	}
	return nil
}

// A key file protected by a passphrase is an age file (scrypt) holding
// the plain key file.
const (
	ageHeader        = "age-encryption.org/v1\n"
	maxKeyFileBytes  = 1 << 20
	DefaultScryptLog = 18 // age's own default work factor: about a second
)

// maxScryptLog bounds the work factor of a key file to open: scrypt at
// 2^20 takes a gigabyte, and a damaged or hostile file must not take
// more. A variable for the fuzz test, which cannot wait that long.
var maxScryptLog = 20

// FormatKeyFile is the content of a key file holding ring.
func FormatKeyFile(ring KeyRing) []byte {
	var b bytes.Buffer
	b.WriteString("# fieldbench catalogue keys, the newest last. Each opens the personal answers sealed to it:\n")
	b.WriteString("# keep a copy of this file apart from the catalogue's database and its dumps.\n")
	for _, i := range ring {
		fmt.Fprintf(&b, "# key %s, recipient %s\n%s\n", i.KeyID(), i.Recipient(), i.x.String())
	}
	return b.Bytes()
}

// FormatKeyFileWithPassphrase is FormatKeyFile encrypted to pass with
// age's scrypt recipient at work factor logN (DefaultScryptLog unless a
// test says otherwise).
func FormatKeyFileWithPassphrase(ring KeyRing, pass string, logN int) ([]byte, error) {
	r, err := age.NewScryptRecipient(pass)
	if err != nil {
		return nil, err
	}
	r.SetWorkFactor(logN)
	var out bytes.Buffer
	w, err := age.Encrypt(&out, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(FormatKeyFile(ring)); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// KeyFileProtected reports whether a key file is passphrase-protected.
func KeyFileProtected(data []byte) bool { return bytes.HasPrefix(data, []byte(ageHeader)) }

// ParseKeyFile reads a key file: ErrPassphraseNeeded when it is
// protected and pass is "", ErrWrongPassphrase when pass does not open it.
func ParseKeyFile(data []byte, pass string) (KeyRing, error) {
	bad := func(err error) error { return &DamagedError{What: "catalogue key file", Err: err} }
	if len(data) > maxKeyFileBytes {
		return nil, bad(errors.New("it is too long to be a key file"))
	}
	if KeyFileProtected(data) {
		if pass == "" {
			return nil, ErrPassphraseNeeded
		}
		id, err := age.NewScryptIdentity(pass)
		if err != nil {
			return nil, err
		}
		id.SetMaxWorkFactor(maxScryptLog)
		r, err := age.Decrypt(bytes.NewReader(data), id)
		if errors.Is(err, age.ErrIncorrectIdentity) {
			return nil, ErrWrongPassphrase
		}
		if err != nil {
			return nil, bad(err)
		}
		if data, err = io.ReadAll(io.LimitReader(r, maxKeyFileBytes)); err != nil {
			return nil, bad(err)
		}
	}
	ids, err := age.ParseIdentities(bytes.NewReader(data))
	if err != nil {
		return nil, bad(err)
	}
	ring := make(KeyRing, 0, len(ids))
	for _, id := range ids {
		x, ok := id.(*age.X25519Identity)
		if !ok {
			return nil, bad(errors.New("a key that is not an age X25519 key"))
		}
		ring = append(ring, &Identity{x: x})
	}
	return ring, nil
}

// maxWrappedBatchKey bounds a wrapped batch key: an age file to one
// X25519 recipient of 32 bytes is about 200.
const maxWrappedBatchKey = 1 << 10

// WrapBatchKey wraps a batch's data key to the catalogue key recipient:
// an age file holding the key's 32 bytes. One X25519 agreement per
// batch, not per record.
func WrapBatchKey(dk *DataKey, recipient string) ([]byte, error) {
	r, err := age.ParseX25519Recipient(recipient)
	if err != nil {
		return nil, &DamagedError{What: "catalogue key", Err: err}
	}
	var out bytes.Buffer
	w, err := age.Encrypt(&out, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(dk.key[:]); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// UnwrapBatchKey unwraps a batch's data key with the catalogue key of
// keyID in ring (any of the ring's keys when keyID is ""): a KeyError
// naming the key when the ring lacks it or it does not open the key.
func UnwrapBatchKey(wrapped []byte, keyID string, ring KeyRing) (*DataKey, error) {
	bad := func(err error) error { return &DamagedError{What: "wrapped batch key", Err: err} }
	if len(wrapped) > maxWrappedBatchKey {
		return nil, bad(fmt.Errorf("it is longer than %d bytes", maxWrappedBatchKey))
	}
	var ids []age.Identity
	for _, i := range ring {
		if keyID == "" || i.KeyID() == keyID {
			ids = append(ids, i.x)
		}
	}
	if len(ids) == 0 {
		return nil, &KeyError{KeyID: keyID, Missing: true, Catalogue: true}
	}
	r, err := age.Decrypt(bytes.NewReader(wrapped), ids...)
	if errors.Is(err, age.ErrIncorrectIdentity) {
		return nil, &KeyError{KeyID: keyID, Catalogue: true}
	}
	if err != nil {
		return nil, bad(err)
	}
	key, err := io.ReadAll(io.LimitReader(r, maxWrappedBatchKey))
	if err != nil {
		return nil, bad(err)
	}
	return DataKeyFromBytes(key)
}

// EncryptTo returns a writer that encrypts what is written to w for the
// age recipients ("age1…"), in age's binary format: an export carried on
// a USB stick that only the recipients' holders can read. Close it to
// finish the file.
func EncryptTo(w io.Writer, recipients ...string) (io.WriteCloser, error) {
	if len(recipients) == 0 {
		return nil, errors.New("no recipient to encrypt to")
	}
	rs := make([]age.Recipient, len(recipients))
	for i, s := range recipients {
		var err error
		if rs[i], err = parseRecipient(s); err != nil {
			return nil, &DamagedError{What: "recipient " + s, Err: err}
		}
	}
	return age.Encrypt(w, rs...)
}

// parseRecipient reads one age recipient: X25519 ("age1…") or the
// post-quantum hybrid ("age1pq1…").
func parseRecipient(s string) (age.Recipient, error) {
	if strings.HasPrefix(s, "age1pq1") {
		return age.ParseHybridRecipient(s)
	}
	return age.ParseX25519Recipient(s)
}

// RecipientError is a recipient that does not read: Line is its line in a
// recipients file (0 for one given as it is), Value what stands there.
type RecipientError struct {
	Line  int
	Value string
	Err   error
}

func (e *RecipientError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %q is not an age recipient (age1...): %v", e.Line, e.Value, e.Err)
	}
	return fmt.Sprintf("%q is not an age recipient (age1...): %v", e.Value, e.Err)
}

func (e *RecipientError) Unwrap() []error { return []error{ErrDamaged, e.Err} }

// maxRecipientsFile bounds a recipients file: a few keys, not a disk.
const maxRecipientsFile = 1 << 16

// CheckRecipient checks one recipient given as it is (a flag's value).
func CheckRecipient(s string) error {
	if _, err := parseRecipient(s); err != nil {
		return &RecipientError{Value: s, Err: err}
	}
	return nil
}

// ParseRecipients reads a recipients file as age -R does: one recipient a
// line, blank lines and lines starting with # skipped, surrounding spaces
// and a CRLF ending ignored. Every line must read (a typo must not leave
// someone out of the file without a word), and at least one must be there.
func ParseRecipients(data []byte) ([]string, error) {
	if len(data) > maxRecipientsFile {
		return nil, &RecipientError{Err: fmt.Errorf("the file is longer than %d bytes", maxRecipientsFile)}
	}
	var out []string
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, err := parseRecipient(line); err != nil {
			return nil, &RecipientError{Line: i + 1, Value: line, Err: err}
		}
		out = append(out, line)
	}
	if len(out) == 0 {
		return nil, &RecipientError{Err: errors.New("the file holds no recipient")}
	}
	return out, nil
}
