package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/when/whentest"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/seal"
)

// cheapArgon2 keeps the tests' key derivations fast; the cost is stored
// with the wrapped key, so reopening uses it too.
var cheapArgon2 = seal.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}

// lockedApp is the root model on a database whose data key a passphrase
// protects, opened without it, as the workbench opens it when
// FIELDBENCH_PASSPHRASE is not set.
func lockedApp(t *testing.T, lang, pass string) (model, *store.DB) {
	t.Helper()
	whentest.Shanghai(t)
	path := filepath.Join(t.TempDir(), "fb.db")
	db, err := store.Open(path, store.WithCollector("王芳"), store.WithArgon2(cheapArgon2))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := installSampleForms(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPassphrase(ctx, pass); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = store.Open(path, store.WithCollector("王芳"), store.WithArgon2(cheapArgon2), store.WithPassphrase(func() (string, error) { return "", nil }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return startApp(t, Deps{DB: db, Lang: lang}), db
}

// A locked database opens on the passphrase screen, before Home: the
// input is masked, a wrong passphrase says so and asks again, the help
// for a lost one stays on the screen, and the right one goes on to Home
// with the data key at hand.
func TestUnlockScreen(t *testing.T) {
	m, db := lockedApp(t, "zh-Hans", "秘密 pass")
	if m.screen != screenUnlock {
		t.Fatalf("a locked database did not open on the passphrase:\n%s", screenText(m))
	}
	golden(t, "unlock-zh-Hans", m)
	s := screenText(m)
	for _, want := range []string{"由口令保护", "还没发送的记录中的个人信息无法恢复", "已经发送的记录在中心目录完好", "fieldbench passphrase reset --confirm"} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen lacks %q:\n%s", want, s)
		}
	}
	m = send(t, m, keys("esc")...)
	if m.screen != screenUnlock || !strings.Contains(screenText(m), "Ctrl+C 退出") {
		t.Fatalf("Esc:\n%s", screenText(m))
	}
	m = send(t, m, keys("enter")...)
	if !strings.Contains(screenText(m), "请输入口令") {
		t.Errorf("an empty passphrase was not refused:\n%s", screenText(m))
	}
	m = send(t, m, keys("wrong")...)
	if strings.Contains(screenText(m), "wrong") || !strings.Contains(screenText(m), "*****") {
		t.Errorf("the passphrase is not masked:\n%s", screenText(m))
	}
	m = send(t, m, keys("enter")...)
	if m.screen != screenUnlock || !strings.Contains(screenText(m), "口令不对，请再试一次") {
		t.Fatalf("a wrong passphrase:\n%s", screenText(m))
	}
	if !errors.Is(db.Locked(), seal.ErrPassphraseNeeded) {
		t.Fatalf("after a wrong passphrase: %v", db.Locked())
	}
	m = send(t, m, keys("秘密 pass", "enter")...)
	if m.screen != screenHome || !strings.Contains(screenText(m), "采集员: 王芳") {
		t.Fatalf("not on Home after the right passphrase:\n%s", screenText(m))
	}
	if db.Locked() != nil {
		t.Fatalf("still locked: %v", db.Locked())
	}
}

func TestUnlockScreenEnglish(t *testing.T) {
	m, _ := lockedApp(t, "en", "pw")
	golden(t, "unlock-en", m)
	m = send(t, m, keys("nope", "enter")...)
	if !strings.Contains(screenText(m), "Wrong passphrase; try again.") {
		t.Fatalf("a wrong passphrase:\n%s", screenText(m))
	}
}

// The first run offers a passphrase after the name: skipped with both
// fields empty (the other setup tests), refused when the two differ, and
// set through the store when they match, which deletes the key file.
func TestSetupSetsPassphrase(t *testing.T) {
	ctx := context.Background()
	m, db := newcomerApp(t, "zh-Hans")
	m = send(t, m, keys("王芳", "enter", "enter", "enter")...)
	s := screenText(m)
	for _, want := range []string{"口令（可选）", "笔记本丢了或被偷", "忘了口令", "两项都空着就不设"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the passphrase step lacks %q:\n%s", want, s)
		}
	}
	m = send(t, m, keys("abc", "enter", "abd", "enter")...)
	if m.screen != screenSetup || !strings.Contains(screenText(m), "两次输入的口令不一样") {
		t.Fatalf("two different passphrases:\n%s", screenText(m))
	}
	m = send(t, m, keys("bs", "c", "enter")...)
	if m.screen != screenHome {
		t.Fatalf("not on Home:\n%s", screenText(m))
	}
	if set, err := db.PassphraseSet(ctx); !set || err != nil {
		t.Fatalf("PassphraseSet = %v, %v", set, err)
	}
	if _, err := os.Stat(store.KeyFilePath(db.Path())); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the key file stays: %v", err)
	}
	reopened, err := store.Open(db.Path(), store.WithPassphrase(func() (string, error) { return "abc", nil }))
	if err != nil {
		t.Fatalf("the passphrase set does not open the database: %v", err)
	}
	reopened.Close()
}

// Settings sets, changes and removes the passphrase: a new one typed
// twice (Esc goes back to the form with nothing stored), removal
// confirmed.
func TestSettingsPassphrase(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	toPassphrase := []string{"s", "enter", "enter", "enter", "enter", "enter", "enter"}
	m = send(t, m, keys(append(toPassphrase, "right", "enter")...)...)
	if !strings.Contains(screenText(m), "New passphrase") || !strings.Contains(screenText(m), "a lost or stolen laptop") {
		t.Fatalf("no passphrase step:\n%s", screenText(m))
	}
	m = send(t, m, keys("esc")...)
	if m.screen != screenSettings || !strings.Contains(screenText(m), "< set one >") {
		t.Fatalf("Esc from the passphrase step:\n%s", screenText(m))
	}
	m = send(t, m, keys("ctrl+s", "one", "enter", "one", "enter")...)
	if m.screen != screenHome || !strings.Contains(screenText(m), "Passphrase set") {
		t.Fatalf("after setting:\n%s", screenText(m))
	}
	if set, _ := db.PassphraseSet(ctx); !set {
		t.Fatal("no passphrase set")
	}

	m = send(t, m, keys(append(toPassphrase, "right", "enter")...)...)
	m = send(t, m, keys("enter")...)
	if !strings.Contains(screenText(m), "Type a passphrase") {
		t.Errorf("an empty new passphrase was not refused:\n%s", screenText(m))
	}
	m = send(t, m, keys("two", "enter", "two", "enter")...)
	if m.screen != screenHome {
		t.Fatalf("after changing:\n%s", screenText(m))
	}
	for pass, opens := range map[string]bool{"one": false, "two": true} {
		other, err := store.Open(db.Path(), store.WithPassphrase(func() (string, error) { return pass, nil }))
		if (err == nil) != opens {
			t.Errorf("passphrase %q after the change: %v", pass, err)
		}
		if err == nil {
			other.Close()
		}
	}

	m = send(t, m, keys(append(toPassphrase, "right", "right", "enter")...)...)
	if !strings.Contains(screenText(m), "Remove the passphrase?") {
		t.Fatalf("removal not asked:\n%s", screenText(m))
	}
	m = send(t, m, keys("y")...)
	if m.screen != screenHome || !strings.Contains(screenText(m), "Passphrase removed") {
		t.Fatalf("after removing:\n%s", screenText(m))
	}
	if set, _ := db.PassphraseSet(ctx); set {
		t.Fatal("the passphrase stays")
	}
	if _, err := os.Stat(store.KeyFilePath(db.Path())); err != nil {
		t.Errorf("no key file after removing the passphrase: %v", err)
	}
}
