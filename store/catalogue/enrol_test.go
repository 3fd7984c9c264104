package catalogue

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// An ordinary code never enrols a device id the catalogue holds: not the
// device's own township's code, not another's. The device keeps its
// township and its token, and the refused code stays unused. Only a code
// made for that device (ReplaceDevice, in its own township) enrols it
// again, and that code enrols no other device.
func TestEnrolNeverTakesOverADevice(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, victim := newDB(t, w)
		for _, tw := range []string{"110105026", township} {
			code, err := db.AddDevice(ctx, tw)
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.Enrol(ctx, code, victim.ID, tokenHash("attacker"))
			if !errors.Is(err, wire.ErrDeviceExists) || !strings.Contains(err.Error(), "--replaces "+victim.ID) {
				t.Fatalf("a code of %s took device %s: %v", tw, victim.ID, err)
			}
			if got, err := db.DeviceByToken(ctx, tokenHash("token-"+victim.ID)); err != nil || *got != *victim {
				t.Fatalf("the device after the attempt: %+v %v", got, err)
			}
			if _, err := db.DeviceByToken(ctx, tokenHash("attacker")); !errors.Is(err, wire.ErrUnauthorized) {
				t.Fatalf("the attacker's token works: %v", err)
			}
			// The code was not used up: it enrols a new laptop.
			if dev, err := db.Enrol(ctx, code, "new-in-"+tw, tokenHash("new-"+tw)); err != nil || dev.Township != tw {
				t.Fatalf("the refused code afterwards: %+v %v", dev, err)
			}
		}

		// A replacement code: only for the device's own township, only
		// for an enrolled device, and it enrols that device only.
		if _, err := db.ReplaceDevice(ctx, "110105026", victim.ID); err == nil || !strings.Contains(err.Error(), "enrolled for township "+township) {
			t.Fatalf("a replacement code for another township: %v", err)
		}
		if _, err := db.ReplaceDevice(ctx, township, "laptop-9"); err == nil || !strings.Contains(err.Error(), "not enrolled") {
			t.Fatalf("a replacement code for an unknown device: %v", err)
		}
		again, err := db.ReplaceDevice(ctx, township, victim.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Enrol(ctx, again, "new-in-"+township, tokenHash("x")); !errors.Is(err, wire.ErrBadCode) {
			t.Fatalf("a replacement code used by another enrolled device: %v", err)
		}
		if _, err := db.Enrol(ctx, again, "laptop-7", tokenHash("x")); !errors.Is(err, wire.ErrBadCode) {
			t.Fatalf("a replacement code used by a new device: %v", err)
		}
		if err := db.RevokeDevice(ctx, victim.ID); err != nil {
			t.Fatal(err)
		}
		if dev, err := db.Enrol(ctx, again, victim.ID, tokenHash("renewed")); err != nil || *dev != *victim {
			t.Fatalf("the replacement code: %+v %v", dev, err)
		}
		if _, err := db.DeviceByToken(ctx, tokenHash("token-"+victim.ID)); !errors.Is(err, wire.ErrUnauthorized) {
			t.Fatalf("the replaced token works: %v", err)
		}
		if got, err := db.DeviceByToken(ctx, tokenHash("renewed")); err != nil || *got != *victim {
			t.Fatalf("the new token: %+v %v", got, err)
		}
		if _, err := db.Enrol(ctx, again, victim.ID, tokenHash("twice")); !errors.Is(err, wire.ErrBadCode) {
			t.Fatalf("a replacement code used twice: %v", err)
		}
	})
}

// Device ids are bounded and plain; a refused id leaves the code unused.
func TestEnrolBoundsDeviceID(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db := openDB(t, w)
		code, err := db.AddDevice(ctx, township)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"", strings.Repeat("a", wire.MaxIDLen+1), "laptop 1", "laptop/1", "笔记本", "a\x00b", "a\nb"} {
			if _, err := db.Enrol(ctx, code, id, tokenHash("t")); !errors.Is(err, wire.ErrInvalid) {
				t.Errorf("device id %q: %v", id, err)
			}
		}
		id := strings.Repeat("a", wire.MaxIDLen)
		if dev, err := db.Enrol(ctx, code, id, tokenHash("t")); err != nil || dev.ID != id {
			t.Fatalf("a device id of %d bytes: %+v %v", len(id), dev, err)
		}
	})
}

// Several servers enrolling with one code at once (a laptop retrying, or
// two people typing the same code): exactly one gets through. Several
// codes enrolling one device id at once: exactly one does.
func TestEnrolConcurrent(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		const n = 6
		handles := make([]*DB, n)
		for i := range handles {
			handles[i] = openDB(t, w)
		}
		race := func(enrol func(i int) error) (won int, errs []error) {
			results := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					results[i] = enrol(i)
				}()
			}
			wg.Wait()
			for _, err := range results {
				if err == nil {
					won++
				} else {
					errs = append(errs, err)
				}
			}
			return won, errs
		}

		code, err := handles[0].AddDevice(ctx, township)
		if err != nil {
			t.Fatal(err)
		}
		won, errs := race(func(i int) error {
			_, err := handles[i].Enrol(ctx, code, fmt.Sprintf("laptop-%d", i), tokenHash(fmt.Sprint("t", i)))
			return err
		})
		for _, err := range errs {
			if !errors.Is(err, wire.ErrBadCode) {
				t.Errorf("a loser of one code: %v", err)
			}
		}
		if won != 1 || query[int](t, handles[0], `SELECT count(*) FROM devices`) != 1 {
			t.Fatalf("one code enrolled %d devices", won)
		}

		codes := make([]string, n)
		for i := range codes {
			if codes[i], err = handles[0].AddDevice(ctx, township); err != nil {
				t.Fatal(err)
			}
		}
		won, errs = race(func(i int) error {
			_, err := handles[i].Enrol(ctx, codes[i], "same-laptop", tokenHash(fmt.Sprint("s", i)))
			return err
		})
		for _, err := range errs {
			if !errors.Is(err, wire.ErrDeviceExists) {
				t.Errorf("a loser of one device id: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d codes enrolled one device id", won)
		}
		if n := query[int](t, handles[0], `SELECT count(*) FROM enrol_codes WHERE used_at IS NOT NULL`); n != 2 {
			t.Fatalf("%d codes used, want the two winners'", n)
		}
	})
}
