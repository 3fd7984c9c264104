package forms

import "fmt"

// MaxRecordBytes bounds a record's data as it is stored, hashed and sent:
// its canonical JSON (Instance.MarshalJSON). A household of thirty members
// with long remarks is a few tens of KB, so a megabyte refuses no real
// record, while a record that grew past it (a paste gone wrong) is caught
// where the collector can still shorten it, well before the catalogue's
// batch limit (wire.DefaultMaxBodyBytes, 32 MB decoded) could refuse it.
const MaxRecordBytes = 1 << 20

// RuleSize names the error of a record larger than MaxRecordBytes: a
// problem of the record as a whole, so its field and path are empty.
const RuleSize = "size"

// CheckSize adds an error when a record's canonical data, n bytes long,
// is over MaxRecordBytes.
func (r *Result) CheckSize(n int) {
	if n > MaxRecordBytes {
		r.addError("", "", RuleSize, msgTooLarge, Kilobytes(n), Kilobytes(MaxRecordBytes))
	}
}

// Kilobytes writes a size for a person, rounded up, so a record one byte
// over the limit does not read as exactly at it.
func Kilobytes(n int) string {
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}
