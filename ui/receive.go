package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/forms"
)

// receiveScreen is the counter form: procedure, applicant, documents, fee
// and the live appointment date; it receives, refuses or gives guidance.
type receiveScreen struct {
	u *UI

	// procedure picker
	filter    *entry
	hi        int // the match Enter takes (Up / Down move it)
	matches   []app.Procedure
	procList  *widget.List
	proc      *app.Procedure
	procLabel *widget.Label
	procField *field
	channel   *choice[app.Channel]

	// applicant
	kind                                      *choice[app.ApplicantKind]
	idType                                    *choice[app.IDType]
	name, idNumber, birth, phone, email, addr *field
	proxy                                     *widget.Check
	proxyBox                                  *fyne.Container
	proxyName, proxyID, proxyPhone            *field
	summary, returnPlace, sets                *field
	applicantFields, proxyFields, otherFields fieldSet

	// documents
	docs     []*docRow
	docBox   *fyne.Container
	extra    *widget.Entry
	docField *field

	// fee
	pages, copies, cases *widget.Entry
	feeInputs            *fyne.Container
	fees                 []app.Fee
	feeLabel             *widget.Label
	paid                 *widget.Check
	receiptNo            *widget.Entry

	due     *widget.Label
	errLine *widget.Label

	save, refuse, guide, clear *widget.Button
	guides                     *widget.Button // the intake guidance given so far
	root                       fyne.CanvasObject
	left, right                *fyne.Container // the two columns
	leftScroll, rightScroll    *container.Scroll

	// last is the dossier saved last (tests, the receipt dialog).
	last *app.Dossier

	// scans are the papers' scans chosen at the counter (scans.go).
	scans *scanPicker
}

// docRow is one line of the document checklist.
type docRow struct {
	spec                     app.DocumentSpec
	check                    *widget.Check
	originals, copies, photo *widget.Entry
	view                     fyne.CanvasObject
}

func idTypeLabel(t app.IDType) string {
	switch t {
	case app.IDCCCD:
		return lang.L("CCCD / Căn cước")
	case app.IDCMND:
		return lang.L("CMND (9 số)")
	case app.IDPassport:
		return lang.L("Hộ chiếu")
	case app.IDTaxCode:
		return lang.L("Mã số thuế / doanh nghiệp")
	}
	return string(t)
}

var (
	idTypes        = []app.IDType{app.IDCCCD, app.IDCMND, app.IDPassport, app.IDTaxCode}
	applicantKinds = []app.ApplicantKind{app.ApplicantCitizen, app.ApplicantBusiness, app.ApplicantState, app.ApplicantOrganisation}
	channels       = []app.Channel{app.ChannelInPerson, app.ChannelPostal, app.ChannelOnline}
)

func newReceiveScreen(u *UI) *receiveScreen {
	r := &receiveScreen{u: u, scans: newScanPicker(u)}
	r.scans.changed = func() { r.docBox.Refresh(); r.relayout() }

	// Procedure: type to filter (code or name, diacritics optional).
	r.filter = newEntry()
	r.filter.SetPlaceHolder(lang.L("Gõ mã hoặc tên thủ tục, không cần dấu (ví dụ: khai sinh, chung thuc)"))
	r.filter.OnChanged = func(string) { r.search() }
	r.filter.OnSubmitted = func(string) {
		if r.hi >= 0 && r.hi < len(r.matches) {
			r.choose(r.matches[r.hi])
			u.win.Canvas().Focus(r.name.entry)
		}
	}
	r.filter.onArrow = func(up bool) {
		if len(r.matches) == 0 {
			return
		}
		if up {
			r.hi = max(r.hi-1, 0)
		} else {
			r.hi = min(r.hi+1, len(r.matches)-1)
		}
		r.procList.ScrollTo(r.hi)
		r.procList.Refresh()
	}
	r.procList = widget.NewList(
		func() int { return len(r.matches) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			p := r.matches[i]
			l := o.(*widget.Label)
			text := p.Code + "  " + p.Name + "  (" + p.Field + ")"
			l.TextStyle = fyne.TextStyle{Bold: i == r.hi} // the match Enter takes
			l.SetText(text)
		})
	r.procList.OnSelected = func(i widget.ListItemID) {
		if i < len(r.matches) {
			r.choose(r.matches[i])
		}
	}
	r.procLabel = widget.NewLabel(lang.L("Chưa chọn thủ tục"))
	r.procLabel.Truncation = fyne.TextTruncateEllipsis // one line: the form must fit without scrolling
	r.procLabel.TextStyle = fyne.TextStyle{Bold: true}
	r.procField = newInputField("procedure", lang.L("Thủ tục"), r.procLabel)
	r.channel = newChoice(channels, func(c app.Channel) string { return lang.L(c.Label()) }, func(app.Channel) { r.refreshDue() })

	// Applicant.
	r.kind = newChoice(applicantKinds, func(k app.ApplicantKind) string { return lang.L(k.Label()) }, nil)
	r.idType = newChoice(idTypes, idTypeLabel, func(app.IDType) {
		if r.idNumber != nil && r.idNumber.entry.Text != "" {
			r.idNumber.validate()
		}
	})
	r.name = newField("applicant.full_name", lang.L("Họ và tên"), newEntry(), required(lang.L("Nhập họ và tên")))
	r.idNumber = newField("applicant.id_number", lang.L("Số giấy tờ"), newEntry(), func(s string) (string, error) {
		t, _ := r.idType.value()
		if strings.TrimSpace(s) == "" {
			if k, _ := r.kind.value(); k == app.ApplicantCitizen {
				return "", errors.New(lang.L("Nhập số CCCD/định danh cá nhân"))
			}
			return "", nil
		}
		w, err := app.CheckPersonalID(t, s)
		return w, err
	})
	r.birth = newField("applicant.birth_date", lang.L("Ngày sinh"), newEntry(), optional(func(s string) error { _, err := parseDate(s); return err }))
	r.birth.entry.SetPlaceHolder("dd/mm/yyyy")
	r.phone = newField("applicant.phone", lang.L("Điện thoại"), newEntry(), optional(app.CheckPhone))
	r.email = newField("applicant.email", lang.L("Thư điện tử"), newEntry(), optional(app.CheckEmail))
	r.addr = newField("applicant.address", lang.L("Địa chỉ"), newEntry(), nil)

	r.proxyName = newField("submitter.full_name", lang.L("Người nộp thay"), newEntry(), required(lang.L("Nhập họ và tên người nộp thay")))
	r.proxyID = newField("submitter.id_number", lang.L("Số CCCD người nộp"), newEntry(), func(s string) (string, error) {
		return app.CheckPersonalID(app.IDCCCD, s)
	})
	r.proxyPhone = newField("submitter.phone", lang.L("Điện thoại người nộp"), newEntry(), optional(app.CheckPhone))
	r.proxyFields = fieldSet{r.proxyName, r.proxyID, r.proxyPhone}
	r.proxyBox = r.proxyFields.grid()
	r.proxyBox.Hide()
	r.proxy = widget.NewCheck(lang.L("Người khác nộp thay (có ủy quyền)"), func(on bool) {
		if on {
			r.proxyBox.Show()
		} else {
			r.proxyBox.Hide()
			r.proxyFields.clear()
		}
		r.relayout()
	})

	r.summary = newField("summary", lang.L("Trích yếu"), newEntry(), nil)
	r.summary.entry.SetPlaceHolder(lang.L("Mặc định: tên thủ tục"))
	r.sets = newField("sets", lang.L("Số bộ hồ sơ"), newEntry(), func(s string) (string, error) {
		n, err := parseCount(s)
		if err == nil && n < 1 {
			err = errors.New(lang.L("Ít nhất 1 bộ"))
		}
		return "", err
	})
	r.returnPlace = newField("return_place", lang.L("Nơi trả kết quả"), newEntry(), nil)
	r.returnPlace.entry.SetPlaceHolder(lang.L("Mặc định: Bộ phận Một cửa"))
	r.otherFields = fieldSet{r.summary, r.sets, r.returnPlace}

	// Documents.
	r.docBox = container.NewVBox()
	r.extra = widget.NewEntry()
	r.extra.SetPlaceHolder(lang.L("Giấy tờ khác…"))
	addExtra := func() {
		if name := app.NFC(r.extra.Text); name != "" {
			r.addDoc(app.DocumentSpec{Name: name, Originals: 0, Copies: 1}, true)
			r.extra.SetText("")
		}
	}
	r.extra.OnSubmitted = func(string) { addExtra() }
	r.docField = newInputField("documents", "", widget.NewLabel(""))

	// Fee.
	r.pages, r.copies, r.cases = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	for _, e := range []*widget.Entry{r.pages, r.copies, r.cases} {
		e.SetText("1")
		e.OnChanged = func(string) { r.refreshFee() }
	}
	r.feeInputs = container.NewHBox()
	r.feeLabel = widget.NewLabel("")
	r.feeLabel.Wrapping = fyne.TextWrapWord
	r.paid = widget.NewCheck(lang.L("Đã thu tiền"), nil)
	r.receiptNo = widget.NewEntry()
	r.receiptNo.SetPlaceHolder(lang.L("Số biên lai"))

	r.due = widget.NewLabel("")
	r.due.TextStyle = fyne.TextStyle{Bold: true}
	r.due.Importance = widget.HighImportance
	r.due.Truncation = fyne.TextTruncateEllipsis

	r.errLine = errorLine()
	r.save = widget.NewButtonWithIcon(lang.L("Tiếp nhận và in giấy hẹn"), theme.DocumentSaveIcon(), r.submit)
	for _, f := range []*field{r.name, r.idNumber, r.birth, r.phone, r.email, r.addr, r.proxyName, r.proxyID, r.proxyPhone, r.summary, r.sets, r.returnPlace} {
		f.entry.onCtrlEnter = r.submit
		e := f.entry
		e.onFocus = func() { r.reveal(e) }
	}
	r.save.Importance = widget.HighImportance
	r.refuse = widget.NewButtonWithIcon(lang.L("Từ chối tiếp nhận"), theme.CancelIcon(), r.askRefuse)
	r.refuse.Importance = widget.DangerImportance
	r.guide = widget.NewButtonWithIcon(lang.L("Hướng dẫn bổ sung"), theme.HelpIcon(), r.askGuide)
	r.clear = widget.NewButtonWithIcon(lang.L("Làm mới"), theme.ContentClearIcon(), r.reset)
	r.guides = u.guidanceButton()
	r.guides.Importance = widget.LowImportance

	// Laid out to fit a 1366×728 window without scrolling for one applicant
	// and up to six documents; every message line is reserved (fieldCell).
	kindF := newInputField("applicant.kind", lang.L("Đối tượng"), r.kind.sel)
	idTypeF := newInputField("applicant.id_type", lang.L("Loại giấy tờ"), r.idType.sel)
	channelF := newInputField("channel", lang.L("Kênh nộp"), r.channel.sel)
	r.applicantFields = fieldSet{kindF, r.name, idTypeF, r.idNumber, r.birth, r.phone, r.email, r.addr}
	r.left = container.NewVBox(
		container.NewBorder(nil, nil, nil, r.guides, r.filter),
		container.New(fixedHeight(3*listRowHeight()), r.procList),
		pairForm(
			[]*field{r.procField},
			[]*field{channelF, kindF},
			[]*field{r.name},
			[]*field{idTypeF, r.idNumber},
			[]*field{r.birth, r.phone},
			[]*field{r.email},
			[]*field{r.addr},
		),
		r.proxy, r.proxyBox,
	)
	docHeader := container.NewBorder(nil, nil, nil, countHeader(), widget.NewLabelWithStyle(lang.L("Giấy tờ đã nhận"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	r.right = container.NewVBox(
		docHeader, r.docBox,
		container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon("", theme.ContentAddIcon(), addExtra), r.extra),
		r.docField.msg,
		pairForm([]*field{r.summary}, []*field{r.sets, r.returnPlace}),
		container.NewBorder(nil, nil, heading(lang.L("Phí, lệ phí")), nil, r.feeInputs),
		r.feeLabel,
		container.NewBorder(nil, nil, r.paid, nil, r.receiptNo),
	)
	r.leftScroll, r.rightScroll = formScroll(r.left), formScroll(r.right)
	cols := container.NewGridWithColumns(2, r.leftScroll, r.rightScroll)
	buttons := container.NewHBox(r.clear, r.guide, r.refuse, r.save)
	// the sentence under the form takes the place of the appointment line,
	// so nothing moves when it comes or goes
	r.errLine.Wrapping = fyne.TextWrapOff
	r.errLine.Truncation = fyne.TextTruncateEllipsis
	bottom := container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, buttons, container.NewStack(r.due, r.errLine)))
	r.root = container.NewBorder(nil, bottom, nil, nil, cols)
	r.reset()
	return r
}

// reveal scrolls the column holding o so that o and its message line are
// in view (Tab moves the focus; Fyne does not scroll to it).
func (r *receiveScreen) reveal(o fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	for _, sc := range []*container.Scroll{r.leftScroll, r.rightScroll} {
		if sc == nil || d.CanvasForObject(o) == nil {
			continue
		}
		top := d.AbsolutePositionForObject(sc.Content)
		at := d.AbsolutePositionForObject(o)
		y := at.Y - top.Y // o's place in the column
		if at.X < top.X || at.X > top.X+sc.Content.Size().Width || y < 0 || y > sc.Content.Size().Height {
			continue // not in this column
		}
		h := o.Size().Height + 2*theme.Padding() + theme.CaptionTextSize()
		switch {
		case y < sc.Offset.Y:
			sc.ScrollToOffset(fyne.NewPos(0, max(y-theme.Padding(), 0)))
		case y+h > sc.Offset.Y+sc.Size().Height:
			sc.ScrollToOffset(fyne.NewPos(0, y+h-sc.Size().Height))
		}
		return
	}
}

// dirty reports a half-entered dossier (a procedure or any applicant text).
func (r *receiveScreen) dirty() bool {
	if r.proc != nil {
		return true
	}
	for _, f := range []*field{r.name, r.idNumber, r.birth, r.phone, r.email, r.addr, r.summary} {
		if app.NFC(f.entry.Text) != "" {
			return true
		}
	}
	return false
}

// setErr shows msg in place of the appointment line ("" shows the line).
func (r *receiveScreen) setErr(msg string) {
	setErrorLine(r.errLine, msg)
	if msg == "" {
		r.due.Show()
	} else {
		r.due.Hide()
	}
}

// listRowHeight is the height of one row of the procedure list.
func listRowHeight() float32 {
	return widget.NewLabel("Ág").MinSize().Height + theme.SeparatorThicknessSize()
}

// countHeader labels the three count columns of the checklist.
func countHeader() fyne.CanvasObject {
	cell := func(s string) fyne.CanvasObject {
		l := widget.NewLabel(s)
		l.Alignment = fyne.TextAlignCenter
		return container.New(fixedWidth(countWidth), l)
	}
	return container.NewHBox(cell(lang.L("Chính")), cell(lang.L("Sao")), cell(lang.L("Photo")))
}

const countWidth = 64

func (r *receiveScreen) view() fyne.CanvasObject { return r.root }

// relayout lays both columns out again after rows were added or removed:
// a container lays out only itself when its objects change, so the column
// around the checklist kept the old positions and drew the new rows over
// the fields below them.
func (r *receiveScreen) relayout() {
	if r.right == nil {
		return
	}
	r.left.Refresh()
	r.right.Refresh()
	r.leftScroll.Refresh()
	r.rightScroll.Refresh()
}

func (r *receiveScreen) show() {
	r.search()
	r.refreshDue()
}

// tick refreshes the appointment date while the form is open: the time of
// receipt moves on.
func (r *receiveScreen) tick() { r.refreshDue() }

func (r *receiveScreen) focusFirst() {
	r.leftScroll.ScrollToTop()
	r.u.win.Canvas().Focus(r.filter)
}

// reset clears the form for the next citizen.
func (r *receiveScreen) reset() {
	r.proc = nil
	r.filter.SetText("")
	r.procList.UnselectAll()
	r.procLabel.SetText(lang.L("Chưa chọn thủ tục"))
	r.channel.set(app.ChannelInPerson)
	r.kind.set(app.ApplicantCitizen)
	r.idType.set(app.IDCCCD)
	for _, f := range []*field{r.name, r.idNumber, r.birth, r.phone, r.email, r.addr, r.proxyName, r.proxyID, r.proxyPhone, r.summary, r.returnPlace} {
		f.entry.SetText("")
		f.clear()
	}
	r.sets.entry.SetText("1")
	r.sets.clear()
	r.procField.clear()
	r.docField.clear()
	r.proxy.SetChecked(false)
	r.docs = nil
	r.docBox.RemoveAll()
	r.scans.reset()
	r.fees = nil
	r.feeInputs.RemoveAll()
	r.feeLabel.SetText("")
	r.paid.SetChecked(false)
	r.receiptNo.SetText("")
	r.due.SetText(lang.L("Chọn thủ tục để xem ngày hẹn trả"))
	r.setErr("")
	r.relayout()
	// the next citizen starts at the top of the form
	if r.leftScroll != nil {
		r.leftScroll.ScrollToTop()
		r.rightScroll.ScrollToTop()
	}
}

func (r *receiveScreen) search() {
	ps, err := r.u.svc.SearchProcedures(r.filter.Text)
	if err != nil {
		r.setErr(message(err))
		return
	}
	r.matches = ps
	r.hi = 0
	r.procList.UnselectAll()
	r.procList.Refresh()
}

// choose selects a procedure: its document list, fee inputs and appointment.
func (r *receiveScreen) choose(p app.Procedure) {
	r.proc = &p
	r.procField.clear()
	r.procLabel.SetText(fmt.Sprintf("%s — %s · %s · %s", p.Code, p.Name, p.Field, p.RuleFor(r.channelValue()).Describe()))
	r.docs = nil
	r.docBox.RemoveAll()
	r.scans.reset()
	for _, d := range p.Documents {
		r.addDoc(d, d.Required)
	}
	r.feeInputs.RemoveAll()
	small := func(label string, e *widget.Entry) {
		r.feeInputs.Add(widget.NewLabel(label))
		r.feeInputs.Add(container.New(fixedWidth(countWidth), e))
	}
	switch p.Fee.Kind {
	case app.FeePerPage:
		small(lang.L("Số trang mỗi bản"), r.pages)
		small(lang.L("Số bản"), r.copies)
	case app.FeePerCase:
		small(lang.L("Số trường hợp"), r.cases)
	}
	r.refreshFee()
	r.refreshDue()
	r.relayout()
}

func (r *receiveScreen) channelValue() app.Channel {
	c, ok := r.channel.value()
	if !ok {
		return app.ChannelInPerson
	}
	return c
}

func (r *receiveScreen) addDoc(spec app.DocumentSpec, checked bool) {
	row := &docRow{spec: spec}
	row.originals, row.copies, row.photo = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	row.originals.SetText(fmt.Sprint(spec.Originals))
	row.copies.SetText(fmt.Sprint(spec.Copies))
	row.photo.SetText("0")
	name := widget.NewLabel(spec.Name)
	if spec.Required {
		name.SetText(spec.Name + " *")
	}
	name.Wrapping = fyne.TextWrapWord
	row.check = widget.NewCheck("", nil)
	row.check.SetChecked(checked)
	counts := container.NewHBox(
		container.New(fixedWidth(countWidth), row.originals),
		container.New(fixedWidth(countWidth), row.copies),
		container.New(fixedWidth(countWidth), row.photo))
	// The paper's scan, attached on its own line (not a "bản photo" line).
	row.view = container.NewBorder(nil, nil, row.check,
		container.NewHBox(container.NewCenter(r.scans.compactCell(spec.Name, name)), container.NewCenter(counts)), name)
	r.docs = append(r.docs, row)
	r.docBox.Add(row.view)
	r.relayout()
}

func (r *receiveScreen) feeInput() app.FeeInput {
	pages, _ := parseCount(r.pages.Text)
	copies, _ := parseCount(r.copies.Text)
	cases, _ := parseCount(r.cases.Text)
	return app.FeeInput{Pages: pages, Copies: copies, Cases: cases}
}

func (r *receiveScreen) refreshFee() {
	if r.proc == nil {
		return
	}
	fees, err := r.u.svc.FeeFor(r.proc.Code, r.feeInput())
	if err != nil {
		r.feeLabel.SetText(message(err))
		return
	}
	r.fees = fees
	if len(fees) == 0 {
		text := lang.L("Không thu phí, lệ phí")
		if r.proc.Fee.Note != "" {
			text += " — " + r.proc.Fee.Note
		}
		r.feeLabel.SetText(text)
		return
	}
	var b strings.Builder
	var total int64
	for _, f := range fees {
		fmt.Fprintf(&b, "%s: %s\n", f.Name, fmtMoney(f.Amount))
		total += f.Amount
	}
	fmt.Fprintf(&b, "%s: %s", lang.L("Tổng cộng"), fmtMoney(total))
	if r.proc.Fee.Note != "" {
		b.WriteString("\n(" + r.proc.Fee.Note + ")")
	}
	r.feeLabel.SetText(b.String())
}

// refreshDue shows the appointment a dossier received now would get.
func (r *receiveScreen) refreshDue() {
	if r.proc == nil {
		return
	}
	due, ok, err := r.u.svc.PreviewDue(r.proc.Code, r.channelValue(), r.u.now())
	switch {
	case err != nil:
		r.due.SetText(message(err))
	case !ok:
		r.due.SetText(lang.L("Thủ tục không quy định thời hạn giải quyết"))
	default:
		r.due.SetText(fmt.Sprintf(lang.L("Hẹn trả: %s (%s)"), fmtDateTime(due), weekday(due)))
	}
}

// input collects the form; it reports whether every field is valid.
func (r *receiveScreen) input() (app.ReceiveInput, bool) {
	ok := true
	if r.proc == nil {
		r.procField.setError(lang.L("Chọn thủ tục hành chính"))
		ok = false
	}
	if r.applicantFields.validate() != nil || r.otherFields.validate() != nil {
		ok = false
	}
	if r.proxy.Checked && r.proxyFields.validate() != nil {
		ok = false
	}
	in := app.ReceiveInput{Channel: r.channelValue(), Summary: r.summary.text(), ReturnPlace: r.returnPlace.text()}
	if r.proc != nil {
		in.ProcedureCode = r.proc.Code
	}
	kind, _ := r.kind.value()
	idType, _ := r.idType.value()
	birth, _ := isoDate(r.birth.entry.Text)
	in.Applicant = app.Person{Kind: kind, FullName: r.name.text(), IDType: idType, IDNumber: strings.TrimSpace(r.idNumber.entry.Text),
		BirthDate: birth, Phone: r.phone.text(), Email: r.email.text(), Address: r.addr.text()}
	if in.Applicant.IDNumber == "" {
		in.Applicant.IDType = ""
	}
	if r.proxy.Checked {
		in.Submitter = &app.Person{Kind: app.ApplicantCitizen, FullName: r.proxyName.text(), IDType: app.IDCCCD,
			IDNumber: strings.TrimSpace(r.proxyID.entry.Text), Phone: r.proxyPhone.text()}
	}
	in.Sets, _ = parseCount(r.sets.entry.Text)
	r.docField.clear()
	for _, d := range r.docs {
		if !d.check.Checked {
			continue
		}
		o, e1 := parseCount(d.originals.Text)
		c, e2 := parseCount(d.copies.Text)
		p, e3 := parseCount(d.photo.Text)
		if err := errors.Join(e1, e2, e3); err != nil {
			r.docField.setError(d.spec.Name + ": " + lang.L("Nhập một số từ 0 đến 999"))
			ok = false
			continue
		}
		in.Documents = append(in.Documents, app.SubmittedDocument{Name: d.spec.Name, Originals: o, Copies: c, Photocopies: p})
	}
	in.Scans = r.scans.list(docNames(in.Documents))
	for _, f := range r.fees {
		f.Paid = r.paid.Checked
		if f.Paid {
			f.ReceiptNo = app.NFC(r.receiptNo.Text)
		}
		in.Fees = append(in.Fees, f)
	}
	return in, ok
}

// missing lists the unchecked required documents (for the guidance form).
func (r *receiveScreen) missing() []string {
	var out []string
	for _, d := range r.docs {
		if d.spec.Required && !d.check.Checked {
			out = append(out, d.spec.Name)
		}
	}
	return out
}

func (r *receiveScreen) fail(err error) {
	rest := append(r.applicantFields.apply(err), r.otherFields.apply(err)...)
	if r.proxy.Checked {
		rest = append(rest, r.proxyFields.apply(err)...)
	}
	for _, fe := range fieldErrors(err) {
		switch {
		case fe.Field == "procedure":
			r.procField.setError(render(fe.Message()))
		case strings.HasPrefix(fe.Field, "documents"):
			r.docField.setError(render(fe.Message()))
		}
	}
	msg := message(err)
	if len(rest) > 0 && app.KindOf(err) != app.KindInvalid {
		msg += ": " + strings.Join(rest, "; ")
	}
	r.setErr(msg)
}

// check marks every field the screen or the use case finds wrong, all at
// once (not one save at a time); it reports whether the input may be saved.
func (r *receiveScreen) check() (app.ReceiveInput, bool) {
	in, ok := r.input()
	if err := r.u.svc.CheckReceive(in); err != nil {
		r.fail(err)
		for _, fe := range fieldErrors(err) {
			if !strings.HasPrefix(fe.Field, "documents") {
				ok = false // missing documents: Receive says what to do
			}
		}
	}
	if !ok {
		r.setErr(lang.L("Thông tin hồ sơ chưa hợp lệ, vui lòng kiểm tra các ô được đánh dấu"))
	}
	return in, ok
}

func (r *receiveScreen) submit() {
	r.setErr("")
	in, ok := r.check()
	if !ok {
		return
	}
	d, err := r.u.svc.Receive(r.u.user, in)
	if err != nil {
		r.fail(err)
		return
	}
	logrus.WithField("code", d.Code).Info("dossier received")
	r.last = d
	r.reset()
	r.showReceipt(d)
}

// showReceipt announces the code and offers the receipt (two copies) at once.
func (r *receiveScreen) showReceipt(d *app.Dossier) {
	code := widget.NewLabelWithStyle(d.Code, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	code.SizeName = theme.SizeNameHeadingText
	due := lang.L("Không hẹn ngày trả")
	if !d.DueAt.IsZero() {
		due = fmt.Sprintf(lang.L("Hẹn trả: %s (%s)"), fmtDateTime(d.DueAt), weekday(d.DueAt))
	}
	info := widget.NewLabelWithStyle(fmt.Sprintf("%s\n%s\n%s", d.ProcedureName, d.Applicant.FullName, due), fyne.TextAlignCenter, fyne.TextStyle{})
	content := container.NewVBox(widget.NewLabelWithStyle(lang.L("Mã hồ sơ"), fyne.TextAlignCenter, fyne.TextStyle{}), code, info)
	r.u.keyDialog(lang.L("Đã tiếp nhận hồ sơ"), content, func(hide func()) []*keyButton {
		p, s := r.u.printButtons(pdfName(d.Code, forms.KindReceipt), r.u.dossierForm(forms.KindReceipt, d))
		kp := newKeyButton(lang.L("In giấy tiếp nhận (2 liên)"), p.Icon, p.OnTapped, nil)
		kp.Importance = widget.HighImportance
		ks := newKeyButton(s.Text, s.Icon, s.OnTapped, nil)
		open := newKeyButton(lang.L("Xem hồ sơ"), theme.FolderOpenIcon(), func() { hide(); r.u.shell.openDossier(d.Code) }, nil)
		return []*keyButton{kp, ks, open}
	})
}

// askRefuse records a refusal with its reason and offers the refusal form.
func (r *receiveScreen) askRefuse() {
	r.setErr("")
	in, ok := r.check()
	if !ok {
		return
	}
	r.docField.clear() // a refusal needs no complete set of documents
	reason := newMultiLine()
	reasonF := newField("reason", lang.L("Lý do từ chối"), reason, limitedLines(app.MaxParagraph, required(lang.L("Nhập lý do từ chối tiếp nhận"))))
	r.u.formDialog(lang.L("Từ chối tiếp nhận hồ sơ"), lang.L("Từ chối tiếp nhận"), fieldSet{reasonF}, func() error {
		d, err := r.u.svc.RefuseAtIntake(r.u.user, in, reasonF.text())
		if err != nil {
			if len(fieldErrors(err)) > 0 && fieldErrors(err)[0].Field != "reason" {
				r.fail(err)
			}
			return err
		}
		logrus.WithField("code", d.Code).Info("dossier refused at intake")
		r.last = d
		r.reset()
		r.u.offerForm(lang.L("Đã lập phiếu từ chối"), d.Code, pdfName(d.Code, forms.KindRefusal), r.u.dossierForm(forms.KindRefusal, d))
		return nil
	})
}

// askGuide gives the supplement guidance: nothing is received.
func (r *receiveScreen) askGuide() {
	r.setErr("")
	if r.proc == nil {
		r.procField.setError(lang.L("Chọn thủ tục hành chính"))
		return
	}
	if err := r.name.validate(); err != nil {
		r.setErr(lang.L("Nhập họ và tên người nộp hồ sơ"))
		return
	}
	items := newMultiLine()
	items.SetMinRowsVisible(4)
	items.SetText(strings.Join(r.missing(), "\n"))
	itemsF := newField("items", lang.L("Giấy tờ cần bổ sung (mỗi dòng một mục)"), items, required(lang.L("Liệt kê giấy tờ cần bổ sung, hoàn thiện")))
	reason := newMultiLine()
	reasonF := newField("reason", lang.L("Lý do"), reason, limitedLines(app.MaxParagraph, nil))
	r.u.formDialog(lang.L("Hướng dẫn bổ sung, hoàn thiện hồ sơ"), lang.L("Lập phiếu hướng dẫn"), fieldSet{itemsF, reasonF}, func() error {
		in, _ := r.input()
		g, err := r.u.svc.GuideAtIntake(r.u.user, app.GuideInput{ProcedureCode: r.proc.Code, Applicant: in.Applicant,
			Summary: in.Summary, Items: lines(items.Text), Reason: reasonF.text()})
		if err != nil {
			// the name and the summary are on the form behind the dialog
			r.applicantFields.apply(err)
			r.otherFields.apply(err)
			return err
		}
		logrus.WithField("id", g.ID).Info("intake guidance")
		r.reset()
		r.u.offerForm(lang.L("Đã lập phiếu hướng dẫn"), g.ID, guidanceFileName(g), r.u.guidanceForm(g))
		return nil
	})
}

// lines splits text into non-blank lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = app.NFC(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func weekday(t time.Time) string {
	switch t.In(app.Vietnam).Weekday() {
	case time.Monday:
		return lang.L("Thứ hai")
	case time.Tuesday:
		return lang.L("Thứ ba")
	case time.Wednesday:
		return lang.L("Thứ tư")
	case time.Thursday:
		return lang.L("Thứ năm")
	case time.Friday:
		return lang.L("Thứ sáu")
	case time.Saturday:
		return lang.L("Thứ bảy")
	}
	return lang.L("Chủ nhật")
}

// fixedHeight lays its objects on top of each other at a fixed minimum height.
type fixedHeight float32

func (h fixedHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := float32(0)
	for _, o := range objs {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	return fyne.NewSize(w, float32(h))
}

func (h fixedHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
