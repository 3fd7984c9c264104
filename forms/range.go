package forms

import (
	"fmt"
	"math/big"
	"strings"
)

// rangeDefaults are a range question's start, end and step when the
// parameters leave them out (pyxform's question_type_dictionary).
var rangeDefaults = map[string]string{"start": "1", "end": "10", "step": "1"}

// checkRange applies pyxform's rules for a range question's parameters
// (validators/pyxform/question_types/range.py), then turns start, end and
// step into a constraint, so the engine checks a range like any other
// question. Numbers are exact rationals: 0.1 steps must divide exactly,
// as pyxform's Decimal arithmetic makes them.
func (r *surveyReader) checkRange(fd *Field, idx int, loc Location) {
	b, p := r.b, fd.Parameters
	if app := fd.Appearance; app != "" && !strings.Contains(app, "vertical") && !strings.Contains(app, "no-ticks") {
		for _, k := range []string{"tick_interval", "placeholder", "tick_labelset"} {
			if _, set := p[k]; set {
				b.errorAt(loc, ldRangeAppearance, quote(app))
				return
			}
		}
	}
	value := func(k string) string {
		if v, set := p[k]; set {
			return v
		}
		return rangeDefaults[k]
	}
	num := map[string]*big.Rat{}
	decimal := false
	for _, k := range []string{"start", "end", "step", "tick_interval", "placeholder"} {
		v := value(k)
		if v == "" {
			continue
		}
		x, ok := exactNumber(v)
		if !ok {
			b.errorAt(loc, ldParamNumber, k, quote(v))
			return
		}
		num[k] = x
		decimal = decimal || !x.IsInt()
	}
	start, end, step := num["start"], num["end"], num["step"]
	lo, hi := minRat(start, end), maxRat(start, end)
	width := new(big.Rat).Sub(hi, lo)
	for _, k := range []string{"step", "tick_interval"} {
		x := num[k]
		switch {
		case x == nil:
		case x.Sign() == 0:
			b.errorAt(loc, ldRangeZero, k)
			return
		case x.Cmp(width) > 0:
			b.errorAt(loc, ldRangeWider, k)
			return
		}
	}
	if ti := num["tick_interval"]; ti != nil && !multipleOf(ti, step) {
		b.errorAt(loc, ldRangeMultiple, "tick_interval", "step")
		return
	}
	if ph := num["placeholder"]; ph != nil {
		if !multipleOf(new(big.Rat).Sub(ph, start), step) {
			b.errorAt(loc, ldRangeMultiple, "placeholder", "step")
			return
		}
		if ph.Cmp(lo) < 0 || ph.Cmp(hi) > 0 {
			b.errorAt(loc, ldRangeOutside, "placeholder")
			return
		}
	}
	if name, set := p["tick_labelset"]; set && !r.checkTickLabels(fd, name, num, loc) {
		return
	}
	if decimal {
		fd.Type = TypeDecimal
	}
	c := fmt.Sprintf(". >= %s and . <= %s", ratString(lo), ratString(hi))
	if !decimal && step.Cmp(big.NewRat(1, 1)) != 0 && step.Cmp(big.NewRat(-1, 1)) != 0 {
		c += fmt.Sprintf(" and (. - %s) mod %s = 0", ratString(start), ratString(new(big.Rat).Abs(step)))
	}
	if fd.Constraint != nil {
		fd.Constraint.Src = "(" + fd.Constraint.Src + ") and " + c
		return
	}
	fd.Constraint = &Expression{Src: c, Loc: loc}
}

// checkTickLabels checks a tick_labelset list: on the choices sheet, every
// choice a number between start and end, on a tick, and with the no-ticks
// appearance exactly start and end.
func (r *surveyReader) checkTickLabels(fd *Field, name string, num map[string]*big.Rat, loc Location) bool {
	b := r.b
	l := b.choiceLists[name]
	if l == nil {
		b.errorAt(loc, ldRangeLabelsetList, quote(name))
		return false
	}
	start, end := num["start"], num["end"]
	lo, hi := minRat(start, end), maxRat(start, end)
	tick, tickKey := num["step"], "step"
	if ti := num["tick_interval"]; ti != nil {
		tick, tickKey = ti, "tick_interval"
	}
	noTicks := strings.Contains(fd.Appearance, "no-ticks")
	seen := map[string]bool{}
	for _, c := range l.Choices {
		x, ok := exactNumber(c.Name)
		switch {
		case !ok:
			b.errorAt(loc, ldRangeLabelNumber, quote(name), quote(c.Name))
		case x.Cmp(lo) < 0 || x.Cmp(hi) > 0:
			b.errorAt(loc, ldRangeLabelOutside, quote(c.Name), quote(name))
		case !multipleOf(new(big.Rat).Sub(x, start), tick):
			b.errorAt(loc, ldRangeLabelTick, quote(c.Name), quote(name), tickKey)
		default:
			seen[x.RatString()] = true
			continue
		}
		return false
	}
	if noTicks && (len(seen) != 2 || !seen[start.RatString()] || !seen[end.RatString()]) {
		b.errorAt(loc, ldRangeNoTicks, quote(name))
		return false
	}
	return true
}

// exactNumber reads a decimal number (1, -2.5, 1e3) exactly.
func exactNumber(s string) (*big.Rat, bool) {
	if !decimalRE.MatchString(s) {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

// multipleOf reports whether x is a whole multiple of step (step ≠ 0).
func multipleOf(x, step *big.Rat) bool {
	return new(big.Rat).Quo(x, step).IsInt()
}

func minRat(a, b *big.Rat) *big.Rat {
	if a.Cmp(b) <= 0 {
		return a
	}
	return b
}

func maxRat(a, b *big.Rat) *big.Rat {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}

// ratString writes x as a decimal the expression language reads.
func ratString(x *big.Rat) string {
	if x.IsInt() {
		return x.Num().String()
	}
	return strings.TrimRight(strings.TrimRight(x.FloatString(20), "0"), ".")
}
