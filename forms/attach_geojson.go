package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// geoFeature is one feature of a GeoJSON FeatureCollection.
type geoFeature struct {
	Type       string                     `json:"type"`
	ID         json.RawMessage            `json:"id"`
	Geometry   *geoGeometry               `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

type geoGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// parseGeoJSON reads an attached GeoJSON file as ODK does: one
// FeatureCollection whose features are the items. Each item has the
// column geometry (the feature's shape written as ODK writes a geopoint,
// geotrace or geoshape answer: "lat lon alt 0", points joined by "; "),
// id (the feature's id, or its id property), and one column per property.
func parseGeoJSON(name string, data []byte) (*DataTable, LoadErrors) {
	lerr, data := checkText(name, data)
	if lerr != nil {
		return nil, LoadErrors{lerr}
	}
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, LoadErrors{jsonError(name, data, err)}
	}
	if fc.Type != "FeatureCollection" {
		return nil, LoadErrors{newLoadError(fileLoc(name, 1, "type"), ldDataGeoCollection, quote(fc.Type))}
	}
	if len(fc.Features) > maxDataRows {
		return nil, LoadErrors{newLoadError(fileLoc(name, 1, "features"), ldDataTooManyRows, maxDataRows)}
	}
	cols := []string{"geometry", "id"}
	colIndex := map[string]int{"geometry": 0, "id": 1}
	rows := make([][]string, 0, len(fc.Features))
	var errs LoadErrors
	for i, raw := range fc.Features {
		at := fmt.Sprintf("features[%d]", i)
		var f geoFeature
		if err := json.Unmarshal(raw, &f); err != nil || f.Type != "Feature" {
			errs = append(errs, newLoadError(fileLoc(name, 0, at), ldDataGeoFeature))
			continue
		}
		row := make([]string, len(cols))
		geo, msg := odkGeometry(f.Geometry)
		if msg.key != "" {
			errs = append(errs, newLoadError(fileLoc(name, 0, at+".geometry"), msg.key, msg.args...))
			continue
		}
		row[0] = geo
		for _, k := range sortedKeys(f.Properties) {
			j, ok := colIndex[k]
			if !ok {
				if len(cols) >= maxDataColumns {
					return nil, LoadErrors{newLoadError(fileLoc(name, 0, at+".properties"), ldDataTooManyColumns, len(cols)+1, maxDataColumns)}
				}
				j = len(cols)
				colIndex[k] = j
				cols = append(cols, k)
			}
			for len(row) <= j {
				row = append(row, "")
			}
			row[j] = jsonText(f.Properties[k])
		}
		if len(f.ID) > 0 && string(f.ID) != "null" {
			// The feature's own id wins over an id property, as the
			// GeoJSON spec makes it the feature's identifier.
			row[1] = jsonText(f.ID)
		}
		rows = append(rows, row)
		if len(errs) >= maxLoadErrors {
			break
		}
	}
	if errs != nil {
		return nil, errs
	}
	t := newTable("root", "item", cols)
	for i, r := range rows {
		for len(r) < len(cols) {
			r = append(r, "")
		}
		t.addRow(i+1, r)
	}
	return t, nil
}

// sortedKeys lists a feature's properties in a stable order: JSON objects
// have none, and columns must come out the same on every machine.
func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// jsonText is a property value as text: a string as it is, a number as
// written, true/false, "" for null, anything else as its JSON.
func jsonText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return buf.String()
	}
	return string(raw)
}

// odkGeometry writes a geometry as ODK writes geo answers.
func odkGeometry(g *geoGeometry) (string, loadText) {
	if g == nil {
		return "", loadText{}
	}
	var err error
	var out string
	switch g.Type {
	case "Point":
		var p []float64
		if err = json.Unmarshal(g.Coordinates, &p); err == nil {
			out, err = odkPoint(p)
		}
	case "LineString":
		var ps [][]float64
		if err = json.Unmarshal(g.Coordinates, &ps); err == nil {
			out, err = odkPoints(ps)
		}
	case "Polygon":
		var rings [][][]float64
		if err = json.Unmarshal(g.Coordinates, &rings); err == nil {
			if len(rings) == 0 {
				err = fmt.Errorf("a polygon needs a ring of points")
			} else {
				out, err = odkPoints(rings[0]) // the outer ring: a geoshape has no holes
			}
		}
	default:
		return "", loadMsg(ldDataGeoType, quote(g.Type))
	}
	if err != nil {
		return "", loadMsg(ldDataGeoCoordinates, err.Error())
	}
	return out, loadText{}
}

func odkPoints(ps [][]float64) (string, error) {
	parts := make([]string, len(ps))
	for i, p := range ps {
		s, err := odkPoint(p)
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	return strings.Join(parts, "; "), nil
}

// odkPoint turns GeoJSON's [lon, lat, alt?] into ODK's "lat lon alt 0".
func odkPoint(p []float64) (string, error) {
	if len(p) < 2 || len(p) > 3 {
		return "", fmt.Errorf("a point has 2 or 3 numbers, not %d", len(p))
	}
	if p[1] < -90 || p[1] > 90 || p[0] < -180 || p[0] > 180 {
		return "", fmt.Errorf("%g, %g is not a longitude and latitude", p[0], p[1])
	}
	alt := 0.0
	if len(p) == 3 {
		alt = p[2]
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	return f(p[1]) + " " + f(p[0]) + " " + f(alt) + " 0", nil
}

// jsonError locates a JSON syntax error by line.
func jsonError(name string, data []byte, err error) *LoadError {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return newLoadError(fileLoc(name, line, ""), ldDataJSON, se.Error())
	}
	return newLoadError(fileLoc(name, 0, ""), ldDataJSON, err.Error())
}
