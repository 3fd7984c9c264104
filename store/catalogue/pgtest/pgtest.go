// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in the server named by FIELDBENCH_TEST_POSTGRES (scripts/test.sh
// starts a throwaway cluster and sets it), dropped when the test ends.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Env names the variable holding the test server's connection string.
const Env = "FIELDBENCH_TEST_POSTGRES"

// RequireEnv, when set (CI sets it), turns a missing server into a
// failure instead of a skip, so that CI cannot pass without PostgreSQL.
const RequireEnv = "FIELDBENCH_REQUIRE_POSTGRES"

// SkippedLogEnv names a file (set by scripts/test.sh) to which the name
// of every test skipped for want of a server is appended, so that the
// test command can list them at the end.
const SkippedLogEnv = "FIELDBENCH_SKIPPED_LOG"

// DSN creates an empty schema for the test and returns a connection string
// whose search_path is that schema. Without a server the test is skipped
// (failed under RequireEnv), saying why.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		if os.Getenv(RequireEnv) != "" {
			t.Fatalf("%s is set but %s is not: the PostgreSQL tests cannot run", RequireEnv, Env)
		}
		if log := os.Getenv(SkippedLogEnv); log != "" {
			if f, err := os.OpenFile(log, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600); err == nil {
				f.WriteString(t.Name() + "\n")
				f.Close()
			}
		}
		t.Skipf("no PostgreSQL for this test: %s is not set (scripts/test.sh sets it when it can start PostgreSQL)", Env)
	}
	raw := make([]byte, 8)
	rand.Read(raw)
	schema := "t_" + hex.EncodeToString(raw)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("PostgreSQL at %s: %v", base, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
	})
	return WithSearchPath(base, schema)
}

// WithSearchPath adds search_path to a connection string in either of
// PostgreSQL's forms, URL or key=value.
func WithSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " search_path=" + schema
}
