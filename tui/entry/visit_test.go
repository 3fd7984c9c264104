package entry

import (
	"testing"

	"github.com/fieldbench/fieldbench/forms"
)

// Only an update of the entity a question names, declared by the record
// (not per repeat instance), is picked before the first question.
func TestFollowUpIsTheRecordsPickedUpdate(t *testing.T) {
	create := forms.EntityDecl{List: "households", Creates: true}
	perMember := forms.EntityDecl{List: "people", Updates: true, IDField: "person", Repeat: "members"}
	fixedID := forms.EntityDecl{List: "households", Updates: true} // entity_id an expression, not ${question}
	visit := forms.EntityDecl{List: "households", Updates: true, Creates: true, IDField: "hh"}
	for _, tc := range []struct {
		decls []forms.EntityDecl
		want  string
	}{
		{nil, ""},
		{[]forms.EntityDecl{create}, ""},
		{[]forms.EntityDecl{perMember, fixedID}, ""},
		{[]forms.EntityDecl{create, perMember, visit}, "hh"},
	} {
		got := ""
		if d := followUp(tc.decls); d != nil {
			got = d.IDField
		}
		if got != tc.want {
			t.Errorf("followUp(%+v) picks %q, want %q", tc.decls, got, tc.want)
		}
	}
}
