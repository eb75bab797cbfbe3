package ui

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// calendarTab shows a year of the office calendar: working days, weekends,
// days off and make-up working days. Tapping a day adds, changes or removes
// its entry; a year can be regenerated from the statutory rules.
type calendarTab struct {
	u       *UI
	year    int
	yearL   *widget.Label
	months  *fyne.Container
	list    *fyne.Container
	errLine *widget.Label
	regen   *widget.Button
	entries []app.CalendarEntry
	root    fyne.CanvasObject
}

var (
	dayOffColor     = color.NRGBA{0xef, 0x9a, 0x9a, 0xff}
	weekendColor    = color.NRGBA{0xd6, 0xd6, 0xd6, 0xff}
	workingDayColor = color.NRGBA{0xa5, 0xd6, 0xa7, 0xff}
	plainDayColor   = color.NRGBA{0xf4, 0xf6, 0xfa, 0xff}
)

func newCalendarTab(u *UI) *calendarTab {
	t := &calendarTab{u: u, year: u.now().Year()}
	t.yearL = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { t.year--; t.load() })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { t.year++; t.load() })
	t.regen = widget.NewButtonWithIcon(lang.L("Tạo lại từ quy định"), theme.ViewRefreshIcon(), t.askRegenerate)
	add := widget.NewButtonWithIcon(lang.L("Thêm ngày"), theme.ContentAddIcon(), func() { t.editDay(time.Time{}) })
	legend := container.NewHBox(
		swatch(plainDayColor, lang.L("Ngày làm việc")),
		swatch(dayOffColor, lang.L("Ngày nghỉ")),
		swatch(weekendColor, lang.L("Cuối tuần")),
		swatch(workingDayColor, lang.L("Làm bù")))
	t.months = container.NewGridWithColumns(4)
	t.list = container.NewVBox()
	t.errLine = errorLine()
	top := container.NewBorder(nil, nil, container.NewHBox(prev, t.yearL, next), container.NewHBox(add, t.regen), legend)
	right := container.NewBorder(heading(lang.L("Ngày nghỉ, làm bù trong năm")), nil, nil, nil, container.NewVScroll(t.list))
	split := container.NewHSplit(container.NewVScroll(t.months), right)
	split.SetOffset(0.68)
	t.root = container.NewBorder(container.NewVBox(top, t.errLine), nil, nil, nil, split)
	return t
}

func swatch(c color.Color, label string) fyne.CanvasObject {
	r := canvas.NewRectangle(c)
	r.SetMinSize(fyne.NewSquareSize(14))
	r.StrokeColor = theme.Color(theme.ColorNameShadow)
	r.StrokeWidth = 1
	return container.NewHBox(container.NewCenter(r), widget.NewLabel(label))
}

func (t *calendarTab) load() {
	setErrorLine(t.errLine, "")
	t.yearL.SetText(fmt.Sprint(t.year))
	cal, err := t.u.svc.Calendar()
	if err != nil {
		setErrorLine(t.errLine, message(err))
		return
	}
	es, err := t.u.svc.CalendarEntries(t.year)
	if err != nil {
		setErrorLine(t.errLine, message(err))
		return
	}
	t.entries = es
	byDate := map[string]app.CalendarEntry{}
	for _, e := range es {
		byDate[e.Date] = e
	}
	t.months.RemoveAll()
	for m := time.January; m <= time.December; m++ {
		t.months.Add(t.month(cal, byDate, m))
	}
	t.months.Refresh()

	t.list.RemoveAll()
	if len(es) == 0 {
		t.list.Add(widget.NewLabel(lang.L("Chưa có ngày nghỉ nào trong năm")))
	}
	for _, e := range es {
		kind := lang.L("Nghỉ")
		if e.Kind == app.WorkingDay {
			kind = lang.L("Làm bù")
		}
		text := fmt.Sprintf("%s  %s — %s", fmtISODate(e.Date), kind, e.Note)
		if e.Source != "" {
			text += " (" + e.Source + ")"
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { t.remove(e.Date) })
		del.Importance = widget.LowImportance
		t.list.Add(container.NewBorder(nil, nil, nil, del, l))
	}
	t.list.Refresh()
}

// month draws one month: weekday header and day cells coloured by the
// calendar's own answer (IsWorkingDay) and the entry kind.
func (t *calendarTab) month(cal *app.Calendar, byDate map[string]app.CalendarEntry, m time.Month) fyne.CanvasObject {
	first := time.Date(t.year, m, 1, 12, 0, 0, 0, app.Vietnam)
	grid := container.NewGridWithColumns(7)
	for _, d := range []string{lang.L("T2"), lang.L("T3"), lang.L("T4"), lang.L("T5"), lang.L("T6"), lang.L("T7"), lang.L("CN")} {
		h := canvas.NewText(d, theme.Color(theme.ColorNamePlaceHolder))
		h.TextSize = theme.CaptionTextSize()
		h.Alignment = fyne.TextAlignCenter
		grid.Add(h)
	}
	offset := (int(first.Weekday()) + 6) % 7 // Monday first
	for range offset {
		grid.Add(widget.NewLabel(""))
	}
	for d := first; d.Month() == m; d = d.AddDate(0, 0, 1) {
		day := d
		key := d.Format("2006-01-02")
		bg := plainDayColor
		e, has := byDate[key]
		switch {
		case has && e.Kind == app.DayOff:
			bg = dayOffColor
		case has && e.Kind == app.WorkingDay:
			bg = workingDayColor
		case !cal.IsWorkingDay(d):
			bg = weekendColor
		}
		r := canvas.NewRectangle(bg)
		r.CornerRadius = 3
		txt := canvas.NewText(fmt.Sprint(d.Day()), theme.Color(theme.ColorNameForeground))
		txt.Alignment = fyne.TextAlignCenter
		txt.TextSize = theme.CaptionTextSize() + 1
		cell := newTapBox(container.NewStack(r, container.NewCenter(txt)), func() { t.editDay(day) })
		grid.Add(cell)
	}
	title := widget.NewLabelWithStyle(fmt.Sprintf(lang.L("Tháng %d"), int(m)), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	return container.NewPadded(container.NewBorder(title, nil, nil, nil, grid))
}

// editDay adds or replaces the entry of a day; an existing entry can be removed.
func (t *calendarTab) editDay(day time.Time) {
	date := newField("date", lang.L("Ngày"), newEntry(), dateCheck)
	date.entry.SetPlaceHolder("dd/mm/yyyy")
	kind := newChoice([]app.CalendarKind{app.DayOff, app.WorkingDay}, func(k app.CalendarKind) string {
		if k == app.WorkingDay {
			return lang.L("Ngày làm việc bù")
		}
		return lang.L("Ngày nghỉ")
	}, nil)
	kind.set(app.DayOff)
	note := newField("note", lang.L("Ghi chú"), newEntry(), nil)
	note.entry.SetPlaceHolder(lang.L("ví dụ: Nghỉ Tết Nguyên đán"))
	source := newField("source", lang.L("Căn cứ"), newEntry(), nil)
	source.entry.SetPlaceHolder(lang.L("ví dụ: Thông báo số …/TB-BNV"))
	var existing *app.CalendarEntry
	if !day.IsZero() {
		date.entry.SetText(day.Format("02/01/2006"))
		for _, e := range t.entries {
			if e.Date == day.Format("2006-01-02") {
				existing = &e
				kind.set(e.Kind)
				note.entry.SetText(e.Note)
				source.entry.SetText(e.Source)
			}
		}
		if existing == nil && day.Weekday() == time.Saturday {
			kind.set(app.WorkingDay)
		}
	}
	var extra []fyne.CanvasObject
	var f *formDlg
	if existing != nil {
		del := widget.NewButtonWithIcon(lang.L("Xóa ngày này khỏi lịch"), theme.DeleteIcon(), func() {
			f.dlg.Hide()
			t.remove(existing.Date)
		})
		del.Importance = widget.DangerImportance
		extra = append(extra, container.NewHBox(del))
	}
	f = t.u.formDialog(lang.L("Ngày nghỉ, làm bù"), lang.L("Lưu"), fieldSet{date, newInputField("kind", lang.L("Loại"), kind.sel), note, source}, func() error {
		iso, _ := isoDate(date.entry.Text)
		k, _ := kind.value()
		if err := t.u.svc.PutCalendarEntry(t.u.user, app.CalendarEntry{Date: iso, Kind: k, Note: note.text(), Source: source.text()}); err != nil {
			return err
		}
		t.load()
		return nil
	}, extra...)
}

// remove asks first: a deleted holiday moves every appointment over it.
func (t *calendarTab) remove(date string) {
	t.u.confirm(lang.L("Xóa ngày khỏi lịch"), fmt.Sprintf(lang.L("Xóa ngày %s khỏi lịch? Các ngày hẹn trả tính sau đó sẽ coi ngày này là ngày làm việc bình thường."), fmtISODate(date)),
		lang.L("Xóa"), func() { t.doRemove(date) })
}

func (t *calendarTab) doRemove(date string) {
	if err := t.u.svc.DeleteCalendarEntry(t.u.user, date); err != nil {
		setErrorLine(t.errLine, message(err))
		return
	}
	t.load()
}

func (t *calendarTab) askRegenerate() {
	msg := fmt.Sprintf(lang.L("Thay toàn bộ ngày nghỉ, làm bù năm %d bằng lịch tính theo quy định (Bộ luật Lao động, âm lịch)? Các ngày đã sửa tay của năm này sẽ bị xóa."), t.year)
	t.u.confirm(lang.L("Tạo lại từ quy định"), msg, lang.L("Tạo lại"), func() {
		if err := t.u.svc.RegenerateYear(t.u.user, t.year); err != nil {
			setErrorLine(t.errLine, message(err))
			return
		}
		t.load()
	})
}
