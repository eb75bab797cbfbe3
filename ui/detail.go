package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/forms"
)

// detailScreen shows one dossier: every field, documents, history, legs,
// supplements, delays, result, the printable forms, and exactly the actions
// app.Available gives the signed-in user.
type detailScreen struct {
	u *UI
	d *app.Dossier

	title   *widget.Label
	state   *widget.Label
	due     *widget.Label
	note    *widget.Label   // "changed at another desk" while a dialog is open
	frame   *fyne.Container // the header above the tabs: laid out again when the note shows
	waiting bool            // a reload waits for the dialog to close
	actions *fyne.Container
	buttons map[app.Action]*widget.Button
	recall  *widget.Button
	tabs    *container.AppTabs
	info    *fyne.Container
	docs    *fyne.Container
	history *fyne.Container
	legs    *fyne.Container
	rounds  *fyne.Container
	prints  *fyne.Container
	root    fyne.CanvasObject
}

func newDetailScreen(u *UI) *detailScreen {
	s := &detailScreen{u: u, buttons: map[app.Action]*widget.Button{}}
	back := widget.NewButtonWithIcon(lang.L("Quay lại"), theme.NavigateBackIcon(), func() { u.shell.goBack() })
	s.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.title.SizeName = theme.SizeNameSubHeadingText
	s.state = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.due = widget.NewLabel("")
	s.note = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.note.Importance = widget.WarningImportance
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Hide()
	s.actions = container.NewHBox()

	s.info = container.New(layout.NewFormLayout())
	s.docs = container.NewVBox()
	s.history = container.NewVBox()
	s.legs = container.NewVBox()
	s.rounds = container.NewVBox()
	s.prints = container.NewVBox()
	scroll := func(o fyne.CanvasObject) fyne.CanvasObject { return container.NewVScroll(container.NewPadded(o)) }
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Thông tin"), theme.InfoIcon(), scroll(container.NewVBox(s.info, heading(lang.L("Thành phần hồ sơ")), s.docs))),
		container.NewTabItemWithIcon(lang.L("Lịch sử"), theme.HistoryIcon(), scroll(s.history)),
		container.NewTabItemWithIcon(lang.L("Luân chuyển"), theme.MailForwardIcon(), scroll(s.legs)),
		container.NewTabItemWithIcon(lang.L("Bổ sung, gia hạn, phí"), theme.ListIcon(), scroll(s.rounds)),
		container.NewTabItemWithIcon(lang.L("Biểu mẫu"), theme.DocumentPrintIcon(), scroll(s.prints)),
	)
	head := container.NewVBox(
		container.NewBorder(nil, nil, back, nil, container.NewHBox(s.title, s.state)),
		container.NewBorder(nil, nil, nil, nil, s.due),
		s.note,
		container.NewHScroll(s.actions),
		widget.NewSeparator())
	s.frame = container.NewBorder(head, nil, nil, nil, s.tabs)
	s.root = container.NewPadded(s.frame)
	return s
}

func (s *detailScreen) view() fyne.CanvasObject { return s.root }

// load reads the dossier and redraws everything.
func (s *detailScreen) load(code string) error {
	d, err := s.u.svc.Dossier(code)
	if err != nil {
		return err
	}
	// The record of processing: this screen shows the citizen's details.
	if err := s.u.svc.RecordView(s.u.user, code); err != nil {
		return err
	}
	s.display(d)
	return nil
}

// display redraws everything from d.
func (s *detailScreen) display(d *app.Dossier) {
	s.d = d
	s.showNote("")
	s.u.win.SetTitle(s.u.titleFor(d.Code))
	s.title.SetText(d.Code)
	state := lang.L(d.State.Label())
	if name := lang.L(d.Status.Name()); name != state {
		state += fmt.Sprintf(" · %s %d: %s", lang.L("mã"), d.Status, name)
	} else {
		state += fmt.Sprintf(" · %s %d", lang.L("mã"), d.Status)
	}
	s.state.SetText(state)
	s.state.Importance = widget.HighImportance
	due := lang.L("Không hẹn ngày trả")
	if !d.DueAt.IsZero() {
		due = fmt.Sprintf(lang.L("Hẹn trả: %s (%s)"), fmtDateTime(d.DueAt), weekday(d.DueAt))
		switch {
		case app.MarkedLate(d.State, d.DueAt, s.u.now()):
			due += " — " + lang.L("QUÁ HẠN")
			s.due.Importance = widget.DangerImportance
		case app.Waiting(d.State):
			// The citizen's time (domain.md §5.4): the date moves when the
			// papers or the payment arrive; never marked late meanwhile.
			due += " — " + lang.L("đang chờ công dân, không tính quá hạn")
			s.due.Importance = widget.MediumImportance
		default:
			s.due.Importance = widget.MediumImportance
		}
		if !d.OriginalDue.IsZero() && !d.OriginalDue.Equal(d.DueAt) {
			due += "  ·  " + lang.L("hẹn ban đầu") + " " + fmtDateTime(d.OriginalDue)
		}
	}
	s.due.SetText(due)
	s.state.Refresh()

	s.fillActions()
	s.fillInfo()
	s.fillDocs()
	s.fillHistory()
	s.fillLegs()
	s.fillRounds()
	s.fillPrints()
}

func (s *detailScreen) reload() {
	if s.d == nil {
		return
	}
	if err := s.load(s.d.Code); err != nil {
		s.u.showError(err)
	}
}

// changedElsewhere is told that the dossier on screen may have changed
// (another desk, the hub; live.go). A change this screen already shows (its
// own action) is left alone; otherwise it reloads, unless the official has
// a dialog open, whose input a reload would destroy: then a note says so
// and the screen reloads once the dialog has closed.
func (s *detailScreen) changedElsewhere() {
	if s.d == nil {
		return
	}
	d, err := s.u.svc.Dossier(s.d.Code)
	if err != nil || d.Version == s.d.Version {
		return
	}
	if s.u.win.Canvas().Overlays().Top() != nil {
		s.showNote(lang.L("Hồ sơ vừa được cập nhật ở máy khác — màn hình sẽ tải lại khi đóng hộp thoại"))
		s.waitForDialog()
		return
	}
	// The official's view of this dossier is on record already: the
	// refresh of the open screen is not a new one.
	s.display(d)
}

// showNote shows text above the actions ("" hides it) and lays the header
// out again.
func (s *detailScreen) showNote(text string) {
	if text == "" && !s.note.Visible() {
		return
	}
	s.note.SetText(text)
	if text == "" {
		s.note.Hide()
	} else {
		s.note.Show()
	}
	s.frame.Refresh()
}

// waitForDialog reloads the dossier once no dialog is open any more, if it
// is still on screen.
func (s *detailScreen) waitForDialog() {
	if s.waiting {
		return
	}
	s.waiting = true
	s.u.liveLater(func() {
		s.waiting = false
		sh := s.u.shell
		if sh == nil || sh.current != "detail" || sh.detail != s || s.d == nil {
			return
		}
		if s.u.win.Canvas().Overlays().Top() != nil {
			s.waitForDialog()
			return
		}
		s.changedElsewhere()
	})
}

// fillActions shows one button per action the workflow allows this user.
func (s *detailScreen) fillActions() {
	s.actions.RemoveAll()
	s.buttons = map[app.Action]*widget.Button{}
	s.recall = nil
	for _, a := range app.DossierActions(s.d, s.u.user, s.u.hub != nil) {
		open := s.actionDialog(a)
		if a == app.ActRecall {
			open = s.recallDialog
		}
		if open == nil {
			continue // a system action
		}
		label := lang.L(a.Label())
		if a == app.ActTransfer && s.d.State == app.StateResolved {
			label = lang.L("Chuyển tiếp liên thông") // the next agency of a group procedure
		}
		b := widget.NewButton(label, open)
		switch a {
		case app.ActApprove, app.ActReturn, app.ActHandover, app.ActRecordResult, app.ActSubmitApproval, app.ActReceiveSupplement, app.ActRecordPayment:
			b.Importance = widget.HighImportance
		case app.ActStop, app.ActWithdraw, app.ActSendBack:
			b.Importance = widget.DangerImportance
		case app.ActRecall:
			b.Importance = widget.WarningImportance
			s.recall = b
			s.actions.Add(b)
			continue
		}
		s.buttons[a] = b
		s.actions.Add(b)
	}
	if len(s.buttons) == 0 && s.recall == nil {
		l := widget.NewLabel(lang.L("Không có thao tác nào cho tài khoản của bạn ở trạng thái này"))
		l.Importance = widget.LowImportance
		s.actions.Add(l)
	}
	h := app.LoopHint(s.d)
	if h == "" {
		h = nextStep(s.d.State)
	}
	if h != "" {
		l := widget.NewLabel(h)
		l.Importance = widget.LowImportance
		s.actions.Add(l)
	}
}

// row adds a label: value line to the information grid (skipped when empty).
func row(c *fyne.Container, label, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	l := widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	v := widget.NewLabel(value)
	v.Wrapping = fyne.TextWrapWord
	c.Add(l)
	c.Add(v)
}

// personText is a person in one line, the identity number masked
// (app.MaskID); personTextFor shows it as u may see it.
func personText(p app.Person) string { return personTextFor(nil, p) }

func personTextFor(u *app.User, p app.Person) string {
	parts := []string{p.FullName}
	if p.IDNumber != "" {
		parts = append(parts, idTypeLabel(p.IDType)+" "+app.IDFor(u, p.IDNumber))
	}
	if p.BirthDate != "" {
		parts = append(parts, lang.L("sinh ngày")+" "+fmtISODate(p.BirthDate))
	}
	return strings.Join(parts, ", ")
}

func (s *detailScreen) fillInfo() {
	d := s.d
	c := s.info
	c.RemoveAll()
	row(c, lang.L("Thủ tục"), fmt.Sprintf("%s — %s (%s)", d.ProcedureCode, d.ProcedureName, d.Field))
	row(c, lang.L("Thời hạn giải quyết"), d.TimeRule.Describe())
	row(c, lang.L("Căn cứ pháp lý"), d.Legal.Text)
	row(c, lang.L("Kênh nộp"), lang.L(d.Channel.Label()))
	if d.Channel == app.ChannelOnline && !d.SubmittedAt.IsZero() {
		row(c, lang.L("Nộp trực tuyến lúc"), fmtDateTime(d.SubmittedAt))
	}
	row(c, lang.L("Người nộp hồ sơ"), personTextFor(s.u.user, d.Applicant))
	row(c, lang.L("Đối tượng"), lang.L(d.Applicant.Kind.Label()))
	row(c, lang.L("Điện thoại"), d.Applicant.Phone)
	row(c, lang.L("Thư điện tử"), d.Applicant.Email)
	row(c, lang.L("Địa chỉ"), d.Applicant.Address)
	if d.Submitter != nil {
		row(c, lang.L("Người nộp thay"), personTextFor(s.u.user, *d.Submitter)+" "+d.Submitter.Phone)
	}
	row(c, lang.L("Trích yếu"), d.Summary)
	row(c, lang.L("Số bộ hồ sơ"), fmt.Sprint(d.Sets))
	row(c, lang.L("Tiếp nhận lúc"), fmtDateTime(d.ReceivedAt))
	row(c, lang.L("Hẹn trả"), fmtDateTime(d.DueAt))
	if !d.StatsDue.IsZero() && !d.StatsDue.Equal(d.DueAt) {
		row(c, lang.L("Hạn dùng cho thống kê"), fmtDateTime(d.StatsDue))
	}
	row(c, lang.L("Hoàn thành lúc"), fmtDateTime(d.FinishedAt))
	if !d.FinishedAt.IsZero() && !d.StatsDue.IsZero() && d.State.Finished() {
		row(c, lang.L("Kết quả đúng hạn"), lang.L(app.Classify(d.FinishedAt, d.StatsDue).Label()))
	}
	if d.RegisterRow > 0 {
		row(c, lang.L("Sổ theo dõi"), fmt.Sprintf(lang.L("Quyển số %s, số thứ tự %d"), d.RegisterBook, d.RegisterRow))
	}
	row(c, lang.L("Đang xử lý"), strings.TrimSpace(d.Handler.FullName+" — "+d.Unit))
	row(c, lang.L("Nơi trả kết quả"), d.ReturnPlace)
	for _, f := range d.Fees {
		v := fmtMoney(f.Amount)
		if f.Paid {
			v += " — " + lang.L("đã nộp")
			if f.ReceiptNo != "" {
				v += ", " + lang.L("biên lai") + " " + f.ReceiptNo
			}
		} else {
			v += " — " + lang.L("chưa nộp")
		}
		row(c, f.Name, v)
	}
	row(c, lang.L("Dự thảo / thẩm định"), d.Draft)
	row(c, lang.L("Lý do từ chối"), d.RefuseReason)
	row(c, lang.L("Lý do dừng xử lý"), strings.TrimSpace(d.StopReason+" "+d.StopLegal))
	row(c, lang.L("Rút hồ sơ"), d.WithdrawNote)
	if r := d.Result; r != nil {
		row(c, lang.L("Kết quả"), fmt.Sprintf(lang.L("%s số %s ngày %s, người ký: %s"), r.Kind, r.Number, fmtISODate(r.Date), r.Signer))
		row(c, lang.L("Trích yếu kết quả"), r.Summary)
	}
	if r := d.Return; r != nil {
		row(c, lang.L("Đã trả kết quả"), fmt.Sprintf("%s — %s %s (%s)", fmtDateTime(r.At), r.To, r.ToID, returnMethodLabel(r.Method)))
		row(c, lang.L("Bản chính lưu lại"), r.Originals)
	}
	for i, t := range d.Transfers {
		row(c, fmt.Sprintf(lang.L("Liên thông bước %d"), i+1), transferText(t))
	}
	row(c, lang.L("Mã hồ sơ bên gửi"), d.Reference)
	c.Refresh()
}

func returnMethodLabel(m app.ReturnMethod) string {
	switch m {
	case app.ReturnPostal:
		return lang.L("Bưu chính")
	case app.ReturnOnline:
		return lang.L("Trực tuyến")
	}
	return lang.L("Trực tiếp")
}

func (s *detailScreen) fillDocs() {
	s.docs.RemoveAll()
	if len(s.d.Documents) == 0 {
		s.docs.Add(widget.NewLabel(lang.L("Không có giấy tờ")))
	}
	can := s.canAttachScans()
	for i, doc := range s.d.Documents {
		l := widget.NewLabel(fmt.Sprintf(lang.L("%d. %s — bản chính: %d, bản sao: %d, bản photo: %d"), i+1, doc.Name, doc.Originals, doc.Copies, doc.Photocopies))
		l.Wrapping = fyne.TextWrapWord
		s.docs.Add(l)
		if line := s.scanLine(doc, can); line != nil {
			s.docs.Add(line)
		}
	}
	// The papers a supplement asked for: scanned when the citizen brings them.
	if papers := supplementPapers(s.d); can && len(papers) > 0 {
		s.docs.Add(heading(lang.L("Giấy tờ bổ sung")))
		for _, it := range papers {
			s.docs.Add(widget.NewLabel(it))
			s.docs.Add(s.scanLine(app.SubmittedDocument{Name: it}, true))
		}
	}
	// The result's files, from this office or from the agency that
	// processed the dossier.
	if r := s.d.Result; r != nil && len(r.Files) > 0 {
		s.docs.Add(heading(lang.L("Tệp kết quả")))
		for _, f := range r.Files {
			if line := s.scanLine(f, false); line != nil {
				s.docs.Add(line)
			} else {
				s.docs.Add(widget.NewLabel(f.Name))
			}
		}
	}
	s.docs.Refresh()
}

// fillHistory draws the append-only history as a timeline, oldest first.
func (s *detailScreen) fillHistory() {
	s.history.RemoveAll()
	for _, h := range s.d.History {
		// Another agency's official: who (name, title, agency) and when
		// they acted; when this office heard of it follows the note.
		head := fmt.Sprintf("%s  ·  %s  ·  %s", fmtDateTime(h.When()), lang.L(h.Action.Label()), h.ActorText())
		if h.From != "" && h.From != h.To {
			head += fmt.Sprintf("  ·  %s → %s", lang.L(h.From.Label()), lang.L(h.To.Label()))
		}
		t := widget.NewLabelWithStyle(head, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		t.Wrapping = fyne.TextWrapWord
		s.history.Add(t)
		note := h.Note
		if !h.ActedAt.IsZero() && !h.ActedAt.Equal(h.At) {
			note = strings.TrimSpace(note + "\n" + lang.L("Ghi nhận tại đây lúc") + " " + fmtDateTime(h.At))
		}
		if note != "" {
			n := widget.NewLabel(note)
			n.Wrapping = fyne.TextWrapWord
			s.history.Add(n)
		}
	}
	s.history.Refresh()
}

// transferText is one transfer of a dossier as its sender follows it: the
// agency, the purpose, where it stands and the last national status.
func transferText(t app.TransferRef) string {
	name := t.ToName
	if name == "" {
		name = t.ToAgency
	} else {
		name += " (" + t.ToAgency + ")"
	}
	text := fmt.Sprintf("%s — %s, %s", name, purposeLabel(t.Purpose), transferStateLabel(t.State))
	if t.StatusCode != 0 {
		text += fmt.Sprintf(" · %s %d: %s", lang.L("mã"), t.StatusCode, lang.L(t.StatusCode.Name()))
	}
	if !t.UpdatedAt.IsZero() {
		text += " · " + fmtDateTime(t.UpdatedAt)
	}
	return text
}

func (s *detailScreen) fillLegs() {
	s.legs.RemoveAll()
	// Every leg through the central API and where it stands (a group
	// procedure goes to several agencies in turn).
	if ts := s.d.Transfers; len(ts) > 0 {
		h := lang.L("Các bước liên thông")
		if g := ts[0].GroupID; g != "" && len(ts) > 1 {
			h += " — " + lang.L("nhóm") + " " + g
		}
		s.legs.Add(heading(h))
		for i, t := range ts {
			l := widget.NewLabel(fmt.Sprintf("%d. %s", i+1, transferText(t)))
			l.Wrapping = fyne.TextWrapWord
			s.legs.Add(l)
		}
		s.legs.Add(heading(lang.L("Luân chuyển")))
	}
	if len(s.d.Legs) == 0 {
		s.legs.Add(widget.NewLabel(lang.L("Chưa chuyển xử lý")))
	}
	for _, l := range s.d.Legs {
		text := fmt.Sprintf("%d. %s: %s → %s", l.N, fmtDateTime(l.At), whoAt(l.FromUser.FullName, l.FromUnit), whoAt(l.ToUser.FullName, l.ToUnit))
		lbl := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		s.legs.Add(lbl)
		var sub []string
		if !l.Deadline.IsZero() {
			sub = append(sub, lang.L("hạn bước")+" "+fmtDateTime(l.Deadline))
		}
		if !l.FinishedAt.IsZero() {
			sub = append(sub, lang.L("xong lúc")+" "+fmtDateTime(l.FinishedAt))
		}
		if l.Outcome != app.OutcomeNone {
			sub = append(sub, lang.L(l.Outcome.Label()))
		}
		if l.Note != "" {
			sub = append(sub, l.Note)
		}
		if len(sub) > 0 {
			n := widget.NewLabel(strings.Join(sub, " · "))
			n.Wrapping = fyne.TextWrapWord
			if l.Outcome == app.OutcomeLate {
				n.Importance = widget.DangerImportance
			}
			s.legs.Add(n)
		}
	}
	s.legs.Refresh()
}

func (s *detailScreen) fillRounds() {
	c := s.rounds
	c.RemoveAll()
	d := s.d
	if len(d.Supplements) == 0 && len(d.Delays) == 0 && d.Payment == nil {
		c.Add(widget.NewLabel(lang.L("Không có yêu cầu bổ sung, gia hạn hay nộp phí")))
	}
	for _, r := range d.Supplements {
		c.Add(heading(fmt.Sprintf(lang.L("Bổ sung lần %d — %s, %s"), r.N, fmtDateTime(r.RequestedAt), r.RequestedBy.FullName)))
		text := lang.L("Cần bổ sung") + ": " + strings.Join(r.Items, "; ")
		if r.Reason != "" {
			text += "\n" + lang.L("Lý do") + ": " + r.Reason
		}
		if r.TransferID != "" {
			text += "\n" + lang.L("Yêu cầu của nơi nhận liên thông")
			if !r.Deadline.IsZero() {
				text += ", " + lang.L("hạn") + " " + fmtDateTime(r.Deadline)
			}
		}
		if !r.ReceivedAt.IsZero() {
			text += "\n" + fmt.Sprintf(lang.L("Đã nhận bổ sung lúc %s; hẹn cũ %s, hẹn mới %s"), fmtDateTime(r.ReceivedAt), fmtDateTime(r.PrevDue), fmtDateTime(r.NewDue))
		} else {
			text += "\n" + lang.L("Chưa nhận bổ sung")
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		c.Add(l)
	}
	for _, dl := range d.Delays {
		c.Add(heading(fmt.Sprintf(lang.L("Xin lỗi, hẹn lại lần %d — %s, %s"), dl.N, fmtDateTime(dl.At), dl.By.FullName)))
		l := widget.NewLabel(fmt.Sprintf(lang.L("Hẹn cũ %s → hẹn mới %s. Lý do: %s"), fmtDateTime(dl.PrevDue), fmtDateTime(dl.NewDue), dl.Reason))
		l.Wrapping = fyne.TextWrapWord
		c.Add(l)
	}
	if p := d.Payment; p != nil {
		c.Add(heading(fmt.Sprintf(lang.L("Yêu cầu nộp phí — %s, %s"), fmtDateTime(p.RequestedAt), p.RequestedBy.FullName)))
		for _, f := range p.Items {
			c.Add(widget.NewLabel(fmt.Sprintf("%s: %s", f.Name, fmtMoney(f.Amount))))
		}
		if p.Note != "" { // asked by the receiving agency (liên thông)
			l := widget.NewLabel(lang.L("Yêu cầu của nơi nhận liên thông") + ": " + p.Note)
			l.Wrapping = fyne.TextWrapWord
			c.Add(l)
		}
		if !p.PaidAt.IsZero() {
			c.Add(widget.NewLabel(lang.L("Đã nộp lúc") + " " + fmtDateTime(p.PaidAt)))
		}
	}
	c.Refresh()
}

func (s *detailScreen) fillPrints() {
	s.prints.RemoveAll()
	kinds := forms.ForDossier(s.d)
	if len(kinds) == 0 {
		s.prints.Add(widget.NewLabel(lang.L("Không có biểu mẫu cho trạng thái này")))
	}
	d := s.d
	for _, k := range kinds {
		switch {
		case k == forms.KindSupplement && len(d.Supplements) > 1:
			// every round stays printable, not only the latest
			for _, r := range d.Supplements {
				n := r.N
				s.prints.Add(s.u.formRow(fmt.Sprintf("%s — %s %d", s.u.formTitle(k), lang.L("lần"), n),
					pdfName(fmt.Sprintf("%s_lan-%d", d.Code, n), k),
					func() ([]byte, error) { return forms.SupplementRound(s.u.office(), d, n) }))
			}
		case k == forms.KindApology && len(d.Delays) > 1:
			for i := range d.Delays {
				s.prints.Add(s.u.formRow(fmt.Sprintf("%s — %s %d", s.u.formTitle(k), lang.L("lần"), d.Delays[i].N),
					pdfName(fmt.Sprintf("%s_lan-%d", d.Code, d.Delays[i].N), k),
					func() ([]byte, error) { return forms.Apology(s.u.office(), d, i) }))
			}
		default:
			s.prints.Add(s.u.formRow(s.u.formTitle(k), pdfName(d.Code, k), s.u.dossierForm(k, d)))
		}
	}
	s.prints.Refresh()
}

// done is called after an action succeeded: redraw, and offer the form the
// action produced when there is one.
func (s *detailScreen) done(d *app.Dossier, a app.Action) {
	logrus.WithFields(logrus.Fields{"code": d.Code, "action": a}).Info("dossier action")
	s.reload()
	var k forms.Kind
	switch a {
	case app.ActRequestSupplement:
		k = forms.KindSupplement
	case app.ActDelay:
		k = forms.KindApology
	case app.ActStop:
		k = forms.KindStop
	case app.ActReturn:
		k = forms.KindResultReceipt
	default:
		return
	}
	s.u.offerForm(s.u.formTitle(k), d.Code, pdfName(d.Code, k), s.u.dossierForm(k, s.d))
}

// actionDialog returns the function that opens the dialog of action a, or
// nil when this desktop cannot perform it (transfers need the central API).
func (s *detailScreen) actionDialog(a app.Action) func() {
	u, code := s.u, s.d.Code
	title := lang.L(a.Label()) + " — " + code
	note := func(name, label string, req string) *field {
		var check func(string) (string, error)
		if req != "" {
			check = required(req)
		}
		return newField(name, label, newMultiLine(), check)
	}
	run := func(fs fieldSet, do func() (*app.Dossier, error)) func() {
		return func() {
			u.formDialog(title, lang.L(a.Label()), fs, func() error {
				d, err := do()
				if err != nil {
					return err
				}
				s.done(d, a)
				return nil
			})
		}
	}
	switch a {
	case app.ActHandover:
		return s.handoverDialog(title)
	case app.ActRequestSupplement:
		items := newField("items", lang.L("Giấy tờ cần bổ sung (mỗi dòng một mục)"), newMultiLine(), required(lang.L("Liệt kê giấy tờ cần bổ sung")))
		items.entry.SetMinRowsVisible(4)
		reason := note("reason", lang.L("Lý do"), "")
		return run(fieldSet{items, reason}, func() (*app.Dossier, error) {
			return u.svc.RequestSupplement(u.user, code, app.SupplementInput{Items: lines(items.entry.Text), Reason: reason.text()})
		})
	case app.ActReceiveSupplement:
		n := note("note", lang.L("Ghi chú"), "")
		// The papers the citizen brings, scanned on the counter: each on
		// the item of the request it answers.
		scans := newScanPicker(u)
		u.lastScans = scans
		var items []string
		if k := len(s.d.Supplements); k > 0 {
			items = s.d.Supplements[k-1].Items
		}
		fields := fieldSet{n}
		if len(items) > 0 {
			box := container.NewVBox()
			for _, it := range items {
				l := widget.NewLabel(it)
				l.Wrapping = fyne.TextWrapWord
				box.Add(l)
				box.Add(scans.cell(it))
			}
			fields = append(fields, newInputField("scans", lang.L("Bản quét"), box))
		}
		if k := len(s.d.Supplements); k > 0 && s.d.Supplements[k-1].TransferID != "" {
			// The papers go on to the receiving agency, each with its scan,
			// in one transaction with the receipt.
			return run(fields, func() (*app.Dossier, error) {
				var papers []app.SupplementPaper
				for _, it := range items {
					p := app.SupplementPaper{Name: it, Originals: 1}
					if f, ok := scans.files[it]; ok {
						p.Scan = &f
					}
					papers = append(papers, p)
				}
				return u.svc.ReceiveSupplementWith(u.user, code, app.SupplementReceipt{Note: n.text(), Papers: papers})
			})
		}
		return run(fields, func() (*app.Dossier, error) {
			if files := scans.list(items); len(files) > 0 {
				if _, err := u.svc.AttachScans(u.user, code, files); err != nil {
					return nil, err
				}
			}
			return u.svc.ReceiveSupplement(u.user, code, n.text())
		})
	case app.ActRequestPayment:
		name := newField("items", lang.L("Khoản phải nộp"), newEntry(), required(lang.L("Nhập tên khoản phải nộp")))
		amount := newField("amount", lang.L("Số tiền (đồng)"), newEntry(), func(v string) (string, error) {
			n, err := parseMoney(v)
			if err == nil && n <= 0 {
				err = errors.New(lang.L("Số tiền phải lớn hơn 0"))
			}
			return "", err
		})
		return run(fieldSet{name, amount}, func() (*app.Dossier, error) {
			n, _ := parseMoney(amount.entry.Text)
			return u.svc.RequestPayment(u.user, code, []app.Fee{{Name: name.text(), Amount: n}})
		})
	case app.ActRecordPayment:
		no := newField("receipt_no", lang.L("Số biên lai"), newEntry(), required(lang.L("Nhập số biên lai")))
		return run(fieldSet{no}, func() (*app.Dossier, error) { return u.svc.RecordPayment(u.user, code, no.text()) })
	case app.ActStop:
		reason := note("reason", lang.L("Lý do dừng xử lý"), lang.L("Nhập lý do dừng xử lý"))
		legal := newField("legal", lang.L("Căn cứ pháp lý"), newEntry(), nil)
		return run(fieldSet{reason, legal}, func() (*app.Dossier, error) { return u.svc.Stop(u.user, code, reason.text(), legal.text()) })
	case app.ActWithdraw:
		n := note("note", lang.L("Lý do / đơn rút hồ sơ"), lang.L("Nhập lý do hoặc đơn rút hồ sơ"))
		return run(fieldSet{n}, func() (*app.Dossier, error) { return u.svc.Withdraw(u.user, code, n.text()) })
	case app.ActDelay:
		return s.delayDialog(title)
	case app.ActSubmitApproval:
		draft := note("draft", lang.L("Dự thảo / ý kiến thẩm định"), lang.L("Nhập nội dung dự thảo / ý kiến thẩm định"))
		draft.entry.SetMinRowsVisible(4)
		draft.entry.SetText(s.d.Draft)
		return run(fieldSet{draft}, func() (*app.Dossier, error) { return u.svc.SubmitForApproval(u.user, code, draft.entry.Text) })
	case app.ActApprove:
		n := note("note", lang.L("Ý kiến"), "")
		return run(fieldSet{n}, func() (*app.Dossier, error) { return u.svc.Approve(u.user, code, n.text()) })
	case app.ActSendBack:
		n := note("reason", lang.L("Lý do trả lại"), lang.L("Nhập lý do trả lại"))
		return run(fieldSet{n}, func() (*app.Dossier, error) { return u.svc.SendBack(u.user, code, n.text()) })
	case app.ActRecordResult:
		return s.resultDialog(title)
	case app.ActReturn:
		return s.returnDialog(title)
	case app.ActTransfer:
		if s.d.State == app.StateResolved {
			title = lang.L("Chuyển tiếp liên thông") + " — " + code
		}
		return s.transferDialog(title)
	case app.ActNote:
		n := note("note", lang.L("Ghi chú"), lang.L("Nhập nội dung ghi chú"))
		return run(fieldSet{n}, func() (*app.Dossier, error) { return u.svc.AddNote(u.user, code, n.text()) })
	}
	return nil
}

func dateCheck(v string) (string, error) { _, err := parseDate(v); return "", err }

func (s *detailScreen) handoverDialog(title string) func() {
	u, code := s.u, s.d.Code
	return func() {
		users, err := u.svc.HandoverCandidates()
		if err != nil {
			u.showError(err)
			return
		}
		var cands []string
		byName := map[string]app.User{}
		for _, x := range users {
			cands = append(cands, x.Username)
			byName[x.Username] = x
		}
		if len(cands) == 0 {
			u.info(lang.L("Chuyển xử lý"), lang.L("Chưa có tài khoản chuyên viên hay lãnh đạo nào để nhận hồ sơ. Quản trị viên thêm trong Cài đặt → Người dùng (một người có thể giữ nhiều vai trò)."))
			return
		}
		to := newChoice(cands, func(name string) string {
			x := byName[name]
			l := x.FullName
			if x.Title != "" {
				l += " — " + x.Title
			}
			return l
		}, nil)
		toField := newInputField("to_user", lang.L("Người nhận"), to.sel)
		unit := newField("to_unit", lang.L("Đơn vị"), newEntry(), nil)
		unit.entry.SetPlaceHolder(lang.L("Mặc định: đơn vị của người nhận"))
		to.sel.OnChanged = func(string) {
			if name, ok := to.value(); ok && unit.entry.Text == "" {
				unit.entry.SetText(byName[name].Unit)
			}
		}
		deadline := newField("deadline", lang.L("Hạn của bước"), newEntry(), optional(func(v string) error { _, err := parseDate(v); return err }))
		deadline.entry.SetPlaceHolder(lang.L("dd/mm/yyyy — mặc định: ngày hẹn trả"))
		n := newField("note", lang.L("Ghi chú"), newEntry(), nil)
		if len(cands) == 1 {
			to.set(cands[0])
		}
		u.formDialog(title, lang.L("Chuyển xử lý"), fieldSet{toField, unit, deadline, n}, func() error {
			x, ok := to.value()
			if !ok || x == "" {
				toField.setError(lang.L("Chọn người nhận hồ sơ"))
				return app.E("Handover", app.KindInvalid, app.MsgChooseRecipient)
			}
			in := app.HandoverInput{ToUser: x, ToUnit: unit.text(), Note: n.text()}
			if t, err := parseDate(deadline.entry.Text); err == nil {
				in.Deadline = app.StepDeadline(t, s.d.DueAt)
			}
			d, err := u.svc.Handover(u.user, code, in)
			if err != nil {
				return err
			}
			s.done(d, app.ActHandover)
			return nil
		})
	}
}

func (s *detailScreen) delayDialog(title string) func() {
	u, code := s.u, s.d.Code
	return func() {
		reason := newField("reason", lang.L("Lý do chậm trễ"), newMultiLine(), required(lang.L("Nhập lý do chậm trễ")))
		date := newField("new_due", lang.L("Ngày hẹn mới"), newEntry(), dateCheck)
		date.entry.SetPlaceHolder("dd/mm/yyyy")
		clock := newField("new_due_time", lang.L("Giờ hẹn"), newEntry(), func(v string) (string, error) {
			_, err := app.ParseClock(strings.TrimSpace(v))
			return "", err
		})
		clock.entry.SetText("17:00")
		if !s.d.DueAt.IsZero() {
			clock.entry.SetText(s.d.DueAt.In(app.Vietnam).Format("15:04"))
		}
		u.formDialog(title, lang.L("Xin lỗi, hẹn lại"), fieldSet{reason, date, clock}, func() error {
			t, _ := parseDate(date.entry.Text)
			c, _ := app.ParseClock(strings.TrimSpace(clock.entry.Text))
			due := time.Date(t.Year(), t.Month(), t.Day(), c.Hour(), c.Minute(), 0, 0, app.Vietnam)
			d, err := u.svc.Delay(u.user, code, reason.text(), due)
			if err != nil {
				return err
			}
			s.done(d, app.ActDelay)
			return nil
		})
	}
}

func (s *detailScreen) resultDialog(title string) func() {
	u, code := s.u, s.d.Code
	return func() {
		kind := newField("kind", lang.L("Loại kết quả"), newEntry(), required(lang.L("Nhập loại kết quả")))
		if p, err := u.svc.Procedure(s.d.ProcedureCode); err == nil {
			kind.entry.SetText(p.ResultKind)
		}
		number := newField("number", lang.L("Số"), newEntry(), required(lang.L("Nhập số văn bản kết quả")))
		date := newField("date", lang.L("Ngày ban hành"), newEntry(), dateCheck)
		date.entry.SetText(fmtDate(u.now()))
		signer := newField("signer", lang.L("Người ký"), newEntry(), required(lang.L("Nhập người ký")))
		summary := newField("summary", lang.L("Trích yếu"), newMultiLine(), nil)
		// The signed result, scanned: it opens at the counter and travels
		// back to the agency that sent the dossier.
		const resultPaper = "result"
		scans := newScanPicker(u)
		u.lastScans = scans
		u.formDialog(title, lang.L("Ghi nhận kết quả"), fieldSet{kind, number, date, signer, summary,
			newInputField("scans", lang.L("Bản quét kết quả"), scans.cell(resultPaper))}, func() error {
			iso, _ := isoDate(date.entry.Text)
			files := scans.list([]string{resultPaper})
			for i := range files {
				files[i].For = strings.TrimSpace(kind.text() + " số " + number.text())
			}
			d, err := u.svc.RecordResult(u.user, code, app.ResultInput{Kind: kind.text(), Number: number.text(), Date: iso,
				Signer: signer.text(), Summary: summary.text(), Scans: files})
			if err != nil {
				return err
			}
			s.done(d, app.ActRecordResult)
			return nil
		})
	}
}

func (s *detailScreen) returnDialog(title string) func() {
	u, code := s.u, s.d.Code
	return func() {
		method := newChoice([]app.ReturnMethod{app.ReturnInPerson, app.ReturnPostal, app.ReturnOnline}, returnMethodLabel, nil)
		method.set(app.ReturnInPerson)
		to := newField("to", lang.L("Người nhận kết quả"), newEntry(), required(lang.L("Nhập họ tên người nhận kết quả")))
		to.entry.SetText(s.d.Applicant.FullName)
		toID := newField("to_id", lang.L("Số CCCD người nhận"), newEntry(), optional(func(v string) error {
			if _, err := app.CheckPersonalID(app.IDCCCD, v); err != nil {
				if _, err9 := app.CheckPersonalID(app.IDCMND, v); err9 != nil {
					return err
				}
			}
			return nil
		}))
		toID.entry.SetText(s.d.Applicant.IDNumber)
		originals := newField("originals", lang.L("Bản chính lưu lại"), newEntry(), nil)
		n := newField("note", lang.L("Ghi chú"), newEntry(), nil)
		u.formDialog(title, lang.L("Trả kết quả"), fieldSet{newInputField("method", lang.L("Hình thức"), method.sel), to, toID, originals, n}, func() error {
			m, _ := method.value()
			d, err := u.svc.Return(u.user, code, app.ReturnInput{Method: m, To: to.text(), ToID: strings.TrimSpace(toID.entry.Text),
				Originals: originals.text(), Note: n.text()})
			if err != nil {
				return err
			}
			s.done(d, app.ActReturn)
			return nil
		})
	}
}

// whoAt is "name (unit)", or the unit alone when no one is named (a leg back
// to the counter), never "→  (Bộ phận Một cửa)".
func whoAt(name, unit string) string {
	switch {
	case name == "" && unit == "":
		return "…"
	case name == "":
		return unit
	case unit == "":
		return name
	}
	return name + " (" + unit + ")"
}

// nextStep says who acts next on a dossier in state st.
func nextStep(st app.State) string {
	switch st {
	case app.StateReceived:
		return lang.L("Tiếp theo: cán bộ một cửa chuyển hồ sơ cho chuyên viên xử lý.")
	case app.StateProcessing:
		return lang.L("Tiếp theo: chuyên viên thẩm định và trình lãnh đạo ký.")
	case app.StateAwaitingApproval:
		return lang.L("Tiếp theo: lãnh đạo duyệt hoặc trả lại dự thảo.")
	case app.StateApproved:
		return lang.L("Tiếp theo: chuyên viên xử lý ghi nhận kết quả (số, ngày ban hành, người ký).")
	case app.StateResolved:
		return lang.L("Tiếp theo: cán bộ một cửa trả kết quả cho người dân.")
	case app.StateSupplement:
		return lang.L("Tiếp theo: nhận giấy tờ bổ sung khi người dân nộp.")
	}
	return ""
}
