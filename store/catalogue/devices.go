package catalogue

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strings"

	"github.com/fieldbench/fieldbench/sync"
)

// codeAlphabet has no characters that are confused when read aloud or
// typed from paper: no 0/O, 1/I/L. 31 symbols, 12 of them: about 59 bits,
// far beyond guessing through a rate-limited server.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

const codeLen = 12

// AddDevice creates a one-time enrolment code for a laptop of a township,
// formatted for typing as ABCD-EFGH-JKMN. Only its hash is stored, so the
// code is shown once and cannot be read back. Codes do not expire; an
// unused code stays valid until used.
func (db *DB) AddDevice(ctx context.Context, township string) (string, error) {
	t, err := CheckTownship(township)
	if err != nil {
		return "", err
	}
	code, err := newCode()
	if err != nil {
		return "", err
	}
	err = db.tx(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, qCodeInsert, hashHex([]byte(normCode(code))), t, db.stamp())
		return err
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// newCode draws codeLen symbols uniformly (rejecting bytes beyond the last
// whole multiple of the alphabet, which would favour its first symbols)
// and groups them by four.
func newCode() (string, error) {
	const limit = 256 - 256%len(codeAlphabet)
	var b strings.Builder
	buf := make([]byte, 32)
	n := 0
	for n < codeLen {
		if _, err := rand.Read(buf); err != nil {
			return "", err
		}
		for _, c := range buf {
			if int(c) >= limit || n == codeLen {
				continue
			}
			if n > 0 && n%4 == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
			n++
		}
	}
	return b.String(), nil
}

// normCode is the form of a code that is hashed: what a person types with
// any case, dashes or spaces comes to the same hash as the code given out.
func normCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		if r == '-' || r == ' ' || r == '\t' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Enrol uses up a one-time code and makes (or replaces) the device with
// that id in the code's township, holding tokenHash (the SHA-256, in hex,
// of the token the server gives out). An unknown or used code is
// sync.ErrBadCode.
func (db *DB) Enrol(ctx context.Context, code, deviceID, tokenHash string) (*sync.Device, error) {
	if deviceID == "" || tokenHash == "" {
		// Refused before the code is used up: the laptop can try again.
		return nil, errors.New("enrolment needs a device id and a token")
	}
	dev := &sync.Device{ID: deviceID}
	err := db.tx(ctx, func(tx txn) error {
		now := db.stamp()
		err := tx.QueryRowContext(ctx, qCodeUse, now, deviceID, hashHex([]byte(normCode(code)))).Scan(&dev.Township)
		if errors.Is(err, sql.ErrNoRows) {
			return sync.ErrBadCode
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, qDeviceUpsert, deviceID, dev.Township, tokenHash, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return dev, nil
}

// DeviceByToken finds the enrolled, unrevoked device holding tokenHash. The
// lookup is by the hash, through the unique index: no secret is compared in
// Go, and the hash of a random token reveals nothing about another.
func (db *DB) DeviceByToken(ctx context.Context, tokenHash string) (*sync.Device, error) {
	dev := &sync.Device{}
	err := db.queryRow(ctx, qDeviceByToken, tokenHash).Scan(&dev.ID, &dev.Township)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sync.ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	return dev, nil
}

// RevokeDevice stops a device's token from working; sync.ErrNotFound for an
// unknown id. Revoking a revoked device changes nothing. What the device
// sent before stays in the catalogue.
func (db *DB) RevokeDevice(ctx context.Context, id string) error {
	return db.tx(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, qDeviceRevoke, db.stamp(), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, qDeviceExists, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return sync.ErrNotFound
		}
		return nil
	})
}

// DeviceInfo is an enrolled device as the administrator sees it.
type DeviceInfo struct {
	ID         string
	Township   string
	EnrolledAt string
	RevokedAt  string // "" while the device may sync
}

// Devices lists the enrolled devices, revoked ones included, by township:
// what an administrator needs to find the id to revoke.
func (db *DB) Devices(ctx context.Context) ([]DeviceInfo, error) {
	rows, err := db.query(ctx, qDevices)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DeviceInfo
	for rows.Next() {
		var d DeviceInfo
		if err := rows.Scan(&d.ID, &d.Township, &d.EnrolledAt, &d.RevokedAt); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
