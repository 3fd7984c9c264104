package forms

import "strings"

// defaultColumns are the columns a select from a file takes its choices'
// names and labels from unless the parameters column says otherwise:
// name and label, as on the choices sheet; a GeoJSON feature's id and
// title property, as ODK reads them.
func defaultColumns(kind string) (value, label string) {
	if kind == "geojson" {
		return "id", "title"
	}
	return "name", "label"
}

// fill makes the choices of a select from a file, one per item of the
// file, sharing the file's memory: a choice's extra columns are its row.
func (fc *fileChoices) fill(allowDups bool) LoadErrors {
	t, a, l := fc.att.data, fc.att, fc.list
	valueCol, labelCol := defaultColumns(a.Kind)
	valueParam, labelParam := "value", "label"
	if fc.value != "" {
		valueCol, valueParam = fc.value, ""
	}
	if fc.label != "" {
		labelCol, labelParam = fc.label, ""
	}
	use := fc.field.Loc.Row
	var errs LoadErrors
	vi := t.Column(valueCol)
	if vi < 0 {
		errs = append(errs, fc.noColumn(valueCol, valueParam, use))
	}
	li := t.Column(labelCol)
	// Translations: label::LANG columns, as on the choices sheet.
	langs := map[int]string{}
	if fc.label == "" {
		for i, c := range t.cols {
			if lang, ok := strings.CutPrefix(c, labelCol+"::"); ok {
				langs[i] = strings.TrimSpace(lang)
			}
		}
	}
	if li < 0 && len(langs) == 0 {
		errs = append(errs, fc.noColumn(labelCol, labelParam, use))
	}
	if errs != nil {
		return errs
	}
	n := t.Len()
	backing := make([]Choice, n)
	choices := make([]*Choice, 0, n)
	first := make(map[string]int, n)
	for r := 0; r < n; r++ {
		row := t.row(r)
		name := strings.TrimSpace(row[vi])
		at := fileLoc(a.Name, t.line(r), valueCol)
		switch prev, dup := first[name]; {
		case name == "":
			errs = append(errs, newLoadError(at, ldFileChoiceNoValue, valueCol))
			continue
		case dup && !allowDups:
			errs = append(errs, newLoadError(at, ldFileChoiceDup, quote(name), prev))
			continue
		case fc.multi && strings.ContainsAny(name, " \t\n"):
			errs = append(errs, newLoadError(at, ldFileChoiceSpace, quote(name), quote(fc.field.Name)))
			continue
		case !dup:
			first[name] = t.line(r)
		}
		c := &backing[r]
		c.Name, c.list, c.extra, c.Loc = name, l, row, fileLoc(a.Name, t.line(r), "")
		if len(langs) == 0 {
			c.label = row[li]
		} else {
			c.Label = Text{}
			if li >= 0 && row[li] != "" {
				c.Label[""] = row[li]
			}
			for i, lang := range langs {
				if row[i] != "" {
					c.Label[lang] = row[i]
				}
			}
		}
		choices = append(choices, c)
		if len(errs) >= maxLoadErrors {
			break
		}
	}
	if errs != nil {
		return errs
	}
	l.Choices, l.Columns = choices, t.cols
	l.buildIndex()
	return nil
}

func (fc *fileChoices) noColumn(col, param string, row int) *LoadError {
	hint := loadText{}
	if param != "" {
		hint = loadMsg(ldFileColumnParam, param)
	}
	return newLoadError(fileLoc(fc.att.Name, 1, ""), ldFileNoColumn, quote(col), quote(fc.field.Name), row, hint)
}
