package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrintingGoesThroughOutput holds the package to output.go's
// functions for what people read: a fmt.Fprint or io.WriteString
// anywhere else would print a value nobody sanitised.
func TestPrintingGoesThroughOutput(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "output.go" {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			if (pkg.Name == "fmt" && (strings.HasPrefix(sel.Sel.Name, "Fprint") || strings.HasPrefix(sel.Sel.Name, "Print"))) ||
				(pkg.Name == "io" && sel.Sel.Name == "WriteString") {
				t.Errorf("%s: %s.%s prints past output.go's sanitising", fset.Position(call.Pos()), pkg.Name, sel.Sel.Name)
			}
			return true
		})
	}
}

// TestOutputSanitisesEveryArgument: a value with an escape sequence and
// a line break reaches the terminal as plain text on one line, through
// say, fail and a table alike.
func TestOutputSanitisesEveryArgument(t *testing.T) {
	var out, errs strings.Builder
	a := &App{Stdout: &out, Stderr: &errs, lang: "en"}
	evil := "x\x1b]2;owned\x07\x1b[2J\nfake line"
	a.say(a.Stdout, "revoked", evil)
	a.fail("plain", evil)
	a.say(a.Stdout, "plain", a.failed("plain", evil).Error())
	tb := &table{}
	tb.add(evil, "b")
	tb.write(a.Stdout)
	for _, s := range []string{out.String(), errs.String()} {
		if strings.ContainsAny(s, "\x1b\x07") {
			t.Errorf("an escape reached the output: %q", s)
		}
		for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
			if strings.HasPrefix(line, "fake line") {
				t.Errorf("a value's line break made a line of its own: %q", s)
			}
		}
	}
	// A line composed without f still loses its escapes.
	var raw strings.Builder
	writeLine(&raw, evil)
	if strings.ContainsAny(raw.String(), "\x1b\x07") {
		t.Errorf("writeLine let an escape through: %q", raw.String())
	}
}
