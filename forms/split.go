package forms

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/fieldbench/fieldbench/forms/canonjson"
)

// A record is kept in two parts (store/seal): its masked form, every
// answer masked as a masked export masks it, and the clear value of every
// node masking changed. store/export's Masker makes both from a record's
// bytes; MarshalMasked makes them while writing the record, for the
// writers that hold it as an Instance (an import, the workbench), which
// then neither write the clear record nor read it back. The rules are
// the ones here and in mask.go, for both.

// EntityMasking is how the entity changes of one list are masked: each
// property as the question that saves it (Properties), the label, which
// the form's expression makes of answers (a person's name, a household
// head's), as that class (LabelClass: SensitiveName when the form asks
// for names, else none, which masks only the numbers in it).
type EntityMasking struct {
	Properties map[string]*Field
	LabelClass string
}

// EntityMaskings is how each list the form declares has its entity
// changes masked; of two declarations of one list, the last.
func (f *Form) EntityMaskings() map[string]EntityMasking {
	f.maskingsOnce.Do(func() {
		label := ""
		for _, fd := range f.Fields {
			if MaskClass(fd) == SensitiveName {
				label = SensitiveName
				break
			}
		}
		f.maskings = make(map[string]EntityMasking, len(f.entities))
		for _, d := range f.entities {
			m := EntityMasking{Properties: make(map[string]*Field, len(d.saves)), LabelClass: label}
			for _, fd := range d.saves {
				m.Properties[fd.SaveTo] = fd
			}
			f.maskings[d.List] = m
		}
	})
	return f.maskings
}

// MarshalMasked writes the record as MarshalJSON does, with every answer
// masked as MaskAnswer masks it, the confirmed warnings' text as
// MaskEmbeddedIDs masks it, and the entity changes as EntityMaskings says
// (their other members as MaskEmbeddedIDs masks them): what
// store/export's Masker makes of MarshalJSON's bytes, with the entity
// changes kept. It calls changed for every node masking changed, in
// document order, with its JSON pointer and its canonical clear value
// (both reused after the call). ok is false, and nothing is to be used,
// when a member name would be masked (a property named with a number):
// the caller masks MarshalJSON's bytes then, which seals that object
// whole.
func (in *Instance) MarshalMasked(changed func(pointer, clear []byte)) (masked []byte, ok bool) {
	b := bytes.NewBuffer(make([]byte, 0, in.form.jsonSize.Load()))
	sp := &splitter{changed: changed}
	in.writeJSON(b, in.root, sp)
	return b.Bytes(), !sp.renamed
}

// splitter is what writing a record masked adds to writing it (writeJSON
// and the writers of warnings and entity changes take a nil one when the
// record is written clear).
type splitter struct {
	changed func(pointer, clear []byte)
	path    []pathStep
	ptr     []byte
	clear   []byte
	renamed bool
}

// pathStep is a member name or, with index set, an array index.
type pathStep struct {
	name    string
	index   int
	isIndex bool
}

func (sp *splitter) push(name string) {
	if sp != nil {
		sp.path = append(sp.path, pathStep{name: name})
	}
}

func (sp *splitter) pushIndex(i int) {
	if sp != nil {
		sp.path = append(sp.path, pathStep{index: i, isIndex: true})
	}
}

func (sp *splitter) pop() {
	if sp != nil {
		sp.path = sp.path[:len(sp.path)-1]
	}
}

// text writes a string at the path: masked, and a change, when masking
// changed it.
func (sp *splitter) text(b *bytes.Buffer, value, masked string) {
	if masked == value {
		writeJSONString(b, value)
		return
	}
	writeJSONString(b, masked)
	sp.clear = canonjson.AppendString(sp.clear[:0], value)
	sp.change()
}

// change reports the node at the path, whose clear value is sp.clear.
func (sp *splitter) change() {
	sp.ptr = sp.ptr[:0]
	for _, st := range sp.path {
		if st.isIndex {
			sp.ptr = strconv.AppendInt(append(sp.ptr, '/'), int64(st.index), 10)
		} else {
			sp.ptr = canonjson.AppendPointerToken(sp.ptr, []byte(st.name))
		}
	}
	sp.changed(sp.ptr, sp.clear)
}

// member writes a string member's value, masked as fd's answers are
// (MaskAnswer; fd nil is text no question describes) unless the record
// is written clear (sp nil).
func (sp *splitter) member(b *bytes.Buffer, name, value string, fd *Field) {
	if sp == nil {
		writeJSONString(b, value)
		return
	}
	sp.push(name)
	sp.text(b, value, MaskAnswer(fd, value))
	sp.pop()
}

// entities writes the entity changes as canonjson writes []EntityChange
// (encoding/json's member order, omitempty, properties sorted), masked.
func (sp *splitter) entities(b *bytes.Buffer, f *Form, changes []EntityChange) {
	maskings := f.EntityMaskings()
	sp.push(EntitiesKey)
	b.WriteByte('[')
	for i, c := range changes {
		if i > 0 {
			b.WriteByte(',')
		}
		sp.pushIndex(i)
		m, declared := maskings[c.List]
		// The change's identifiers are written as they are: the free-text
		// rule could take a UUID's digit groups for a mobile number, and
		// an entity stored under a masked id is another entity.
		b.WriteString(`{"list":`)
		writeJSONString(b, c.List)
		b.WriteString(`,"id":`)
		writeJSONString(b, c.ID)
		if c.Create {
			b.WriteString(`,"create":true`)
		}
		if c.Label != "" {
			b.WriteString(`,"label":`)
			var label *Field // text no question describes
			if declared && m.LabelClass != "" {
				label = labelFields[m.LabelClass]
			}
			sp.member(b, "label", c.Label, label)
		}
		if c.BaseVersion != 0 {
			b.WriteString(`,"base_version":`)
			n := strconv.FormatInt(c.BaseVersion, 10)
			if masked := MaskEmbeddedIDs(n); masked != n {
				sp.push("base_version")
				writeJSONString(b, masked)
				sp.clear = append(sp.clear[:0], n...)
				sp.change()
				sp.pop()
			} else {
				b.WriteString(n)
			}
		}
		if len(c.Properties) > 0 {
			b.WriteString(`,"properties":{`)
			sp.push("properties")
			var buf [16]string
			for k, name := range sortedNames(buf[:0], c.Properties) {
				if MaskEmbeddedIDs(name) != name {
					sp.renamed = true
				}
				if k > 0 {
					b.WriteByte(',')
				}
				writeJSONString(b, name)
				b.WriteByte(':')
				sp.member(b, name, c.Properties[name], m.Properties[name]) // nil for a list not declared
			}
			sp.pop()
			b.WriteByte('}')
		}
		if c.Path != "" {
			b.WriteString(`,"path":`)
			writeJSONString(b, c.Path)
		}
		b.WriteByte('}')
		sp.pop()
	}
	b.WriteByte(']')
	sp.pop()
}

// labelFields stand for an entity label of a class: MaskAnswer of one is
// Mask of the class.
var labelFields = map[string]*Field{SensitiveName: {Type: TypeText, Sensitive: SensitiveName}}

// sortedNames is m's keys in order, in buf when they fit.
func sortedNames(buf []string, m map[string]string) []string {
	for k := range m {
		buf = append(buf, k)
	}
	slices.Sort(buf)
	return buf
}
