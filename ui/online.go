package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// onlineScreen is the queue "Hồ sơ trực tuyến chờ tiếp nhận": the online
// submissions the hub delivered, oldest first, with how long each has waited;
// the officer opens one, reads its form data, opens its scans, and accepts,
// refuses or asks for a supplement.
type onlineScreen struct {
	u        *UI
	rows     []app.OnlineQueueItem
	list     *widget.List
	title    *widget.Label
	detail   *widget.Label
	docs     *fyne.Container
	accept   *widget.Button
	refuse   *widget.Button
	suppl    *widget.Button
	selected int
	errLine  *widget.Label
	root     fyne.CanvasObject
}

func newOnlineScreen(u *UI) *onlineScreen {
	s := &onlineScreen{u: u, selected: -1}
	s.errLine = errorLine()
	s.title = heading(lang.L("Chọn một hồ sơ trực tuyến"))
	s.detail = widget.NewLabel("")
	s.detail.Wrapping = fyne.TextWrapWord
	s.docs = container.NewVBox()
	s.list = widget.NewList(func() int { return max(len(s.rows), 1) },
		func() fyne.CanvasObject {
			t := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			t.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(t, sub)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			t, sub := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Label)
			if len(s.rows) == 0 {
				t.SetText(lang.L("Không có hồ sơ trực tuyến chờ tiếp nhận"))
				sub.SetText("")
				return
			}
			r := s.rows[i]
			t.SetText(r.Dossier.Applicant.FullName + "  ·  " + r.Dossier.ProcedureName)
			when := fmt.Sprintf("%s %s  ·  %s %s", lang.L("Nộp lúc"), fmtDateTime(r.SubmittedAt), lang.L("đã chờ"), waited(r.Waited))
			if r.Late {
				when = lang.L("Quá hạn tiếp nhận") + "  ·  " + when
				sub.Importance = widget.DangerImportance
			} else {
				when += "  ·  " + lang.L("Hạn") + " " + fmtDateTime(r.Deadline)
				sub.Importance = widget.MediumImportance
			}
			sub.SetText(when)
		})
	s.list.OnSelected = func(i widget.ListItemID) { s.choose(i) }
	s.accept = widget.NewButtonWithIcon(lang.L("Tiếp nhận"), theme.ConfirmIcon(), s.doAccept)
	s.accept.Importance = widget.HighImportance
	s.suppl = widget.NewButtonWithIcon(lang.L("Yêu cầu bổ sung"), theme.DocumentCreateIcon(), s.askSupplement)
	s.refuse = widget.NewButtonWithIcon(lang.L("Từ chối"), theme.CancelIcon(), s.askRefuse)
	s.refuse.Importance = widget.DangerImportance
	s.enable(false)
	body := container.NewVBox(s.detail, heading(lang.L("Bản chụp giấy tờ")), s.docs)
	right := container.NewBorder(s.title, container.NewVBox(s.errLine, container.NewHBox(s.accept, s.suppl, s.refuse)), nil, nil,
		container.NewVScroll(body))
	left := container.NewBorder(heading(lang.L("Hồ sơ trực tuyến chờ tiếp nhận")), nil, nil, nil, s.list)
	split := container.NewHSplit(left, right)
	split.SetOffset(0.42)
	s.root = container.NewPadded(split)
	return s
}

// waited says how long a submission has waited: "3 giờ 05 phút", "2 ngày 4 giờ".
func waited(d time.Duration) string {
	d = max(d, 0)
	days, hours, mins := int(d/(24*time.Hour)), int(d/time.Hour)%24, int(d/time.Minute)%60
	if days > 0 {
		return fmt.Sprintf(lang.L("%d ngày %d giờ"), days, hours)
	}
	return fmt.Sprintf(lang.L("%d giờ %02d phút"), hours, mins)
}

func (s *onlineScreen) view() fyne.CanvasObject { return s.root }

func (s *onlineScreen) enable(on bool) {
	for _, b := range []*widget.Button{s.accept, s.suppl, s.refuse} {
		if on && s.u.user.Has(app.RoleReceiver) {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (s *onlineScreen) show() {
	setErrorLine(s.errLine, "")
	rows, err := s.u.svc.OnlineQueue()
	if err != nil {
		setErrorLine(s.errLine, message(err))
		return
	}
	s.rows, s.selected = rows, -1
	s.list.UnselectAll()
	s.list.Refresh()
	s.enable(false)
	s.title.SetText(lang.L("Chọn một hồ sơ trực tuyến"))
	s.detail.SetText("")
	s.docs.RemoveAll()
	if len(rows) > 0 {
		s.list.Select(0)
	}
}

// refresh reloads the queue when the hub brought news, keeping the
// submission the officer is reading selected.
func (s *onlineScreen) refresh() {
	cur, ok := s.current()
	rows, err := s.u.svc.OnlineQueue()
	if err != nil {
		setErrorLine(s.errLine, message(err))
		return
	}
	if ok {
		if i := slices.IndexFunc(rows, func(r app.OnlineQueueItem) bool { return r.ID == cur.ID }); i >= 0 {
			s.rows, s.selected = rows, i
			s.list.Refresh()
			return
		}
	}
	if len(rows) != len(s.rows) {
		s.show()
	}
}

func (s *onlineScreen) choose(i int) {
	if i < 0 || i >= len(s.rows) {
		return
	}
	s.selected = i
	r := s.rows[i]
	d := r.Dossier
	s.title.SetText(d.Applicant.FullName + " — " + d.ProcedureName)
	var b strings.Builder
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "⚠ %s\n", render(w))
	}
	fmt.Fprintf(&b, "%s: %s (%s)\n", lang.L("Mã trên cổng dịch vụ công"), r.PortalRef, r.Portal)
	fmt.Fprintf(&b, "%s: %s — %s %s\n", lang.L("Nộp lúc"), fmtDateTime(r.SubmittedAt), lang.L("đã chờ"), waited(r.Waited))
	fmt.Fprintf(&b, "%s: %s\n", lang.L("Hạn tiếp nhận"), fmtDateTime(r.Deadline))
	fmt.Fprintf(&b, "%s: %s — %s\n", lang.L("Thủ tục"), d.ProcedureCode, d.ProcedureName)
	fmt.Fprintf(&b, "%s: %s\n", lang.L("Người nộp hồ sơ"), personText(d.Applicant))
	if d.Summary != "" {
		fmt.Fprintf(&b, "%s: %s\n", lang.L("Trích yếu"), d.Summary)
	}
	keys := make([]string, 0, len(r.FormData))
	for k := range r.FormData {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) > 0 {
		fmt.Fprintf(&b, "\n%s:\n", lang.L("Dữ liệu tờ khai"))
		for _, k := range keys {
			fmt.Fprintf(&b, "  %s: %s\n", k, r.FormData[k])
		}
	}
	s.detail.SetText(strings.TrimRight(b.String(), "\n"))
	s.docs.RemoveAll()
	for n, doc := range d.Documents {
		label := widget.NewLabel(fmt.Sprintf("%d. %s", n+1, doc.Name))
		label.Truncation = fyne.TextTruncateEllipsis
		open := widget.NewButtonWithIcon(lang.L("Mở"), theme.FileIcon(), func() { s.u.openScan(doc) })
		if doc.SHA256 == "" {
			open.Disable()
		}
		s.docs.Add(container.NewBorder(nil, nil, nil, open, label))
	}
	s.enable(true)
}

// openScan writes a scan to the print folder and hands it to the OS.
func (u *UI) openScan(doc app.SubmittedDocument) {
	data, err := u.svc.Scan(doc.SHA256)
	if err != nil {
		u.showError(err)
		return
	}
	dir := printDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		u.showError(app.E("Mở", app.KindOther, lang.L("Không tạo được thư mục tạm"), err))
		return
	}
	ext := ".pdf"
	switch {
	case strings.Contains(doc.MediaType, "jpeg"):
		ext = ".jpg"
	case strings.Contains(doc.MediaType, "png"):
		ext = ".png"
	}
	path := filepath.Join(dir, doc.SHA256[:16]+ext)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		u.showError(app.E("Mở", app.KindOther, lang.L("Không ghi được tệp"), err))
		return
	}
	if err := u.open(path); err != nil {
		u.showError(app.E("Mở", app.KindOther, lang.L("Không mở được tệp"), err))
	}
}

func (s *onlineScreen) current() (app.OnlineQueueItem, bool) {
	if s.selected < 0 || s.selected >= len(s.rows) {
		return app.OnlineQueueItem{}, false
	}
	return s.rows[s.selected], true
}

// decided refreshes the queue and the home tile, then offers the form the
// decision sent back.
func (s *onlineScreen) decided(title, code, name, sha string) {
	s.show()
	s.u.offerForm(title, code, name, func() ([]byte, error) { return s.u.svc.Scan(sha) })
}

func (s *onlineScreen) doAccept() {
	r, ok := s.current()
	if !ok {
		return
	}
	d, err := s.u.svc.AcceptOnline(s.u.user, r.ID)
	if err != nil {
		setErrorLine(s.errLine, message(err))
		return
	}
	sb, err := s.u.svc.Submission(r.ID)
	if err != nil {
		setErrorLine(s.errLine, message(err))
		return
	}
	s.decided(lang.L("Đã tiếp nhận hồ sơ trực tuyến"), d.Code, "giay-tiep-nhan_"+d.Code+".pdf", sb.FormSHA256)
}

func (s *onlineScreen) askRefuse() {
	r, ok := s.current()
	if !ok {
		return
	}
	reason := newField("reason", lang.L("Lý do từ chối"), newMultiLine(), required(lang.L("Nhập lý do từ chối tiếp nhận")))
	s.u.formDialog(lang.L("Từ chối hồ sơ trực tuyến"), lang.L("Từ chối"), fieldSet{reason}, func() error {
		sb, err := s.u.svc.RefuseOnline(s.u.user, r.ID, reason.text())
		if err != nil {
			return err
		}
		s.decided(lang.L("Đã từ chối hồ sơ trực tuyến"), sb.PortalRef, "phieu-tu-choi_"+sb.PortalRef+".pdf", sb.FormSHA256)
		return nil
	})
}

func (s *onlineScreen) askSupplement() {
	r, ok := s.current()
	if !ok {
		return
	}
	items := newField("items", lang.L("Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một mục)"), newMultiLine(), required(lang.L("Nhập ít nhất một giấy tờ cần bổ sung, hoàn thiện")))
	reason := newField("reason", lang.L("Lý do"), newMultiLine(), nil)
	s.u.formDialog(lang.L("Yêu cầu bổ sung hồ sơ trực tuyến"), lang.L("Gửi yêu cầu"), fieldSet{items, reason}, func() error {
		sb, err := s.u.svc.RequestOnlineSupplement(s.u.user, r.ID, strings.Split(items.text(), "\n"), reason.text())
		if err != nil {
			return err
		}
		s.decided(lang.L("Đã gửi yêu cầu bổ sung"), sb.PortalRef, "phieu-bo-sung_"+sb.PortalRef+".pdf", sb.FormSHA256)
		return nil
	})
}
