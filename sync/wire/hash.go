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
// with the same records. A record's sealed part and the batch's keys
// count too (the same masked data with other sealed answers is other
// content, and a retry sends the outbox's bytes, so the same ones), as a
// line of their own after the records only when there are any: a batch
// without them has the fingerprint it always had, which a catalogue may
// hold from before.
func Fingerprint(b *Batch) string {
	h := sha256.New()
	for _, r := range b.Records {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\n", r.RecordID, r.VersionID, r.Replaces, r.FormID, r.FormVersion, r.SHA256)
	}
	for i, r := range b.Records {
		if len(r.Sealed) > 0 {
			fmt.Fprintf(h, "sealed\x00%d\x00%x\n", i, sha256.Sum256(r.Sealed))
		}
	}
	for _, k := range b.Keys {
		fmt.Fprintf(h, "key\x00%s\x00%s\x00%x\n", k.ID, k.CatalogueKey, sha256.Sum256(k.Wrapped))
	}
	return hex.EncodeToString(h.Sum(nil))
}
