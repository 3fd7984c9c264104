package seal

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/forms/samples"
)

// benchHousehold is the sample household form and its first sample
// answer as an import stores it (entity changes included), and the line
// the import reads.
func benchHousehold(b testing.TB) (f *forms.Form, line, stored []byte) {
	b.Helper()
	def, err := samples.FS.ReadFile("household_visit.xlsx")
	if err != nil {
		b.Fatal(err)
	}
	if f, err = forms.Load("household_visit.xlsx", def); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(piitest.ModuleRoot(b), "testdata", "forms", "household_visit.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	line = bytes.SplitN(data, []byte("\n"), 2)[0]
	return f, line, importShare(b, f, line)
}

// importShare is what an import's worker does with a line: decode it,
// validate it, work out its entity changes, write it as stored.
func importShare(b testing.TB, f *forms.Form, line []byte) []byte {
	obj, err := forms.DecodeRecord(line)
	if err != nil {
		b.Fatal(err)
	}
	in, res := f.ValidateRecord(obj, forms.Options{})
	if !res.OK() {
		b.Fatal(res.Errors)
	}
	changes, err := in.EntityChanges("0193a1b2-0000-7000-8000-000000000001")
	if err != nil {
		b.Fatal(err)
	}
	in.SetEntityChanges(changes)
	out, _ := in.MarshalJSON()
	return out
}

// besideImport reports op's time as a share of the import worker's for
// the same record ("x-import-worker"), the two run in turns so that a
// busy machine slows both alike; with a baseline, what op adds to it
// too ("added-x-import-worker"): the budget is 15% of an import.
func besideImport(b *testing.B, f *forms.Form, line []byte, op, baseline func()) {
	var opTime, baseTime, workerTime time.Duration
	timed := func(fn func()) time.Duration {
		start := time.Now()
		for range 50 {
			fn()
		}
		return time.Since(start)
	}
	for range 40 {
		opTime += timed(op)
		workerTime += timed(func() { importShare(b, f, line) })
		if baseline != nil {
			baseTime += timed(baseline)
		}
	}
	b.ReportMetric(float64(opTime)/float64(workerTime), "x-import-worker")
	if baseline != nil {
		b.ReportMetric(float64(opTime-baseTime)/float64(workerTime), "added-x-import-worker")
	}
}

// BenchmarkSplitSeal is what sealing adds to storing a household record
// (the sample's, with its entity changes): split it and seal its
// personal part. "bytes" splits the stored bytes (a migration, a record
// from a laptop that does not seal); "instance" splits the record as an
// import's worker holds it, in place of writing it clear (MarshalJSON,
// the baseline). Run it with
//
//	go test ./store/seal -run NONE -bench 'SplitSeal|OpenMerge'
func BenchmarkSplitSeal(b *testing.B) {
	f, line, stored := benchHousehold(b)
	sp, dk := NewSplitter(f), NewDataKey()
	ad := AD("0193a1b2-0000-7000-8000-000000000001", "0193a1b2-0000-7000-8000-000000000002", "3f5a")
	obj, _ := forms.DecodeRecord(stored)
	in, _ := f.ValidateRecord(obj, forms.Options{})
	changes, _ := in.EntityChanges("0193a1b2-0000-7000-8000-000000000001")
	in.SetEntityChanges(changes)
	for _, c := range []struct {
		name     string
		split    func() ([]byte, []byte, error)
		baseline func()
	}{
		{"bytes", func() ([]byte, []byte, error) { return sp.Split(stored) }, nil},
		{"instance", func() ([]byte, []byte, error) { return sp.SplitInstance(in) }, func() { in.MarshalJSON() }},
	} {
		b.Run(c.name, func(b *testing.B) {
			op := func() {
				_, part, err := c.split()
				if err != nil || part == nil {
					b.Fatal(err)
				}
				dk.Seal(part, ad)
			}
			b.ReportAllocs()
			for b.Loop() {
				op()
			}
			besideImport(b, f, line, op, c.baseline)
		})
	}
}

// BenchmarkOpenMerge is what reading a household record in clear costs.
func BenchmarkOpenMerge(b *testing.B) {
	f, line, stored := benchHousehold(b)
	dk := NewDataKey()
	ad := AD("r", "v", "sha")
	masked, part, err := NewSplitter(f).Split(stored)
	if err != nil {
		b.Fatal(err)
	}
	blob := dk.Seal(part, ad)
	op := func() {
		plain, err := dk.Open(blob, ad)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Merge(masked, plain); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		op()
	}
	besideImport(b, f, line, op, nil)
}

// BenchmarkUnwrapPassphrase is the wait at unlocking a laptop with its
// passphrase, at the default argon2id costs.
func BenchmarkUnwrapPassphrase(b *testing.B) {
	w, err := WrapWithPassphrase(NewDataKey(), "pass", DefaultArgon2)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := UnwrapWithPassphrase(w, "pass"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBatchKey is a batch's one X25519 wrap (laptop) and unwrap
// (catalogue).
func BenchmarkBatchKey(b *testing.B) {
	id, err := NewIdentity()
	if err != nil {
		b.Fatal(err)
	}
	dk, ring := NewDataKey(), KeyRing{id}
	wrapped, _ := WrapBatchKey(dk, id.Recipient())
	b.Run("wrap", func(b *testing.B) {
		for b.Loop() {
			if _, err := WrapBatchKey(dk, id.Recipient()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unwrap", func(b *testing.B) {
		for b.Loop() {
			if _, err := UnwrapBatchKey(wrapped, id.KeyID(), ring); err != nil {
				b.Fatal(err)
			}
		}
	})
}
