package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/fieldbench/fieldbench/forms/quality"
)

// BenchmarkQuality10k is the quality report of 10,000 sealed household
// records: with the key (each opened and validated afresh) and locked
// (the kept verdicts and blind index), in records/s.
func BenchmarkQuality10k(b *testing.B) {
	const n = 10_000
	path := filepath.Join(b.TempDir(), "fb.db")
	fillDB(b, path, n)
	for _, tc := range []struct {
		name string
		open func() (*DB, error)
	}{
		{"key", func() (*DB, error) { return Open(path) }},
		{"locked", func() (*DB, error) {
			return Open(path, WithPassphrase(func() (string, error) { return "", nil }))
		}},
	} {
		if tc.name == "locked" {
			db, err := Open(path, WithArgon2(cheapArgon2))
			if err != nil {
				b.Fatal(err)
			}
			if err := db.SetPassphrase(context.Background(), "春眠不觉晓"); err != nil {
				b.Fatal(err)
			}
			db.Close()
		}
		b.Run(tc.name, func(b *testing.B) {
			db, err := tc.open()
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if tc.name == "locked" && db.Locked() == nil {
				b.Fatal("not locked")
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := db.Quality(context.Background(), "household_visit", quality.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
