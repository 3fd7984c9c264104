package forms

import (
	"fmt"
	"reflect"
	"testing"
)

// oracleDifferences17 lists the records of issue 17's answer sets (the
// ODK Entities registration and follow-up forms, testdata/oracle/README.md
// "Issue 17") where fieldbench is meant to differ from ODK; the codes are
// the README's. The entity blocks themselves are judged by no rule: both
// engines load the forms, and the records are compared as any others.
var oracleDifferences17 = map[string]oracleDifference{
	"entity_household_members:2": {"accepted ", "E: the oracle cannot remove the instance a repeat starts with, so a record without members reads as one blank member"},
	"entity_household_members:3": {"rejected hh_size:constraint", "E: the oracle cannot remove the instance a repeat starts with, so a record without members reads as one blank member"},
	"entity_household_members:8": {"rejected m_age:type", "Q: ODK also reports required for an answer it refused; fieldbench reports the cause once"},
	"entity_trees_followup:6":    {"rejected circumference_cm:constraint tree:choice", "Q: ODK also reports required for an answer it refused; fieldbench reports the cause once"},
	"entity_trees_register:8":    {"rejected circumference_cm:type", "Q: ODK also reports required for an answer it refused; fieldbench reports the cause once"},
}

// TestOracleEntityChanges works out the entity changes of the records of
// issue 17's answer sets that both engines accept: what ODK Central would
// create or update from each submission.
func TestOracleEntityChanges(t *testing.T) {
	const oak = "3f1c2a9e-7d41-4c1b-9a0e-2b6f8d9c1a01"
	cases := []struct {
		form, record string
		want         []string // list, create or update, id when known, base version, label
	}{
		{"entity_trees_register", `{"species": "oak", "circumference_cm": 120, "location": "30.25 112.5 0 5"}`,
			[]string{"trees create 0 Tree: oak"}},
		{"entity_trees_followup", `{"tree": "` + oak + `", "circumference_cm": 125, "health": "good"}`,
			[]string{"trees update " + oak + " 2 "}},
		{"entity_household_members", `{"hh_head": "王芳", "hh_size": 2, "members": [{"m_name": "王芳", "m_age": 40}, {"m_name": "王小明", "m_age": 9}]}`,
			[]string{"households create 0 王芳 household", "persons create 0 王芳", "persons create 0 王小明"}},
	}
	for _, c := range cases {
		t.Run(c.form, func(t *testing.T) {
			f, err := LoadFile(oracleFormPath(c.form), oracleAttachments(t, c.form)...)
			if err != nil {
				t.Fatal(err)
			}
			obj, _ := DecodeRecord([]byte(c.record))
			in, res := f.ValidateRecord(obj, Options{})
			if !res.OK() {
				t.Fatalf("refused: %v", res.Errors)
			}
			changes, err := in.EntityChanges("rec-1")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ch := range changes {
				s := ch.List + " update " + ch.ID
				if ch.Create {
					s = ch.List + " create"
				}
				got = append(got, fmt.Sprintf("%s %d %s", s, ch.BaseVersion, ch.Label))
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("\n got %q\nwant %q", got, c.want)
			}
		})
	}
}
