package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testForm builds a small household form as a markdown-table XLSForm;
// version lets a test register several versions of one form.
func testForm(version string) []byte {
	return []byte(`| survey |
| | type         | name      | label     | required | constraint |
| | text         | head_name | Head      | yes      |            |
| | integer      | hh_size   | Size      | yes      | . > 0 and . < 30 |
| | begin repeat | members   | Members   |          |            |
| | text         | m_name    | Name      | yes      |            |
| | end repeat   |           |           |          |            |
| settings |
| | form_id   | form_title      | version |
| | household | Household visit | ` + version + ` |
`)
}

// newDB opens a fresh database with the test form registered.
func newDB(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fb.db")
	db, err := Open(path, WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.AddForm(context.Background(), "household.md", testForm("1")); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// rawDB opens the file with plain database/sql, bypassing every check, as
// someone tampering with it would.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// unguard drops the triggers that keep the audit trail append-only, as
// anyone changing it with another tool must first.
func unguard(t testing.TB, raw *sql.DB) {
	t.Helper()
	if _, err := raw.Exec(`DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete`); err != nil {
		t.Fatal(err)
	}
}

func fileHash(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

func household(name string, size int) []byte {
	var members []string
	for i := 0; i < size; i++ {
		members = append(members, fmt.Sprintf(`{"m_name":"%s%d"}`, name, i))
	}
	return []byte(fmt.Sprintf(`{"head_name":%q,"hh_size":%d,"members":[%s]}`, name, size, strings.Join(members, ",")))
}
