package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// The modes of every file and directory fieldbench writes: private to the
// user who runs it (sqlitedb holds the one definition, which the
// catalogue's database uses too).
const (
	PrivateFile = sqlitedb.PrivateFile
	PrivateDir  = sqlitedb.PrivateDir
)

// SafeJoin joins a directory the person chose with a file name made from
// data (a form id, a repeat's name, a name the catalogue sent). The name
// must be one plain file name on every system: a form id `..\..\x` is a
// harmless name on Linux but climbs two directories on Windows, so
// separators of either system are refused wherever this runs.
func SafeJoin(dir, name string) (string, error) {
	if err := plainName(name); err != nil {
		return "", fmt.Errorf("cannot write a file named %q into %s: %w", name, dir, err)
	}
	return filepath.Join(dir, name), nil
}

func plainName(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return errors.New("it is not a file name")
	case strings.ContainsAny(name, `/\:`):
		return errors.New("it holds a path separator or a drive letter")
	case strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0:
		return errors.New("it holds a control character")
	case !filepath.IsLocal(name) || !windowsLocal(name):
		return errors.New("it names a device or leaves the directory")
	}
	return nil
}

// windowsLocal refuses the names Windows reserves for devices (NUL.csv
// opens the null device there), whichever system writes the file: the
// directory may be copied to a Windows laptop later.
func windowsLocal(name string) bool {
	base := strings.ToUpper(name)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	base = strings.TrimRight(base, " ")
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return false
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) && base[3] >= '0' && base[3] <= '9' {
		return false
	}
	return true
}

// ErrFileExists is returned when an output's final name is taken: no
// export, download or backup ever overwrites a file.
var ErrFileExists = errors.New("file already exists")

// NewFile is an output written under a temporary name in the directory of
// its final one, and given that name only when complete (Commit). A
// process killed mid-way leaves a hidden .partial file, never a short
// file that looks whole.
type NewFile struct {
	f     *os.File
	final string
	done  bool
}

// CreateNew starts the output that Commit will name path. It refuses a
// path that exists already.
func CreateNew(path string) (*NewFile, error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("%s: %w", path, ErrFileExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	// CreateTemp makes the file 0600 whatever the umask.
	f, err := os.CreateTemp(dir, "."+base+".*.partial")
	if err != nil {
		return nil, err
	}
	return &NewFile{f: f, final: path}, nil
}

// Write writes to the temporary file. NewFile has no Close on purpose:
// writers that close what they are given must not end it early.
func (n *NewFile) Write(p []byte) (int, error) { return n.f.Write(p) }

// Name is the output's final name.
func (n *NewFile) Name() string { return n.final }

// TempName is where the output is being written.
func (n *NewFile) TempName() string { return n.f.Name() }

// Commit flushes the file to the disk and gives it its final name,
// refusing to replace a file that appeared there meanwhile.
func (n *NewFile) Commit() error {
	if n.done {
		return nil
	}
	n.done = true
	err := n.f.Sync()
	if cerr := n.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = publish(n.f.Name(), n.final)
	}
	if err != nil {
		os.Remove(n.f.Name())
	}
	return err
}

// Abort removes the temporary file; after Commit it does nothing.
func (n *NewFile) Abort() {
	if n.done {
		return
	}
	n.done = true
	n.f.Close()
	os.Remove(n.f.Name())
}

// CommitAll names a set of outputs (the CSV files of one export), the
// first one last: where it exists, the whole set does. If one cannot be
// named, those already named are removed again and the rest aborted, so
// no incomplete set is left.
func CommitAll(files []*NewFile) error {
	var named []string
	for i := len(files) - 1; i >= 0; i-- {
		if err := files[i].Commit(); err != nil {
			for _, p := range named {
				os.Remove(p)
			}
			for _, f := range files[:i] {
				f.Abort()
			}
			return err
		}
		named = append(named, files[i].final)
	}
	return nil
}

// publish renames tmp to final without ever replacing final: os.Rename
// replaces silently on every system. A hard link fails if final exists;
// where the file system has no hard links (FAT on a USB stick), a check
// and a rename leave only a tiny window.
func publish(tmp, final string) error {
	err := os.Link(tmp, final)
	switch {
	case err == nil:
		os.Remove(tmp)
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s: %w", final, ErrFileExists)
	default:
		if _, lerr := os.Lstat(final); lerr == nil {
			return fmt.Errorf("%s: %w", final, ErrFileExists)
		}
		if err := os.Rename(tmp, final); err != nil {
			return err
		}
	}
	syncDir(filepath.Dir(final))
	return nil
}

// syncDir makes a new name in dir survive a power cut, where the system
// allows it (not on Windows, where directories cannot be opened so).
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Exposed names a file or directory other users of the computer can read
// or write, with the command that makes it private.
type Exposed struct {
	Path string
	Mode fs.FileMode
	Fix  string
}

func (e Exposed) String() string {
	return fmt.Sprintf("%s can be read by other users of this computer (mode %04o); make it private with: %s", e.Path, e.Mode.Perm(), e.Fix)
}

// ExposedFiles lists which of paths (files or directories; missing ones
// are skipped) grant anything to group or others. fieldbench does not
// change the modes of files it did not just create: someone may have
// shared them on purpose (a backup job's group), so it says what to run.
// Windows has no such bits and nothing is listed there.
func ExposedFiles(paths ...string) []Exposed {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		return nil
	}
	var out []Exposed
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm()&0o077 == 0 {
			continue
		}
		fix := "chmod 600 " + shellQuote(p)
		if st.IsDir() {
			fix = "chmod 700 " + shellQuote(p)
		}
		out = append(out, Exposed{Path: p, Mode: st.Mode(), Fix: fix})
	}
	return out
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// DatabaseFiles are the files SQLite keeps for the database at path.
func DatabaseFiles(path string) []string {
	return []string{path, path + "-wal", path + "-shm", path + "-journal"}
}
