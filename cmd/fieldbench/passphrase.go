package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/seal"
)

func init() {
	addTexts("dataKeyText", dataKeyText)
}

// envPassphrase unlocks the data key for commands run without a terminal
// to ask on; envNewPassphrase is the one passphrase set|change|reset sets.
const (
	envPassphrase    = "FIELDBENCH_PASSPHRASE"
	envNewPassphrase = "FIELDBENCH_NEW_PASSPHRASE"
)

// passphraseOption gives the store the passphrase of the environment when
// the data key needs one. Without it the database opens locked, and what
// needs the clear data says how to unlock it.
func (a *App) passphraseOption() store.Option {
	return store.WithPassphrase(func() (string, error) { return a.Getenv(envPassphrase), nil })
}

// askingPassphraseOption is passphraseOption for a command that needs the
// clear data (export without --masked): without FIELDBENCH_PASSPHRASE it
// asks on the terminal, where there is one.
func (a *App) askingPassphraseOption() store.Option {
	return store.WithPassphrase(func() (string, error) {
		if p := a.Getenv(envPassphrase); p != "" || a.ReadPassphrase == nil {
			return p, nil
		}
		p, err := a.ReadPassphrase(a.t("passphrase.prompt"))
		if err != nil {
			return "", nil // not a terminal: opens locked, and the command says how to unlock
		}
		return p, nil
	})
}

// newPassphrase is the passphrase to set: FIELDBENCH_NEW_PASSPHRASE, else
// the first line of standard input.
func (a *App) newPassphrase() (string, error) {
	if p := a.Getenv(envNewPassphrase); p != "" {
		return p, nil
	}
	if a.Stdin == nil {
		return "", a.failed("passphrase.none_given")
	}
	line, err := bufio.NewReader(a.Stdin).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return "", a.failed("passphrase.none_given")
	}
	return line, nil
}

func (a *App) passphraseCommand() *Command {
	setPass := func(ctx context.Context, db *store.DB, _ []string) error {
		if err := db.Locked(); err != nil {
			return a.failed("plain", a.storeErr(err))
		}
		pass, err := a.newPassphrase()
		if err != nil {
			return err
		}
		if err := db.SetPassphrase(ctx, pass); err != nil {
			return a.failed("plain", a.storeErr(err))
		}
		a.say(a.Stdout, "passphrase.set_done")
		return nil
	}
	set := a.storeLeaf("set", "passphrase.usage", exactly(0), setPass)
	set.Summary = "passphrase.set_summary"
	change := a.storeLeaf("change", "passphrase.usage", exactly(0), setPass)
	change.Summary = "passphrase.set_summary"
	remove := a.storeLeaf("remove", "passphrase.usage", exactly(0), func(ctx context.Context, db *store.DB, _ []string) error {
		if err := db.Locked(); err != nil {
			return a.failed("plain", a.storeErr(err))
		}
		if err := db.RemovePassphrase(ctx); err != nil {
			return a.failed("plain", a.storeErr(err))
		}
		a.say(a.Stdout, "passphrase.removed", store.KeyFilePath(db.Path()))
		return nil
	})
	remove.Summary = "passphrase.remove_summary"
	var confirm *bool
	reset := a.storeLeaf("reset", "passphrase.reset_usage", exactly(0), func(ctx context.Context, db *store.DB, _ []string) error {
		if db.Locked() == nil {
			return a.failed("passphrase.reset_unneeded")
		}
		if !*confirm {
			return a.failed("passphrase.reset_confirm")
		}
		pass := a.Getenv(envNewPassphrase)
		rep, err := db.ResetKey(ctx, pass)
		if err != nil {
			return a.failed("plain", a.storeErr(err))
		}
		a.say(a.Stdout, "passphrase.reset_done", rep.Dropped)
		return nil
	}, store.WithPassphrase(func() (string, error) { return "", nil }))
	confirm = reset.Flags.Bool("confirm", false, a.t("passphrase.flag_confirm"))
	reset.Summary = "passphrase.reset_summary"
	g := a.group("passphrase", "cmd.passphrase", set, change, remove, reset)
	return g
}

// dataKeyErr is the message of a locked or wrongly unlocked data key: what
// is lost, what is safe and what to do.
func (a *App) dataKeyErr(err error) (string, bool) {
	var le *store.LockedError
	if !errors.As(err, &le) {
		return "", false
	}
	switch {
	case errors.Is(err, seal.ErrWrongPassphrase):
		return a.f("datakey.wrong_passphrase", le.Path), true
	case errors.Is(err, seal.ErrPassphraseNeeded):
		return a.f("datakey.passphrase_needed", le.Path), true
	case errors.Is(err, store.ErrKeyFileMissing):
		return a.f("datakey.file_missing", le.Path, le.KeyFile), true
	case errors.Is(err, seal.ErrKEKProtected):
		return a.f("datakey.protected", le.Path, le.KeyFile), true
	}
	return a.f("datakey.wrong_key", le.Path), true
}

// dataKeyText holds the data key's texts, in the order of forms.Languages.
var dataKeyText = map[string][3]string{
	"cmd.passphrase": {"passphrase set|change|remove|reset：用口令保护本机的个人信息", "passphrase set|change|remove|reset：用口令保護本機的個人資訊", "passphrase set|change|remove|reset: protect this laptop's personal data with a passphrase"},
	"passphrase.usage": {"用法：fieldbench passphrase set|change|remove [--db 路径]（新口令取自 FIELDBENCH_NEW_PASSPHRASE 或标准输入的第一行，现有口令取自 FIELDBENCH_PASSPHRASE）",
		"用法：fieldbench passphrase set|change|remove [--db 路徑]（新口令取自 FIELDBENCH_NEW_PASSPHRASE 或標準輸入的第一行，現有口令取自 FIELDBENCH_PASSPHRASE）",
		"usage: fieldbench passphrase set|change|remove [--db PATH] (the new passphrase from FIELDBENCH_NEW_PASSPHRASE or the first line of standard input, the current one from FIELDBENCH_PASSPHRASE)"},
	"passphrase.reset_usage":    {"用法：fieldbench passphrase reset --confirm [--db 路径]", "用法：fieldbench passphrase reset --confirm [--db 路徑]", "usage: fieldbench passphrase reset --confirm [--db PATH]"},
	"passphrase.set_summary":    {"设置或更改口令（之后不再需要密钥文件）", "設定或更改口令（之後不再需要金鑰檔案）", "set or change the passphrase (the key file is no longer needed)"},
	"passphrase.remove_summary": {"取消口令，改用数据库旁的密钥文件", "取消口令，改用資料庫旁的金鑰檔案", "remove the passphrase: a key file beside the database protects the data again"},
	"passphrase.reset_summary":  {"忘记口令或丢失密钥文件时：换新密钥，打不开的个人信息被删除", "忘記口令或遺失金鑰檔案時：換新金鑰，打不開的個人資訊被刪除", "after a lost passphrase or key file: a new key; the personal data no one can open any more is dropped"},
	"passphrase.flag_confirm":   {"确认删除打不开的个人信息", "確認刪除打不開的個人資訊", "confirm dropping the personal data no one can open"},
	"passphrase.prompt":         {"本机个人信息的口令：", "本機個人資訊的口令：", "passphrase of this laptop's personal data: "},
	"passphrase.none_given":     {"没有给出新口令：设置 FIELDBENCH_NEW_PASSPHRASE，或在标准输入的第一行输入", "沒有給出新口令：設定 FIELDBENCH_NEW_PASSPHRASE，或在標準輸入的第一行輸入", "no new passphrase given: set FIELDBENCH_NEW_PASSPHRASE or type it on the first line of standard input"},
	"passphrase.set_done":       {"口令已设置。请记住它：忘记口令后，还没发送的记录中的个人信息无法恢复。", "口令已設定。請記住它：忘記口令後，還沒傳送的記錄中的個人資訊無法恢復。", "passphrase set. Remember it: without it the personal data of records not yet sent cannot be recovered."},
	"passphrase.removed":        {"口令已取消；现在由密钥文件 %s 保护，请把它单独备份（不要和数据库备份放在一起）", "口令已取消；現在由金鑰檔案 %s 保護，請把它單獨備份（不要和資料庫備份放在一起）", "passphrase removed; the key file %s protects the data now: back it up apart from the database's backups"},
	"passphrase.reset_unneeded": {"密钥可以打开，不需要重置；要换口令请用 fieldbench passphrase change", "金鑰可以打開，不需要重設；要換口令請用 fieldbench passphrase change", "the key opens: no reset needed; to change the passphrase use fieldbench passphrase change"},
	"passphrase.reset_confirm": {"重置会永久删除本机上还没发送的记录中的个人信息（已发送的记录在中心目录完好）。确定的话加上 --confirm 再运行",
		"重設會永久刪除本機上還沒傳送的記錄中的個人資訊（已傳送的記錄在中心目錄完好）。確定的話加上 --confirm 再執行",
		"a reset drops for good the personal data of this laptop's records (those already sent are whole at the catalogue). Run it again with --confirm if you are sure"},
	"passphrase.reset_done": {"已换新密钥；删除了 %d 份打不开的个人信息，这些记录只保留遮蔽后的内容", "已換新金鑰；刪除了 %d 份打不開的個人資訊，這些記錄只保留遮蔽後的內容", "a new key is in place; %d sealed parts no one could open were dropped, those records keep their masked data"},
	"datakey.wrong_passphrase": {"%s：口令不对。如果忘记了口令：还没发送的记录中的个人信息（证件号、电话、姓名）无法恢复；已经发送的记录在中心目录完好，遮蔽后的内容也还在。可以运行 fieldbench passphrase reset --confirm 换新密钥后继续工作。",
		"%s：口令不對。如果忘記了口令：還沒傳送的記錄中的個人資訊（證件號、電話、姓名）無法恢復；已經傳送的記錄在中心目錄完好，遮蔽後的內容也還在。可以執行 fieldbench passphrase reset --confirm 換新金鑰後繼續工作。",
		"%s: wrong passphrase. If it is lost: the personal data (ID numbers, phones, names) of records not yet sent cannot be recovered; records already sent are whole at the catalogue, and the masked data stays here. Run fieldbench passphrase reset --confirm to get a new key and go on working."},
	"datakey.passphrase_needed": {"%s：个人信息由口令保护；请在工作台中输入口令，或设置 FIELDBENCH_PASSPHRASE", "%s：個人資訊由口令保護；請在工作台中輸入口令，或設定 FIELDBENCH_PASSPHRASE", "%s: the personal data is protected by a passphrase; type it in the workbench or set FIELDBENCH_PASSPHRASE"},
	"datakey.file_missing": {"%s：找不到密钥文件 %s。请从单独保存的备份中把它放回原处；如果已经丢失：还没发送的记录中的个人信息无法恢复，已经发送的在中心目录完好，运行 fieldbench passphrase reset --confirm 换新密钥。",
		"%s：找不到金鑰檔案 %s。請從單獨保存的備份中把它放回原處；如果已經遺失：還沒傳送的記錄中的個人資訊無法恢復，已經傳送的在中心目錄完好，執行 fieldbench passphrase reset --confirm 換新金鑰。",
		"%s: the key file %s is missing. Put it back from the copy kept apart; if it is lost, the personal data of records not yet sent cannot be recovered, those sent are whole at the catalogue: run fieldbench passphrase reset --confirm for a new key."},
	"datakey.protected": {"%s：密钥文件 %s 由 Windows 为另一个用户或另一台电脑保护，在这里打不开。请在原来的电脑上、以原来的用户打开；要搬到别处，先在原处设置口令（fieldbench passphrase set）。",
		"%s：金鑰檔案 %s 由 Windows 為另一個使用者或另一台電腦保護，在這裡打不開。請在原來的電腦上、以原來的使用者開啟；要搬到別處，先在原處設定口令（fieldbench passphrase set）。",
		"%s: the key file %s is protected by Windows for another user or computer and cannot be opened here. Open the database on its computer, as its user; to move it, set a passphrase there first (fieldbench passphrase set)."},
	"datakey.wrong_key": {"%s：密钥文件打不开这个数据库的个人信息（是别的数据库的密钥文件吗？）", "%s：金鑰檔案打不開這個資料庫的個人資訊（是別的資料庫的金鑰檔案嗎？）", "%s: the key file does not open this database's personal data (is it another database's?)"},
}
