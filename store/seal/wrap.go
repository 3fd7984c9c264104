package seal

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// The laptop's data key at rest is wrapped (encrypted) by a key
// encryption key: derived from the collector's passphrase with argon2id
// when one is set, else read from a key file beside the database. The
// wrapped form is a small versioned JSON object the laptop keeps in its
// database; the passphrase and the key file never are.

// Methods of wrapping.
const (
	MethodPassphrase = "argon2id"
	MethodKeyFile    = "key_file"
)

// Argon2Params are argon2id's costs. A low-end laptop derives the key
// with the defaults in about half a second; tests use less.
type Argon2Params struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// DefaultArgon2 is RFC 9106's second recommended setting with 2 lanes:
// 3 passes over 64 MiB.
var DefaultArgon2 = Argon2Params{Time: 3, MemoryKiB: 64 << 10, Threads: 2}

// Bounds a wrapped key's costs must keep: one copied from a machine with
// more memory, or a damaged one, must fail rather than exhaust this one.
const (
	maxArgon2Time      = 64
	maxArgon2MemoryKiB = 1 << 20 // 1 GiB
	maxWrappedBytes    = 4 << 10
	saltSize           = 16
	kekSize            = 32
)

// wrapped is the JSON form of a wrapped data key.
type wrapped struct {
	V      int    `json:"v"`
	Method string `json:"method"`
	KeyID  string `json:"key_id"`           // the data key's id, to name it before unwrapping
	KEKID  string `json:"kek_id,omitempty"` // the key file's key's id
	Salt   []byte `json:"salt,omitempty"`
	*Argon2Params
	Nonce   []byte `json:"nonce"`
	Wrapped []byte `json:"wrapped"`
}

const wrappedVersion = 1

// WrapWithPassphrase wraps dk under a key derived from pass by argon2id
// with p (DefaultArgon2 unless a test says otherwise).
func WrapWithPassphrase(dk *DataKey, pass string, p Argon2Params) ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	w := wrapped{V: wrappedVersion, Method: MethodPassphrase, KeyID: dk.ID(), Salt: make([]byte, saltSize), Argon2Params: &p}
	rand.Read(w.Salt)
	return w.seal(dk, passphraseKEK(pass, w.Salt, p))
}

// WrapWithKeyFile wraps dk under kek, the key of a key file (NewKEK).
func WrapWithKeyFile(dk *DataKey, kek []byte) ([]byte, error) {
	if len(kek) != kekSize {
		return nil, &DamagedError{What: "key file", Err: errors.New("its key is not 32 bytes")}
	}
	w := wrapped{V: wrappedVersion, Method: MethodKeyFile, KeyID: dk.ID(), KEKID: kekID(kek)}
	return w.seal(dk, kek)
}

func (w *wrapped) seal(dk *DataKey, kek []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, err
	}
	w.Nonce = make([]byte, nonceSize)
	rand.Read(w.Nonce)
	w.Wrapped = aead.Seal(nil, w.Nonce, dk.key[:], w.ad())
	return json.Marshal(w)
}

// ad binds the wrapped key to its method and id: a wrapped key whose
// JSON was edited does not unwrap.
func (w *wrapped) ad() []byte {
	return AD("fieldbench wrapped data key", fmt.Sprint(w.V), w.Method, w.KeyID, w.KEKID)
}

func passphraseKEK(pass string, salt []byte, p Argon2Params) []byte {
	return argon2.IDKey([]byte(pass), salt, p.Time, p.MemoryKiB, p.Threads, kekSize)
}

func (p Argon2Params) check() error {
	if p.Time < 1 || p.Time > maxArgon2Time || p.Threads < 1 || p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxArgon2MemoryKiB {
		return &DamagedError{What: "wrapped key", Err: fmt.Errorf("argon2id costs out of bounds (time %d, memory %d KiB, threads %d)", p.Time, p.MemoryKiB, p.Threads)}
	}
	return nil
}

// WrappedMethod reads how a wrapped key is wrapped (MethodPassphrase or
// MethodKeyFile) and the id of the data key in it, to know what to ask
// for before unwrapping it.
func WrappedMethod(data []byte) (method, keyID string, err error) {
	w, err := readWrapped(data)
	if err != nil {
		return "", "", err
	}
	return w.Method, w.KeyID, nil
}

func readWrapped(data []byte) (*wrapped, error) {
	bad := func(err error) error { return &DamagedError{What: "wrapped key", Err: err} }
	if len(data) > maxWrappedBytes {
		return nil, bad(fmt.Errorf("it is longer than %d bytes", maxWrappedBytes))
	}
	var w wrapped
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return nil, bad(err)
	}
	if dec.More() {
		return nil, bad(errors.New("more than one JSON value"))
	}
	if w.V != wrappedVersion {
		return nil, bad(fmt.Errorf("version %d, which this fieldbench does not know: a newer one wrapped it", w.V))
	}
	if len(w.Nonce) != nonceSize || len(w.Wrapped) != kekSize+chacha20poly1305.Overhead {
		return nil, bad(errors.New("its nonce or key has the wrong size"))
	}
	switch w.Method {
	case MethodPassphrase:
		if w.Argon2Params == nil || len(w.Salt) != saltSize {
			return nil, bad(errors.New("argon2id without its salt or costs"))
		}
		if err := w.Argon2Params.check(); err != nil {
			return nil, err
		}
	case MethodKeyFile:
		if w.Argon2Params != nil || len(w.Salt) != 0 {
			return nil, bad(errors.New("a key file's key with argon2id costs"))
		}
	default:
		return nil, bad(fmt.Errorf("unknown method %q", w.Method))
	}
	return &w, nil
}

// UnwrapWithPassphrase unwraps a key WrapWithPassphrase wrapped:
// ErrWrongPassphrase when pass is not the one.
func UnwrapWithPassphrase(data []byte, pass string) (*DataKey, error) {
	w, err := readWrapped(data)
	if err != nil {
		return nil, err
	}
	if w.Method != MethodPassphrase {
		return nil, fmt.Errorf("%w: the key is wrapped by a key file, not a passphrase", ErrWrongPassphrase)
	}
	return w.open(passphraseKEK(pass, w.Salt, *w.Argon2Params), ErrWrongPassphrase)
}

// UnwrapWithKeyFile unwraps a key WrapWithKeyFile wrapped: ErrWrongKey
// when kek is not the key file's key it was wrapped with.
func UnwrapWithKeyFile(data, kek []byte) (*DataKey, error) {
	w, err := readWrapped(data)
	if err != nil {
		return nil, err
	}
	if w.Method != MethodKeyFile {
		return nil, ErrPassphraseNeeded
	}
	if len(kek) != kekSize || kekID(kek) != w.KEKID {
		return nil, &KeyError{KeyID: w.KEKID, Missing: true}
	}
	return w.open(kek, &KeyError{KeyID: w.KEKID})
}

func (w *wrapped) open(kek []byte, wrong error) (*DataKey, error) {
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, err
	}
	key, err := aead.Open(nil, w.Nonce, w.Wrapped, w.ad())
	if err != nil {
		return nil, wrong
	}
	dk, err := DataKeyFromBytes(key)
	if err != nil {
		return nil, err
	}
	if dk.ID() != w.KeyID {
		return nil, &DamagedError{What: "wrapped key", Err: errors.New("the key in it is not the one it names")}
	}
	return dk, nil
}

// A key file holds a key encryption key (32 random bytes) as one line,
// after comments that say what it is for.
const kekLinePrefix = "fieldbench-key-v1:"

// NewKEK makes a key file's key.
func NewKEK() []byte {
	b := make([]byte, kekSize)
	rand.Read(b)
	return b
}

// kekID names a key file's key: the first 8 bytes of its SHA-256, hex.
func kekID(kek []byte) string {
	sum := sha256.Sum256(kek)
	return hex.EncodeToString(sum[:idSize])
}

// FormatKEKFile is the content of a key file holding kek.
func FormatKEKFile(kek []byte) []byte {
	return []byte("# fieldbench laptop key. It unlocks the personal answers in this laptop's database.\n" +
		"# Keep a copy apart from the database and its backups: without it they cannot be read.\n" +
		kekLinePrefix + base64.RawURLEncoding.EncodeToString(kek) + "\n")
}

// ParseKEKFile reads a key file FormatKEKFile wrote.
func ParseKEKFile(data []byte) ([]byte, error) { return ParseKEKFileWith(data, nil) }

// kekProtectedPrefix starts the line of a key file whose key the
// operating system protects for one user (DPAPI on Windows).
const kekProtectedPrefix = "fieldbench-key-protected-v1:"

// ErrKEKProtected: the key file's key is protected by the operating system
// for a user (DPAPI), and this system cannot unprotect it.
var ErrKEKProtected = errors.New("the key file is protected for a Windows user: open the database on that computer, as that user")

// FormatProtectedKEKFile is the content of a key file holding a key the
// operating system protected (protected is what its protect call gave):
// a copy of the file taken to another machine or user unlocks nothing.
func FormatProtectedKEKFile(protected []byte) []byte {
	return []byte("# fieldbench laptop key, protected by Windows for this user on this computer.\n" +
		"# It unlocks the personal answers in this laptop's database; back up the database's records\n" +
		"# by sending them to the catalogue, or set a passphrase (fieldbench passphrase set) to move it.\n" +
		kekProtectedPrefix + base64.RawURLEncoding.EncodeToString(protected) + "\n")
}

// ParseKEKFileWith reads a key file FormatKEKFile or
// FormatProtectedKEKFile wrote; unprotect (nil where the system has
// none) gives a protected key back.
func ParseKEKFileWith(data []byte, unprotect func([]byte) ([]byte, error)) ([]byte, error) {
	bad := func(msg string) error { return &DamagedError{What: "key file", Err: errors.New(msg)} }
	if len(data) > maxWrappedBytes {
		return nil, bad("it is too long to be a fieldbench key file")
	}
	var kek []byte
	seen := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		enc, plain := strings.CutPrefix(line, kekLinePrefix)
		enc, protected := strings.CutPrefix(enc, kekProtectedPrefix)
		if !plain && !protected || seen {
			return nil, bad("it is not a fieldbench key file")
		}
		seen = true
		b, err := base64.RawURLEncoding.DecodeString(enc)
		if err != nil {
			return nil, bad("its key is not base64")
		}
		if protected {
			if unprotect == nil {
				return nil, ErrKEKProtected
			}
			if b, err = unprotect(b); err != nil {
				return nil, fmt.Errorf("%w (%v)", ErrKEKProtected, err)
			}
		}
		if len(b) != kekSize {
			return nil, bad("its key is not 32 bytes")
		}
		kek = b
	}
	if kek == nil {
		return nil, bad("it holds no key")
	}
	return kek, nil
}
