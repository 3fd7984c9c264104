package main

import (
	"context"
	"errors"
	"flag"
	"path/filepath"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/seal"
)

// The catalogue's key file (store/catalogue/keys.go): catalogue.key in
// --data, or --key FILE (with --postgres, or to keep it apart from the
// database), made private on first use, optionally protected by a
// passphrase. Only the commands that seal or open personal data read it
// (serve, export, entities, key, rekey: catalogueKeyedLeaf): records that
// arrive clear are sealed to its current key, and the decrypting paths
// open with it. The others (devices, users, forms, counts) never ask for
// its passphrase.

// keyFlags are the flags naming the key file and its passphrase.
type keyFlags struct {
	file          string
	askPassphrase bool
}

func (a *App) addKeyFlags(fs *flag.FlagSet) *keyFlags {
	kf := &keyFlags{}
	fs.StringVar(&kf.file, "key", "", a.t("flag.key"))
	fs.BoolVar(&kf.askPassphrase, "key-passphrase", false, a.t("flag.key_passphrase"))
	return kf
}

// keyPassphraseEnv gives the key file's passphrase where none can be
// asked (a service, a script).
const keyPassphraseEnv = "FIELDBENCH_KEY_PASSPHRASE"

// keyPath is the key file the flags name: --key, else catalogue.key in
// the catalogue's directory.
func (kf *keyFlags) keyPath(dir string) string {
	if kf.file != "" {
		return kf.file
	}
	return filepath.Join(dir, catalogue.KeyFileName)
}

// passphrase is the key file's passphrase: from the environment, else
// asked on the terminal. "" (and no error) when there is none to give
// and none is required.
func (a *App) keyPassphrase(path string, required bool) (string, error) {
	if p := a.Getenv(keyPassphraseEnv); p != "" {
		return p, nil
	}
	if a.ReadPassphrase != nil {
		if p, err := a.ReadPassphrase(a.f("key.prompt", path)); err == nil && p != "" {
			return p, nil
		}
	}
	if required {
		return "", a.failed("key.passphrase_needed", path, keyPassphraseEnv)
	}
	return "", nil
}

// openKeys reads the catalogue's key file, making it when missing (under
// a passphrase when --key-passphrase asks for one), warns when others
// can read it, and gives its keys to db.
func (a *App) openKeys(ctx context.Context, db *catalogue.DB, kf *keyFlags, dir string) (seal.KeyRing, string, error) {
	path := kf.keyPath(dir)
	var newPass func() (string, error)
	if kf.askPassphrase {
		newPass = func() (string, error) { return a.keyPassphrase(path, true) }
	}
	ring, created, err := catalogue.LoadKeyFile(path, func() (string, error) { return a.keyPassphrase(path, true) }, newPass)
	if err != nil {
		return nil, path, a.keyErr(path, err)
	}
	if created {
		a.fail("key.created", path, ring.Current().KeyID())
	}
	a.warnExposed(path)
	if err := db.UseKeys(ctx, ring); err != nil {
		return nil, path, err
	}
	// What an older release stored in clear is sealed once, before
	// anything else is done with the keys (catalogue.SealExisting).
	n, err := db.SealExisting(ctx, sealExistingChunk, func(done, total int) { a.say(a.Stderr, "seal_existing.progress", done, total) })
	if err != nil {
		return nil, path, a.keyErr(path, err)
	}
	if n > 0 {
		a.say(a.Stderr, "seal_existing.done", n)
	}
	return ring, path, nil
}

// sealExistingChunk is how many rows one transaction of the sealing of
// what an older release stored in clear handles: as a rekey's.
const sealExistingChunk = rekeyChunk

// keyErr says a failure of the key file, or of opening what is sealed,
// in the person's language: which key, what is wrong, what to do.
func (a *App) keyErr(path string, err error) error {
	var fail *failure
	var ke *seal.KeyError
	switch {
	case errors.As(err, &fail):
		return err
	case errors.Is(err, seal.ErrWrongPassphrase):
		return a.failed("key.wrong_passphrase", path)
	case errors.Is(err, seal.ErrPassphraseNeeded):
		return a.failed("key.passphrase_needed", path, keyPassphraseEnv)
	case errors.As(err, &ke) && ke.Catalogue:
		return a.failed("key.missing_catalogue", ke.KeyID, path)
	case errors.As(err, &ke) && ke.Missing:
		return a.failed("key.missing_data", ke.KeyID)
	case errors.As(err, &ke):
		return a.failed("key.does_not_open", ke.KeyID)
	case errors.Is(err, seal.ErrDamaged):
		return a.failed("key.damaged", path, err)
	}
	return err
}

// catalogueKeyCommand is `catalogue key show|rotate`.
func (a *App) catalogueKeyCommand() *Command {
	return a.group("key", "",
		a.catalogueKeyedLeaf("show", "", exactly(0), func(ctx context.Context, db *catalogue.DB, _ []string) error {
			keys, err := db.Keys(ctx)
			if err != nil {
				return err
			}
			cur := db.CatalogueKey()
			t := &table{}
			t.add(a.heads("h.key_id", "h.recipient", "h.created", "h.retired")...)
			for _, k := range keys {
				t.add(k.ID, k.Recipient, when.Stamp(k.CreatedAt), when.Stamp(k.RetiredAt))
			}
			t.write(a.Stdout)
			if cur != nil {
				a.say(a.Stdout, "key.current", cur.ID, cur.Recipient)
			}
			return nil
		}),
		a.catalogueKeyRotate(),
	)
}

func (a *App) catalogueKeyRotate() *Command {
	return a.catalogueKeyLeaf("rotate", func(ctx context.Context, db *catalogue.DB, cf *catalogueFlags, path string) error {
		pass := ""
		if cf.protected {
			var err error
			if pass, err = a.keyPassphrase(path, true); err != nil {
				return err
			}
		}
		ring, err := catalogue.RotateKeyFile(path, cf.ring, pass)
		if err != nil {
			return err
		}
		if err := db.UseKeys(ctx, ring); err != nil {
			return err
		}
		cur := ring.Current()
		a.say(a.Stdout, "key.rotated", cur.KeyID(), cur.Recipient(), path)
		return nil
	})
}

// catalogueKeyLeaf is a catalogue subcommand that works with the key
// file: run gets the database open with its keys and the key file's
// path, and a failure of the keys is said as keyErr says it.
func (a *App) catalogueKeyLeaf(name string, run func(ctx context.Context, db *catalogue.DB, cf *catalogueFlags, path string) error) *Command {
	c := a.leaf(name)
	c.Args = exactly(0)
	cf := a.addCatalogueFlags(c.Flags)
	c.Run = func(ctx context.Context, _ []string) error {
		db, err := a.openCatalogueDB(cf)
		if err != nil {
			return err
		}
		defer db.Close()
		path := cf.keys.keyPath(cf.dir)
		if err := run(ctx, db, cf, path); err != nil {
			return a.keyErr(path, err)
		}
		return nil
	}
	return c
}

// rekeyChunk is how many sealed parts one transaction of a rekey seals
// again: small enough that an interruption loses little, large enough
// that one wrapped key serves many.
const rekeyChunk = 500

// catalogueRekey is `catalogue rekey`: every sealed part sealed again
// under the current key, so that older keys can leave the key file.
func (a *App) catalogueRekey() *Command {
	return a.catalogueKeyLeaf("rekey", func(ctx context.Context, db *catalogue.DB, _ *catalogueFlags, _ string) error {
		n, err := db.Rekey(ctx, rekeyChunk, func(done, total int) { a.say(a.Stderr, "rekey.progress", done, total) })
		if err != nil {
			return err
		}
		if _, err := db.DropUnusedKeys(ctx); err != nil {
			return err
		}
		a.say(a.Stdout, "rekey.done", n, db.CatalogueKey().ID)
		return nil
	})
}
