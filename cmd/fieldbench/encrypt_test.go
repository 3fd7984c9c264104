package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/store"
)

// newIdentity is an age key pair, as age-keygen makes one.
func newIdentity(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// decryptFile reads an age file with the identity; the test fails when
// the file is not private or does not open.
func decryptFile(t *testing.T, path string, id age.Identity) []byte {
	t.Helper()
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v, mode %v", path, err, st)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := age.Decrypt(f, id)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// exportEvents are the laptop's exported audit rows, their details decoded.
func exportEvents(t *testing.T, path string) []map[string]any {
	t.Helper()
	db, err := store.Open(path, store.Existing(), store.WithPassphrase(func() (string, error) { return "", nil }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Audit(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, r := range rows {
		if r.Event != store.EventExported {
			continue
		}
		var d map[string]any
		if err := json.Unmarshal([]byte(r.Detail), &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func TestExportEncryptTo(t *testing.T) {
	db := importedDB(t)
	dir := t.TempDir()
	office, other := newIdentity(t), newIdentity(t)
	plain := filepath.Join(dir, "plain.jsonl")
	if code, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--out", plain); code != 0 {
		t.Fatalf("plain export: %d %s", code, errs)
	}
	enc := filepath.Join(dir, "hh.jsonl.age")
	code, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--out", enc, "--encrypt-to", office.Recipient().String())
	if code != 0 || !strings.Contains(errs, "exported 5 records to "+enc) {
		t.Fatalf("encrypted export: %d %s", code, errs)
	}
	raw := readFile(t, enc)
	if ids := piitest.ClearIDs(raw, nil); len(ids) > 0 || bytes.Contains(raw, []byte("110105196805140036")) {
		t.Fatalf("the encrypted file shows %v", ids)
	}
	if got := decryptFile(t, enc, office); !bytes.Equal(got, readFile(t, plain)) {
		t.Errorf("decrypted:\n%s\nplain:\n%s", got, readFile(t, plain))
	}

	// A recipients file with two keys, a comment and CRLF: CSV, every
	// file of the directory encrypted to both.
	keys := filepath.Join(dir, "office.txt")
	os.WriteFile(keys, []byte("# county office\r\n"+office.Recipient().String()+"\r\n\r\n"+other.Recipient().String()+"\n"), 0o600)
	plainCSV, encCSV := filepath.Join(dir, "csv"), filepath.Join(dir, "csv-enc")
	run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "csv", "--out", plainCSV)
	if code, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "csv", "--out", encCSV, "--encrypt-to", keys); code != 0 {
		t.Fatalf("encrypted csv: %d %s", code, errs)
	}
	for _, name := range []string{"household_visit.csv", "household_visit-members.csv"} {
		want := readFile(t, filepath.Join(plainCSV, name))
		for _, id := range []age.Identity{office, other} {
			if got := decryptFile(t, filepath.Join(encCSV, name+".age"), id); !bytes.Equal(got, want) {
				t.Errorf("%s decrypted differs from the plain export", name)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(encCSV, "household_visit.csv")); err == nil {
		t.Error("a plain file beside the encrypted ones")
	}

	events := exportEvents(t, db)
	last := events[len(events)-1]
	if last["file"] != encCSV || last["masked"] != false || last["count"] != 5.0 || len(last["encrypted_to"].([]any)) != 2 {
		t.Errorf("audit of the encrypted csv export: %v", last)
	}
	if e := events[1]; e["file"] != enc || e["encrypted_to"].([]any)[0] != office.Recipient().String() {
		t.Errorf("audit of the encrypted jsonl export: %v", e)
	}
}

// A recipient that does not read stops the export before anything is
// written, the audit included, and says where the fault is.
func TestExportEncryptToRefusesBadRecipients(t *testing.T) {
	db := importedDB(t)
	dir := t.TempDir()
	good := newIdentity(t).Recipient().String()
	badFile := filepath.Join(dir, "keys.txt")
	os.WriteFile(badFile, []byte(good+"\n# next\nage1typo\n"), 0o600)
	secretFile := filepath.Join(dir, "secret.txt")
	secret := newIdentity(t).String()
	os.WriteFile(secretFile, []byte(secret+"\n"), 0o600)
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, []byte("# nobody\n"), 0o600)
	out := filepath.Join(dir, "out.age")
	// The good key with its last character changed (bech32's checksum
	// catches any one): to another one than it had, or it stays good.
	typo := good[:len(good)-1] + "q"
	if typo == good {
		typo = good[:len(good)-1] + "p"
	}
	for _, c := range []struct{ to, want string }{
		{"age1typo", `--encrypt-to "age1typo": not an age public key`},
		{typo, "not an age public key"},
		{filepath.Join(dir, "nofile"), "neither an age public key"},
		{badFile, badFile + `:3: "age1typo" is not an age public key`},
		{secret, "was given a secret key"},
		{secretFile, secretFile + ":1: a secret key"},
		{empty, "the file holds no age public key"},
	} {
		code, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--out", out, "--encrypt-to", good, "--encrypt-to", c.to)
		if code == 0 || !strings.Contains(errs, c.want) || !strings.Contains(errs, "nothing was written") {
			t.Errorf("--encrypt-to %s: %d %s", c.to, code, errs)
		}
		if strings.Contains(errs, secret[16:]) {
			t.Errorf("a secret key echoed: %s", errs)
		}
	}
	if code, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--encrypt-to", good); code == 0 || !strings.Contains(errs, "--encrypt-to needs --out") {
		t.Errorf("to standard output: %d %s", code, errs)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 3 {
		t.Errorf("files written: %v", ents)
	}
	if ev := exportEvents(t, db); len(ev) != 0 {
		t.Errorf("refused exports audited: %v", ev)
	}
}

// With a passphrase set, a masked export needs none; a clear one asks for
// it on a terminal, reads FIELDBENCH_PASSPHRASE elsewhere, and without it
// says how to unlock and writes nothing. Each export is audited, masked
// or clear, with its file.
func TestExportWithPassphrase(t *testing.T) {
	db := importedDB(t)
	dir := t.TempDir()
	setPass := &App{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: envOf(map[string]string{envNewPassphrase: "口令 1234"})}
	if code := setPass.Run([]string{"passphrase", "set", "--db", db}); code != 0 {
		t.Fatal("passphrase set failed")
	}
	masked := filepath.Join(dir, "masked.jsonl")
	code, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--masked", "--out", masked)
	if code != 0 || !strings.Contains(string(readFile(t, masked)), `"head_id":"110105********0036"`) {
		t.Fatalf("masked export of a locked database: %d %s", code, errs)
	}
	locked := filepath.Join(dir, "locked.jsonl")
	code, _, errs = run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--out", locked)
	if code == 0 || !strings.Contains(errs, "FIELDBENCH_PASSPHRASE") {
		t.Errorf("clear export without the passphrase: %d %s", code, errs)
	}
	if _, err := os.Stat(locked); err == nil {
		t.Error("a locked export wrote its file")
	}
	var stderr bytes.Buffer
	asked := ""
	tty := &App{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Getenv: envOf(map[string]string{"LANG": "en_US.UTF-8"}),
		ReadPassphrase: func(prompt string) (string, error) { asked = prompt; return "口令 1234", nil }}
	clear := filepath.Join(dir, "clear.jsonl")
	if code := tty.Run([]string{"export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--out", clear}); code != 0 || asked == "" {
		t.Fatalf("clear export on a terminal: %d, asked %q, %s", code, asked, stderr.String())
	}
	if !strings.Contains(string(readFile(t, clear)), "110105196805140036") {
		t.Error("the clear export is not clear")
	}
	env := &App{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: envOf(map[string]string{envPassphrase: "口令 1234"})}
	if code := env.Run([]string{"export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--out", filepath.Join(dir, "env.jsonl")}); code != 0 {
		t.Error("clear export with FIELDBENCH_PASSPHRASE failed")
	}
	if _, _, errs := run(t, "", "export", "--db", db, "--form", "household_visit", "--format", "jsonl", "--masked"); !strings.Contains(errs, "exported 5 records") {
		t.Fatalf("masked export to standard output: %s", errs)
	}
	events := exportEvents(t, db)
	if last := events[len(events)-1]; last["file"] != "-" || last["masked"] != true {
		t.Errorf("audit of an export to standard output: %v", last)
	}
	if len(events) != 4 || events[0]["masked"] != true || events[0]["file"] != masked || events[1]["masked"] != false || events[1]["file"] != clear || events[1]["count"] != 5.0 {
		t.Errorf("audit: %v", events)
	}
}

// envOf is an environment of only these variables.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestCatalogueExportEncryptTo(t *testing.T) {
	where := catalogueAt(t, "sqlite")
	if code, out, errs := run(t, "", append([]string{"catalogue", "publish", household, "--township", "110105"}, where...)...); code != 0 {
		t.Fatalf("publish: %s%s", out, errs)
	}
	records, _, _ := piitest.HouseholdsWithNumbers(t, 20)
	storeHouseholds(t, openCatalogueAt(t, where), records)
	office := newIdentity(t)
	dir := t.TempDir()
	export := func(args ...string) {
		t.Helper()
		if code, _, errs := run(t, "", append(append([]string{"catalogue", "export", "--form", "household_visit"}, args...), where...)...); code != 0 {
			t.Fatalf("catalogue export %v: %d %s", args, code, errs)
		}
	}
	export("--format", "jsonl", "--out", filepath.Join(dir, "plain.jsonl"))
	export("--format", "jsonl", "--out", filepath.Join(dir, "enc.age"), "--encrypt-to", office.Recipient().String())
	export("--format", "csv", "--out", filepath.Join(dir, "csv"))
	export("--format", "csv", "--out", filepath.Join(dir, "csv-enc"), "--encrypt-to", office.Recipient().String())
	if !bytes.Equal(decryptFile(t, filepath.Join(dir, "enc.age"), office), readFile(t, filepath.Join(dir, "plain.jsonl"))) {
		t.Error("the encrypted jsonl export differs from the plain one")
	}
	if got := decryptFile(t, filepath.Join(dir, "csv-enc", "household_visit.csv.age"), office); !bytes.Equal(got, readFile(t, filepath.Join(dir, "csv", "household_visit.csv"))) {
		t.Error("the encrypted csv export differs from the plain one")
	}
	code, _, errs := run(t, "", append([]string{"catalogue", "export", "--form", "household_visit", "--format", "jsonl", "--out", filepath.Join(dir, "bad.age"), "--encrypt-to", "age1typo"}, where...)...)
	if code == 0 || !strings.Contains(errs, `"age1typo"`) {
		t.Errorf("a bad recipient: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.age")); err == nil {
		t.Error("a refused export wrote its file")
	}
	_, out, _ := run(t, "", append([]string{"catalogue", "exports"}, where...)...)
	if strings.Count(out, "--encrypt-to "+office.Recipient().String()) != 2 {
		t.Errorf("the catalogue's audit of encrypted exports:\n%s", out)
	}
}
