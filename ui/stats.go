package ui

import (
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
	"motcua/forms"
	"motcua/report"
)

// statsScreen shows the periodic statistics report (domain.md §7) that the
// domain computes, and exports it (PDF, Excel) with the register of dossiers.
type statsScreen struct {
	u *UI

	kind     *choice[app.PeriodKind]
	year     *widget.Select
	n        *widget.Select
	from, to *field
	by       *choice[app.GroupBy]
	dates    *fyne.Container
	nBox     fyne.CanvasObject
	yearBox  fyne.CanvasObject
	period   *widget.Label
	errLine  *widget.Label
	table    *widget.Table
	rep      *app.Report
	root     fyne.CanvasObject
	first    time.Time // the period's first and last days (inclusive)
	last     time.Time
	runB     *widget.Button
	pdf, xls *widget.Button
	register *widget.Button
	regPDF   *widget.Button
}

func periodKindLabel(k app.PeriodKind) string {
	switch k {
	case app.PeriodKindMonth:
		return lang.L("Tháng")
	case app.PeriodKindQuarter:
		return lang.L("Quý")
	case app.PeriodKindHalf:
		return lang.L("6 tháng")
	case app.PeriodKindYear:
		return lang.L("Năm")
	}
	return lang.L("Tùy chọn")
}

type statsColumn struct {
	title string
	width float32
	value func(r app.ReportRow) string
}

func itoa(n int) string { return strconv.Itoa(n) }

func (s *statsScreen) columns() []statsColumn {
	name := lang.L("Lĩnh vực")
	if b, _ := s.by.value(); b == app.ByProcedure {
		name = lang.L("Thủ tục")
	}
	cols := []statsColumn{
		{name, 130, func(r app.ReportRow) string { return r.Name }},
		{lang.L("Kỳ trước"), 0, func(r app.ReportRow) string { return itoa(r.CarriedOver) }},
		{lang.L("Trực tuyến"), 0, func(r app.ReportRow) string { return itoa(r.NewOnline) }},
		{lang.L("Trực tiếp"), 0, func(r app.ReportRow) string { return itoa(r.NewOther) }},
		{lang.L("Tổng số"), 0, func(r app.ReportRow) string { return itoa(r.Received()) }},
		{lang.L("Trước hạn"), 0, func(r app.ReportRow) string { return itoa(r.Early) }},
		{lang.L("Đúng hạn"), 0, func(r app.ReportRow) string { return itoa(r.OnTime) }},
		{lang.L("Quá hạn"), 0, func(r app.ReportRow) string { return itoa(r.Late) }},
		{lang.L("Còn trong hạn"), 0, func(r app.ReportRow) string { return itoa(r.OpenWithin) }},
		{lang.L("Còn quá hạn"), 0, func(r app.ReportRow) string { return itoa(r.OpenOverdue) }},
		{lang.L("% đúng hạn"), 0, func(r app.ReportRow) string { return r.RateText() }},
	}
	// Number columns are as wide as their titles.
	for i := 1; i < len(cols); i++ {
		w := fyne.MeasureText(cols[i].title, theme.TextSize(), fyne.TextStyle{Bold: true}).Width
		cols[i].width = w + 2*theme.InnerPadding() + 2
	}
	return cols
}

func newStatsScreen(u *UI) *statsScreen {
	s := &statsScreen{u: u}
	now := u.now()
	s.kind = newChoice([]app.PeriodKind{app.PeriodKindMonth, app.PeriodKindQuarter, app.PeriodKindHalf, app.PeriodKindYear, app.PeriodKindCustom},
		periodKindLabel, func(app.PeriodKind) { s.updateN() })
	var years []string
	for y := now.Year(); y >= now.Year()-5; y-- {
		years = append(years, strconv.Itoa(y))
	}
	s.year = newSelect(years, nil)
	s.year.SetSelectedIndex(0)
	s.n = newSelect(nil, nil)
	s.from = newField("from", lang.L("Từ ngày"), newEntry(), dateCheck)
	s.from.entry.SetPlaceHolder(lang.L("Từ ngày"))
	s.to = newField("to", lang.L("Đến ngày"), newEntry(), dateCheck)
	s.to.entry.SetPlaceHolder(lang.L("Đến ngày"))
	s.by = newChoice([]app.GroupBy{app.ByField, app.ByProcedure}, func(b app.GroupBy) string {
		if b == app.ByProcedure {
			return lang.L("Theo thủ tục")
		}
		return lang.L("Theo lĩnh vực")
	}, nil)
	s.by.set(app.ByField)
	s.period = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.period.Truncation = fyne.TextTruncateEllipsis // a long period title must not widen the window
	s.errLine = errorLine()
	s.runB = widget.NewButtonWithIcon(lang.L("Xem báo cáo"), theme.SearchIcon(), s.run)
	s.runB.Importance = widget.HighImportance
	s.pdf = widget.NewButtonWithIcon(lang.L("PDF"), theme.DocumentPrintIcon(), s.exportPDF)
	s.xls = widget.NewButtonWithIcon(lang.L("Excel"), theme.DocumentSaveIcon(), s.exportXLSX)
	s.register = widget.NewButtonWithIcon(lang.L("Sổ theo dõi (Excel)"), theme.ListIcon(), s.exportRegister)
	s.regPDF = widget.NewButtonWithIcon(lang.L("Sổ theo dõi (PDF)"), theme.DocumentPrintIcon(), s.printRegister)

	s.table = widget.NewTable(
		func() (int, int) {
			if s.rep == nil {
				return 0, 0
			}
			return len(s.rep.Rows) + 1, len(s.columns())
		},
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if s.rep == nil {
				return
			}
			row, bold := s.rep.Total, true
			if id.Row < len(s.rep.Rows) {
				row, bold = s.rep.Rows[id.Row], false
			}
			cols := s.columns()
			if id.Col >= len(cols) {
				return
			}
			l.TextStyle = fyne.TextStyle{Bold: bold}
			if id.Col == 0 {
				l.Alignment = fyne.TextAlignLeading
			} else {
				l.Alignment = fyne.TextAlignTrailing
			}
			l.SetText(cols[id.Col].value(row))
		})
	s.table.ShowHeaderRow = true
	s.table.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		cols := s.columns()
		if id.Col >= 0 && id.Col < len(cols) {
			o.(*widget.Label).SetText(cols[id.Col].title)
		}
	}
	for i, c := range s.columns() {
		s.table.SetColumnWidth(i, c.width)
	}

	s.dates = container.NewHBox(container.New(fixedWidth(120), s.from.entry), container.New(fixedWidth(120), s.to.entry))
	w := func(px float32, o fyne.CanvasObject) fyne.CanvasObject { return container.New(fixedWidth(px), o) }
	s.nBox = w(170, s.n)
	s.yearBox = w(100, s.year)
	controls := container.NewHBox(w(120, s.kind.sel), s.nBox, s.yearBox, s.dates, w(170, s.by.sel), s.runB)
	exports := container.NewHBox(s.pdf, s.xls, s.register, s.regPDF)
	s.kind.set(app.PeriodKindMonth)
	s.updateN()
	top := container.NewVBox(container.NewHScroll(controls), container.NewBorder(nil, nil, nil, exports, s.period), s.errLine)
	cols := s.columns()
	fixed := float32(0)
	for _, c := range cols[1:] {
		fixed += c.width
	}
	body := container.New(&stretchColumn{table: s.table, col: 0, cols: len(cols), fixed: fixed, min: cols[0].width}, s.table)
	s.root = container.NewPadded(container.NewBorder(top, nil, nil, nil, body))
	return s
}

func (s *statsScreen) view() fyne.CanvasObject { return s.root }

func (s *statsScreen) show() {
	if s.rep == nil {
		s.run()
	}
}

// updateN offers the months, quarters or halves of the chosen kind.
func (s *statsScreen) updateN() {
	if s.nBox == nil || s.dates == nil {
		return
	}
	k, _ := s.kind.value()
	var opts []string
	cur := 0
	now := s.u.now()
	switch k {
	case app.PeriodKindMonth:
		for m := 1; m <= 12; m++ {
			opts = append(opts, fmt.Sprintf(lang.L("Tháng %d"), m))
		}
		cur = int(now.Month()) - 1
	case app.PeriodKindQuarter:
		for q := 1; q <= 4; q++ {
			opts = append(opts, fmt.Sprintf(lang.L("Quý %d"), q))
		}
		cur = (int(now.Month()) - 1) / 3
	case app.PeriodKindHalf:
		opts = []string{lang.L("6 tháng đầu năm"), lang.L("6 tháng cuối năm")}
		cur = (int(now.Month()) - 1) / 6
	}
	s.n.SetOptions(opts)
	if len(opts) > 0 {
		s.n.SetSelectedIndex(cur)
		s.nBox.Show()
	} else {
		s.nBox.Hide()
	}
	if k == app.PeriodKindCustom {
		s.dates.Show()
		s.yearBox.Hide()
		if s.from.entry.Text == "" {
			s.from.entry.SetText(fmtDate(time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, app.Vietnam)))
			s.to.entry.SetText(fmtDate(now))
		}
	} else {
		s.dates.Hide()
		s.yearBox.Show()
	}
}

// run asks the domain for the report of the chosen period.
func (s *statsScreen) run() {
	setErrorLine(s.errLine, "")
	k, _ := s.kind.value()
	by, _ := s.by.value()
	var p app.Period
	var err error
	if k == app.PeriodKindCustom {
		if (fieldSet{s.from, s.to}).validate() != nil {
			setErrorLine(s.errLine, lang.L("Ngày không hợp lệ (dd/mm/yyyy)"))
			return
		}
		first, _ := parseDate(s.from.entry.Text)
		last, _ := parseDate(s.to.entry.Text)
		p = app.PeriodCustom(first, last)
	} else {
		year, _ := strconv.Atoi(s.year.Selected)
		p, err = s.u.svc.OfficialPeriod(k, year, s.n.SelectedIndex()+1)
		if err != nil {
			setErrorLine(s.errLine, message(err))
			return
		}
	}
	rep, err := s.u.svc.Report(p, by)
	if err != nil {
		setErrorLine(s.errLine, message(err))
		return
	}
	s.rep = rep
	s.first, s.last = p.From, p.To.AddDate(0, 0, -1)
	text := fmt.Sprintf(lang.L("Kỳ báo cáo: %s – %s"), fmtDate(s.first), fmtDate(s.last))
	if rep.Provisional {
		text += " " + lang.L("(số liệu tạm tính đến hôm nay)")
	}
	// The per-row counts are in the PDF and Excel files; the screen's table
	// keeps to the width of the window.
	text += " · " + fmt.Sprintf(lang.L("yêu cầu bổ sung: %d lượt · dừng xử lý: %d · rút hồ sơ: %d"),
		rep.Total.Supplement, rep.Total.Stopped, rep.Total.Withdrawn)
	if rep.RefusedOnline > 0 {
		text += " · " + fmt.Sprintf(lang.L("từ chối hồ sơ trực tuyến: %d"), rep.RefusedOnline)
	}
	if n := rep.InterAgency; n.Any() {
		text += " · " + fmt.Sprintf(lang.L("nhiệm vụ liên thông: nhận %d, đã giải quyết %d, đang giải quyết %d"), n.Received, n.Resolved, n.Open)
	}
	s.period.SetText(text)
	for i, c := range s.columns()[1:] {
		s.table.SetColumnWidth(i+1, c.width)
	}
	s.table.Refresh()
}

func (s *statsScreen) fileName(ext string) string {
	return fmt.Sprintf("thong-ke_%s_%s.%s", s.first.Format("20060102"), s.last.Format("20060102"), ext)
}

func (s *statsScreen) exportPDF() {
	if s.rep == nil {
		return
	}
	data, err := report.StatisticsPDF(s.rep)
	if err != nil {
		s.u.showError(err)
		return
	}
	s.u.printPDF(s.fileName("pdf"), data)
}

func (s *statsScreen) exportXLSX() {
	if s.rep == nil {
		return
	}
	data, err := report.StatisticsXLSX(s.rep)
	if err != nil {
		s.u.showError(err)
		return
	}
	s.u.saveFile(s.fileName("xlsx"), ".xlsx", data)
}

// printRegister prints form 07 (Sổ theo dõi hồ sơ) for the period.
func (s *statsScreen) printRegister() {
	if s.rep == nil {
		return
	}
	rows, err := s.u.svc.RegisterDossiers(s.first, s.last.AddDate(0, 0, 1))
	if err != nil {
		s.u.showError(err)
		return
	}
	book := ""
	if st, err := s.u.svc.Settings(); err == nil {
		book = st.RegisterBook
	}
	data, err := forms.Register(s.u.office(), s.first, s.last, rows, book)
	if err != nil {
		s.u.showError(err)
		return
	}
	s.u.printPDF(fmt.Sprintf("so-theo-doi_%s_%s.pdf", s.first.Format("20060102"), s.last.Format("20060102")), data)
}

func (s *statsScreen) exportRegister() {
	if s.rep == nil {
		return
	}
	rows, err := s.u.svc.RegisterDossiers(s.first, s.last.AddDate(0, 0, 1))
	if err != nil {
		s.u.showError(err)
		return
	}
	book := ""
	if st, err := s.u.svc.Settings(); err == nil {
		book = st.RegisterBook
	}
	data, err := report.RegisterXLSXDigest(*s.u.agency, s.first, s.last, rows, book, s.rep.Digest.FooterLine())
	if err != nil {
		s.u.showError(err)
		return
	}
	name := app.PersonalDataFileName(fmt.Sprintf("so-theo-doi_%s_%s.xlsx", s.first.Format("20060102"), s.last.Format("20060102")))
	note := fmt.Sprintf("%s–%s, %d hồ sơ", s.first.Format("02/01/2006"), s.last.Format("02/01/2006"), len(rows))
	if err := s.u.svc.RecordExport(s.u.user, app.ActionExportRegister, name, note); err != nil {
		s.u.showError(err)
		return
	}
	s.u.saveFile(name, ".xlsx", data)
}
