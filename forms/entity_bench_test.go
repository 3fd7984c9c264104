package forms

import (
	"path/filepath"
	"testing"
)

// The entity changes are worked out for every record finalized or
// imported (an import checks thousands): they must cost little next to
// the check itself.
func BenchmarkEntityChanges(b *testing.B) {
	f, err := LoadFile(filepath.Join("samples", "household_visit.xlsx"))
	if err != nil {
		b.Fatal(err)
	}
	obj := firstHouseholdRecord(b)
	in, _ := f.ValidateRecord(obj, Options{})
	record, _ := in.MarshalJSON()
	b.Run("EntityChanges", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := in.EntityChanges("rec-1"); err != nil {
				b.Fatal(err)
			}
		}
	})
	changes, _ := in.EntityChanges("rec-1")
	b.Run("WithEntityChanges", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(record)))
		for i := 0; i < b.N; i++ {
			if _, err := WithEntityChanges(record, changes); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ValidateRecord", func(b *testing.B) { // the check, for scale
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			f.ValidateRecord(obj, Options{})
		}
	})
}
