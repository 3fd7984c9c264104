package seal

import (
	"encoding/json"
	"fmt"

	"github.com/fieldbench/fieldbench/forms/canonjson"
)

// An entity (a row of an entity list) is kept as records are: its label
// and properties masked, and the clear value of what masking changed in
// its sealed part, a JSON object of the clear label and the clear
// properties that differ. The laptop and the catalogue share this shape.

// entitySecret is an entity's sealed part.
type entitySecret struct {
	Label      *string           `json:"label,omitempty"`
	Properties map[string]string `json:"properties,omitempty"`
}

// SealEntity seals under dk, bound to ad, what of the clear label and
// properties differs from the masked ones; nil when nothing does.
func SealEntity(dk *DataKey, ad []byte, clearLabel, maskedLabel string, clearProps, maskedProps map[string]string) []byte {
	var s entitySecret
	if clearLabel != maskedLabel {
		s.Label = &clearLabel
	}
	for name, v := range clearProps {
		if m, ok := maskedProps[name]; !ok || m != v {
			if s.Properties == nil {
				s.Properties = map[string]string{}
			}
			s.Properties[name] = v
		}
	}
	if s.Label == nil && s.Properties == nil {
		return nil
	}
	// entitySecret as encoding/json reads it, written by hand: a batch
	// seals every entity it touches.
	plain := append(make([]byte, 0, 256), '{')
	if s.Label != nil {
		plain = canonjson.AppendString(append(plain, `"label":`...), *s.Label)
	}
	if s.Properties != nil {
		if s.Label != nil {
			plain = append(plain, ',')
		}
		plain = canonjson.AppendStringMap(append(plain, `"properties":`...), s.Properties)
	}
	return dk.Seal(append(plain, '}'), ad)
}

// OpenEntity opens an entity's sealed part, bound to ad, with keys, and
// puts the clear label and properties it holds into label and props.
func OpenEntity(blob, ad []byte, keys KeyLookup, label *string, props map[string]string) error {
	plain, err := Open(blob, ad, keys)
	if err != nil {
		return err
	}
	var s entitySecret
	if err := json.Unmarshal(plain, &s); err != nil {
		return &DamagedError{What: "sealed entity", Err: fmt.Errorf("%v", err)}
	}
	if s.Label != nil {
		*label = *s.Label
	}
	for name, v := range s.Properties {
		props[name] = v
	}
	return nil
}
