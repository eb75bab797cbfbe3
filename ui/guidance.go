package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// guidanceList is the dialog that finds the supplement guidance given at the
// counter (nothing was received, so no dossier shows it) and prints it again.
type guidanceList struct {
	u      *UI
	search *entry
	rows   *fyne.Container
	found  []app.IntakeGuidance
	dlg    dialog.Dialog
}

// showGuidanceList opens the list of intake guidance, newest first.
func (u *UI) showGuidanceList() *guidanceList {
	g := &guidanceList{u: u, search: newEntry(), rows: container.NewVBox()}
	g.search.SetPlaceHolder(lang.L("Tìm theo họ tên, số điện thoại, số giấy tờ hoặc ngày (dd/mm/yyyy)"))
	g.search.OnChanged = func(string) { g.fill() }
	g.fill()
	body := container.NewBorder(g.search, nil, nil, nil, container.NewVScroll(g.rows))
	g.dlg = u.keyDialog(lang.L("Phiếu hướng dẫn bổ sung đã lập"), container.New(fixedSize{800, 420}, body), nil)
	g.search.onEsc = g.dlg.Hide
	u.win.Canvas().Focus(g.search)
	u.lastGuidance = g
	return g
}

func (g *guidanceList) fill() {
	found, err := g.u.svc.SearchGuidance(g.search.Text, 200)
	g.rows.RemoveAll()
	if err != nil {
		g.rows.Add(widget.NewLabel(message(err)))
		g.rows.Refresh()
		return
	}
	g.found = found
	if len(found) == 0 {
		l := widget.NewLabel(lang.L("Không có phiếu hướng dẫn nào khớp"))
		l.Importance = widget.LowImportance
		g.rows.Add(l)
	}
	for i := range found {
		x := &found[i]
		text := fmt.Sprintf("%s · %s · %s", fmtDateTime(x.At), x.Applicant.FullName, x.ProcedureName)
		if x.Applicant.Phone != "" {
			text += " · " + x.Applicant.Phone
		}
		g.rows.Add(g.u.formRow(text, guidanceFileName(x), g.u.guidanceForm(x)))
	}
	g.rows.Refresh()
}

// fixedSize gives its content a fixed minimum size.
type fixedSize [2]float32

func (s fixedSize) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(s[0], s[1]) }

func (s fixedSize) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// guidanceButton opens the list (on the receive screen).
func (u *UI) guidanceButton() *widget.Button {
	return widget.NewButtonWithIcon(lang.L("Phiếu hướng dẫn đã lập"), theme.HistoryIcon(), func() { u.showGuidanceList() })
}
