package wire

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// HashToken is how tokens are kept: only their SHA-256.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Fingerprint identifies a batch's contents: the same id must always come
// with the same records.
func Fingerprint(b *Batch) string {
	h := sha256.New()
	for _, r := range b.Records {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\n", r.RecordID, r.VersionID, r.Replaces, r.FormID, r.FormVersion, r.SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))
}
