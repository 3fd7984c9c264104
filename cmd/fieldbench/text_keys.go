package main

func init() {
	// The catalogue key's texts, kept apart as flagText is.
	addTexts("keyText", keyText)
}

// keyText holds the texts of the catalogue's key file and of what is
// sealed with it (store/seal's typed errors said in the person's
// language), in the order of forms.Languages.
var keyText = map[string][3]string{
	"catalogue.no_key_place": {"找不到放中心目录密钥文件的地方：%s；用 --postgres 时请用 --key 文件 指定", "找不到放中心目錄金鑰檔的地方：%s；用 --postgres 時請用 --key 檔案 指定",
		"cannot find a place for the catalogue's key file: %s; with --postgres, name it with --key FILE"},
	"key.prompt": {"中心目录密钥文件 %s 的口令：", "中心目錄金鑰檔 %s 的口令：", "passphrase of the catalogue's key file %s: "},
	"key.passphrase_needed": {"密钥文件 %s 有口令保护：请在终端上输入口令，或设置环境变量 %s",
		"金鑰檔 %s 有口令保護：請在終端機上輸入口令，或設定環境變數 %s",
		"the key file %s is protected by a passphrase: type it on a terminal, or set %s"},
	"key.wrong_passphrase": {"口令打不开密钥文件 %s；什么都没有改动。请换正确的口令再试",
		"口令打不開金鑰檔 %s；什麼都沒有改動。請換正確的口令再試",
		"the passphrase does not open the key file %s; nothing was changed. Try again with the right one"},
	"key.missing_catalogue": {"数据是用中心目录密钥 %s 加密的，密钥文件 %s 里没有这把密钥：请用含有它的密钥文件（备份）再试（--key）",
		"資料是用中心目錄金鑰 %s 加密的，金鑰檔 %s 裡沒有這把金鑰：請用含有它的金鑰檔（備份）再試（--key）",
		"the data is sealed to catalogue key %s, which the key file %s does not hold: try again with a key file that does (a backup; --key)"},
	"key.missing_data": {"加密数据的数据密钥 %s 不在这里，打不开", "加密資料的資料金鑰 %s 不在這裡，打不開",
		"the data key %s the data is sealed with is not at hand: it does not open"},
	"key.does_not_open": {"数据密钥 %s 打不开这份加密数据：数据被改过，或是从别的记录挪来的", "資料金鑰 %s 打不開這份加密資料：資料被改過，或是從別的記錄挪來的",
		"data key %s does not open the sealed data: it was changed, or moved from another record"},
	"key.damaged": {"%s 已损坏，读不出来：%v", "%s 已損壞，讀不出來：%v", "%s is damaged and does not read: %v"},
	"key.created": {"已新建中心目录密钥文件 %s（密钥 %s）：请把它另外备份，丢了它，加密的个人信息就再也打不开",
		"已新建中心目錄金鑰檔 %s（金鑰 %s）：請把它另外備份，丟了它，加密的個人資訊就再也打不開",
		"made the catalogue's key file %s (key %s): back it up apart from the database; without it the sealed personal data can never be read again"},
	"key.current": {"当前密钥：%s %s（笔记本电脑登记和同步时收到这把公钥）", "目前金鑰：%s %s（筆記型電腦登記和同步時收到這把公鑰）",
		"current key: %s %s (laptops receive this public key at enrolment and on every sync)"},
	"seal_existing.progress": {"正在加密升级前以明文存放的数据：已检查 %d / %d", "正在加密升級前以明文存放的資料：已檢查 %d / %d",
		"sealing what was stored in clear before this release: %d of %d looked at"},
	"seal_existing.done": {"已加密升级前以明文存放的 %d 条数据，并清除了它们的旧副本", "已加密升級前以明文存放的 %d 筆資料，並清除了它們的舊副本",
		"sealed %d rows stored in clear before this release, and removed their old copies"},
	"rekey.progress": {"已重新加密 %d / %d", "已重新加密 %d / %d", "sealed again: %d of %d"},
	"rekey.done": {"%d 份加密数据已改用当前密钥 %s 重新加密；现在可以从密钥文件里删去旧密钥（先备份）",
		"%d 份加密資料已改用目前金鑰 %s 重新加密；現在可以從金鑰檔裡刪去舊金鑰（先備份）",
		"%d sealed parts sealed again under the current key %s; the older keys can now be removed from the key file (back it up first)"},
	"key.rotated": {"新密钥 %s（%s）已写入 %s，从现在起用它加密；旧密钥留在文件里，旧记录照样能打开。用 fieldbench catalogue rekey 重新加密后才能删去旧密钥",
		"新金鑰 %s（%s）已寫入 %s，從現在起用它加密；舊金鑰留在檔案裡，舊記錄照樣能打開。用 fieldbench catalogue rekey 重新加密後才能刪去舊金鑰",
		"new key %s (%s) written to %s and used from now on; the older keys stay in the file, so older records still open. Remove them only after fieldbench catalogue rekey"},
}
