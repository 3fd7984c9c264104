package expr

import (
	"reflect"
	"testing"
)

// The columns of an instance an expression reads; every column where
// which cannot be told at load.
func TestInstanceColumns(t *testing.T) {
	for src, want := range map[string][]InstanceColumn{
		"instance('households')/root/item[name=${hh}]/size":                   {{"households", "size"}, {"households", "name"}},
		"instance('households')/root/item[village=${v} and name=${hh}]/phone": {{"households", "phone"}, {"households", "village"}, {"households", "name"}},
		"pulldata('households', 'head_phone', 'name', ${hh})":                 {{"households", "head_phone"}, {"households", "name"}},
		"pulldata('households', ${col}, 'name', ${hh})":                       {{"households", "*"}, {"households", "name"}},
		"count(instance('households')/root/item)":                             {{"households", "*"}},
		"instance('households')/root/item[name=${hh}]/*":                      {{"households", "*"}, {"households", "name"}},
		"instance('households')//size":                                        {{"households", "*"}},
		"string(instance('households'))":                                      {{"households", "*"}},
		"instance('households')/root/item[contains(., ${q})]/size":            {{"households", "size"}, {"households", "*"}},
		"${a} + 1": nil,
	} {
		x, err := Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := x.InstanceColumns(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", src, got, want)
		}
	}
}
