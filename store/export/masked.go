package export

import (
	"bytes"

	"github.com/fieldbench/fieldbench/forms"
)

// MaskedRecord is one record of form f as a masked JSONL export writes
// it, without pseudonyms and without the newline: every answer through
// forms.MaskAnswer by its question, keys and answers no question of f
// describes through forms.MaskEmbeddedIDs. It is for showing a record to
// someone without clearance elsewhere than in an export (the catalogue's
// review), so that no second set of masking rules can drift from this one.
func MaskedRecord(f *forms.Form, data []byte) ([]byte, error) {
	obj, err := forms.DecodeRecord(data)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	recordJSON(&b, levels(f)[0], obj, Options{Masked: true})
	return b.Bytes(), nil
}
