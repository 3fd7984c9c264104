package expr

import (
	"math"
	"strconv"
	"strings"
)

// Geopoint reads "latitude longitude [altitude [accuracy]]", as ODK writes
// a geopoint: latitude and longitude in range, every number finite. It is
// the one reading of a point for the type check of geo answers and for
// area() and distance().
func Geopoint(v string) ([]float64, bool) {
	parts := strings.Fields(v)
	if len(parts) < 2 || len(parts) > 4 {
		return nil, false
	}
	nums := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || f != f || math.IsInf(f, 0) {
			return nil, false
		}
		nums[i] = f
	}
	return nums, nums[0] >= -90 && nums[0] <= 90 && nums[1] >= -180 && nums[1] <= 180
}

// GeoPoints reads the points of a geotrace or geoshape, separated by ";"
// (a trailing ";" is allowed, as some exports write one).
func GeoPoints(v string) ([][]float64, bool) {
	parts := strings.Split(strings.TrimSuffix(strings.TrimSpace(v), ";"), ";")
	points := make([][]float64, len(parts))
	for i, p := range parts {
		pt, ok := Geopoint(p)
		if !ok {
			return nil, false
		}
		points[i] = pt
	}
	return points, true
}

// The sphere ODK's engines measure on (JavaRosa's GeoUtils), so that a
// constraint on area() or distance() passes and fails where it does in ODK.
const (
	earthRadius        = 6378100.0 // metres, at the equator
	earthCircumference = 2 * math.Pi * earthRadius
)

// geoArg reads the points area() and distance() take: one geotrace or
// geoshape, or several geopoints (one per node, as of a repeat). A blank or
// unreadable value gives ok false (ODK stops with an error there; here the
// result is NaN, so a constraint reading it fails).
func geoArg(v Value) (points [][]float64, ok bool) {
	if v.Kind == KindNodeset && v.nodeLen() > 1 {
		points = make([][]float64, v.nodeLen())
		for i := range points {
			if points[i], ok = Geopoint(v.nodeAt(i)); !ok {
				return nil, false
			}
		}
		return points, true
	}
	return GeoPoints(v.String())
}

// fnArea is area(shape) in square metres: the polygon projected flat
// around its first point, summed from triangles, as JavaRosa does. Fewer
// than three points enclose nothing.
func fnArea(c Context, n *callNode) Value {
	points, ok := geoArg(n.args[0].eval(c))
	if !ok {
		return Num(math.NaN())
	}
	if len(points) < 3 {
		return Num(0)
	}
	lat0, lon0 := points[0][0], points[0][1]
	xs, ys := make([]float64, 0, len(points)-1), make([]float64, 0, len(points)-1)
	for _, p := range points[1:] {
		ys = append(ys, (p[0]-lat0)*earthCircumference/360)
		xs = append(xs, (p[1]-lon0)*earthCircumference*math.Cos(p[0]*math.Pi/180)/360)
	}
	sum := 0.0
	for i := 1; i < len(xs); i++ {
		sum += (ys[i-1]*xs[i] - xs[i-1]*ys[i]) / 2
	}
	return Num(math.Abs(sum))
}

// fnDistance is distance(trace) in metres: the sum of the great-circle
// distances between consecutive points (the spherical law of cosines, as
// JavaRosa uses; its argument is kept within [-1, 1], so two equal points
// are 0 apart rather than NaN from rounding).
func fnDistance(c Context, n *callNode) Value {
	points, ok := geoArg(n.args[0].eval(c))
	if !ok {
		return Num(math.NaN())
	}
	total := 0.0
	for i := 1; i < len(points); i++ {
		φ1, φ2 := points[i-1][0]*math.Pi/180, points[i][0]*math.Pi/180
		Δλ := (points[i-1][1] - points[i][1]) * math.Pi / 180
		cosAngle := math.Sin(φ1)*math.Sin(φ2) + math.Cos(φ1)*math.Cos(φ2)*math.Cos(Δλ)
		total += math.Acos(math.Max(-1, math.Min(1, cosAngle))) * earthRadius
	}
	return Num(total)
}
