package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/seal"
)

// Only the commands that seal or open personal data read the key file:
// with a passphrase-protected key and no passphrase given, devices are
// listed and added, while key show, which needs the key, asks for it.
func TestCatalogueCommandsWithoutTheKey(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	id, err := seal.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	file, err := seal.FormatKeyFileWithPassphrase(seal.KeyRing{id}, "key pass", 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, catalogue.KeyFileName), file, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(t, "", "catalogue", "device", "add", "--township", "110105001", "--data", dir); code != 0 {
		t.Fatalf("device add: %d %s%s", code, out, errs)
	}
	if code, out, errs := run(t, "", "catalogue", "device", "list", "--data", dir); code != 0 || !strings.Contains(out, "0 devices") {
		t.Fatalf("device list: %d %s%s", code, out, errs)
	}
	if code, out, errs := run(t, "", "catalogue", "key", "show", "--data", dir); code == 0 || !strings.Contains(errs, keyPassphraseEnv) {
		t.Fatalf("key show without the passphrase: %d %s%s", code, out, errs)
	}
}
