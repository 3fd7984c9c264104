package forms

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms/canonjson"
)

// EntityDecls lists the form's entity declarations in entities sheet
// order. Saves is keyed by each question's record key (Field.Key), within
// the record or, for a declaration in a repeat, within its instances;
// Repeat is that repeat's key. The result is a copy.
func (f *Form) EntityDecls() []EntityDecl {
	out := make([]EntityDecl, len(f.entities))
	for i, d := range f.entities {
		out[i] = d.EntityDecl
		out[i].Saves = make(map[string]string, len(d.saves))
		for _, fd := range d.saves {
			out[i].Saves[fd.Key] = fd.SaveTo
		}
		out[i].Properties = append([]string(nil), d.Properties...)
		if d.repeat != nil {
			out[i].Repeat = d.repeat.Key
		}
	}
	return out
}

// EntityListFiles names the attached files that are entity lists: those
// whose instance name (households for households.csv) is a list the
// form's entities sheet declares. A form that only reads a list declared
// by another form (a follow-up that updates nothing) names no entity list
// here: which of its files are entity lists is for the stores to say,
// which know every list.
func (f *Form) EntityListFiles() []string {
	var out []string
	for _, a := range f.Attachments {
		for _, d := range f.entities {
			if a.Instance == d.List {
				out = append(out, a.Name)
				break
			}
		}
	}
	return out
}

// checkEntityLists refuses an update declaration whose list the form
// does not read: the entity's version (and whether it exists, for a
// declaration that may also create) comes from the list's __version, as
// ODK's baseVersion reads instance('LIST'), which ODK Validate refuses
// when the form has no such instance.
func (f *Form) checkEntityLists() LoadErrors {
	var errs LoadErrors
	for _, d := range f.entities {
		if d.Updates && f.attachmentFor(d.List) == nil {
			errs = append(errs, newLoadError(d.entityID.Loc, ldEntityListNotRead, quote(d.List), d.List, d.List))
		}
	}
	return errs
}

// EntityChanges works out the entity changes a checked instance makes:
// for each declaration (and each instance of a declaration's repeat that
// applies), its create_if, update_if, entity_id and label now.
//
// A created entity's ID is derived from recordID, the list and the
// repeat instance's path (entityUUID), so checking the same record again
// gives the same IDs. An update takes entity_id's value, and the version
// it is based on from the list the form was given (its __version column;
// 0 when the list does not have the entity). When both create_if and
// update_if hold, the entity is updated if the list has it and created
// otherwise, as ODK Central does (docs.getodk.org/entity-cheat-sheet).
// An update whose entity_id is blank changes nothing.
func (in *Instance) EntityChanges(recordID string) ([]EntityChange, error) {
	if recordID == "" {
		return nil, errors.New("forms: entity changes need the record's id")
	}
	var out []EntityChange
	for _, d := range in.form.entities {
		level := in.form.Root
		if d.repeat != nil {
			level = d.repeat
		}
		for _, n := range in.nodesAt(level) {
			if !in.nodeApplies(n) || !in.groupApplies(n, d.container) {
				continue
			}
			if c, ok := in.entityChange(d, n, recordID); ok {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// nodeApplies reports whether repeat instance n, and every one it is in,
// is relevant: a repeat that does not apply is left out of the record.
func (in *Instance) nodeApplies(n *node) bool {
	for ; n.parent != nil; n = n.parent {
		if n.junk || !n.parent.rel[in.slot(n.level)] {
			return false
		}
	}
	return true
}

// groupApplies reports whether the declaration's container, when it is a
// group, is relevant in node n: ODK leaves a group that does not apply,
// and the meta/entity block in it, out of the submission.
func (in *Instance) groupApplies(n *node, c *Field) bool {
	if c == nil || c.Type != TypeGroup {
		return true
	}
	lv := in.form.level(c)
	for ; n != nil; n = n.parent {
		if n.level == lv {
			return n.rel[in.slot(c)]
		}
	}
	return true
}

func (in *Instance) entityChange(d *entityDef, n *node, recordID string) (EntityChange, bool) {
	holds := func(e *Expression) bool {
		x := exprOf(e)
		return x == nil || x.EvalBool(in.at(n, nil))
	}
	create := d.Creates && holds(d.createIf)
	update := d.Updates && holds(d.updateIf)
	id := ""
	if x := exprOf(d.entityID); x != nil {
		id = strings.TrimSpace(x.EvalString(in.at(n, nil)))
	}
	version, exists := in.form.entityVersion(d.List, id)
	if create && update {
		create, update = !exists, exists
	}
	if update && id == "" || !create && !update {
		return EntityChange{}, false
	}
	c := EntityChange{List: d.List, ID: id, Create: create, Path: nodePath(n)}
	if create {
		c.BaseVersion = 0
		if id == "" {
			c.ID = entityUUID(recordID, d.List, c.Path)
		}
	} else {
		c.BaseVersion = version
	}
	if x := exprOf(d.label); x != nil {
		c.Label = x.EvalString(in.at(n, nil))
	}
	for _, fd := range d.saves {
		// A question that does not apply is left out, not blanked: ODK
		// leaves it out of the submission, and Central then keeps the
		// property as it was (a blank answer that applies clears it).
		if v, applies := in.valueIn(n, fd); applies {
			if c.Properties == nil {
				c.Properties = make(map[string]string, len(d.saves))
			}
			c.Properties[fd.SaveTo] = v
		}
	}
	return c, true
}

// valueIn is fd's value, and whether it applies, in node n or the
// instance enclosing it that holds fd's level.
func (in *Instance) valueIn(n *node, fd *Field) (string, bool) {
	lv := in.form.level(fd)
	for ; n != nil; n = n.parent {
		if n.level == lv {
			s := in.slot(fd)
			return n.value[s], n.rel[s]
		}
	}
	return "", false
}

// nodePath is a repeat instance's record path, "members[2]"; "" for the
// record.
func nodePath(n *node) string {
	var segs []string
	for ; n.parent != nil; n = n.parent {
		segs = append(segs, n.level.Key+"["+strconv.Itoa(n.index)+"]")
	}
	for i, j := 0, len(segs)-1; i < j; i, j = i+1, j-1 {
		segs[i], segs[j] = segs[j], segs[i]
	}
	return strings.Join(segs, "/")
}

// entityUUID derives a created entity's ID: the first 16 bytes of the
// SHA-256 of the record ID, the list and the path, with the version
// nibble 8 and the RFC 9562 variant (a UUIDv8, a name-based UUID of our
// own hash). The same record always names its entities the same way, so
// a record checked again on the laptop and at the catalogue creates the
// same entities, not new ones. Removing an earlier repeat instance moves
// the later ones' paths, and so their IDs, until the record is finalized.
func entityUUID(recordID, list, path string) string {
	h := sha256.Sum256([]byte("fieldbench entity\x00" + recordID + "\x00" + list + "\x00" + path))
	u := h[:16]
	u[6] = u[6]&0x0f | 0x80
	u[8] = u[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], u[0:4])
	hex.Encode(out[9:13], u[4:6])
	hex.Encode(out[14:18], u[6:8])
	hex.Encode(out[19:23], u[8:10])
	hex.Encode(out[24:36], u[10:16])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return string(out[:])
}

// entityVersion looks entity id up in the list the form was given (the
// attached LIST.csv): its __version (0 when the column is missing or not
// a number) and whether the list has it.
func (f *Form) entityVersion(list, id string) (int64, bool) {
	a := f.attachmentFor(list)
	if a == nil || a.data == nil || id == "" {
		return 0, false
	}
	t := a.data
	nameCol := t.Column("name")
	if nameCol < 0 {
		return 0, false
	}
	rows := t.Rows(nameCol, id)
	if len(rows) == 0 {
		return 0, false
	}
	var v int64
	if vc := t.Column(EntityVersionColumn); vc >= 0 {
		v, _ = strconv.ParseInt(strings.TrimSpace(t.Value(int(rows[0]), vc)), 10, 64)
	}
	return v, true
}

// SetEntityChanges sets the entity changes MarshalJSON writes under
// EntitiesKey (none: the member is left out).
func (in *Instance) SetEntityChanges(changes []EntityChange) {
	in.entities = append([]EntityChange(nil), changes...)
}

// fillEntities reads the record's __entities member: its shape, and that
// each change is of a list the form declares. Whether the changes are the
// ones the answers make is for the store to decide (EntityChanges).
func (in *Instance) fillEntities(v any, res *Result) {
	changes, bad, err := entityChangesOf(v)
	if err != nil {
		path := EntitiesKey
		if bad > 0 {
			path = fmt.Sprintf("%s[%d]", EntitiesKey, bad)
		}
		res.addError(EntitiesKey, path, RuleType, err.key)
		if err.key == msgEntitiesList {
			res.Errors[len(res.Errors)-1].Message = message(res.lang, msgEntitiesList, EntitiesKey)
		}
		return
	}
	for i, c := range changes {
		declared := false
		for _, d := range in.form.entities {
			declared = declared || d.List == c.List
		}
		if !declared {
			res.addError(EntitiesKey, fmt.Sprintf("%s[%d]", EntitiesKey, i+1), RuleUnknown, msgEntitiesUndeclared, c.List)
		}
	}
	in.entities = changes
}

// writeEntities appends the __entities member to a record being written.
func (in *Instance) writeEntities(b *bytes.Buffer, key func(string), sp *splitter) {
	if len(in.entities) == 0 {
		return
	}
	key(EntitiesKey)
	if sp == nil {
		out, _ := canonjson.Append(b.AvailableBuffer(), in.entities)
		b.Write(out)
		return
	}
	sp.entities(b, in.form, in.entities)
}

// entityShapeError is a malformed __entities member: its message key.
type entityShapeError struct{ key msgKey }

func (e *entityShapeError) Error() string {
	if e.key == msgEntitiesList {
		return message(LangEn, e.key, EntitiesKey)
	}
	return message(LangEn, e.key)
}

// entityChangesOf reads a decoded __entities member strictly: a list of
// objects with only EntityChange's members, of their types. bad is the
// 1-based position of the first malformed item (0: the list itself).
func entityChangesOf(v any) (out []EntityChange, bad int, err *entityShapeError) {
	if v == nil {
		return nil, 0, nil
	}
	items, ok := v.([]any)
	if !ok {
		return nil, 0, &entityShapeError{msgEntitiesList}
	}
	for i, item := range items {
		c, ok := entityChangeOf(item)
		if !ok {
			return nil, i + 1, &entityShapeError{msgEntitiesItem}
		}
		out = append(out, c)
	}
	return out, 0, nil
}

func entityChangeOf(item any) (EntityChange, bool) {
	obj, ok := item.(map[string]any)
	if !ok {
		return EntityChange{}, false
	}
	var c EntityChange
	texts := map[string]*string{"list": &c.List, "id": &c.ID, "label": &c.Label, "path": &c.Path}
	for k, v := range obj {
		if dst := texts[k]; dst != nil {
			s, ok := v.(string)
			if !ok {
				return c, false
			}
			*dst = s
			continue
		}
		switch k {
		case "create":
			if c.Create, ok = v.(bool); !ok {
				return c, false
			}
		case "base_version":
			n, ok := v.(json.Number)
			if !ok {
				return c, false
			}
			x, err := strconv.ParseInt(string(n), 10, 64)
			if err != nil || x < 0 {
				return c, false
			}
			c.BaseVersion = x
		case "properties":
			props, ok := v.(map[string]any)
			if !ok {
				return c, false
			}
			if len(props) == 0 {
				continue // as written: an empty map is left out
			}
			c.Properties = make(map[string]string, len(props))
			for p, pv := range props {
				s, ok := pv.(string)
				if !ok {
					return c, false
				}
				c.Properties[p] = s
			}
		default:
			return c, false
		}
	}
	return c, c.List != "" && c.ID != ""
}
