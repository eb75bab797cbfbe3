package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
	"motcua/report"
)

// auditTab is Cài đặt → Nhật ký (administrator): the administration log
// with the record of processing (who saw, printed or exported whose data),
// filtered by person, dossier, action and period, and exported to Excel.
type auditTab struct {
	u       *UI
	user    *widget.Entry
	target  *widget.Entry
	action  *choice[string]
	from    *widget.Entry
	to      *widget.Entry
	count   *widget.Label
	errLine *widget.Label
	list    *widget.List
	entries []app.AuditEntry
	root    fyne.CanvasObject
}

func newAuditTab(u *UI) *auditTab {
	t := &auditTab{u: u}
	t.user, t.target, t.from, t.to = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	t.user.SetPlaceHolder(lang.L("Tên đăng nhập"))
	t.target.SetPlaceHolder(lang.L("Mã hồ sơ"))
	t.from.SetPlaceHolder(lang.L("Từ ngày (dd/mm/yyyy)"))
	t.to.SetPlaceHolder(lang.L("Đến ngày"))
	actions := append([]string{""}, app.AuditActions()...)
	t.action = newChoice(actions, func(a string) string {
		switch a {
		case "":
			return lang.L("Mọi việc")
		case "backup.":
			return lang.L("Mọi việc sao lưu")
		case "user.":
			return lang.L("Mọi việc về người dùng")
		}
		return lang.L(app.ActionLabel(a))
	}, nil)
	t.action.set("")
	for _, e := range []*widget.Entry{t.user, t.target, t.from, t.to} {
		e.OnSubmitted = func(string) { t.load() }
	}
	t.count = widget.NewLabel("")
	t.errLine = errorLine()
	t.list = widget.NewList(func() int { return len(t.entries) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(auditLine(t.entries[i])) })
	find := widget.NewButtonWithIcon(lang.L("Lọc"), theme.SearchIcon(), t.load)
	find.Importance = widget.HighImportance
	export := widget.NewButtonWithIcon(lang.L("Xuất Excel…"), theme.DocumentSaveIcon(), t.export)
	filters := container.NewGridWithColumns(5, t.user, t.target, t.action.sel, t.from, t.to)
	top := container.NewVBox(heading(lang.L("Nhật ký quản trị và xử lý dữ liệu cá nhân")), filters,
		container.NewBorder(nil, nil, nil, container.NewHBox(find, export), t.count), t.errLine)
	t.root = container.NewBorder(container.NewPadded(top), nil, nil, nil, t.list)
	return t
}

// auditLine is one entry in one line.
func auditLine(e app.AuditEntry) string {
	parts := []string{fmtDateTime(e.At), fmt.Sprintf("%s (%s)", e.User.FullName, e.User.Username), lang.L(app.ActionLabel(e.Action))}
	if e.Target != "" {
		parts = append(parts, e.Target)
	}
	if e.Note != "" {
		parts = append(parts, e.Note)
	}
	return strings.Join(parts, "  ·  ")
}

// filter reads the filter fields.
func (t *auditTab) filter() (app.AuditFilter, error) {
	f := app.AuditFilter{User: t.user.Text, Target: t.target.Text}
	f.Action, _ = t.action.value()
	if s := strings.TrimSpace(t.from.Text); s != "" {
		d, err := parseDate(s)
		if err != nil {
			return f, err
		}
		f.From = d
	}
	if s := strings.TrimSpace(t.to.Text); s != "" {
		d, err := parseDate(s)
		if err != nil {
			return f, err
		}
		f.To = d.AddDate(0, 0, 1) // the whole last day
	}
	return f, nil
}

func (t *auditTab) load() {
	setErrorLine(t.errLine, "")
	f, err := t.filter()
	if err == nil {
		var more bool
		t.entries, more, err = t.u.svc.AuditLog(t.u.user, f)
		n := fmt.Sprintf(lang.L("%d mục (mới nhất trước)"), len(t.entries))
		if more {
			n += " — " + fmt.Sprintf(lang.L("chỉ hiện %d mục mới nhất, hãy lọc hẹp hơn"), app.AuditLogLimit)
		}
		t.count.SetText(n)
	}
	if err != nil {
		t.entries = nil
		setErrorLine(t.errLine, message(err))
	}
	t.list.Refresh()
}

// export writes the filtered log to Excel; the export is itself recorded.
func (t *auditTab) export() {
	t.load()
	if t.errLine.Visible() {
		return
	}
	var desc []string
	if t.user.Text != "" {
		desc = append(desc, lang.L("Người")+": "+t.user.Text)
	}
	if t.target.Text != "" {
		desc = append(desc, lang.L("Hồ sơ")+": "+t.target.Text)
	}
	if t.action.sel.Selected != "" {
		desc = append(desc, lang.L("Việc")+": "+t.action.sel.Selected)
	}
	if t.from.Text != "" || t.to.Text != "" {
		desc = append(desc, lang.L("Thời gian")+": "+t.from.Text+" – "+t.to.Text)
	}
	data, err := report.AuditXLSX(*t.u.agency, t.entries, strings.Join(desc, "; "))
	if err != nil {
		t.u.showError(err)
		return
	}
	name := app.PersonalDataFileName("nhat-ky_" + t.u.now().Format("20060102") + ".xlsx")
	if err := t.u.svc.RecordExport(t.u.user, app.ActionExportAudit, name, fmt.Sprintf("%d mục", len(t.entries))); err != nil {
		t.u.showError(err)
		return
	}
	t.u.saveFile(name, ".xlsx", data)
}
