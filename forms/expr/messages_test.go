package expr

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every syntax message exists in Simplified Chinese, Traditional Chinese and
// English, with the same arguments in each, and every key declared has its
// texts.
func TestSyntaxMessagesInThreeLanguages(t *testing.T) {
	src, err := os.ReadFile("messages.go")
	if err != nil {
		t.Fatal(err)
	}
	declared := regexp.MustCompile(`(?m)^\s+msg\w+\s+msgKey = "(\w+)"`).FindAllStringSubmatch(string(src), -1)
	if len(declared) != len(messages) || len(declared) < 30 {
		t.Errorf("%d keys declared, %d with texts", len(declared), len(messages))
	}
	verbs := regexp.MustCompile(`%[dsqv]`)
	for _, d := range declared {
		m, ok := messages[msgKey(d[1])]
		if !ok {
			t.Errorf("key %s has no texts", d[1])
			continue
		}
		for i, text := range m {
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: text %d is empty", d[1], i)
			}
			if got, want := strings.Join(verbs.FindAllString(text, -1), ""), strings.Join(verbs.FindAllString(m[2], -1), ""); got != want {
				t.Errorf("%s: text %d has arguments %q, the English %q", d[1], i, got, want)
			}
		}
		if m[0] == m[2] || m[1] == m[2] {
			t.Errorf("%s: the Chinese is the English: %q", d[1], m[0])
		}
	}
}

// A syntax error carries its key, says Msg in English and the same message
// in Chinese through Texts, with its token descriptions translated too.
func TestSyntaxErrorTexts(t *testing.T) {
	for _, c := range []struct {
		src  string
		key  string
		want [3]string
	}{
		{"(1 + 2", "expected_rparen", [3]string{"应有 ')' 与第 1 个字符处的 '(' 配对，实为 表达式结尾",
			"應有 ')' 與第 1 個字元處的 '(' 配對，實為 運算式結尾", "expected ')' to close '(' at column 1, found end of expression"}},
		{"if(1, 2)", "arity", [3]string{"if() 需要 3 个参数，实有 2 个", "if() 需要 3 個參數，實有 2 個", "if() takes 3 arguments, got 2"}},
		{"concat('a' 'b')", "expected_comma", [3]string{`concat() 中应为 ',' 或 ')'，实为 字符串 "b"`,
			`concat() 中應為 ',' 或 ')'，實為 字串 "b"`, `expected ',' or ')' in concat(), found string "b"`}},
		{"1 # 2", "unexpected_char", [3]string{"不能出现字符 '#'", "不能出現字元 '#'", "unexpected character '#'"}},
	} {
		_, err := Parse(c.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%s: %v", c.src, err)
		}
		if se.Key() != c.key || se.Texts() != c.want || se.Msg != c.want[2] {
			t.Errorf("%s: key %q, texts %q, Msg %q", c.src, se.Key(), se.Texts(), se.Msg)
		}
	}
	if got := (&SyntaxError{Msg: "x"}).Texts(); got != [3]string{"x", "x", "x"} {
		t.Errorf("a SyntaxError without a key: %q", got)
	}
}
