// Package fieldbench holds no code, only this test: the boundary between
// the laptop and the catalogue, checked over the packages' dependencies as
// tailscale's cmd/tailscale/depaware/deps_test.go checks its own.
package fieldbench

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/fieldbench/fieldbench"

// sides puts every package of the module on one side. A package may
// depend on its own side and on shared; laptop and catalogue never on each
// other. cmd/fieldbench is the one binary, and wires both sides.
var sides = []struct{ side, pattern string }{
	{"laptop", "store"},
	{"laptop", "store/ingest"},
	{"laptop", "store/storetest"},
	{"laptop", "sync/laptop"},
	{"laptop", "tui/..."},
	{"catalogue", "store/catalogue/..."},
	{"catalogue", "sync/api"},
	{"catalogue", "sync/server"},
	{"shared", "forms/..."},
	{"shared", "store/export"},
	{"shared", "store/seal"},
	{"shared", "store/sqlitedb"},
	{"shared", "sync/wire"},
	{"binary", "cmd/..."},
	{"binary", "."}, // this test's own package
}

// forbidden lists, for packages matching a pattern, the dependencies they
// must not have, direct or indirect, by import path prefix, but for the
// packages in except.
var forbidden = []struct {
	pattern string
	deps    []string
	except  []string
}{
	// The form model is everyone's kernel: no storage, no wire, no UI.
	{"forms/...", []string{module + "/store", module + "/sync", module + "/tui",
		"github.com/charmbracelet/", "github.com/muesli/", "database/sql", "modernc.org/sqlite", "github.com/jackc/"}, nil},
	// The protocol: the standard library and the canonical JSON writer only.
	{"sync/wire", []string{module + "/store", module + "/sync/", module + "/tui", "github.com/", "golang.org/x/", "modernc.org/"},
		[]string{module + "/forms/canonjson"}},
	// The canonical JSON writer: the standard library only, so every
	// package, the protocol included, may write its bytes.
	{"forms/canonjson", []string{module + "/", "github.com/", "golang.org/x/", "modernc.org/"}, nil},
	// Sealing is the same on both sides: the form model, the masking walk
	// and the crypto libraries, never a database, the sync code or the
	// terminal interface.
	{"store/seal", []string{module + "/store", module + "/sync", module + "/tui", "database/sql", "modernc.org/",
		"github.com/jackc/", "github.com/charmbracelet/"}, []string{module + "/store/export"}},
	// The shared database helpers know neither database's schema.
	{"store/sqlitedb", []string{module + "/"}, nil},
}

func match(pattern, rel string) bool {
	if p, ok := strings.CutSuffix(pattern, "/..."); ok {
		return rel == p || strings.HasPrefix(rel, p+"/")
	}
	return rel == pattern
}

// hasPrefix is an import path prefix that stops at a path element:
// module+"/store" covers store and store/catalogue, not storehouse.
func hasPrefix(path, prefix string) bool {
	if strings.HasSuffix(prefix, "/") {
		return strings.HasPrefix(path, prefix)
	}
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

func TestBoundary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	// Deps is the transitive closure of a package's imports, tests not
	// included: what a binary built from it carries.
	out, err := exec.Command(goTool, "list", "-f", "{{.ImportPath}} {{join .Deps \" \"}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	sideOf := func(path string) string {
		rel, ok := strings.CutPrefix(path, module+"/")
		if path == module {
			rel, ok = ".", true
		}
		if !ok {
			return ""
		}
		for _, s := range sides {
			if match(s.pattern, rel) {
				return s.side
			}
		}
		return "unplaced"
	}
	checked := 0
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		pkg, deps := fields[0], fields[1:]
		side := sideOf(pkg)
		rel := strings.TrimPrefix(pkg, module+"/")
		if side == "unplaced" {
			t.Errorf("%s is on no side of the boundary: add it to sides in deps_test.go", rel)
			continue
		}
		checked++
		for _, dep := range deps {
			switch dside := sideOf(dep); {
			case side == "laptop" && dside == "catalogue",
				side == "catalogue" && dside == "laptop",
				side == "shared" && (dside == "laptop" || dside == "catalogue"):
				t.Errorf("%s (%s) depends on %s (%s)", rel, side, strings.TrimPrefix(dep, module+"/"), dside)
			}
		}
		for _, f := range forbidden {
			if !match(f.pattern, rel) {
				continue
			}
			for _, dep := range deps {
				if slices.Contains(f.except, dep) {
					continue
				}
				if slices.ContainsFunc(f.deps, func(p string) bool { return hasPrefix(dep, p) }) {
					t.Errorf("%s depends on %s, which %s must not", rel, dep, f.pattern)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d packages listed; is go list looking at the module?\n%s", checked, out)
	}
}
