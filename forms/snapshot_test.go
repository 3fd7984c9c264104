package forms

import (
	"fmt"
	"strings"
	"testing"
)

// deepSnapshot lists every value and relevance of every node, repeat
// instances included, to compare an incrementally built instance with one
// evaluated from scratch.
func deepSnapshot(in *Instance) string {
	var b strings.Builder
	var walk func(n *node, prefix string)
	walk = func(n *node, prefix string) {
		for _, fd := range in.form.plan.members[in.levelIndex(n.level)] {
			s := in.slot(fd)
			fmt.Fprintf(&b, "%s%s=%q/%v\n", prefix, fd.Key, n.value[s], n.rel[s])
			if fd.Type == TypeRepeat {
				for _, k := range n.kids[s] {
					walk(k, fmt.Sprintf("%s%s[%d]/", prefix, fd.Key, k.index))
				}
			}
		}
	}
	walk(in.root, "")
	return b.String()
}

func reviewMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func reviewFill(t *testing.T, f *Form, record string) *Instance {
	t.Helper()
	obj, err := DecodeRecord([]byte(record))
	if err != nil {
		t.Fatal(err)
	}
	in, _ := f.Fill(obj, Options{Now: fixedNow})
	return in
}

func reviewCompare(t *testing.T, step *Instance, f *Form, record string) {
	t.Helper()
	full := reviewFill(t, f, record)
	if a, b := deepSnapshot(step), deepSnapshot(full); a != b {
		t.Errorf("incremental and full evaluation differ\nincremental:\n%s\nfull:\n%s", a, b)
	}
}
