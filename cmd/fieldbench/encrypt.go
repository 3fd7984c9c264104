package main

import (
	"errors"
	"flag"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/fieldbench/fieldbench/store/seal"
)

// Exports carried away on a USB stick (export and catalogue export
// --encrypt-to): every file written is an age file (filippo.io/age, via
// seal.EncryptTo) that only the holders of the recipients' identities
// read, with `age -d -i key.txt`. The recipients are checked before the
// database is opened, so a typo writes nothing, not even an audit row.

func init() {
	addTexts("encryptText", encryptText)
}

// addEncryptFlag adds --encrypt-to, which may be given more than once.
func (a *App) addEncryptFlag(fs *flag.FlagSet) *multiFlag {
	var to multiFlag
	fs.Var(&to, "encrypt-to", a.t("flag.encrypt_to"))
	return &to
}

// maxRecipientsFileRead is more than seal reads from a recipients file,
// so that seal is the one to say the file is too long.
const maxRecipientsFileRead = 1<<16 + 1

// exportRecipients reads --encrypt-to: each value an age public key
// (age1...) or a file of them, one a line as age -R reads. An error names
// the value, and for a file the line.
func (a *App) exportRecipients(values []string, out string) ([]string, error) {
	if len(values) == 0 {
		return nil, nil
	}
	if out == "" {
		return nil, a.failed("encrypt.needs_out")
	}
	var all []string
	for _, v := range values {
		if isSecretKey(v) {
			return nil, a.failed("encrypt.secret_key")
		}
		if strings.HasPrefix(v, "age1") {
			if err := seal.CheckRecipient(v); err != nil {
				return nil, a.failed("encrypt.bad_recipient", v)
			}
			all = append(all, v)
			continue
		}
		data, err := readAtMost(v, maxRecipientsFileRead)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, a.failed("encrypt.neither", v)
		}
		if err != nil {
			return nil, a.failed("encrypt.unreadable", v, err)
		}
		rs, err := seal.ParseRecipients(data)
		var re *seal.RecipientError
		switch {
		case errors.As(err, &re) && re.Line > 0 && isSecretKey(re.Value):
			return nil, a.failed("encrypt.secret_key_line", v, re.Line)
		case errors.As(err, &re) && re.Line > 0:
			return nil, a.failed("encrypt.bad_line", v, re.Line, re.Value)
		case err != nil:
			return nil, a.failed("encrypt.no_recipient", v)
		}
		all = append(all, rs...)
	}
	return all, nil
}

// isSecretKey is an age identity given where its public key belongs: it
// is never echoed back.
func isSecretKey(s string) bool {
	return strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s)), "AGE-SECRET-KEY-")
}

// readAtMost reads up to n bytes of the file at path.
func readAtMost(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// encrypted is write with its output age-encrypted to recipients (write
// itself when there are none): the file is complete only once the age
// writer is closed, before the file is committed.
func encrypted(recipients []string, write func(io.Writer) (int, error)) func(io.Writer) (int, error) {
	if len(recipients) == 0 {
		return write
	}
	return func(w io.Writer) (int, error) {
		ew, err := seal.EncryptTo(w, recipients...)
		if err != nil {
			return 0, err
		}
		n, err := write(ew)
		if err != nil {
			return n, err
		}
		return n, ew.Close()
	}
}

// encryptedName is the name of a file of an encrypted CSV export's
// directory: age's own suffix, so that it is not taken for the plain file.
// A single file (jsonl, xlsx) takes --out as given.
func encryptedName(recipients []string, name string) string {
	if len(recipients) == 0 {
		return name
	}
	return name + ".age"
}

// encryptText holds --encrypt-to's texts, in the order of forms.Languages.
var encryptText = map[string][3]string{
	"flag.encrypt_to": {"把导出的文件加密给这个 age 公钥（age1…），或一个每行一个公钥的`文件`，可以给多次；用 age -d -i 私钥文件 解密",
		"把匯出的檔案加密給這個 age 公鑰（age1…），或一個每行一個公鑰的`檔案`，可以給多次；用 age -d -i 私鑰檔案 解密",
		"encrypt the exported files to this age public key (age1...) or a `file` of them, one a line; may be repeated; age -d -i KEYFILE decrypts"},
	"encrypt.needs_out": {"--encrypt-to 需要 --out：加密的导出写到文件里", "--encrypt-to 需要 --out：加密的匯出寫到檔案裡", "--encrypt-to needs --out: an encrypted export is written to a file"},
	"encrypt.bad_recipient": {"--encrypt-to %q：不是 age 公钥（age1… 后面 58 个字符，age-keygen 会打印出来）；什么都没有写",
		"--encrypt-to %q：不是 age 公鑰（age1… 後面 58 個字元，age-keygen 會印出來）；什麼都沒有寫",
		"--encrypt-to %q: not an age public key (age1 and 58 more characters, as age-keygen prints); nothing was written"},
	"encrypt.neither": {"--encrypt-to %q：既不是 age 公钥（age1…），也不是存在的文件；什么都没有写",
		"--encrypt-to %q：既不是 age 公鑰（age1…），也不是存在的檔案；什麼都沒有寫",
		"--encrypt-to %q: neither an age public key (age1...) nor an existing file; nothing was written"},
	"encrypt.unreadable": {"--encrypt-to %s：读不了：%s；什么都没有写", "--encrypt-to %s：讀不了：%s；什麼都沒有寫", "--encrypt-to %s: cannot be read: %s; nothing was written"},
	"encrypt.bad_line":   {"%s:%d：%q 不是 age 公钥（age1…）；什么都没有写", "%s:%d：%q 不是 age 公鑰（age1…）；什麼都沒有寫", "%s:%d: %q is not an age public key (age1...); nothing was written"},
	"encrypt.no_recipient": {"--encrypt-to %s：文件里没有 age 公钥（每行一个 age1…，# 开头的行是注释）；什么都没有写",
		"--encrypt-to %s：檔案裡沒有 age 公鑰（每行一個 age1…，# 開頭的行是註解）；什麼都沒有寫",
		"--encrypt-to %s: the file holds no age public key (one age1... a line, lines starting with # are comments); nothing was written"},
	"encrypt.secret_key": {"--encrypt-to 给的是私钥（AGE-SECRET-KEY-…）：请给它的公钥（age-keygen -y 私钥文件），私钥不要离开收件人；什么都没有写",
		"--encrypt-to 給的是私鑰（AGE-SECRET-KEY-…）：請給它的公鑰（age-keygen -y 私鑰檔案），私鑰不要離開收件人；什麼都沒有寫",
		"--encrypt-to was given a secret key (AGE-SECRET-KEY-...): give its public key (age-keygen -y KEYFILE), the secret key stays with the recipient; nothing was written"},
	"encrypt.secret_key_line": {"%s:%d：这是私钥（AGE-SECRET-KEY-…）：请放它的公钥（age-keygen -y 私钥文件）；什么都没有写",
		"%s:%d：這是私鑰（AGE-SECRET-KEY-…）：請放它的公鑰（age-keygen -y 私鑰檔案）；什麼都沒有寫",
		"%s:%d: a secret key (AGE-SECRET-KEY-...): put its public key there (age-keygen -y KEYFILE); nothing was written"},
}
