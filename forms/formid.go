package forms

import "strings"

// A form id names the dataset in the catalogue and the files an export
// writes (FORMID.csv, FORMID-members.csv), on Linux and on Windows. So it
// is kept to the characters of ODK's form design guidance, safe in a file
// name and a URL on every system: A-Z a-z 0-9 _ . - (no separator of
// either system, no space, no drive colon), and never "." or "..".
func formIDProblem(id string) loadText {
	if id == "." || id == ".." {
		return loadMsg(ldFormIDNotName)
	}
	for _, r := range id {
		if !formIDRune(r) {
			var what any = quote(string(r))
			if r == ' ' {
				what = loadMsg(ldASpace)
			}
			return loadMsg(ldFormIDChars, what)
		}
	}
	return loadText{}
}

// ValidFormID reports whether id may name a form: the rule the loader
// applies to form_id, for ids that arrive by other ways.
func ValidFormID(id string) bool { return id != "" && formIDProblem(id).key == "" }

func formIDRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-'
}

// suggestFormID spells id with each run of other characters as one _,
// for the message; a name with nothing usable gets a placeholder.
func suggestFormID(id string) string {
	var b strings.Builder
	under := false
	for _, r := range id {
		if formIDRune(r) {
			b.WriteRune(r)
			under = false
		} else if !under {
			b.WriteByte('_')
			under = true
		}
	}
	s := strings.Trim(b.String(), "_.")
	if s == "" || strings.Trim(s, "_.-") == "" {
		return "household_2024"
	}
	return s
}
