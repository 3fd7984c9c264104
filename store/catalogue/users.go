package catalogue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// AddUser creates a reviewer or a reader of a county and returns the user
// with the token to give them. Only the token's hash is kept, so it is
// shown once; a lost token is revoked and a new user added.
func (db *DB) AddUser(ctx context.Context, name, role, county string, clearance bool) (*wire.User, string, error) {
	if role != wire.RoleReviewer && role != wire.RoleReader {
		return nil, "", fmt.Errorf("role %q: a user is a %s or a %s", role, wire.RoleReviewer, wire.RoleReader)
	}
	c, err := CheckTownship(county)
	if err != nil || len(c) != 6 {
		return nil, "", fmt.Errorf("county %q: a county's division code of 6 digits is needed", county)
	}
	name = strings.TrimSpace(forms.Sanitize(name, false))
	if name == "" {
		name = role
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", err
	}
	token := hex.EncodeToString(raw)
	idRaw := make([]byte, 6)
	if _, err := rand.Read(idRaw); err != nil {
		return nil, "", err
	}
	u := &wire.User{ID: "user-" + hex.EncodeToString(idRaw), Name: name, Role: role, County: c, Clearance: clearance}
	err = db.tx(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, qUserInsert, u.ID, u.Name, u.Role, u.County, boolInt(u.Clearance), wire.HashToken(token), db.stamp())
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

// UserByToken finds the unrevoked user holding tokenHash, or
// wire.ErrUnauthorized. As for devices, the lookup is by the hash.
func (db *DB) UserByToken(ctx context.Context, tokenHash string) (*wire.User, error) {
	u := &wire.User{}
	if err := db.byToken(ctx, qUserByToken, tokenHash, &u.ID, &u.Name, &u.Role, &u.County, &u.Clearance); err != nil {
		return nil, err
	}
	return u, nil
}

// RevokeUser stops a user's token from working; wire.ErrNotFound for an
// unknown id.
func (db *DB) RevokeUser(ctx context.Context, id string) error {
	return db.revoke(ctx, qUserRevoke, qUserExists, id)
}

// UserInfo is a user as the administrator sees it.
type UserInfo struct {
	wire.User
	CreatedAt time.Time
	RevokedAt time.Time // zero while the token works
}

// Users lists every user, revoked ones included, by county and id.
func (db *DB) Users(ctx context.Context) ([]UserInfo, error) {
	return sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (UserInfo, error) {
		var u UserInfo
		err := row.Scan(&u.ID, &u.Name, &u.Role, &u.County, &u.Clearance, when.Column(&u.CreatedAt), when.Column(&u.RevokedAt))
		return u, err
	}, qUsers)
}

// boolInt is a flag as the INTEGER 0 or 1 that both backends store.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The users' statements.
const (
	qUserInsert = `INSERT INTO users (id, name, role, county, clearance, token_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`
	qUserByToken = `SELECT id, name, role, county, clearance FROM users WHERE token_hash = ? AND revoked_at IS NULL`
	qUserRevoke  = `UPDATE users SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`
	qUserExists  = `SELECT count(*) FROM users WHERE id = ?`
	qUsers       = `SELECT id, name, role, county, clearance, created_at, coalesce(revoked_at, '') FROM users ORDER BY county, id`
)
