package forms

import (
	"sync"

	"github.com/fieldbench/fieldbench/forms/divisions"
)

// Built-in choice lists of China's divisions, usable in select_one without a
// choices sheet. Choice names are the codes, labels the Chinese names, and
// the extra columns the ancestors' codes, for cascades such as
// choice_filter `county=${county}`.
var builtinLevels = map[string]divisions.Level{
	"cn_province": divisions.Province,
	"cn_city":     divisions.City,
	"cn_county":   divisions.County,
	"cn_township": divisions.Township,
}

var (
	builtinOnce  = map[string]*sync.Once{}
	builtinLists = map[string]*ChoiceList{}
)

func init() {
	for name := range builtinLevels {
		builtinOnce[name] = new(sync.Once)
	}
}

// IsBuiltinList reports whether name is one of the built-in division lists.
func IsBuiltinList(name string) bool { _, ok := builtinLevels[name]; return ok }

// builtinList returns the built-in list of that name, or nil. Lists are
// built once per process and shared read-only by every form.
func builtinList(name string) *ChoiceList {
	level, ok := builtinLevels[name]
	if !ok {
		return nil
	}
	builtinOnce[name].Do(func() { builtinLists[name] = makeDivisionList(name, level) })
	return builtinLists[name]
}

func makeDivisionList(name string, level divisions.Level) *ChoiceList {
	rows := divisions.List(level)
	l := &ChoiceList{Name: name, Choices: make([]*Choice, len(rows))}
	switch level {
	case divisions.City:
		l.Columns = []string{"province"}
	case divisions.County:
		l.Columns = []string{"province", "city"}
	case divisions.Township:
		l.Columns = []string{"province", "city", "county"}
	}
	// One backing array for all choices: 41,352 townships are one allocation,
	// not 41,352.
	backing := make([]Choice, len(rows))
	for i, d := range rows {
		c := &backing[i]
		c.Name = d.Code
		c.Label = Text{"": d.Name}
		if len(l.Columns) > 0 {
			c.Extra = make(map[string]string, len(l.Columns))
			c.Extra["province"] = d.Province
			if level >= divisions.County {
				c.Extra["city"] = d.City
			}
			if level == divisions.Township {
				c.Extra["county"] = d.County
			}
		}
		l.Choices[i] = c
	}
	l.buildIndex()
	return l
}
