package pinyin

import (
	"strings"
	"testing"
)

func TestKey(t *testing.T) {
	for in, want := range map[string][]string{
		"大智街道":  {"dazhijiedao", "dzjd"},
		"江岸区":   {"jianganqu", "jaq"},
		"B区3号":  {"bqu3hao", "bq3h"},
		"长沙市":   {"changshashi", "zhangshashi", "css"},
		"重庆市":   {"chongqingshi", "cqs"},
		"Other": nil,
	} {
		got := Key(in)
		if want == nil && got != "" {
			t.Errorf("Key(%q) = %q, want none", in, got)
		}
		for _, w := range want {
			if !strings.Contains("\x00"+got+"\x00", "\x00"+w+"\x00") {
				t.Errorf("Key(%q) = %q, lacks %q", in, got, w)
			}
		}
	}
}

func TestPlace(t *testing.T) {
	for in, want := range map[string]string{
		"大智街道":      "Dazhi Jiedao",
		"江岸区":       "Jiang'an Qu",
		"西安市":       "Xi'an Shi",
		"湖北省":       "Hubei Sheng",
		"长沙市":       "Changsha Shi",
		"重庆市":       "Chongqing Shi",
		"厦门市":       "Xiamen Shi",
		"朝阳区":       "Chaoyang Qu",
		"广西壮族自治区":   "Guangxizhuangzu Zizhiqu",
		"区":         "Qu",
		"Hong Kong": "Hong Kong",
	} {
		if got := Place(in); got != want {
			t.Errorf("Place(%q) = %q, want %q", in, got, want)
		}
	}
}
