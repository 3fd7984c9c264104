package pinyin

import "testing"

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"大智街道":  "dazhijiedao\x00dzjd",
		"江岸区":   "jianganqu\x00jaq",
		"B区3号":  "bqu3hao\x00bq3h",
		"Other": "",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlace(t *testing.T) {
	for in, want := range map[string]string{
		"大智街道":      "Dazhi Jiedao",
		"江岸区":       "Jiang'an Qu",
		"西安市":       "Xi'an Shi",
		"湖北省":       "Hubei Sheng",
		"广西壮族自治区":   "Guangxizhuangzu Zizhiqu",
		"市辖区":       "Shixia Qu",
		"区":         "Qu",
		"Hong Kong": "Hong Kong",
	} {
		if got := Place(in); got != want {
			t.Errorf("Place(%q) = %q, want %q", in, got, want)
		}
	}
}
