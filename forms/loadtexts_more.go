package forms

// Messages of the checks that pyxform's test suite showed fieldbench
// lacked (issue 16). They join loadMessages at start-up, so every message
// still has one table to be found in; this file only keeps loadtexts.go
// short.
const (
	ldRefNotClosed loadKey = "ref_not_closed"
	ldRefMalformed loadKey = "ref_malformed"
)

var moreLoadMessages = map[loadKey][3]string{
	ldRefNotClosed: {
		"%s 中的 ${ 没有对应的 }：引用请写成 ${名称}",
		"%s 中的 ${ 沒有對應的 }：引用請寫成 ${名稱}",
		"the ${ in %s is not closed; write a reference as ${name}"},
	ldRefMalformed: {
		"%s 不是对问题的引用：请写成 ${名称}，括号内只写问题的名称",
		"%s 不是對問題的引用：請寫成 ${名稱}，括號內只寫問題的名稱",
		"%s is not a reference to a question; write ${name} with the question's name and nothing else"},
}

func init() {
	for k, v := range moreLoadMessages {
		if _, dup := loadMessages[k]; dup {
			panic("forms: message " + string(k) + " is defined twice")
		}
		loadMessages[k] = v
	}
}
