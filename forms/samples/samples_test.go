package samples_test

import (
	"slices"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
)

// Identity names every embedded sample by the form_id and version its
// settings sheet gives: a laptop trusts the table rather than loading the
// workbooks at each start.
func TestIdentity(t *testing.T) {
	all := append(slices.Clone(samples.Names), samples.FollowUps...)
	if len(samples.Identity) != len(all) {
		t.Errorf("Identity has %d samples, Names and FollowUps %d", len(samples.Identity), len(all))
	}
	for _, name := range all {
		data, err := samples.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := forms.Load(name, data, forms.EntityListStubs(name, data, nil)...)
		if err != nil {
			t.Fatal(err)
		}
		if id := samples.Identity[name]; f.ID != id.FormID || f.Version != id.Version {
			t.Errorf("%s is %s version %s; Identity says %+v", name, f.ID, f.Version, id)
		}
	}
}
