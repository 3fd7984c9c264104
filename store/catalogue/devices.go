package catalogue

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// codeAlphabet has no characters that are confused when read aloud or
// typed from paper: no 0/O, 1/I/L. 31 symbols, 12 of them: about 59 bits,
// far beyond guessing through a rate-limited server.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

const codeLen = 12

// AddDevice creates a one-time enrolment code for a new laptop of a
// township, formatted for typing as ABCD-EFGH-JKMN. Only its hash is
// stored, so the code is shown once and cannot be read back. Codes do not
// expire; an unused code stays valid until used. It enrols a device id the
// catalogue has never seen, never an enrolled one (see ReplaceDevice).
func (db *DB) AddDevice(ctx context.Context, township string) (string, error) {
	t, err := CheckTownship(township)
	if err != nil {
		return "", err
	}
	return db.addCode(ctx, func(tx txn) (string, string, error) { return t, "", nil })
}

// ReplaceDevice creates a one-time code that enrols the laptop deviceID
// again, with a new token (its old one stops working, and a revocation is
// lifted): for a laptop that lost its token or was given its access back.
// The laptop keeps its township and its records; township must be the
// one it is enrolled for, so that the administrator says which township
// the code is for, as with AddDevice.
func (db *DB) ReplaceDevice(ctx context.Context, township, deviceID string) (string, error) {
	t, err := CheckTownship(township)
	if err != nil {
		return "", err
	}
	return db.addCode(ctx, func(tx txn) (string, string, error) {
		var have string
		err := tx.QueryRowContext(ctx, qDeviceTownship, deviceID).Scan(&have)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return "", "", fmt.Errorf("device %q is not enrolled: a new laptop needs a code made without --replaces (fieldbench catalogue device list shows the enrolled ones)", deviceID)
		case err != nil:
			return "", "", err
		case have != t:
			return "", "", fmt.Errorf("device %s is enrolled for township %s, not %s: a laptop keeps its township and its records; a laptop for another township starts a new database (--db NEW.db) and enrols it with a code made without --replaces", deviceID, have, t)
		}
		return t, deviceID, nil
	})
}

// addCode stores the hash of a new code for the township and device
// (replaces, "" for a new laptop) that target gives, inside the
// transaction, and returns the code.
func (db *DB) addCode(ctx context.Context, target func(tx txn) (township, replaces string, err error)) (string, error) {
	code, err := newCode()
	if err != nil {
		return "", err
	}
	err = db.tx(ctx, func(tx txn) error {
		t, replaces, err := target(tx)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, qCodeInsert, hashHex([]byte(normCode(code))), t, db.stamp(), replaces)
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

// Enrol uses up a one-time code and enrols the device deviceID in the
// code's township, holding tokenHash (the SHA-256, in hex, of the token
// the server gives out). An ordinary code makes a new device: a device id
// the catalogue holds already is wire.ErrDeviceExists, so nobody takes
// over a laptop, its records or its returns with a code of their own. A
// code from ReplaceDevice enrols that one device again and no other. An
// unknown or used code, or one made for another device, is
// wire.ErrBadCode. A refused enrolment leaves the code unused.
func (db *DB) Enrol(ctx context.Context, code, deviceID, tokenHash string) (*wire.Device, error) {
	if err := wire.CheckDeviceID(deviceID); err != nil {
		return nil, err
	}
	if tokenHash == "" {
		return nil, errors.New("enrolment needs a token")
	}
	dev := &wire.Device{ID: deviceID}
	err := db.tx(ctx, func(tx txn) error {
		now := db.stamp()
		var replaces string
		err := tx.QueryRowContext(ctx, qCodeUse, now, deviceID, hashHex([]byte(normCode(code)))).Scan(&dev.Township, &replaces)
		if errors.Is(err, sql.ErrNoRows) {
			return wire.ErrBadCode
		}
		if err != nil {
			return err
		}
		var res sql.Result
		switch replaces {
		case "":
			// DO NOTHING, not a failed insert: PostgreSQL would retry a
			// unique violation as a lost race, and the answer is the same.
			res, err = tx.ExecContext(ctx, qDeviceInsert, deviceID, dev.Township, tokenHash, now)
		case deviceID:
			res, err = tx.ExecContext(ctx, qDeviceReenrol, tokenHash, now, deviceID, dev.Township)
		default:
			return fmt.Errorf("%w: this code was made to enrol another laptop again, not this one; ask the administrator for a code for this laptop", wire.ErrBadCode)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			return nil
		}
		if replaces == "" {
			return fmt.Errorf("%w (device %s): a laptop enrols once; to enrol it again (a lost token, access given back), the administrator makes a code for it with: fieldbench catalogue device add --township CODE --replaces %s", wire.ErrDeviceExists, deviceID, deviceID)
		}
		return fmt.Errorf("%w: the laptop this code was made for is no longer enrolled for its township; ask the administrator for a new code", wire.ErrBadCode)
	})
	if err != nil {
		return nil, err
	}
	return dev, nil
}

// DeviceByToken finds the enrolled, unrevoked device holding tokenHash. The
// lookup is by the hash, through the unique index: no secret is compared in
// Go, and the hash of a random token reveals nothing about another.
func (db *DB) DeviceByToken(ctx context.Context, tokenHash string) (*wire.Device, error) {
	dev := &wire.Device{}
	if err := db.byToken(ctx, qDeviceByToken, tokenHash, &dev.ID, &dev.Township); err != nil {
		return nil, err
	}
	return dev, nil
}

// RevokeDevice stops a device's token from working; wire.ErrNotFound for an
// unknown id. Revoking a revoked device changes nothing. What the device
// sent before stays in the catalogue.
func (db *DB) RevokeDevice(ctx context.Context, id string) error {
	return db.revoke(ctx, qDeviceRevoke, qDeviceExists, id)
}

// DeviceInfo is an enrolled device as the administrator sees it.
type DeviceInfo struct {
	ID         string
	Township   string
	EnrolledAt time.Time
	RevokedAt  time.Time // zero while the device may sync
}

// Devices lists the enrolled devices, revoked ones included, by township:
// what an administrator needs to find the id to revoke.
func (db *DB) Devices(ctx context.Context) ([]DeviceInfo, error) {
	return sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (DeviceInfo, error) {
		var d DeviceInfo
		err := row.Scan(&d.ID, &d.Township, when.Column(&d.EnrolledAt), when.Column(&d.RevokedAt))
		return d, err
	}, qDevices)
}
