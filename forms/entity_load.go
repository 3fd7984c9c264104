package forms

import (
	"sort"
	"strings"
)

// Reading a form's entity declarations: the entities sheet, one row per
// list the form creates or updates, and the survey's save_to column. The
// rules and their order follow pyxform 4.x (pyxform/entities), so that a
// form ODK converts loads here and one it refuses is refused, located.

// savedAnswer is a survey row's save_to cell, linked to its declaration
// once the entities sheet is read (save_to may name a list declared
// there: "households#size").
type savedAnswer struct {
	field *Field
	value string
	loc   Location
}

// entityDef is one declaration as the loader and the engine use it.
type entityDef struct {
	EntityDecl
	label, createIf, updateIf, entityID *Expression
	saves                               []*Field // the save_to questions, in form order
	repeat                              *Field   // see EntityDecl.Repeat; nil for the record
	container                           *Field   // the group, repeat or record it is placed in (entity_scope.go)
}

// exprs are the declaration's expressions with their columns, for compile.
func (d *entityDef) exprs() []namedExpr {
	return []namedExpr{{d.label, "label"}, {d.createIf, "create_if"}, {d.updateIf, "update_if"}, {d.entityID, "entity_id"}}
}

// entityColumns are the entities sheet's columns (pyxform's
// EntityColumns); dataset is list_name's older name.
var entityColumns = map[string]string{
	"list_name": "list_name", "dataset": "list_name", "label": "label",
	"create_if": "create_if", "update_if": "update_if", "entity_id": "entity_id",
}

func classifyEntitiesHeader(h string) column {
	ns, base, _, tagged := splitHeader(h)
	c := column{header: h}
	if k, ok := entityColumns[base]; ok && ns == "" && !tagged {
		c.key = k
		return c
	}
	c.kind, c.key = colExtra, strings.ToLower(strings.TrimSpace(h))
	return c
}

// noteSaveTo keeps a survey row's save_to cell for readEntities. Only a
// question with an answer can save one.
func (b *builder) noteSaveTo(fd *Field, value string, loc Location) {
	switch {
	case fd.Type.IsContainer():
		b.errorAt(loc, ldSaveToContainer)
	case !fd.Type.HasAnswer():
		b.errorAt(loc, ldSaveToNoAnswer, quote(fd.Name), fd.Type.String())
	default:
		b.saveTos = append(b.saveTos, savedAnswer{fd, value, loc})
	}
}

// readEntities reads the entities sheet and links the save_to cells to
// its declarations. An unknown column is refused, as pyxform refuses it:
// a misspelt create_if or update_if would otherwise create or update on
// every record.
func (b *builder) readEntities(sh *sheet) {
	var t *table
	if sh != nil {
		t = b.parseTable(sh, classifyEntitiesHeader)
	}
	if t != nil {
		for _, c := range t.cols {
			if c.kind == colExtra {
				b.errorAt(b.loc(sh, t.header, c.header), ldEntityColumn,
					quote(c.header), didYouMeanText(closest(c.key, keysOf(entityColumns))))
			}
		}
		for i := t.header + 1; i < len(sh.Rows); i++ {
			if !blankRow(sh.Rows[i]) {
				b.readEntityRow(t, i)
			}
		}
	}
	b.linkSaveTos()
	b.placeEntities()
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out) // a stable did-you-mean when two are as close
	return out
}

// readEntityRow reads one declaration, with pyxform's rules for which
// columns go together (get_entity_declaration).
func (b *builder) readEntityRow(t *table, idx int) {
	sh, row := t.sh, t.sh.Rows[idx]
	list, listHdr := t.value(row, "list_name")
	at := func(col string) Location { return b.loc(sh, idx, col) }
	if listHdr == "" {
		listHdr = "list_name"
	}
	switch {
	case list == "":
		b.errorAt(at(listHdr), ldEntityNoList)
		return
	case strings.HasPrefix(list, ReservedPrefix):
		b.errorAt(at(listHdr), ldEntityListPrefix, quote(list))
		return
	case strings.Contains(list, "."):
		b.errorAt(at(listHdr), ldEntityListPeriod, quote(list))
		return
	case !validName(list):
		b.errorAt(at(listHdr), ldEntityListName, quote(list))
		return
	}
	for _, d := range b.f.entities {
		if d.List == list {
			b.errorAt(at(listHdr), ldEntityListTwice, quote(list), d.Loc.Row)
			return
		}
	}
	cellExpr := func(key string) *Expression {
		v, hdr := t.value(row, key)
		if key == "label" {
			v, hdr = strings.TrimSpace(t.text(row, "label")[""]), "label"
			if c := t.texts["label"]; len(c) > 0 {
				hdr = t.cols[c[0]].header
			}
		}
		if v == "" {
			return nil
		}
		return &Expression{Src: v, Loc: at(hdr)}
	}
	d := &entityDef{label: cellExpr("label"), createIf: cellExpr("create_if"),
		updateIf: cellExpr("update_if"), entityID: cellExpr("entity_id")}
	d.List, d.Loc = list, at("")
	switch {
	case d.entityID == nil && d.updateIf != nil:
		b.errorAt(d.updateIf.Loc, ldEntityUpdateNoID, quote(list))
		return
	case d.entityID != nil && d.createIf != nil && d.updateIf == nil:
		b.errorAt(d.createIf.Loc, ldEntityUpsertNoUpdateIf, quote(list))
		return
	case d.entityID == nil && d.label == nil:
		b.errorAt(at(listHdr), ldEntityCreateNoLabel, quote(list))
		return
	}
	d.Creates = d.entityID == nil || d.createIf != nil
	d.Updates = d.entityID != nil
	if d.entityID != nil && wholeRefRE.MatchString(d.entityID.Src) {
		d.IDField = strings.TrimSpace(d.entityID.Src[2 : len(d.entityID.Src)-1])
	}
	d.Saves = map[string]string{}
	b.f.entities = append(b.f.entities, d)
}

// linkSaveTos gives each save_to cell its declaration: "LIST#property",
// or just the property when the form declares one list.
func (b *builder) linkSaveTos() {
	for _, s := range b.saveTos {
		list, prop := "", s.value
		switch strings.Count(s.value, "#") {
		case 0:
			switch len(b.f.entities) {
			case 0:
				b.errorAt(s.loc, ldSaveToNoEntities)
				continue
			case 1:
				list = b.f.entities[0].List
			default:
				b.errorAt(s.loc, ldSaveToNeedList, quote(s.value), entityListNames(b.f.entities))
				continue
			}
		case 1:
			list, prop, _ = strings.Cut(s.value, "#")
		default:
			b.errorAt(s.loc, ldSaveToManyHash, quote(s.value))
			continue
		}
		if len(b.f.entities) == 0 {
			b.errorAt(s.loc, ldSaveToNoEntities)
			continue
		}
		d := b.entityDef(list)
		if d == nil {
			b.errorAt(s.loc, ldSaveToUnknownList, quote(list), entityListNames(b.f.entities))
			continue
		}
		switch low := strings.ToLower(prop); {
		case low == "name" || low == "label":
			b.errorAt(s.loc, ldSaveToReserved, quote(prop))
			continue
		case strings.HasPrefix(prop, ReservedPrefix):
			b.errorAt(s.loc, ldSaveToPrefix, quote(prop))
			continue
		case !validName(prop):
			b.errorAt(s.loc, ldSaveToName, quote(prop))
			continue
		}
		if prev := d.savedBy(prop); prev != nil {
			b.errorAt(s.loc, ldSaveToTwice, quote(prop), prev.Loc.Row)
			continue
		}
		s.field.SaveTo, s.field.SaveList = prop, list
		d.saves = append(d.saves, s.field)
		d.Properties = append(d.Properties, prop)
	}
}

func (b *builder) entityDef(list string) *entityDef {
	for _, d := range b.f.entities {
		if d.List == list {
			return d
		}
	}
	return nil
}

func (d *entityDef) savedBy(prop string) *Field {
	for _, fd := range d.saves {
		if fd.SaveTo == prop {
			return fd
		}
	}
	return nil
}

func entityListNames(ds []*entityDef) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.List
	}
	return strings.Join(names, ", ")
}
