package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/laptop"
)

// freshDB is a database with the sample forms and no collector's name.
func freshDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := installSampleForms(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

// The plain prompts ask the setup's questions with the setup's rules
// before the menu, and only when no name is stored.
func TestPlainSetup(t *testing.T) {
	ctx := context.Background()
	db := freshDB(t)
	out := runPlain(t, db, "zh-Hans", "", "   ", strings.Repeat("王", 41), "  王  芳 ", "ftp://x", "", "q")
	for _, want := range []string{"首次使用", "采集员姓名（必填）：", "请填写采集员姓名", "姓名最多 40 个字", "采集员：王 芳",
		"地址要以 http:// 或 https:// 开头", "尚未登记", "入户登记"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if name, _ := db.Collector(ctx); name != "王 芳" {
		t.Fatalf("stored collector %q", name)
	}
	out = runPlain(t, db, "zh-Hans", "q")
	if strings.Contains(out, "首次使用") || !strings.Contains(out, "采集员：王 芳") {
		t.Fatalf("the second run asked again:\n%s", out)
	}
}

// An address with a code enrols through the injected function; a
// catalogue that cannot be reached is said so, and the person goes on
// to the forms.
func TestPlainSetupEnrolmentFailure(t *testing.T) {
	ctx := context.Background()
	db := freshDB(t)
	var out strings.Builder
	in := strings.NewReader(strings.Join([]string{"Wang Fang", "http://127.0.0.1:1", "CODE-1", "n", "q"}, "\n") + "\n")
	err := RunPlain(ctx, db, PlainOptions{In: in, Out: &out, Lang: "en", Enrol: func(ctx context.Context, address, code string) (string, error) {
		resp, err := laptop.Enrol(ctx, db, &laptop.Client{BaseURL: address, MaxAttempts: 1}, code)
		if err != nil {
			return "", err
		}
		return resp.Township, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Enrolling with the catalogue", "The catalogue cannot be reached", "Try enrolling again? (y/n)",
		"Not enrolled", "Household visit"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if tok, _ := db.Setting(ctx, laptop.SettingToken); tok != "" {
		t.Fatalf("a token was stored: %q", tok)
	}
}

// End of input during the setup leaves quietly, with nothing stored.
func TestPlainSetupEndOfInput(t *testing.T) {
	db := freshDB(t)
	out := runPlain(t, db, "en")
	if name, _ := db.Collector(context.Background()); name != "" || !strings.Contains(out, "Goodbye") {
		t.Fatalf("collector %q after:\n%s", name, out)
	}
}

// On a terminal the plain setup offers a passphrase after the catalogue,
// asked without echo (through ReadSecret) twice: two that differ are
// asked again, an empty one skips, a matching pair is set by the store.
func TestPlainSetupOffersPassphrase(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		secrets []string
		set     bool
	}{{[]string{"a", "b", "pw", "pw"}, true}, {[]string{""}, false}} {
		db := freshDB(t)
		var out strings.Builder
		asked := 0
		read := func(prompt string) (string, error) {
			asked++
			return c.secrets[asked-1], nil
		}
		in := strings.NewReader("王芳\n\nq\n")
		if err := RunPlain(ctx, db, PlainOptions{In: in, Out: &out, Lang: "en", ReadSecret: read}); err != nil {
			t.Fatal(err)
		}
		if set, _ := db.PassphraseSet(ctx); set != c.set || asked != len(c.secrets) {
			t.Errorf("%q: set %v, asked %d\n%s", c.secrets, set, asked, out.String())
		}
		for _, want := range []string{"a lost or stolen laptop", "a forgotten passphrase loses"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("the offer lacks %q:\n%s", want, out.String())
			}
		}
		if c.set && (!strings.Contains(out.String(), "The two passphrases differ") || !strings.Contains(out.String(), "Passphrase set")) {
			t.Errorf("output:\n%s", out.String())
		}
	}
}
