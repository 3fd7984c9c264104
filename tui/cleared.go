package tui

import (
	"fmt"
	"strings"

	"github.com/fieldbench/fieldbench/tui/entry"
)

// clearedText says which answers the last accepted answer of s cleared,
// by question and choice labels in the form language lang, in the words
// of format (one %s for the list, see the "cleared" texts), sanitised for
// the terminal; "" when none was. It is here and not in entry because
// the words and the sanitising belong to the interfaces.
func clearedText(s *entry.Session, lang, format string) string {
	if len(s.Cleared) == 0 {
		return ""
	}
	var parts []string
	for _, c := range s.Cleared {
		label := s.Inst.Text(c.Path, c.Field.Label, lang)
		if label == "" {
			label = c.Field.Name
		}
		parts = append(parts, clean(label)+" "+clean(s.Inst.ChoiceLabels(c.Field, c.Old, lang)))
	}
	return fmt.Sprintf(format, strings.Join(parts, ", "))
}
