package expr

import (
	"math"
	"sync/atomic"
	"time"
)

func addDateFuncs() {
	funcs["today"] = &funcDef{min: 0, max: 0, flags: fVolatile, fn: fnToday}
	funcs["now"] = &funcDef{min: 0, max: 0, flags: fVolatile, fn: fnNow}
	// The rest depend on the device zone (Context.Now's Location) and so
	// are not folded at Parse, though they do not make an expression
	// non-constant.
	funcs["date"] = &funcDef{min: 1, max: 1, flags: fNoFold, fn: fnDate}
	funcs["date-time"] = &funcDef{min: 1, max: 1, flags: fNoFold, fn: fnDateTime}
	funcs["decimal-date-time"] = &funcDef{min: 1, max: 1, fn: fnDecimalDateTime}
	funcs["decimal-time"] = &funcDef{min: 1, max: 1, flags: fNoFold, fn: fnDecimalTime}
	funcs["format-date"] = &funcDef{min: 2, max: 2, flags: fNoFold, fn: fnFormatDate}
	funcs["format-date-time"] = &funcDef{min: 2, max: 2, flags: fNoFold, fn: fnFormatDateTime}
}

type dayString struct {
	y    int
	m    time.Month
	d    int
	text string
}

// lastToday remembers the formatted day because ". <= today()" is checked on
// every answer and the day rarely changes between two evaluations.
var lastToday atomic.Pointer[dayString]

func fnToday(c Context, _ *callNode) Value {
	now := c.Now()
	y, m, d := now.Date()
	if e := lastToday.Load(); e != nil && e.y == y && e.m == m && e.d == d {
		return Str(e.text)
	}
	e := &dayString{y: y, m: m, d: d, text: now.Format(layoutDate)}
	lastToday.Store(e)
	return Str(e.text)
}

func fnNow(c Context, _ *callNode) Value { return Str(c.Now().Format(layoutDateTime)) }

// fnDate turns a number of days into a date (the whole days, as ODK's
// date(today() + 7) idiom needs) and lets date strings through.
func fnDate(c Context, n *callNode) Value {
	t, ok := toTime(n.arg(c, 0), c.Now().Location(), true)
	if !ok {
		return Str("")
	}
	return Str(t.Format(layoutDate))
}

func fnDateTime(c Context, n *callNode) Value {
	t, ok := toTime(n.arg(c, 0), c.Now().Location(), false)
	if !ok {
		return Str("")
	}
	return Str(t.Format(layoutDateTime))
}

func fnDecimalDateTime(c Context, n *callNode) Value {
	v := n.arg(c, 0)
	if v.Kind == KindNumber {
		return v
	}
	if d, ok := dateToDays(trimXMLSpace(v.String())); ok {
		return Num(d)
	}
	return Num(math.NaN())
}

func fnDecimalTime(c Context, n *callNode) Value {
	now := c.Now()
	return Num(decimalTime(n.str(c, 0), now.Location(), now))
}

func fnFormatDate(c Context, n *callNode) Value {
	t, ok := toTime(n.arg(c, 0), c.Now().Location(), true)
	if !ok {
		return Str("")
	}
	return Str(formatDate(t, n.str(c, 1)))
}

func fnFormatDateTime(c Context, n *callNode) Value {
	t, ok := toTime(n.arg(c, 0), c.Now().Location(), false)
	if !ok {
		return Str("")
	}
	return Str(formatDate(t, n.str(c, 1)))
}
