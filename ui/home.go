package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// homeScreen shows the counts by state, the last 12 weeks in a chart, the
// dossiers due soon and overdue, and a quick search.
type homeScreen struct {
	u       *UI
	search  *widget.Entry
	tiles   map[app.State]*canvas.Text
	online  *canvas.Text // online submissions waiting (nil: no queue here)
	waiting *canvas.Text // incoming transfers waiting (nil: no hub or no access)
	mine    *summaryList // "Hồ sơ của tôi": open dossiers handed to the user (nil: not a handler)
	mineHdr *widget.Label
	numCol  *columnWidth // the tiles' number column: as wide as the widest count
	lines   []*fyne.Container
	chart   *weekChart
	dueSoon *summaryList
	overdue *summaryList
	errLine *widget.Label
	root    fyne.CanvasObject
}

// homeStates are the tiles, in workflow order.
var homeStates = []app.State{app.StateReceived, app.StateProcessing, app.StateAwaitingApproval, app.StateApproved,
	app.StateSupplement, app.StatePayment, app.StateResolved, app.StateReturned, app.StateRefused,
	app.StateStopped, app.StateWithdrawn, app.StateTransferred}

func newHomeScreen(u *UI) *homeScreen {
	h := &homeScreen{u: u, tiles: map[app.State]*canvas.Text{}}
	h.search = widget.NewEntry()
	h.search.SetPlaceHolder(lang.L("Tìm mã hồ sơ, số CCCD, điện thoại hoặc họ tên (Ctrl+F)"))
	h.search.OnSubmitted = func(string) { h.find() }
	find := widget.NewButtonWithIcon(lang.L("Tìm"), theme.SearchIcon(), h.find)
	top := container.NewBorder(nil, nil, nil, find, h.search)
	if u.user.Has(app.RoleReceiver) {
		recv := widget.NewButtonWithIcon(lang.L("Tiếp nhận hồ sơ mới (Ctrl+N)"), theme.ContentAddIcon(), func() { u.shell.newReceipt() })
		recv.Importance = widget.HighImportance
		top = container.NewBorder(nil, nil, nil, container.NewHBox(find, recv), h.search)
	}

	// Compact tiles (the count beside the state, three columns) leave room
	// for the chart of the last 12 weeks on the right, above the two lists.
	grid := container.NewGridWithColumns(3)
	h.numCol = &columnWidth{w: 34}
	tile := func(label string, tap func()) *canvas.Text {
		n := canvas.NewText("0", theme.Color(theme.ColorNamePrimary))
		n.TextSize = 20
		n.TextStyle = fyne.TextStyle{Bold: true}
		n.Alignment = fyne.TextAlignTrailing
		lbl := widget.NewLabel(label)
		lbl.Truncation = fyne.TextTruncateEllipsis
		bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
		bg.CornerRadius = theme.InputRadiusSize()
		num := container.New(h.numCol, container.NewVBox(layout.NewSpacer(), n, layout.NewSpacer()))
		line := container.NewBorder(nil, nil, num, nil, lbl)
		h.lines = append(h.lines, line)
		// The label's own padding is most of the tile's height: take some back.
		grid.Add(newTapBox(container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(-1, -5, 6, 4), line)), tap))
		return n
	}
	if u.user.Has(app.RoleReceiver) && u.hub != nil {
		h.online = tile(lang.L("Trực tuyến chờ tiếp nhận"), func() { u.shell.go_("online") })
	}
	if _, ok := u.shell.buttons["transfers"]; ok {
		h.waiting = tile(lang.L("Liên thông chờ tiếp nhận"), func() { u.shell.go_("transfers") })
	}
	for _, st := range homeStates {
		h.tiles[st] = tile(lang.L(st.Label()), func() { u.shell.go_("dossiers"); h.filterList(st) })
	}
	h.chart = newWeekChart()
	counts := container.NewBorder(nil, nil, nil, container.New(fixedWidth(420), h.chart), grid)

	h.dueSoon = newSummaryList(u, false)
	h.overdue = newSummaryList(u, true)
	h.errLine = errorLine()
	lists := container.NewGridWithColumns(2,
		container.NewBorder(heading(lang.L("Hồ sơ tới hạn")), nil, nil, nil, h.dueSoon.list),
		container.NewBorder(heading(lang.L("Hồ sơ quá hạn")), nil, nil, nil, h.overdue.list))
	if u.user.Has(app.RoleSpecialist) || u.user.Has(app.RoleLeader) {
		// The dossiers handed to this official come first: their own work.
		h.mine = newSummaryList(u, false)
		h.mine.byDue = true
		// Three lists side by side: the applicant goes to the second line.
		h.mine.compact, h.dueSoon.compact, h.overdue.compact = true, true, true
		h.mineHdr = heading(lang.L("Hồ sơ của tôi"))
		lists = container.NewGridWithColumns(3,
			container.NewBorder(h.mineHdr, nil, nil, nil, h.mine.list), lists.Objects[0], lists.Objects[1])
	}
	greeting := heading(fmt.Sprintf(lang.L("Xin chào, %s"), u.user.FullName))
	h.root = container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, greeting, nil), top, counts, h.errLine), nil, nil, nil, lists)
	h.root = container.NewPadded(h.root)
	return h
}

func (h *homeScreen) view() fyne.CanvasObject { return h.root }

func (h *homeScreen) show() {
	setErrorLine(h.errLine, "")
	counts, err := h.u.svc.Counts()
	if err != nil {
		setErrorLine(h.errLine, message(err))
		return
	}
	h.setCounts(counts)
	h.showOnline()
	soon, err := h.u.svc.DueSoon(200)
	if err != nil {
		setErrorLine(h.errLine, message(err))
	}
	late, err := h.u.svc.Overdue(200)
	if err != nil {
		setErrorLine(h.errLine, message(err))
	}
	h.dueSoon.set(soon)
	h.overdue.set(late)
	if h.mine != nil {
		mine, err := h.u.svc.Mine(h.u.user, mineShown)
		if err != nil {
			setErrorLine(h.errLine, message(err))
		}
		h.mine.set(mine)
		n := fmt.Sprint(len(mine))
		if len(mine) == mineShown {
			n += "+"
		}
		h.mineHdr.SetText(fmt.Sprintf("%s (%s)", lang.L("Hồ sơ của tôi"), n))
	}
	if h.u.shell != nil {
		h.showWaiting(h.u.shell.waiting)
	}
	weeks, err := h.u.svc.Weekly(12)
	if err != nil {
		setErrorLine(h.errLine, message(err))
	}
	h.chart.set(weeks)
}

// showOnline counts the online submissions waiting (also when the hub
// brought one).
func (h *homeScreen) showOnline() {
	if h.online == nil {
		return
	}
	n, err := h.u.svc.OnlinePending()
	if err != nil {
		setErrorLine(h.errLine, message(err))
		return
	}
	if t := fmt.Sprint(n); h.online.Text != t {
		h.online.Text = t
		h.online.Refresh()
	}
}

// mineShown is how many of "Hồ sơ của tôi" the home screen lists.
const mineShown = 200

// showWaiting shows the number of incoming transfers waiting.
func (h *homeScreen) showWaiting(n int) {
	if h.waiting == nil {
		return
	}
	if t := fmt.Sprint(n); h.waiting.Text != t {
		h.waiting.Text = t
		h.waiting.Refresh()
	}
}

func (h *homeScreen) filterList(st app.State) {
	if ds, ok := h.u.shell.screens["dossiers"].(*dossiersScreen); ok {
		ds.filterState(st)
	}
}

// find opens the dossier when the text is its exact code, the list otherwise.
func (h *homeScreen) find() {
	text := strings.TrimSpace(h.search.Text)
	if text == "" {
		return
	}
	if d, err := h.u.svc.Dossier(strings.ToUpper(text)); err == nil {
		h.u.shell.openDossier(d.Code)
		return
	}
	h.u.shell.search(text)
}

// summaryList is a virtualised list of dossier summaries: code and
// applicant, procedure and appointment. Rows are in memory; UpdateItem only
// sets texts.
type summaryList struct {
	u       *UI
	rows    []app.DossierSummary
	late    bool
	byDue   bool // the appointment coloured by its own due state (Hồ sơ của tôi)
	compact bool // the code alone on the first line, the applicant on the second
	list    *widget.List
	empty   string
}

func newSummaryList(u *UI, late bool) *summaryList {
	l := &summaryList{u: u, late: late}
	l.list = widget.NewList(
		func() int { return max(len(l.rows), 1) },
		func() fyne.CanvasObject {
			code := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			due := widget.NewLabel("")
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			code.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(container.NewBorder(nil, nil, nil, due, code), sub)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			line := box.Objects[0].(*fyne.Container)
			code, due := line.Objects[0].(*widget.Label), line.Objects[1].(*widget.Label)
			sub := box.Objects[1].(*widget.Label)
			if len(l.rows) == 0 {
				code.SetText(lang.L("Không có hồ sơ"))
				code.TextStyle = fyne.TextStyle{Italic: true}
				due.SetText("")
				sub.SetText("")
				return
			}
			r := l.rows[i]
			code.TextStyle = fyne.TextStyle{Bold: true}
			if l.compact {
				code.SetText(r.Code)
			} else {
				code.SetText(r.Code + "  ·  " + r.ApplicantName)
			}
			due.SetText(lang.L("Hẹn") + " " + fmtDateTime(r.DueAt))
			if l.late || l.byDue && app.MarkedLate(r.State, r.DueAt, l.u.now()) {
				due.Importance = widget.DangerImportance
			} else if l.byDue {
				due.Importance = widget.MediumImportance
			} else {
				due.Importance = widget.WarningImportance
			}
			due.Refresh()
			if l.compact {
				sub.SetText(r.ApplicantName + "  ·  " + r.ProcedureName + "  ·  " + lang.L(r.State.Label()))
			} else {
				sub.SetText(r.ProcedureName + "  ·  " + lang.L(r.State.Label()))
			}
		})
	l.list.OnSelected = func(id widget.ListItemID) {
		l.list.UnselectAll()
		if id < len(l.rows) {
			u.shell.openDossier(l.rows[id].Code)
		}
	}
	return l
}

func (l *summaryList) set(rows []app.DossierSummary) {
	l.rows = rows
	l.list.Refresh()
}

// columnWidth is fixedWidth whose width the screen changes: every tile's
// number column shares one.
type columnWidth struct{ w float32 }

func (c *columnWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fixedWidth(c.w).MinSize(objs)
}

func (c *columnWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	fixedWidth(c.w).Layout(objs, size)
}

// setCounts shows the counts; the number column grows with the widest one
// (75922 returned dossiers must not spill over the tile's edge).
func (h *homeScreen) setCounts(counts map[app.State]int) {
	w := float32(34)
	for st, t := range h.tiles {
		t.Text = fmt.Sprint(counts[st])
		w = max(w, fyne.MeasureText(t.Text, t.TextSize, t.TextStyle).Width+2)
		t.Refresh()
	}
	if w != h.numCol.w {
		h.numCol.w = w
		for _, l := range h.lines {
			l.Refresh() // lays the number column out again
		}
	}
}
