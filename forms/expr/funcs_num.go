package expr

import (
	"crypto/rand"
	"math"
	mrand "math/rand/v2"
	"strconv"
	"strings"
)

func unary(f func(float64) float64) *funcDef {
	return &funcDef{min: 1, max: 1, fn: func(c Context, n *callNode) Value {
		return Num(f(n.num(c, 0)))
	}}
}

func binary(f func(x, y float64) float64) *funcDef {
	return &funcDef{min: 2, max: 2, fn: func(c Context, n *callNode) Value {
		return Num(f(n.num(c, 0), n.num(c, 1)))
	}}
}

func addMathFuncs() {
	for name, f := range map[string]func(float64) float64{
		"int":     math.Trunc,
		"floor":   math.Floor,
		"ceiling": math.Ceil,
		"abs":     math.Abs,
		"sqrt":    math.Sqrt,
		"exp":     math.Exp,
		"exp10":   func(x float64) float64 { return math.Pow(10, x) },
		"log":     math.Log,
		"log10":   math.Log10,
		"sin":     math.Sin,
		"cos":     math.Cos,
		"tan":     math.Tan,
		"asin":    math.Asin,
		"acos":    math.Acos,
		"atan":    math.Atan,
	} {
		funcs[name] = unary(f)
	}
	funcs["pow"] = binary(math.Pow)
	funcs["atan2"] = binary(math.Atan2)
	funcs["pi"] = &funcDef{min: 0, max: 0, fn: func(Context, *callNode) Value { return Num(math.Pi) }}
	funcs["round"] = &funcDef{min: 1, max: 2, fn: fnRound}
}

func fnRound(c Context, n *callNode) Value {
	x := n.num(c, 0)
	if len(n.args) == 1 {
		return Num(math.Round(x))
	}
	return Num(roundPlaces(x, toIndex(n.num(c, 1), 400)))
}

// roundPlaces rounds half away from zero at 10^-places, working on the
// shortest decimal form of x as JavaRosa's BigDecimal rounding does, so that
// round(2.675, 2) is 2.68 as a person expects and not 2.67 as the binary
// value 2.67499999... would give.
func roundPlaces(x float64, places int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
		return x
	}
	if places == 0 {
		return math.Round(x)
	}
	neg := x < 0
	s := strconv.FormatFloat(math.Abs(x), 'e', -1, 64) // d.ddde±XX
	ePos := strings.IndexByte(s, 'e')
	exp, _ := strconv.Atoi(s[ePos+1:])
	digits := []byte(strings.Replace(s[:ePos], ".", "", 1))
	// keep is how many leading digits survive: the first digit stands for
	// 10^exp, the last kept one for 10^-places.
	keep := exp + 1 + places
	if keep >= len(digits) {
		return x
	}
	var result float64
	switch {
	case keep < 0:
		result = 0
	case keep == 0:
		if digits[0] >= '5' {
			result = math.Pow(10, float64(-places))
		}
	default:
		up := digits[keep] >= '5'
		digits = digits[:keep]
		if up {
			i := keep - 1
			for ; i >= 0 && digits[i] == '9'; i-- {
				digits[i] = '0'
			}
			if i < 0 {
				digits = append([]byte{'1'}, digits...)
				exp++
			} else {
				digits[i]++
			}
		}
		// digits now hold an integer scaled by 10^(exp+1-len(digits)).
		scale := exp + 1 - len(digits)
		result, _ = strconv.ParseFloat(string(digits)+"e"+strconv.Itoa(scale), 64)
	}
	if neg {
		result = -result
	}
	return result
}

func fnRandom(Context, *callNode) Value { return Num(mrand.Float64()) }

const alnum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// fnUUID returns a random version 4 UUID, or with an argument n (as ODK
// allows) a random alphanumeric string of n characters.
func fnUUID(c Context, n *callNode) Value {
	if len(n.args) == 1 {
		size := toIndex(n.num(c, 0), 4096)
		if size <= 0 {
			return Str("")
		}
		b := make([]byte, size)
		for i := range b {
			b[i] = alnum[mrand.IntN(len(alnum))]
		}
		return Str(string(b))
	}
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails on supported platforms
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	const hexd = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, b := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hexd[b>>4], hexd[b&0x0f])
	}
	return Str(string(out))
}
