package forms

import (
	"strings"
	"testing"
)

// Each test in this file pins a loader difference with ODK or pyxform found
// on real XLSForms and in pyxform's test suite (issue 16), now fixed.

// Was: two translations of a column fieldbench does not know (help::en,
// help::fr) were taken for one column written twice, and the form was
// refused; bind:: and body:: attributes without a fieldbench meaning
// (preloads, a bind type, GPS accuracy, an external app) refused it too.
// Such columns are now ignored, each with one located warning.
func TestUnknownAndAttributeColumnsIgnored(t *testing.T) {
	f := mustBuildMD(t, `
| survey |
| | type | name | label | help::en | help::fr | bind::jr:preload | bind::jr:preloadParams | bind::type | bind::odk:length | body::accuracyThreshold | body::intent | intent | body::foo |
| | text | a | A | Help | Aide | timestamp | start | int | 5 | 10 | org.app | org.app | x |
`)
	for _, h := range []string{"help::en", "help::fr", "bind::jr:preload", "bind::type", "body::accuracyThreshold", "body::intent", `"intent"`, "body::foo"} {
		wantWarning(t, f, h)
	}
	for _, w := range f.Warnings {
		if w.Loc.Sheet != "survey" || w.Loc.Row != 3 || w.Loc.Column == "" {
			t.Errorf("warning not located at the header cell: %v", w)
		}
	}
	// The same unknown header twice is still one column written twice.
	_, errs := buildMD(t, "| survey |\n| | type | name | label | help::en | help::en |\n| | text | a | A | x | y |\n")
	wantError(t, errs, "survey:2:help::en", "columns D and E")
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "help::en") {
		t.Errorf("want one error naming help::en, got %v", errs)
	}
}
