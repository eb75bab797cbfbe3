package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// catalogueTab edits the procedure catalogue: documents, time rule, fee rule.
type catalogueTab struct {
	u      *UI
	procs  []app.Procedure
	filter *widget.Entry
	shown  []app.Procedure
	list   *widget.List
	editor *procEditor
	root   fyne.CanvasObject
}

func newCatalogueTab(u *UI) *catalogueTab {
	t := &catalogueTab{u: u}
	t.filter = widget.NewEntry()
	t.filter.SetPlaceHolder(lang.L("Lọc theo mã hoặc tên"))
	t.filter.OnChanged = func(string) { t.applyFilter() }
	t.list = widget.NewList(func() int { return len(t.shown) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			p := t.shown[i]
			text := p.Code + "  " + p.Name
			if !p.Active {
				text += " (" + lang.L("ngừng") + ")"
			}
			o.(*widget.Label).SetText(text)
		})
	t.list.OnSelected = func(i widget.ListItemID) {
		if i < len(t.shown) {
			t.editor.edit(t.shown[i], false)
		}
	}
	t.editor = newProcEditor(u, func(code string) { t.load(); t.selectCode(code) })
	add := widget.NewButtonWithIcon(lang.L("Thêm thủ tục"), theme.ContentAddIcon(), func() {
		t.list.UnselectAll()
		t.editor.edit(app.Procedure{Active: true, Time: app.WorkingDays(3), Fee: app.FeeRule{Kind: app.FeeFree},
			ServiceLevel: "một phần"}, true)
	})
	left := container.NewBorder(container.NewBorder(nil, nil, nil, add, t.filter), nil, nil, nil, t.list)
	split := container.NewHSplit(left, t.editor.root)
	split.SetOffset(0.32)
	t.root = split
	return t
}

func (t *catalogueTab) load() {
	ps, err := t.u.svc.Procedures()
	if err != nil {
		setErrorLine(t.editor.errLine, message(err))
		return
	}
	t.procs = ps
	t.applyFilter()
	if t.editor.current == nil && len(t.shown) > 0 {
		t.list.Select(0)
	}
}

func (t *catalogueTab) applyFilter() {
	words := app.Words(t.filter.Text)
	t.shown = t.shown[:0]
	for _, p := range t.procs {
		hay := strings.Join(app.Words(p.Code+" "+p.Name+" "+p.Field), " ")
		ok := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
				ok = false
				break
			}
		}
		if ok {
			t.shown = append(t.shown, p)
		}
	}
	t.list.Refresh()
}

func (t *catalogueTab) selectCode(code string) {
	for i, p := range t.shown {
		if p.Code == code {
			t.list.Select(i)
			return
		}
	}
}

// procEditor is the form of one procedure.
type procEditor struct {
	u       *UI
	current *app.Procedure
	isNew   bool
	saved   func(code string)

	code, name, fieldName, resultKind, serviceLevel *field
	legalText, legalVersion, legalFrom              *field
	active, transferable                            *widget.Check
	timeKind                                        *choice[app.TimeRuleKind]
	timeValue, timeNote                             *field
	feeKind                                         *choice[app.FeeRuleKind]
	feeName, feeAmount, feeFirst, feeNext, feeMax   *field
	feeNote                                         *field
	docs                                            []*docSpecRow
	docBox                                          *fyne.Container
	fields                                          fieldSet
	errLine                                         *widget.Label
	save                                            *widget.Button
	root                                            fyne.CanvasObject
}

type docSpecRow struct {
	name              *widget.Entry
	originals, copies *widget.Entry
	required          *widget.Check
	view              fyne.CanvasObject
}

func timeKindLabel(k app.TimeRuleKind) string {
	switch k {
	case app.TimeWorkingHours:
		return lang.L("Số ngày làm việc")
	case app.TimeCalendarDays:
		return lang.L("Số ngày (theo lịch)")
	case app.TimeSameDay:
		return lang.L("Trong ngày, có giờ chốt")
	case app.TimeImmediate:
		return lang.L("Ngay khi nhận đủ giấy tờ")
	}
	return lang.L("Không quy định")
}

func feeKindLabel(k app.FeeRuleKind) string {
	switch k {
	case app.FeeFixed:
		return lang.L("Một mức cho mỗi hồ sơ")
	case app.FeePerCase:
		return lang.L("Theo số trường hợp")
	case app.FeePerPage:
		return lang.L("Theo trang (chứng thực bản sao)")
	}
	return lang.L("Miễn phí")
}

func moneyCheck(v string) (string, error) { _, err := parseMoney(v); return "", err }

func newProcEditor(u *UI, saved func(string)) *procEditor {
	e := &procEditor{u: u, saved: saved}
	e.code = newField("code", lang.L("Mã thủ tục"), newEntry(), func(v string) (string, error) { return "", plain(app.ValidProcedureCode(app.NFC(v))) })
	e.name = newField("name", lang.L("Tên thủ tục"), newEntry(), required(lang.L("Nhập tên thủ tục")))
	e.fieldName = newField("field", lang.L("Lĩnh vực"), newEntry(), required(lang.L("Nhập lĩnh vực")))
	e.resultKind = newField("result_kind", lang.L("Loại kết quả"), newEntry(), nil)
	e.serviceLevel = newField("service_level", lang.L("Mức độ dịch vụ công"), newEntry(), nil)
	e.legalText = newField("legal", lang.L("Căn cứ pháp lý"), newMultiLine(), nil)
	e.legalVersion = newField("legal_version", lang.L("Quyết định công bố"), newEntry(), nil)
	e.legalFrom = newField("legal_from", lang.L("Hiệu lực từ"), newEntry(), optional(func(v string) error { _, err := parseDate(v); return err }))
	e.legalFrom.entry.SetPlaceHolder("dd/mm/yyyy")
	e.active = widget.NewCheck(lang.L("Đang áp dụng"), nil)
	e.transferable = widget.NewCheck(lang.L("Có thể liên thông"), nil)

	e.timeValue = newField("time", lang.L("Thời hạn"), newEntry(), e.checkTimeValue)
	e.timeNote = newField("time_note", lang.L("Ghi chú thời hạn"), newEntry(), nil)
	e.timeKind = newChoice([]app.TimeRuleKind{app.TimeWorkingHours, app.TimeCalendarDays, app.TimeSameDay, app.TimeImmediate, app.TimeNone},
		timeKindLabel, func(app.TimeRuleKind) { e.updateTimeHint() })

	e.feeName = newField("fee_name", lang.L("Tên phí, lệ phí"), newEntry(), nil)
	e.feeAmount = newField("fee", lang.L("Mức thu (đồng)"), newEntry(), moneyCheck)
	e.feeFirst = newField("fee_first_pages", lang.L("Số trang tính mức đầu"), newEntry(), optional(func(v string) error { _, err := parseCount(v); return err }))
	e.feeNext = newField("fee_next", lang.L("Mỗi trang tiếp theo (đồng)"), newEntry(), moneyCheck)
	e.feeMax = newField("fee_max", lang.L("Tối đa mỗi bản (đồng)"), newEntry(), moneyCheck)
	e.feeNote = newField("fee_note", lang.L("Ghi chú phí"), newEntry(), nil)
	e.feeKind = newChoice([]app.FeeRuleKind{app.FeeFree, app.FeeFixed, app.FeePerCase, app.FeePerPage}, feeKindLabel, func(app.FeeRuleKind) { e.updateFeeFields() })

	e.docBox = container.NewVBox()
	addDoc := widget.NewButtonWithIcon(lang.L("Thêm giấy tờ"), theme.ContentAddIcon(), func() { e.addDoc(app.DocumentSpec{Originals: 1, Required: true}) })
	e.errLine = errorLine()
	e.save = widget.NewButtonWithIcon(lang.L("Lưu thủ tục"), theme.DocumentSaveIcon(), e.submit)
	e.save.Importance = widget.HighImportance

	general := fieldSet{e.code, e.name, e.fieldName, e.resultKind, e.serviceLevel, e.legalText, e.legalVersion, e.legalFrom}
	timeFs := fieldSet{newInputField("time_kind", lang.L("Cách tính"), e.timeKind.sel), e.timeValue, e.timeNote}
	feeFs := fieldSet{newInputField("fee_kind", lang.L("Cách thu"), e.feeKind.sel), e.feeName, e.feeAmount, e.feeFirst, e.feeNext, e.feeMax, e.feeNote}
	e.fields = append(append(append(fieldSet{}, general...), timeFs...), feeFs...)
	docHead := container.NewBorder(nil, nil, nil, container.NewHBox(
		container.New(fixedWidth(countWidth), widget.NewLabel(lang.L("Chính"))),
		container.New(fixedWidth(countWidth), widget.NewLabel(lang.L("Sao"))),
		widget.NewLabel(lang.L("Bắt buộc")), container.New(fixedWidth(40), widget.NewLabel(""))),
		widget.NewLabelWithStyle(lang.L("Tên giấy tờ"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	body := container.NewVBox(
		heading(lang.L("Thông tin chung")), general.grid(), container.NewHBox(e.active, e.transferable),
		widget.NewSeparator(), heading(lang.L("Thời hạn giải quyết")), timeFs.grid(),
		widget.NewSeparator(), heading(lang.L("Phí, lệ phí")), feeFs.grid(),
		widget.NewSeparator(), heading(lang.L("Thành phần hồ sơ")), docHead, e.docBox, container.NewHBox(addDoc))
	e.root = container.NewBorder(nil, container.NewBorder(nil, nil, nil, e.save, e.errLine), nil, nil, formScroll(body))
	e.edit(app.Procedure{Active: true, Time: app.WorkingDays(3)}, true)
	e.current = nil
	return e
}

func (e *procEditor) checkTimeValue(v string) (string, error) {
	k, _ := e.timeKind.value()
	v = strings.TrimSpace(strings.ReplaceAll(v, ",", "."))
	switch k {
	case app.TimeWorkingHours:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n <= 0 {
			return "", errors.New(lang.L("Nhập số ngày làm việc, ví dụ 3 hoặc 0,5"))
		}
	case app.TimeCalendarDays:
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return "", errors.New(lang.L("Nhập số ngày"))
		}
	case app.TimeSameDay:
		if _, err := app.ParseClock(v); err != nil {
			return "", err
		}
	}
	return "", nil
}

func (e *procEditor) updateTimeHint() {
	k, _ := e.timeKind.value()
	switch k {
	case app.TimeWorkingHours:
		e.timeValue.entry.SetPlaceHolder(lang.L("số ngày làm việc, ví dụ 3 hoặc 0,5"))
		e.timeValue.entry.Enable()
	case app.TimeCalendarDays:
		e.timeValue.entry.SetPlaceHolder(lang.L("số ngày"))
		e.timeValue.entry.Enable()
	case app.TimeSameDay:
		e.timeValue.entry.SetPlaceHolder(lang.L("giờ chốt, ví dụ 15:00"))
		e.timeValue.entry.Enable()
	default:
		e.timeValue.entry.SetText("")
		e.timeValue.entry.Disable()
	}
	e.timeValue.clear()
}

func (e *procEditor) updateFeeFields() {
	k, _ := e.feeKind.value()
	set := func(f *field, on bool) {
		if on {
			f.entry.Enable()
		} else {
			f.entry.Disable()
			f.clear()
		}
	}
	set(e.feeName, true)
	set(e.feeAmount, k != app.FeeFree)
	set(e.feeFirst, k == app.FeePerPage)
	set(e.feeNext, k == app.FeePerPage)
	set(e.feeMax, k == app.FeePerPage)
}

func moneyText(v int64) string {
	if v == 0 {
		return ""
	}
	return strings.TrimSuffix(fmtMoney(v), " đ")
}

// edit fills the form with p.
func (e *procEditor) edit(p app.Procedure, isNew bool) {
	e.current, e.isNew = &p, isNew
	setErrorLine(e.errLine, "")
	e.code.entry.SetText(p.Code)
	if isNew {
		e.code.entry.Enable()
	} else {
		e.code.entry.Disable()
	}
	e.name.entry.SetText(p.Name)
	e.fieldName.entry.SetText(p.Field)
	e.resultKind.entry.SetText(p.ResultKind)
	e.serviceLevel.entry.SetText(p.ServiceLevel)
	e.legalText.entry.SetText(p.Legal.Text)
	e.legalVersion.entry.SetText(p.Legal.Version)
	e.legalFrom.entry.SetText(fmtISODate(p.Legal.EffectiveFrom))
	e.active.SetChecked(p.Active)
	e.transferable.SetChecked(p.Transferable)
	e.timeKind.set(p.Time.Kind)
	e.updateTimeHint()
	switch p.Time.Kind {
	case app.TimeWorkingHours:
		e.timeValue.entry.SetText(strings.ReplaceAll(strconv.FormatFloat(p.Time.Hours/8, 'f', -1, 64), ".", ","))
	case app.TimeCalendarDays:
		e.timeValue.entry.SetText(fmt.Sprint(p.Time.Days))
	case app.TimeSameDay:
		e.timeValue.entry.SetText(p.Time.Cutoff.String())
	}
	e.timeNote.entry.SetText(p.Time.Note)
	kind := p.Fee.Kind
	if kind == "" {
		kind = app.FeeFree
	}
	e.feeKind.set(kind)
	e.feeName.entry.SetText(p.Fee.Name)
	e.feeAmount.entry.SetText(moneyText(p.Fee.Amount))
	e.feeFirst.entry.SetText("")
	if p.Fee.FirstPages > 0 {
		e.feeFirst.entry.SetText(fmt.Sprint(p.Fee.FirstPages))
	}
	e.feeNext.entry.SetText(moneyText(p.Fee.NextAmount))
	e.feeMax.entry.SetText(moneyText(p.Fee.MaxPerCopy))
	e.feeNote.entry.SetText(p.Fee.Note)
	e.updateFeeFields()
	e.docs = nil
	e.docBox.RemoveAll()
	for _, d := range p.Documents {
		e.addDoc(d)
	}
	e.fields.clear()
}

func (e *procEditor) addDoc(d app.DocumentSpec) {
	r := &docSpecRow{name: widget.NewEntry(), originals: widget.NewEntry(), copies: widget.NewEntry(), required: widget.NewCheck("", nil)}
	r.name.SetText(d.Name)
	r.originals.SetText(fmt.Sprint(d.Originals))
	r.copies.SetText(fmt.Sprint(d.Copies))
	r.required.SetChecked(d.Required)
	del := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	del.Importance = widget.LowImportance
	r.view = container.NewBorder(nil, nil, nil, container.NewHBox(
		container.New(fixedWidth(countWidth), r.originals), container.New(fixedWidth(countWidth), r.copies),
		container.New(fixedWidth(72), container.NewCenter(r.required)), del), r.name)
	del.OnTapped = func() {
		for i, x := range e.docs {
			if x == r {
				e.docs = append(e.docs[:i], e.docs[i+1:]...)
				break
			}
		}
		e.docBox.Remove(r.view)
	}
	e.docs = append(e.docs, r)
	e.docBox.Add(r.view)
}

// procedure reads the form.
func (e *procEditor) procedure() (app.Procedure, bool) {
	if e.current == nil {
		return app.Procedure{}, false
	}
	p := *e.current
	ok := e.fields.validate() == nil
	p.Code, p.Name, p.Field = e.code.text(), e.name.text(), e.fieldName.text()
	p.ResultKind, p.ServiceLevel = e.resultKind.text(), e.serviceLevel.text()
	from, _ := isoDate(e.legalFrom.entry.Text)
	p.Legal = app.LegalBasis{Text: e.legalText.text(), Version: e.legalVersion.text(), EffectiveFrom: from, EffectiveTo: p.Legal.EffectiveTo}
	p.Active, p.Transferable = e.active.Checked, e.transferable.Checked
	k, _ := e.timeKind.value()
	v := strings.TrimSpace(strings.ReplaceAll(e.timeValue.entry.Text, ",", "."))
	p.Time = app.TimeRule{Kind: k, Note: e.timeNote.text()}
	switch k {
	case app.TimeWorkingHours:
		days, _ := strconv.ParseFloat(v, 64)
		p.Time.Hours = days * 8
	case app.TimeCalendarDays:
		p.Time.Days, _ = strconv.Atoi(v)
	case app.TimeSameDay:
		p.Time.Cutoff, _ = app.ParseClock(v)
	}
	fk, _ := e.feeKind.value()
	p.Fee = app.FeeRule{Kind: fk, Name: e.feeName.text(), Note: e.feeNote.text()}
	p.Fee.Amount, _ = parseMoney(e.feeAmount.entry.Text)
	p.Fee.FirstPages, _ = parseCount(e.feeFirst.entry.Text)
	p.Fee.NextAmount, _ = parseMoney(e.feeNext.entry.Text)
	p.Fee.MaxPerCopy, _ = parseMoney(e.feeMax.entry.Text)
	p.Documents = nil
	for _, r := range e.docs {
		name := app.NFC(r.name.Text)
		if name == "" {
			continue
		}
		o, err1 := parseCount(r.originals.Text)
		c, err2 := parseCount(r.copies.Text)
		if err1 != nil || err2 != nil {
			ok = false
			setErrorLine(e.errLine, name+": "+lang.L("Nhập một số từ 0 đến 999"))
		}
		p.Documents = append(p.Documents, app.DocumentSpec{Name: name, Originals: o, Copies: c, Required: r.required.Checked})
	}
	return p, ok
}

func (e *procEditor) submit() {
	setErrorLine(e.errLine, "")
	p, ok := e.procedure()
	if !ok {
		if !e.errLine.Visible() {
			setErrorLine(e.errLine, lang.L("Vui lòng kiểm tra các ô được đánh dấu"))
		}
		return
	}
	if err := e.u.svc.SaveProcedure(e.u.user, p); err != nil {
		rest := e.fields.apply(err)
		msg := message(err)
		if len(rest) > 0 {
			msg += ": " + strings.Join(rest, "; ")
		}
		setErrorLine(e.errLine, msg)
		return
	}
	e.isNew = false
	e.saved(p.Code)
	e.u.info(lang.L("Danh mục thủ tục"), fmt.Sprintf(lang.L("Đã lưu thủ tục %s"), p.Code))
}
