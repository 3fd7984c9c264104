package store

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultPath is where the database lives when no --db flag names it.
// getenv is os.Getenv in the program and a map lookup in tests, so the
// result never depends on the machine the tests run on; nil means
// os.Getenv. FIELDBENCH_DB, when set, is the whole path.
func DefaultPath(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	return defaultPath(runtime.GOOS, getenv)
}

func defaultPath(goos string, getenv func(string) string) (string, error) {
	if p := getenv("FIELDBENCH_DB"); p != "" {
		return p, nil
	}
	dir, err := dataDir(goos, getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "fieldbench", "fieldbench.db"), nil
}

// dataDir follows each system's rule for per-user application data. It
// reads the environment through getenv rather than os.UserConfigDir, which
// would read the real environment behind the tests' back.
func dataDir(goos string, getenv func(string) string) (string, error) {
	switch goos {
	case "windows":
		// Roaming AppData, as os.UserConfigDir uses: township laptops are
		// sometimes on a domain whose roaming profile is the only backup.
		if d := getenv("AppData"); d != "" {
			return d, nil
		}
		return "", errors.New("cannot find the data directory: %AppData% is not set; set FIELDBENCH_DB or use --db")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support"), nil
		}
	case "plan9":
		if h := getenv("home"); h != "" {
			return filepath.Join(h, "lib"), nil
		}
	default:
		// XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
		if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
			return d, nil
		}
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, ".local", "share"), nil
		}
	}
	return "", errors.New("cannot find the data directory: $HOME is not set; set FIELDBENCH_DB or use --db")
}
