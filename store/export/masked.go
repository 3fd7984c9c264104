package export

import (
	"github.com/fieldbench/fieldbench/forms"
)

// MaskedRecord is one record of form f masked as a masked JSONL export
// masks it, without pseudonyms and without the newline, its members in
// the record's own order (Masker). It is for showing a record to someone
// without clearance elsewhere than in an export (the catalogue's review),
// so that no second set of masking rules can drift from this one. A
// caller masking many records of one form keeps a Masker instead.
func MaskedRecord(f *forms.Form, data []byte) ([]byte, error) {
	if _, err := forms.DecodeRecord(data); err != nil {
		return nil, err // its message says where the data does not read
	}
	masked, err := NewMasker(f).Mask(nil, data, nil)
	return masked, err
}
