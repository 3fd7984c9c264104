package tui

import (
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

// The paths of repeat instances: a question in the second member of a
// household is at "members[2]/name", and the screens name, add and
// remove instances by those paths.

// instanceOf is the repeat instance ("members[2]") a widget's question is
// in, "" outside repeats.
func instanceOf(w *widget) string {
	if w == nil || w.step.Kind != forms.StepQuestion {
		return ""
	}
	if i := strings.LastIndex(w.step.Path, "]/"); i >= 0 {
		return w.step.Path[:i+1]
	}
	return ""
}

// lastRepeatName is the name of the innermost repeat of an instance path
// ("a[1]/members[2]" -> "members").
func lastRepeatName(instance string) string {
	r := repeatOf(instance)
	if i := strings.LastIndexByte(r, '/'); i >= 0 {
		r = r[i+1:]
	}
	return r
}

// repeatOf is the repeat path of an instance path ("members[2]" -> "members").
func repeatOf(instance string) string {
	if i := strings.LastIndexByte(instance, '['); i >= 0 {
		return instance[:i]
	}
	return instance
}

// firstPathIn is the first step path starting with prefix.
func firstPathIn(steps []forms.Step, prefix string) string {
	for _, st := range steps {
		if strings.HasPrefix(st.Path, prefix) {
			return st.Path
		}
	}
	return ""
}

// instanceAt is the part of path up to the instance of repeat key.
func instanceAt(path, key string) string {
	i := strings.Index(path, key+"[")
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(path[i:], ']')
	if j < 0 {
		return ""
	}
	return path[:i+j+1]
}

// instanceNumber is the number of an instance path ("members[2]" -> "2").
func instanceNumber(instance string) string {
	i := strings.LastIndexByte(instance, '[')
	if i < 0 || !strings.HasSuffix(instance, "]") {
		return ""
	}
	return instance[i+1 : len(instance)-1]
}
