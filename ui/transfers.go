package ui

import (
	"context"
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
)

// hubText is the status bar's line about the hub.
func hubText(st app.SyncStatus) (string, widget.Importance) {
	var parts []string
	imp := widget.SuccessImportance
	switch {
	case st.Online:
		parts = append(parts, "● "+lang.L("Liên thông: trực tuyến"))
	case st.Standby:
		// Another desk of the office holds the hub connection (a shared
		// store): this desk's calls go out through it.
		parts = append(parts, "● "+lang.L("Liên thông: qua máy khác trong cơ quan"))
	default:
		parts = append(parts, "○ "+lang.L("Liên thông: mất kết nối"))
		imp = widget.WarningImportance
	}
	if st.Pending > 0 {
		parts = append(parts, fmt.Sprintf(lang.L("chờ gửi %d"), st.Pending))
	}
	if st.Parked > 0 {
		parts = append(parts, fmt.Sprintf(lang.L("%d mục cần xử lý"), st.Parked))
		imp = widget.DangerImportance
	}
	return strings.Join(parts, " · "), imp
}

// transfersScreen lists the dossiers other agencies transferred here, to
// accept or refuse, what waits to be sent to the hub (the outbox, with what
// the hub refused), and shows the state of the connection.
type transfersScreen struct {
	u        *UI
	rows     []app.IncomingTransfer
	list     *widget.List
	outbox   *outboxList
	tabs     *container.AppTabs
	all      *widget.Check
	status   *widget.Label
	detail   *widget.Label
	files    *fyne.Container // the scans of the selected transfer, each with "Mở"
	pane     *fyne.Container // detail and files, re-laid out when they change
	accept   *widget.Button
	refuse   *widget.Button
	selected int
	errLine  *widget.Label
	root     fyne.CanvasObject
}

func newTransfersScreen(u *UI) *transfersScreen {
	s := &transfersScreen{u: u, selected: -1}
	s.all = widget.NewCheck(lang.L("Hiện cả hồ sơ đã xử lý"), func(bool) { s.show() })
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.files = container.NewVBox()
	s.detail = widget.NewLabel(lang.L("Chọn một hồ sơ liên thông đến"))
	s.detail.Wrapping = fyne.TextWrapWord
	s.pane = container.NewVBox(s.detail, s.files)
	s.errLine = errorLine()
	s.list = widget.NewList(func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			t := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			t.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			note := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
			note.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(t, sub, note)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := s.rows[i]
			box := o.(*fyne.Container)
			from := r.FromName
			if from == "" {
				from = r.FromAgency
			}
			box.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s · %s", from, r.Dossier.Applicant.FullName))
			box.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%s · %s · %s", fmtDateTime(r.ArrivedAt), r.Dossier.ProcedureName, transferStateLabel(r.State)))
			note := box.Objects[2].(*widget.Label)
			if r.Note != "" {
				note.SetText(lang.L("Ghi chú") + ": " + r.Note)
				note.Show()
			} else {
				note.SetText("")
				note.Hide()
			}
		})
	s.list.OnSelected = func(i widget.ListItemID) { s.choose(i) }
	s.accept = widget.NewButtonWithIcon(lang.L("Tiếp nhận hồ sơ liên thông"), theme.ConfirmIcon(), s.doAccept)
	s.accept.Importance = widget.HighImportance
	s.refuse = widget.NewButtonWithIcon(lang.L("Từ chối"), theme.CancelIcon(), s.askRefuse)
	s.refuse.Importance = widget.DangerImportance
	s.accept.Disable()
	s.refuse.Disable()
	incoming := container.NewBorder(s.all, nil, nil, nil, s.list)
	s.outbox = newOutboxList(u)
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Hồ sơ liên thông đến"), theme.DownloadIcon(), incoming),
		container.NewTabItemWithIcon(lang.L("Chờ gửi đi"), theme.UploadIcon(), s.outbox.root))
	left := s.tabs
	right := container.NewBorder(container.NewVBox(heading(lang.L("Kết nối")), s.status, widget.NewSeparator()),
		container.NewVBox(s.errLine, container.NewHBox(s.accept, s.refuse)), nil, nil, container.NewVScroll(s.pane))
	split := container.NewHSplit(left, right)
	split.SetOffset(0.45)
	s.root = container.NewPadded(split)
	return s
}

func transferStateLabel(st app.TransferState) string {
	switch st {
	case app.TransferPending:
		return lang.L("chờ tiếp nhận")
	case app.TransferAccepted:
		return lang.L("đã tiếp nhận")
	case app.TransferRejected:
		return lang.L("đã từ chối")
	case app.TransferRecalled:
		return lang.L("bên gửi đã thu hồi")
	case app.TransferCompleted:
		return lang.L("đã hoàn thành")
	case app.TransferQueued:
		return lang.L("chờ gửi")
	}
	return string(st)
}

func (s *transfersScreen) view() fyne.CanvasObject { return s.root }

func (s *transfersScreen) show() {
	setErrorLine(s.errLine, "")
	rows, err := s.u.svc.Incoming(!s.all.Checked)
	if err != nil {
		setErrorLine(s.errLine, message(err))
		return
	}
	s.rows = rows
	s.selected = -1
	s.list.UnselectAll()
	s.list.Refresh()
	s.accept.Disable()
	s.refuse.Disable()
	s.detail.SetText(lang.L("Chọn một hồ sơ liên thông đến"))
	s.files.RemoveAll()
	s.refreshStatus()
}

// changed reloads the list after transfers arrived or changed (the change
// feed, live.go), keeping the transfer chosen.
func (s *transfersScreen) changed() {
	id := ""
	if s.selected >= 0 && s.selected < len(s.rows) {
		id = s.rows[s.selected].ID
	}
	s.show()
	for i, r := range s.rows {
		if id != "" && r.ID == id {
			s.list.Select(i)
		}
	}
}

// refreshStatus shows the connection and the outbox again (the client's
// OnChange, through fyne.Do).
func (s *transfersScreen) refreshStatus() {
	if s.u.hub == nil {
		return
	}
	n, parked := s.outbox.load()
	label := lang.L("Chờ gửi đi")
	switch {
	case parked > 0:
		label = fmt.Sprintf(lang.L("Chờ gửi đi (%d, %d cần xử lý)"), n, parked)
	case n > 0:
		label = fmt.Sprintf(lang.L("Chờ gửi đi (%d)"), n)
	}
	if s.tabs.Items[1].Text != label {
		s.tabs.Items[1].Text = label
		s.tabs.Refresh()
	}
	st := s.u.hub.Status()
	text, _ := hubText(st)
	if !st.LastOK.IsZero() {
		text += "\n" + lang.L("Lần kết nối được gần nhất") + ": " + fmtDateTime(st.LastOK)
	}
	if st.LastError != "" {
		text += "\n" + lang.L("Lỗi gần nhất") + ": " + hubError(st.LastError)
	}
	s.status.SetText(text)
}

func (s *transfersScreen) choose(i int) {
	if i < 0 || i >= len(s.rows) {
		return
	}
	s.selected = i
	r := s.rows[i]
	d := r.Dossier
	var b strings.Builder
	if r.FromName != "" {
		fmt.Fprintf(&b, "%s: %s (%s)\n", lang.L("Cơ quan gửi"), r.FromName, r.FromAgency)
	} else {
		fmt.Fprintf(&b, "%s: %s\n", lang.L("Cơ quan gửi"), r.FromAgency)
	}
	fmt.Fprintf(&b, "%s: %s\n", lang.L("Mã hồ sơ bên gửi"), d.Code)
	fmt.Fprintf(&b, "%s: %s — %s\n", lang.L("Thủ tục"), d.ProcedureCode, d.ProcedureName)
	fmt.Fprintf(&b, "%s: %s\n", lang.L("Người nộp hồ sơ"), personText(d.Applicant))
	fmt.Fprintf(&b, "%s: %s\n", lang.L("Trích yếu"), d.Summary)
	fmt.Fprintf(&b, "%s: %s\n", lang.L("Hẹn trả"), fmtDateTime(d.DueAt))
	if r.Note != "" {
		fmt.Fprintf(&b, "%s: %s\n", lang.L("Ghi chú"), r.Note)
	}
	for i, doc := range d.Documents {
		if doc.Scanned() {
			fmt.Fprintf(&b, "%d. %s — 📎 %s\n", i+1, doc.Name, scanText(doc))
		} else {
			fmt.Fprintf(&b, "%d. %s\n", i+1, doc.Name)
		}
	}
	if r.Reason != "" {
		fmt.Fprintf(&b, "%s: %s\n", lang.L("Lý do từ chối"), r.Reason)
	}
	if r.LocalCode != "" {
		fmt.Fprintf(&b, "%s: %s\n", lang.L("Mã hồ sơ tại đây"), r.LocalCode)
	}
	s.detail.SetText(b.String())
	// The scans that came with it open before it is taken in.
	s.files.RemoveAll()
	for _, doc := range d.Documents {
		if doc.Scanned() {
			doc := doc
			l := widget.NewLabel("📎 " + doc.Name + " — " + scanText(doc))
			l.Truncation = fyne.TextTruncateEllipsis
			s.files.Add(container.NewBorder(nil, nil, nil,
				widget.NewButtonWithIcon(lang.L("Mở"), theme.FileIcon(), func() { s.u.openScan(doc) }), l))
		}
	}
	s.pane.Refresh()
	pending := r.State == app.TransferPending && s.u.user.Has(app.RoleReceiver)
	if pending {
		s.accept.Enable()
		s.refuse.Enable()
	} else {
		s.accept.Disable()
		s.refuse.Disable()
	}
}

func (s *transfersScreen) doAccept() {
	if s.selected < 0 {
		return
	}
	d, err := s.u.svc.AcceptIncoming(s.u.user, s.rows[s.selected].ID)
	if err != nil {
		setErrorLine(s.errLine, message(err))
		return
	}
	logrus.WithField("code", d.Code).Info("incoming transfer accepted")
	s.show()
	s.u.shell.openDossier(d.Code)
}

func (s *transfersScreen) askRefuse() {
	if s.selected < 0 {
		return
	}
	id := s.rows[s.selected].ID
	reason := newField("reason", lang.L("Lý do từ chối"), newMultiLine(), required(lang.L("Nhập lý do từ chối hồ sơ liên thông")))
	s.u.formDialog(lang.L("Từ chối hồ sơ liên thông"), lang.L("Từ chối"), fieldSet{reason}, func() error {
		if err := s.u.svc.RefuseIncoming(s.u.user, id, reason.text()); err != nil {
			return err
		}
		s.show()
		return nil
	})
}

// transferDialog asks where to transfer a dossier: the hub's directory is
// fetched in the background; a code can also be typed.
func (s *detailScreen) transferDialog(title string) func() {
	u, code := s.u, s.d.Code
	return func() {
		agency := newField("to_agency", lang.L("Mã cơ quan nhận"), newEntry(), func(v string) (string, error) {
			return "", plain(app.ValidAgencyCode(strings.ToUpper(strings.TrimSpace(v))))
		})
		agency.entry.SetPlaceHolder("000.00.00.H56")
		names := map[string]string{}
		pick := newSelect(nil, nil)
		pick.PlaceHolder = lang.L("Đang tải danh bạ cơ quan…")
		pick.OnChanged = func(v string) {
			if c, _, ok := strings.Cut(v, " — "); ok {
				agency.entry.SetText(c)
				agency.clear()
			}
		}
		// The dialog offers what can happen: a dossier goes to one agency at a
		// time to be processed (a supplement or a result follows its transfer
		// by itself); after a leg's result it is sent on to the next one.
		note := newField("note", lang.L("Ghi chú"), newMultiLine(), nil)
		// The papers' scans travel with the dossier: those attached already
		// are listed; a paper without one can be scanned now.
		scans := newScanPicker(u)
		u.lastScans = scans
		docs := s.d.Documents
		papers := container.NewVBox()
		wrapped := func(text string) *widget.Label {
			l := widget.NewLabel(text)
			l.Wrapping = fyne.TextWrapWord
			return l
		}
		for _, doc := range docs {
			if doc.Scanned() {
				papers.Add(wrapped("📎 " + doc.Name + " — " + scanText(doc)))
				continue
			}
			papers.Add(wrapped(doc.Name))
			papers.Add(scans.cell(doc.Name))
		}
		if len(docs) == 0 {
			papers.Add(widget.NewLabel(lang.L("Không có giấy tờ")))
		}
		fields := fieldSet{newInputField("directory", lang.L("Cơ quan"), pick), agency}
		if done := s.d.Transfers; s.d.State == app.StateResolved && len(done) > 0 {
			prev := done[len(done)-1]
			l := widget.NewLabel(transferText(prev))
			l.Wrapping = fyne.TextWrapWord
			fields = append(fields, newInputField("previous", lang.L("Bước trước"), l))
		}
		fields = append(fields, note, newInputField("attachments", lang.L("Bản quét"), papers))
		u.formDialog(title, lang.L("Chuyển liên thông"), fields, func() error {
			to := strings.ToUpper(strings.TrimSpace(agency.entry.Text))
			d, err := u.svc.Transfer(u.user, code, app.TransferInput{ToAgency: to, ToName: names[to], Purpose: app.PurposeProcess, Note: note.text(),
				Scans: scans.list(docNames(docs))})
			if err != nil {
				return err
			}
			s.done(d, app.ActTransfer)
			return nil
		})
		runAsync(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			list, err := u.hub.Directory(ctx)
			fyne.Do(func() {
				if err != nil {
					pick.PlaceHolder = lang.L("Không tải được danh bạ, hãy gõ mã cơ quan")
					pick.Refresh()
					return
				}
				var opts []string
				for _, a := range list {
					if a.Active && a.Code != u.agency.Code {
						names[a.Code] = a.Name
						opts = append(opts, a.Code+" — "+a.Name)
					}
				}
				pick.PlaceHolder = lang.L("(Chọn)")
				pick.SetOptions(opts)
			})
		})
	}
}

// outboxList shows the outbox: what waits to be sent to the hub, and the
// items the hub refused (parked) with its reason and a "Gửi lại" button.
type outboxList struct {
	u       *UI
	items   []app.OutboxItem
	list    *widget.List
	errLine *widget.Label
	root    fyne.CanvasObject
}

func newOutboxList(u *UI) *outboxList {
	o := &outboxList{u: u}
	o.errLine = errorLine()
	o.list = widget.NewList(func() int { return max(len(o.items), 1) },
		func() fyne.CanvasObject {
			t := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			t.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			problem := widget.NewLabel("")
			problem.Truncation = fyne.TextTruncateEllipsis
			problem.Importance = widget.DangerImportance
			retry := widget.NewButtonWithIcon(lang.L("Gửi lại"), theme.MailSendIcon(), nil)
			return container.NewBorder(nil, nil, nil, container.NewCenter(retry), container.NewVBox(t, sub, problem))
		},
		func(i widget.ListItemID, c fyne.CanvasObject) {
			box := c.(*fyne.Container)
			texts := box.Objects[0].(*fyne.Container)
			t, sub, problem := texts.Objects[0].(*widget.Label), texts.Objects[1].(*widget.Label), texts.Objects[2].(*widget.Label)
			retry := box.Objects[1].(*fyne.Container).Objects[0].(*widget.Button)
			if len(o.items) == 0 {
				t.SetText(lang.L("Không có mục nào chờ gửi"))
				sub.SetText("")
				problem.SetText("")
				retry.Hide()
				return
			}
			it := o.items[i]
			t.SetText(fmt.Sprintf("%s · %s", it.Queue, outboxKindLabel(it.Kind)))
			parts := []string{fmt.Sprintf(lang.L("Số lần gửi: %d"), it.Attempts)}
			if it.Parked {
				parts = append(parts, lang.L("Máy chủ liên thông từ chối"))
			} else if !it.NextAttempt.IsZero() {
				parts = append(parts, lang.L("Gửi lần tới")+": "+fmtDateTime(it.NextAttempt))
			}
			if !it.Parked && it.LastError != "" {
				parts = append(parts, lang.L("Lỗi gần nhất")+": "+hubError(it.LastError))
			}
			sub.SetText(strings.Join(parts, " · "))
			if it.Parked {
				text := it.Problem
				if text == "" {
					text = hubError(it.LastError)
				}
				problem.SetText(text)
				retry.Show()
				id := it.ID
				retry.OnTapped = func() { o.retry(id) }
			} else {
				problem.SetText("")
				retry.Hide()
			}
		})
	// A row shows the hub's whole answer (the list truncates it).
	o.list.OnSelected = func(i widget.ListItemID) {
		o.list.UnselectAll()
		if i >= len(o.items) {
			return
		}
		it := o.items[i]
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %s\n%s: %s\n", lang.L("Mã hồ sơ"), it.Queue, lang.L("Nội dung"), outboxKindLabel(it.Kind))
		fmt.Fprintf(&b, lang.L("Số lần gửi: %d")+"\n", it.Attempts)
		if it.Problem != "" {
			fmt.Fprintf(&b, "%s: %s\n", lang.L("Máy chủ liên thông từ chối"), it.Problem)
		}
		if it.LastError != "" {
			fmt.Fprintf(&b, "%s: %s\n", lang.L("Lỗi gần nhất"), hubError(it.LastError))
		}
		u.info(lang.L("Chờ gửi đi"), strings.TrimSpace(b.String()))
	}
	hint := widget.NewLabel(lang.L("Các mục bị máy chủ liên thông từ chối cần xử lý: sửa theo lý do rồi bấm \"Gửi lại\"."))
	hint.Wrapping = fyne.TextWrapWord
	o.root = container.NewBorder(hint, o.errLine, nil, nil, o.list)
	return o
}

// outboxKindLabel names what an outbox item asks the hub to do.
func outboxKindLabel(k app.OutboxKind) string {
	switch k {
	case app.OutboxTransfer:
		return lang.L("Chuyển hồ sơ")
	case app.OutboxStatus:
		return lang.L("Cập nhật trạng thái")
	case app.OutboxAck:
		return lang.L("Trả lời hồ sơ đến")
	case app.OutboxRecall:
		return lang.L("Thu hồi")
	}
	return string(k)
}

// load reads the outbox (parked items first) and returns how many items
// wait and how many are parked.
func (o *outboxList) load() (n, parked int) {
	setErrorLine(o.errLine, "")
	items, err := o.u.svc.OutboxItems(o.u.user)
	if err != nil {
		setErrorLine(o.errLine, message(err))
		return 0, 0
	}
	var first, rest []app.OutboxItem
	for _, it := range items {
		if it.Parked {
			first = append(first, it)
		} else {
			rest = append(rest, it)
		}
	}
	o.items = append(first, rest...)
	o.list.Refresh()
	return len(o.items), len(first)
}

func (o *outboxList) retry(id string) {
	if err := o.u.svc.RetryOutbox(o.u.user, id); err != nil {
		setErrorLine(o.errLine, message(err))
		return
	}
	logrus.WithField("id", id).Info("outbox item sent again")
	o.load()
}

func purposeLabel(p app.TransferPurpose) string {
	switch p {
	case app.PurposeSupplement:
		return lang.L("Bổ sung cho lần chuyển trước")
	case app.PurposeResult:
		return lang.L("Trả kết quả")
	}
	return lang.L("Giải quyết")
}

// recallDialog withdraws a transfer the recipient has not accepted yet.
func (s *detailScreen) recallDialog() {
	u, code := s.u, s.d.Code
	reason := newField("reason", lang.L("Lý do thu hồi"), newMultiLine(), required(lang.L("Nhập lý do thu hồi")))
	u.formDialog(lang.L("Thu hồi hồ sơ liên thông")+" — "+code, lang.L("Thu hồi"), fieldSet{reason}, func() error {
		d, err := u.svc.Recall(u.user, code, reason.text())
		if err != nil {
			return err
		}
		s.done(d, app.ActTransferBack)
		return nil
	})
}
