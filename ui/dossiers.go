package ui

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// pageSize is how many rows one s.List call brings (tests make it smaller).
var pageSize = 100

// dossiersScreen is the dossier list: a virtualised table over pages from
// the index, filters, search and sort. Rows live in memory; UpdateCell only
// reads them. Further pages are fetched off the UI goroutine as the table
// scrolls near its end.
type dossiersScreen struct {
	u *UI

	search    *widget.Entry
	state     *widget.Select
	states    []app.State
	procedure *widget.Select
	procs     []app.Procedure
	from, to  *field
	sort      *widget.Select
	openOnly  *widget.Check
	count     *widget.Label
	errLine   *widget.Label
	table     *widget.Table
	root      fyne.CanvasObject

	rows    []app.DossierSummary
	next    string    // cursor of the following page, "" at the end
	query   app.Query // the query of rows
	gen     int       // bumps at each new query; stale pages are dropped
	loading bool
	now     time.Time // overdue marking is relative to the moment of loading
}

type column struct {
	title string
	width float32
	text  func(r *app.DossierSummary) string
}

func (s *dossiersScreen) columns() []column {
	return []column{
		{lang.L("Mã hồ sơ"), 210, func(r *app.DossierSummary) string { return r.Code }},
		{lang.L("Người nộp"), 165, func(r *app.DossierSummary) string { return r.ApplicantName }},
		{lang.L("Thủ tục"), 180, func(r *app.DossierSummary) string { return r.ProcedureName }},
		{lang.L("Trạng thái"), 165, func(r *app.DossierSummary) string { return lang.L(r.State.Label()) }},
		{lang.L("Ngày nhận"), 100, func(r *app.DossierSummary) string { return fmtDate(r.ReceivedAt) }},
		{lang.L("Hẹn trả"), 140, func(r *app.DossierSummary) string { return fmtDateTime(r.DueAt) }},
		{lang.L("Người xử lý"), 140, func(r *app.DossierSummary) string { return r.Handler }},
	}
}

func newDossiersScreen(u *UI) *dossiersScreen {
	s := &dossiersScreen{u: u}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(lang.L("Mã hồ sơ, số CCCD, điện thoại hoặc họ tên, không cần dấu (Ctrl+F)"))
	s.search.OnSubmitted = func(string) {
		s.reload()
		if len(s.rows) > 0 {
			// Enter leads into the results: arrows move, Space opens
			u.win.Canvas().Focus(s.table)
		}
	}

	s.states = app.AllStates()
	stateLabels := []string{lang.L("Mọi trạng thái")}
	for _, st := range s.states {
		// "· mã 4", not "(4)": a number in brackets reads like a count
		stateLabels = append(stateLabels, fmt.Sprintf("%s · %s %d", lang.L(st.Label()), lang.L("mã"), st.Code()))
	}
	s.state = newSelect(stateLabels, func(string) { s.reload() })
	s.state.SetSelectedIndex(0)
	s.procedure = newSelect(nil, func(string) { s.reload() })
	s.procedure.PlaceHolder = lang.L("Mọi thủ tục")

	dateCheck := optional(func(v string) error { _, err := parseDate(v); return err })
	s.from = newField("from", lang.L("Từ ngày"), newEntry(), dateCheck)
	s.from.entry.SetPlaceHolder(lang.L("Từ ngày"))
	s.from.entry.OnSubmitted = func(string) { s.reload() }
	s.to = newField("to", lang.L("Đến ngày"), newEntry(), dateCheck)
	s.to.entry.SetPlaceHolder(lang.L("Đến ngày"))
	s.to.entry.OnSubmitted = func(string) { s.reload() }

	s.sort = newSelect([]string{lang.L("Mới nhận trước"), lang.L("Hạn gần nhất trước")}, func(string) { s.reload() })
	s.sort.SetSelectedIndex(0)
	s.openOnly = widget.NewCheck(lang.L("Chỉ hồ sơ đang giải quyết"), func(bool) { s.reload() })
	s.count = widget.NewLabel("")
	s.errLine = errorLine()

	cols := s.columns()
	s.table = widget.NewTable(
		func() (int, int) { return len(s.rows), len(cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row >= len(s.rows) {
				l.SetText("")
				return
			}
			r := &s.rows[id.Row]
			late := s.overdue(r)
			imp, style := widget.MediumImportance, fyne.TextStyle{}
			if late {
				imp, style = widget.DangerImportance, fyne.TextStyle{Bold: id.Col == 5}
			}
			if l.Importance != imp || l.TextStyle != style {
				l.Importance, l.TextStyle = imp, style
			}
			l.SetText(cols[id.Col].text(r))
			if id.Row >= len(s.rows)-20 {
				s.wantMore()
			}
		})
	s.table.ShowHeaderRow = true
	s.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 || id.Col >= len(cols) {
			b.SetText("")
			return
		}
		title := cols[id.Col].title
		if id.Col == 5 {
			if s.sort.SelectedIndex() == 1 {
				title += " ▲"
			}
			b.OnTapped = func() {
				if s.sort.SelectedIndex() == 1 {
					s.sort.SetSelectedIndex(0)
				} else {
					s.sort.SetSelectedIndex(1)
				}
			}
		} else {
			b.OnTapped = nil
		}
		b.SetText(title)
	}
	for i, c := range cols {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		s.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(s.rows) {
			u.shell.openDossier(s.rows[id.Row].Code)
		}
	}

	clear := widget.NewButtonWithIcon(lang.L("Xóa lọc"), theme.ContentClearIcon(), s.clearFilters)
	find := widget.NewButtonWithIcon(lang.L("Tìm"), theme.SearchIcon(), s.reload)
	// "open only" sits by the search, not in the filter row: that row had
	// to be 1056 units wide, more than a 1366-pixel screen at 125 % gives.
	row1 := container.NewBorder(nil, nil, nil, container.NewHBox(s.openOnly, find, clear), s.search)
	dates := container.NewHBox(
		container.New(fixedWidth(130), container.NewVBox(s.from.entry, s.from.msg)),
		container.New(fixedWidth(130), container.NewVBox(s.to.entry, s.to.msg)))
	row2 := container.NewBorder(nil, nil, nil, container.NewHBox(dates, container.New(fixedWidth(190), s.sort)),
		container.NewGridWithColumns(2, s.state, s.procedure))
	top := container.NewVBox(row1, row2, s.errLine)
	fixed := float32(0)
	for i, c := range cols {
		if i != stretchCol {
			fixed += c.width
		}
	}
	body := container.New(&stretchColumn{table: s.table, col: stretchCol, cols: len(cols), fixed: fixed, min: cols[stretchCol].width}, s.table)
	s.root = container.NewPadded(container.NewBorder(top, s.count, nil, nil, body))
	return s
}

func (s *dossiersScreen) view() fyne.CanvasObject { return s.root }

// stretchCol is the column (Thủ tục) that takes the width left by the others.
const stretchCol = 2

// stretchColumn lays a table out at its full size and gives one column the
// width the other columns leave, so that 1280 and 1366 pixels both fit
// without a horizontal scroll bar.
type stretchColumn struct {
	table      *widget.Table
	col, cols  int
	fixed, min float32
	last       float32
}

func (l *stretchColumn) MinSize([]fyne.CanvasObject) fyne.Size { return l.table.MinSize() }

func (l *stretchColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	// Cells are separated by a padding; leave room for the scroll bar too.
	w := max(l.min, size.Width-l.fixed-float32(l.cols+1)*theme.Padding()-theme.ScrollBarSize())
	if w != l.last {
		l.last = w
		l.table.SetColumnWidth(l.col, w)
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (s *dossiersScreen) show() {
	ps, err := s.u.svc.Procedures()
	if err == nil {
		s.procs = ps
		opts := []string{lang.L("Mọi thủ tục")}
		for _, p := range ps {
			opts = append(opts, p.Code+" "+p.Name)
		}
		s.procedure.SetOptions(opts)
	}
	s.reload()
}

func (s *dossiersScreen) overdue(r *app.DossierSummary) bool {
	return app.MarkedLate(r.State, r.DueAt, s.now)
}

// searchFor shows the dossiers that match text (from the home search).
// Filters left from an earlier visit (a home tile's state) are cleared: a
// search from home looks through every dossier.
func (s *dossiersScreen) searchFor(text string) {
	s.resetFilters()
	s.search.SetText(text)
	s.reload()
}

// resetFilters clears the filters without reloading.
func (s *dossiersScreen) resetFilters() {
	s.from.entry.SetText("")
	s.to.entry.SetText("")
	s.openOnly.Checked = false
	s.openOnly.Refresh()
	s.state.Selected = s.state.Options[0]
	s.state.Refresh()
	if len(s.procedure.Options) > 0 {
		s.procedure.Selected = s.procedure.Options[0]
		s.procedure.Refresh()
	}
}

// partialCode matches the end of a dossier code typed without the agency
// code: "250429-0001" or "250429-1".
var partialCode = regexp.MustCompile(`^(\d{6})-(\d{1,4})$`)

// fullCode completes a partial dossier code with this office's code.
func (s *dossiersScreen) fullCode(text string) string {
	m := partialCode.FindStringSubmatch(text)
	if m == nil || s.u.agency == nil {
		return text
	}
	n, _ := strconv.Atoi(m[2])
	return fmt.Sprintf("%s-%s-%04d", s.u.agency.Code, m[1], n)
}

// filtered reports whether a filter besides the search text is set.
func (s *dossiersScreen) filtered() bool {
	return s.state.SelectedIndex() > 0 || s.procedure.SelectedIndex() > 0 || s.openOnly.Checked ||
		s.from.entry.Text != "" || s.to.entry.Text != ""
}

// filterState shows only dossiers in state st (from a home tile).
func (s *dossiersScreen) filterState(st app.State) {
	s.search.SetText("")
	for i, x := range s.states {
		if x == st {
			s.state.SetSelectedIndex(i + 1) // reloads
			return
		}
	}
}

func (s *dossiersScreen) clearFilters() {
	s.search.SetText("")
	s.from.entry.SetText("")
	s.to.entry.SetText("")
	s.procedure.SetSelectedIndex(0)
	s.openOnly.SetChecked(false)
	s.sort.SetSelectedIndex(0)
	s.state.SetSelectedIndex(0)
	s.reload()
}

// buildQuery reads the filters.
func (s *dossiersScreen) buildQuery() (app.Query, bool) {
	q := app.Query{Text: s.fullCode(app.NFC(s.search.Text)), OpenOnly: s.openOnly.Checked, Limit: pageSize}
	if i := s.state.SelectedIndex(); i > 0 {
		q.States = []app.State{s.states[i-1]}
	}
	if i := s.procedure.SelectedIndex(); i > 0 && i-1 < len(s.procs) {
		q.ProcedureCode = s.procs[i-1].Code
	}
	if s.sort.SelectedIndex() == 1 {
		q.Sort = app.SortDueAsc
	}
	ok := true
	if err := s.from.validate(); err != nil {
		ok = false
	} else if t, err := parseDate(s.from.entry.Text); err == nil {
		q.From = t
	}
	if err := s.to.validate(); err != nil {
		ok = false
	} else if t, err := parseDate(s.to.entry.Text); err == nil {
		q.To = t.AddDate(0, 0, 1) // the whole last day
	}
	return q, ok
}

// reload runs the query for the first page (on the UI goroutine: one index
// read) and forgets the previous rows.
func (s *dossiersScreen) reload() {
	if s.table == nil || s.sort == nil {
		return // still building
	}
	setErrorLine(s.errLine, "")
	q, ok := s.buildQuery()
	if !ok {
		return
	}
	s.gen++
	s.query, s.now = q, s.u.now()
	page, err := s.u.svc.List(q)
	if err != nil {
		setErrorLine(s.errLine, message(err))
		page = app.Page{}
	}
	s.rows, s.next, s.loading = page.Items, page.Next, false
	s.table.Refresh()
	s.table.ScrollToTop()
	s.updateCount()
}

// refresh runs the current query again after changes committed anywhere
// (live.go): as many rows as are loaded, the scroll position and the
// keyboard cursor kept. Filters being typed are not applied: the query of
// the rows is.
func (s *dossiersScreen) refresh() {
	if s.table == nil {
		return
	}
	q := s.query
	// As many rows as are loaded, and a page more for what arrived meanwhile.
	q.After, q.Limit = "", min(len(s.rows)+pageSize, 500)
	page, err := s.u.svc.List(q)
	if err != nil {
		setErrorLine(s.errLine, message(err))
		return
	}
	s.gen++ // a page being fetched belongs to the old rows
	s.rows, s.next, s.loading, s.now = page.Items, page.Next, false, s.u.now()
	s.table.Refresh()
	s.updateCount()
}

func (s *dossiersScreen) updateCount() {
	more := ""
	if s.next != "" {
		more = "+"
	}
	text := fmt.Sprintf(lang.L("%d%s hồ sơ · chọn một dòng để xem chi tiết · hồ sơ quá hạn tô đỏ"), len(s.rows), more)
	if len(s.rows) == 0 && s.filtered() {
		text = lang.L("Không có hồ sơ nào khớp các bộ lọc đang chọn (trạng thái, thủ tục, ngày) — bấm \"Xóa lọc\" để xem tất cả")
	}
	s.count.SetText(text)
}

// wantMore fetches the next page in the background when the table nears the
// end of the rows in memory.
func (s *dossiersScreen) wantMore() {
	if s.next == "" || s.loading {
		return
	}
	s.loading = true
	q, gen := s.query, s.gen
	q.After = s.next
	runAsync(func() {
		page, err := s.u.svc.List(q)
		fyne.Do(func() { s.addPage(gen, page, err) })
	})
}

// runAsync runs slow reads off the UI goroutine; their results come back
// through fyne.Do. Tests make it synchronous: Fyne's test driver runs
// fyne.Do on the calling goroutine, so a real goroutine there would race
// with the test driving the screen.
var runAsync = func(f func()) { go f() }

func (s *dossiersScreen) addPage(gen int, page app.Page, err error) {
	if gen != s.gen {
		return // the filters changed meanwhile
	}
	s.loading = false
	if err != nil {
		setErrorLine(s.errLine, message(err))
		s.next = ""
		return
	}
	s.rows = append(s.rows, page.Items...)
	s.next = page.Next
	s.table.Refresh()
	s.updateCount()
}

// codes lists the codes in the table (tests).
func (s *dossiersScreen) codes() []string {
	out := make([]string, len(s.rows))
	for i, r := range s.rows {
		out[i] = r.Code
	}
	return out
}
