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

// builtinLists holds one lazily built list per name. The map is filled at
// init and only read afterwards, so concurrent loads of different lists
// never write to it: each entry's Once guards its own list.
var builtinLists = map[string]*lazyList{}

type lazyList struct {
	once sync.Once
	list *ChoiceList
}

func init() {
	for name := range builtinLevels {
		builtinLists[name] = &lazyList{}
	}
}

// IsBuiltinList reports whether name is one of the built-in division lists.
func IsBuiltinList(name string) bool { _, ok := builtinLevels[name]; return ok }

// builtinList returns the built-in list of that name, or nil. Lists are
// built once per process and shared read-only by every form.
func builtinList(name string) *ChoiceList {
	l, ok := builtinLists[name]
	if !ok {
		return nil
	}
	l.once.Do(func() { l.list = makeDivisionList(name, builtinLevels[name]) })
	return l.list
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
	// One backing array for all choices and one for their column values:
	// 41,352 townships are two allocations, not 41,352 times three.
	backing := make([]Choice, len(rows))
	cols := len(l.Columns)
	values := make([]string, len(rows)*cols)
	for i, d := range rows {
		c := &backing[i]
		c.Name, c.label, c.list = d.Code, d.Name, l
		if cols > 0 {
			c.extra = values[i*cols : (i+1)*cols : (i+1)*cols]
			c.extra[0] = d.Province
			if level >= divisions.County {
				c.extra[1] = d.City
			}
			if level == divisions.Township {
				c.extra[2] = d.County
			}
		}
		l.Choices[i] = c
	}
	l.buildIndex()
	return l
}
