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
	"sync"
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
	admin, err := adminPool(base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("PostgreSQL at %s: %v", base, err)
	}
	t.Cleanup(func() {
		admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
	})
	return WithSearchPath(base, schema)
}

// admins holds one pool per server for creating and dropping the tests'
// schemas, kept for the life of the test process: a new PostgreSQL
// connection costs the server a process of its own and several
// milliseconds of CPU, and every test used to open two (one to create its
// schema, one to drop it). Never closed: the process ends with the tests.
var admins struct {
	sync.Mutex
	pools map[string]*sql.DB
}

func adminPool(base string) (*sql.DB, error) {
	admins.Lock()
	defer admins.Unlock()
	if db, ok := admins.pools[base]; ok {
		return db, nil
	}
	// sql.Open only checks the connection string: the first Exec
	// connects, and says so when the server cannot be reached.
	db, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	if admins.pools == nil {
		admins.pools = map[string]*sql.DB{}
	}
	admins.pools[base] = db
	return db, nil
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
