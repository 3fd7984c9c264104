package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// theme is how the screens draw their chrome.
//
// The rule for borders: Chinese Windows consoles and several CJK fonts
// draw East-Asian *ambiguous*-width characters (box drawing, bullets,
// arrows, curly quotes) two cells wide, which breaks every border and
// column. The Unicode theme therefore uses none of them (a test checks
// every rune of its chrome); it draws with colour bars and a few
// narrow-by-definition marks. The ASCII theme uses plain ASCII only. The
// ASCII theme is chosen automatically on the Linux text console (TERM=linux,
// which has no CJK glyphs) and on Windows consoles other than Windows
// Terminal (WT_SESSION unset); anyone can switch in Settings.
type theme struct {
	name     string // "unicode" or "ascii"
	rule     string // a horizontal rule's unit
	pointer  string // marks the focused line
	crumb    string // between breadcrumb parts
	checked  string // a chosen choice of select_multiple
	empty    string // an unchosen one
	radioOn  string
	radioOff string
	errMark  string
	okMark   string
	warnMark string // a warning: shown, not an error
	barOn    string // the filled part of a bar (quality screen)
	barOff   string // its empty part

	title, crumbs, label, hint, focus, dim, err, ok, key, bar, warn lipgloss.Style
}

func newTheme(name string, color bool) theme {
	th := theme{name: "unicode", rule: "⎯", pointer: "▸", crumb: " › ", checked: "[x]", empty: "[ ]",
		radioOn: "(*)", radioOff: "( )", errMark: "! ", okMark: "✓ ", warnMark: "? ", barOn: "▰", barOff: "▱"}
	if name == "ascii" {
		th = theme{name: "ascii", rule: "-", pointer: ">", crumb: " > ", checked: "[x]", empty: "[ ]",
			radioOn: "(*)", radioOff: "( )", errMark: "! ", okMark: "+ ", warnMark: "? ", barOn: "#", barOff: "."}
	}
	th.title = lipgloss.NewStyle().Bold(true)
	th.crumbs = lipgloss.NewStyle()
	th.label = lipgloss.NewStyle().Bold(true)
	th.hint = lipgloss.NewStyle().Faint(true)
	th.focus = lipgloss.NewStyle().Reverse(true)
	th.dim = lipgloss.NewStyle().Faint(true)
	th.err = lipgloss.NewStyle().Bold(true)
	th.ok = lipgloss.NewStyle()
	th.key = lipgloss.NewStyle().Faint(true)
	th.bar = lipgloss.NewStyle().Reverse(true)
	th.warn = lipgloss.NewStyle().Bold(true)
	if color {
		th.warn = th.warn.Foreground(lipgloss.Color("11"))
		th.title = th.title.Foreground(lipgloss.Color("12"))
		th.crumbs = th.crumbs.Foreground(lipgloss.Color("6"))
		th.err = th.err.Foreground(lipgloss.Color("9"))
		th.ok = th.ok.Foreground(lipgloss.Color("10"))
		th.bar = lipgloss.NewStyle().Background(lipgloss.Color("4")).Foreground(lipgloss.Color("15"))
	}
	return th
}

// chooseTheme is the automatic choice described on theme.
func chooseTheme(getenv func(string) string, goos string) string {
	if getenv("TERM") == "linux" {
		return "ascii"
	}
	if goos == "windows" && getenv("WT_SESSION") == "" {
		return "ascii"
	}
	return "unicode"
}

// setColorProfile makes lipgloss draw what this terminal can show.
// Under NO_COLOR lipgloss v1 (termenv's Ascii profile) would strip bold
// and reverse video as well, and with them the text cursor; no-color.org
// asks only for no colour, so the profile stays ANSI and the theme simply
// uses no colours.
func setColorProfile(getenv func(string) string) (color bool) {
	if getenv("NO_COLOR") != "" {
		lipgloss.SetColorProfile(termenv.ANSI)
		return false
	}
	return true
}

// ruleLine is a horizontal rule w cells wide.
func (th theme) ruleLine(w int) string {
	if w <= 0 {
		return ""
	}
	return th.dim.Render(strings.Repeat(th.rule, w))
}
