package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// AnswerPaths lists a record's answers as paths and text, in the order the
// record's JSON has them (the form's order, as records are stored): a
// repeat's entries numbered from 1, e.g. members[2]/m_name. The catalogue
// names changed answers by these paths (VersionReview.Changed) and review
// show prints them, so both read a record the same way here.
func AnswerPaths(data []byte) ([]string, map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var keys []string
	vals := map[string]string{}
	var walk func(path string, depth int) error
	walk = func(path string, depth int) error {
		if depth > 64 {
			return errors.New("nested too deep")
		}
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var text string
		switch t := tok.(type) {
		case json.Delim:
			close := json.Delim('}')
			if t == '[' {
				close = ']'
			}
			for i := 1; dec.More(); i++ {
				sub := fmt.Sprintf("%s[%d]", path, i)
				if t == '{' {
					k, err := dec.Token()
					if err != nil {
						return err
					}
					name, _ := k.(string)
					if sub = name; path != "" {
						sub = path + "/" + name
					}
				}
				if err := walk(sub, depth+1); err != nil {
					return err
				}
			}
			if end, err := dec.Token(); err != nil || end != close {
				return fmt.Errorf("unbalanced %v", t)
			}
			return nil
		case string:
			text = t
		case json.Number:
			text = t.String()
		case bool:
			text = strconv.FormatBool(t)
		}
		if _, dup := vals[path]; !dup {
			keys = append(keys, path)
		}
		vals[path] = text
		return nil
	}
	if err := walk("", 0); err != nil {
		return nil, nil, err
	}
	return keys, vals, nil
}

// ChangedPaths lists the answer paths whose text differs between two
// versions of a record, or that one has and the other lacks: those of
// data in its order, then those only base has, in base's order.
func ChangedPaths(base, data []byte) ([]string, error) {
	bkeys, bvals, err := AnswerPaths(base)
	if err != nil {
		return nil, err
	}
	keys, vals, err := AnswerPaths(data)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, k := range keys {
		if b, ok := bvals[k]; !ok || b != vals[k] {
			out = append(out, k)
		}
	}
	for _, k := range bkeys {
		if _, ok := vals[k]; !ok {
			out = append(out, k)
		}
	}
	return out, nil
}
