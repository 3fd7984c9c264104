package tui

import (
	"cmp"
	"fmt"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// The plain prompts' side of an edit of a finalized record kept from an
// earlier sitting (see store.SaveEdit): offered after the drafts, named by
// the record it changes, resumed or discarded.

// plainEditText holds the prompts of edits, in the columns of plainText.
var plainEditText = map[string][3]string{
	"edits":       {"未保存的修改（已完成的记录，尚未成为新版本）：", "未儲存的修改（已完成的記錄，尚未成為新版本）：", "Unsaved edits of finalized records (not yet new versions):"},
	"edit_of":     {"修改「%s」", "修改「%s」", "Edit of \"%s\""},
	"edit_open":   {"修改已完成的记录「%s」。回车继续修改，d 放弃这次修改（已完成的版本不变），< 返回：", "修改已完成的記錄「%s」。Enter 繼續修改，d 放棄這次修改（已完成的版本不變），< 返回：", "Editing the finalized record \"%s\". Enter resumes the edit, d discards it (the finalized version stays), < goes back: "},
	"edit_drop":   {"确定放弃这次修改吗？(y/n) ", "確定放棄這次修改嗎？(y/n) ", "Discard this edit? (y/n) "},
	"edit_gone":   {"已放弃修改，记录保持原样。", "已放棄修改，記錄保持原樣。", "Edit discarded; the record is as it was."},
	"editing":     {"修改已完成的记录「%s」：每个回答都保存在本机，保存后成为新版本。", "修改已完成的記錄「%s」：每個回答都儲存在本機，儲存後成為新版本。", "Editing the finalized record \"%s\": every answer is kept on this laptop; saving makes a new version."},
	"edit_ask":    {"全部填好了。现在把修改保存为新版本吗？(y/n) ", "全部填好了。現在把修改儲存為新版本嗎？(y/n) ", "Everything is answered. Save the edit as a new version now? (y/n) "},
	"edit_saved":  {"已保存修改（新版本）：%s", "已儲存修改（新版本）：%s", "Saved as a new version: %s"},
	"edit_kept":   {"暂不保存为新版本，修改已保存在本机，下次可以接着改。", "暫不儲存為新版本，修改已儲存在本機，下次可以接著改。", "Not saved as a new version; the edit is kept on this laptop for later."},
	"edit_quit":   {"修改已保存在本机，下次可以接着改；已完成的版本不变。", "修改已儲存在本機，下次可以接著改；已完成的版本不變。", "The edit is kept on this laptop for later; the finalized version is unchanged."},
	"edit_failed": {"修改没有保存为新版本：", "修改沒有儲存為新版本：", "The edit was not saved as a new version: "},
}

// editName names an edit by the record it changes, as finalized.
func (p *plainRun) editName(rec store.Record) string {
	return fmt.Sprintf(p.t("edit_of"), cmp.Or(clean(rec.InstanceName), p.t("unnamed")))
}

// sayEdits lists the edits in progress, numbered on after first.
func (p *plainRun) sayEdits(edits []store.PendingEdit, first int, titles map[string]string) {
	if len(edits) > 0 {
		p.say(p.t("edits"))
	}
	for i, e := range edits {
		p.say(fmt.Sprintf("  %d. %s - %s, %s", first+i+1, p.editName(e.Record), cmp.Or(titles[e.FormID], clean(e.FormID)), when.Minute(e.EditedAt)))
	}
}

// openEdit asks what to do with an edit in progress: carry on with it (a
// session), or discard it, or go back (no session: the menu again). err
// is the input's end or a failure to open the edit.
func (p *plainRun) openEdit(rec store.Record) (*entry.Session, error) {
	name := cmp.Or(clean(rec.InstanceName), p.t("unnamed"))
	for {
		line, cmd, err := p.read(fmt.Sprintf(p.t("edit_open"), name), "")
		switch {
		case err != nil || cmd == "<":
			return nil, err
		case line == "":
			s, err := entry.Edit(p.ctx, p.db, rec, p.lang, p.now)
			if err == nil && rec.State == store.Returned {
				if ret, _ := p.db.LastReturn(p.ctx, rec.ID); ret != nil {
					p.say(clean(ret.Comment))
				}
			}
			return s, err
		case plainFold(line) == "d":
			yes, back, err := p.confirm(p.t("edit_drop"))
			if err != nil || back || !yes {
				return nil, err
			}
			if err := p.db.DiscardEdit(p.ctx, rec.ID); err != nil {
				return nil, err
			}
			p.say(p.t("edit_gone"))
			return nil, nil
		default:
			p.say("  " + p.t("bad_input"))
		}
	}
}
