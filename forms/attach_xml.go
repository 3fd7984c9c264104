package forms

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// parseXML reads an attached XML file of the shape ODK's selects and
// lookups use: a document element holding items of one name, each item
// holding elements whose text is its values,
//
//	<root><item><name>a</name><label>A</label></item>...</root>
//
// Attributes, comments and processing instructions are ignored; deeper
// nesting, text beside the items and a DTD are refused, so what is read
// is what a person sees in the file. Encodings other than UTF-8 are
// refused by the decoder (it has no CharsetReader), and no entity other
// than XML's five is expanded.
func parseXML(name string, data []byte) (*DataTable, LoadErrors) {
	lerr, data := checkText(name, data)
	if lerr != nil {
		return nil, LoadErrors{lerr}
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	fail := func(key loadKey, args ...any) (*DataTable, LoadErrors) {
		line, _ := d.InputPos()
		return nil, LoadErrors{newLoadError(fileLoc(name, line, ""), key, args...)}
	}
	var (
		root, item string
		cols       []string
		colIndex   = map[string]int{}
		rows       [][]string
		lines      []int
		cur        []string // the item being read
		field      = -1     // its value being read
		text       strings.Builder
		depth      int
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, LoadErrors{newLoadError(fileLoc(name, se.Line, ""), ldDataXML, se.Msg)}
			}
			return fail(ldDataXML, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			local := t.Name.Local
			switch depth {
			case 1:
				root = local
			case 2:
				if item == "" {
					item = local
				} else if local != item {
					return fail(ldDataXMLItemName, quote(local), quote(item))
				}
				if len(rows) >= maxDataRows {
					return fail(ldDataTooManyRows, maxDataRows)
				}
				line, _ := d.InputPos()
				cur = make([]string, len(cols))
				lines = append(lines, line)
			case 3:
				i, ok := colIndex[local]
				if !ok {
					if len(cols) >= maxDataColumns {
						return fail(ldDataTooManyColumns, len(cols)+1, maxDataColumns)
					}
					i = len(cols)
					colIndex[local] = i
					cols = append(cols, local)
				}
				for len(cur) <= i {
					cur = append(cur, "")
				}
				field = i
				text.Reset()
			default:
				return fail(ldDataXMLDeep, quote(local))
			}
		case xml.EndElement:
			switch depth {
			case 2:
				rows = append(rows, cur)
				cur = nil
			case 3:
				cur[field] = text.String()
				field = -1
			}
			depth--
		case xml.CharData:
			switch {
			case depth == 3:
				text.Write(t)
			case len(bytes.TrimSpace(t)) > 0:
				return fail(ldDataXMLText, quote(strings.TrimSpace(string(t))))
			}
		case xml.Directive:
			return fail(ldDataXMLDirective)
		}
	}
	if root == "" {
		return nil, LoadErrors{newLoadError(fileLoc(name, 1, ""), ldDataXMLEmpty)}
	}
	if item == "" {
		item = "item"
	}
	tbl := newTable(root, item, cols)
	for i, r := range rows {
		for len(r) < len(cols) {
			r = append(r, "")
		}
		tbl.addRow(lines[i], r)
	}
	return tbl, nil
}
