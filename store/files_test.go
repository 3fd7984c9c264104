package store

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestSafeJoin(t *testing.T) {
	dir := filepath.Join("out", "dir")
	for _, name := range []string{"household_visit.csv", "hh-members.csv", "...csv", "..-x.csv", "户主.csv", "a b.csv"} {
		p, err := SafeJoin(dir, name)
		if err != nil || p != filepath.Join(dir, name) {
			t.Errorf("%q: %q %v", name, p, err)
		}
	}
	for _, name := range []string{"", ".", "..", "../x.csv", `..\..\x.csv`, `a\b`, "a/b", "/etc/passwd", `C:x.csv`, `C:\x`,
		"x.csv:stream", "NUL", "nul.csv", "COM1.csv", "lpt9", "CON .txt", "a\x00b", "a\nb", "a\x7fb"} {
		if p, err := SafeJoin(dir, name); err == nil {
			t.Errorf("%q: joined as %q", name, p)
		} else if !strings.Contains(err.Error(), "cannot write a file named") {
			t.Errorf("%q: %v", name, err)
		}
	}
}

func FuzzSafeJoin(f *testing.F) {
	for _, s := range []string{"a.csv", "../x", `..\..\x`, "NUL", "C:x", "..", "a\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		dir := filepath.Join("some", "dir")
		p, err := SafeJoin(dir, name)
		if err != nil {
			return
		}
		if filepath.Dir(p) != dir || filepath.Base(p) != name || strings.ContainsAny(name, `/\:`) || name == ".." {
			t.Fatalf("%q joined as %q", name, p)
		}
	})
}

func TestNewFileIsNamedOnlyWhenWhole(t *testing.T) {
	dir := t.TempDir()
	final := filepath.Join(dir, "export.csv")
	f, err := CreateNew(final)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("a,b\n"))
	if _, err := os.Stat(final); err == nil {
		t.Fatal("the final name exists before Commit")
	}
	if !strings.HasPrefix(filepath.Base(f.TempName()), ".export.csv.") || !strings.HasSuffix(f.TempName(), ".partial") {
		t.Errorf("temporary name %s", f.TempName())
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(final); string(b) != "a,b\n" {
		t.Errorf("content %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left %d files", len(entries))
	}
	if runtime.GOOS != "windows" {
		if st, _ := os.Stat(final); st.Mode().Perm() != PrivateFile {
			t.Errorf("mode %04o", st.Mode().Perm())
		}
	}

	// An existing name is refused up front, and one that appears while
	// the file is written is not replaced.
	if _, err := CreateNew(final); !errors.Is(err, ErrFileExists) {
		t.Errorf("over an existing file: %v", err)
	}
	late := filepath.Join(dir, "late.csv")
	f, _ = CreateNew(late)
	f.Write([]byte("ours"))
	os.WriteFile(late, []byte("theirs"), 0o600)
	if err := f.Commit(); !errors.Is(err, ErrFileExists) {
		t.Errorf("a file that appeared meanwhile: %v", err)
	}
	if b, _ := os.ReadFile(late); string(b) != "theirs" {
		t.Errorf("replaced: %q", b)
	}

	// Abort leaves nothing; a set is named whole or not at all.
	f, _ = CreateNew(filepath.Join(dir, "gone.csv"))
	f.Abort()
	a, _ := CreateNew(filepath.Join(dir, "set.csv"))
	b, _ := CreateNew(filepath.Join(dir, "set-members.csv"))
	os.WriteFile(filepath.Join(dir, "set.csv"), nil, 0o600) // the first one's name taken meanwhile
	if err := CommitAll([]*NewFile{a, b}); !errors.Is(err, ErrFileExists) {
		t.Errorf("CommitAll: %v", err)
	}
	entries, _ = os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "export.csv late.csv set.csv" {
		t.Errorf("left %v", names)
	}
}

func TestExposedFiles(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no permission bits")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "it's.db")
	os.WriteFile(db, nil, 0o600)
	os.Chmod(dir, 0o700)
	if got := ExposedFiles(append(DatabaseFiles(db), dir)...); len(got) != 0 {
		t.Errorf("private files listed: %v", got)
	}
	os.Chmod(db, 0o644)
	os.Chmod(dir, 0o750)
	got := ExposedFiles(append(DatabaseFiles(db), dir)...)
	if len(got) != 2 || got[0].Fix != `chmod 600 '`+strings.ReplaceAll(db, "'", `'\''`)+`'` || got[1].Fix != "chmod 700 "+dir ||
		!strings.Contains(got[0].String(), "(mode 0644)") {
		t.Errorf("got %v", got)
	}
}
