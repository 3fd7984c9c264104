package tui

import (
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

// Every record state has a word in each language, one no other state
// shares, for the Records tabs and wherever a record's state is shown: a
// new state must be named here, not shown as another.
func TestEveryStateHasAName(t *testing.T) {
	for i, lang := range forms.Languages {
		seen := map[string]store.State{}
		for _, s := range store.States {
			row, ok := uiText[stateKey(s)]
			if !ok {
				t.Errorf("state %s has no word in uiText (key %q)", s, stateKey(s))
				continue
			}
			if other, dup := seen[row[i]]; dup {
				t.Errorf("%s: states %s and %s are both %q", lang, other, s, row[i])
			}
			seen[row[i]] = s
		}
	}
}
