package tui

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

// The plain prompts' input: reading a line (cancellably, from one reader
// goroutine), the commands every prompt shares, and answers typed with a
// Chinese input method (full-width digits and letters).

// confirm asks a yes/no question; back is "<".
func (p *plainRun) confirm(prompt string) (yes, back bool, err error) {
	for {
		line, cmd, err := p.read(prompt, "")
		if err != nil || cmd == "<" {
			return false, true, err
		}
		if plainYes(line) || plainNo(line) {
			return plainYes(line), false, nil
		}
		p.say("  " + p.t("yes_no"))
	}
}

// read reads an answer line and handles the commands every prompt shares:
// cmd is "<" or "!c", the others are dealt with here. A leading backslash
// makes the rest a literal answer, so "\?" answers "?".
func (p *plainRun) read(prompt, help string) (line, cmd string, err error) {
	for {
		if line, err = p.line(prompt); err != nil {
			return "", "", err
		}
		if strings.HasPrefix(line, `\`) {
			return line[1:], "", nil
		}
		switch f := plainFold(line); f {
		case "<", "!c":
			return "", f, nil
		case "!q":
			return "", "", errPlainQuit
		case "?":
			p.say(p.t("help"))
			if help != "" {
				p.say(p.t(help))
			}
		default:
			return line, "", nil
		}
	}
}

// line prints a prompt and reads one line. Input is cleaned like output:
// a dumb terminal passes arrow keys through as escape sequences, which
// must not end up in a record.
func (p *plainRun) line(prompt string) (string, error) {
	if err := p.ctx.Err(); err != nil {
		return "", err
	}
	fmt.Fprint(p.out, prompt)
	s, err := p.readLine()
	if err != nil && (s == "" || !errors.Is(err, io.EOF)) {
		fmt.Fprintln(p.out)
		return "", err
	}
	s = strings.TrimPrefix(s, "\ufeff") // Windows tools start piped text with a BOM
	return strings.TrimSpace(forms.Sanitize(s, false)), nil
}

// readLine reads one line, or gives up when the run is cancelled: Ctrl+C
// on a line-mode terminal is a signal, and the person must not have to
// press Enter after it to be let out. One reader goroutine serves every
// line, so nothing read ahead is lost between prompts.
func (p *plainRun) readLine() (string, error) {
	if p.readErr != nil {
		return "", p.readErr
	}
	if p.lines == nil {
		p.lines = make(chan plainLine, 1)
		p.want = make(chan struct{})
		go func() {
			for range p.want {
				s, err := p.in.ReadString('\n')
				p.lines <- plainLine{s, err}
				if err != nil {
					return
				}
			}
		}()
	}
	// A line asked for before a cancellation may still be on its way.
	if !p.pending {
		p.want <- struct{}{}
		p.pending = true
	}
	select {
	case l := <-p.lines:
		p.pending = false
		p.readErr = l.err
		return l.s, l.err
	case <-p.ctx.Done():
		return "", p.ctx.Err()
	}
}

type plainLine struct {
	s   string
	err error
}

func (p *plainRun) say(s string) { fmt.Fprintln(p.out, s) }

// t is the prompt key in the run's language.
func (p *plainRun) t(key string) string {
	row, ok := plainText[key]
	if !ok {
		if row, ok = plainEditText[key]; !ok {
			return key
		}
	}
	return forms.In(row, p.lang)
}

// plainFold maps full-width ASCII to ASCII and lower-cases, so commands and
// numbers typed with a Chinese input method still count.
func plainFold(s string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - '！' + '!'
		}
		return r
	}, s))
}

func plainNumber(s string) (int, bool) {
	s = plainFold(s)
	if s == "" || len(s) > 9 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

func plainYes(s string) bool {
	return slices.Contains([]string{"y", "yes", "ok", "是", "是的", "好", "对", "對", "确认", "確認"}, plainFold(s))
}

func plainNo(s string) bool {
	return slices.Contains([]string{"n", "no", "否", "不", "不是"}, plainFold(s))
}
