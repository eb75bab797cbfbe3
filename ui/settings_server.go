package ui

import (
	"context"
	"fmt"
	"strconv"
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

// Several desks, one office: the office's data on a PostgreSQL server. The
// set-up wizard ("Nhiều máy — máy chủ PostgreSQL") and Cài đặt → Máy chủ
// ("Chuyển dữ liệu lên máy chủ") ask for the connection with a serverForm
// and reach the server through Options.Servers (main implements it).

// serverForm asks for a server connection and tests it.
type serverForm struct {
	u                                    *UI
	host, port, database, user, password *field
	tls                                  *choice[string]
	fields                               fieldSet
	test                                 *widget.Button
	answer                               *widget.Label // the test's answer
	view                                 fyne.CanvasObject
	// info is the answer of the last successful test of the fields as they
	// are now (nil once a field changes).
	info *app.ServerInfo
	// onTested runs after each test (on Fyne's goroutine).
	onTested func(info *app.ServerInfo, err error)
	// relayout lays out again the screen holding the form once the
	// answer's height changed; reveal scrolls the answer into view.
	relayout, reveal func()
}

func tlsLabel(m string) string {
	switch m {
	case app.TLSDisable:
		return lang.L("Không mã hóa (disable)")
	case app.TLSPrefer:
		return lang.L("Mã hóa nếu máy chủ hỗ trợ (prefer)")
	case app.TLSRequire:
		return lang.L("Bắt buộc mã hóa (require)")
	case app.TLSVerifyFull:
		return lang.L("Bắt buộc mã hóa và xác minh chứng chỉ (verify-full)")
	}
	return m
}

func newServerForm(u *UI) *serverForm {
	f := &serverForm{u: u}
	f.host = newField("host", lang.L("Máy chủ"), newEntry(), required(lang.L("Nhập tên hoặc địa chỉ máy chủ")))
	f.host.entry.SetPlaceHolder(lang.L("ví dụ: 192.168.1.10 hoặc may-chu"))
	f.port = newField("port", lang.L("Cổng"), newEntry(), func(v string) (string, error) {
		if _, err := serverPort(v); err != nil {
			return "", err
		}
		return "", nil
	})
	f.port.entry.SetText(strconv.Itoa(app.DefaultServerPort))
	f.database = newField("database", lang.L("Cơ sở dữ liệu"), newEntry(), required(lang.L("Nhập tên cơ sở dữ liệu")))
	f.database.entry.SetText("motcua")
	f.user = newField("user", lang.L("Người dùng"), newEntry(), required(lang.L("Nhập tên người dùng của máy chủ")))
	f.user.entry.SetText("motcua")
	f.password = newField("password", lang.L("Mật khẩu"), newPasswordEntry(), nil)
	f.tls = newChoice(app.TLSModes, tlsLabel, func(string) { f.changed() })
	f.tls.set(app.TLSPrefer)
	tlsField := newInputField("tls", lang.L("Mã hóa TLS"), f.tls.sel)
	f.fields = fieldSet{f.host, f.port, f.database, f.user, f.password, tlsField}
	for _, fd := range f.fields[:5] {
		prev := fd.entry.OnChanged
		fd.entry.OnChanged = func(s string) { prev(s); f.changed() }
	}
	f.password.entry.OnSubmitted = func(string) { f.runTest() }
	f.answer = widget.NewLabel("")
	f.answer.Wrapping = fyne.TextWrapWord
	f.answer.Hide()
	f.test = widget.NewButtonWithIcon(lang.L("Kiểm tra kết nối"), theme.SearchIcon(), f.runTest)
	hint := widget.NewLabel(lang.L("Máy chủ PostgreSQL của cơ quan (hoặc của tỉnh) giữ dữ liệu chung của mọi máy. Mật khẩu được giữ riêng cho tài khoản người dùng của máy này (trên Windows: mã hóa DPAPI), không ghi vào tệp cấu hình hay nhật ký. Nên dùng TLS khi máy chủ ở ngoài mạng nội bộ."))
	hint.Wrapping = fyne.TextWrapWord
	f.view = container.NewVBox(hint, f.fields.grid(), container.NewHBox(f.test), f.answer)
	return f
}

// serverPort parses the port field ("" = 5432).
func serverPort(v string) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return app.DefaultServerPort, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("%s", lang.L(string(app.MsgServerPort)))
	}
	return n, nil
}

// changed forgets the last test: the fields no longer say what it tested.
func (f *serverForm) changed() {
	f.info = nil
	if f.answer == nil {
		return // still being built
	}
	if f.onTested != nil && f.answer.Visible() {
		f.onTested(nil, nil)
	}
	if f.answer.Visible() {
		f.answer.Hide()
		f.refresh()
	}
}

// conn reads the fields; field errors show under them.
func (f *serverForm) conn() (app.ServerConn, bool) {
	if err := f.fields.validate(); err != nil {
		return app.ServerConn{}, false
	}
	port, _ := serverPort(f.port.entry.Text)
	tls, _ := f.tls.value()
	c := app.ServerConn{Host: f.host.text(), Port: port, Database: f.database.text(), User: f.user.text(),
		Password: f.password.entry.Text, TLS: tls}.Normalize()
	if err := c.Check(); err != nil {
		f.fields.apply(err)
		return c, false
	}
	return c, true
}

// setAnswer shows the test's answer: green for a connection, red for a failure.
func (f *serverForm) setAnswer(text string, ok bool) {
	f.answer.Importance = widget.DangerImportance
	if ok {
		f.answer.Importance = widget.SuccessImportance
	}
	f.answer.SetText(text)
	f.answer.Show()
	f.refresh()
	if f.reveal != nil {
		f.reveal() // on a small screen the answer is below the fold
	}
}

func (f *serverForm) refresh() {
	if f.relayout != nil {
		f.relayout()
	} else {
		f.view.Refresh()
	}
}

// runTest connects off Fyne's goroutine and shows the answer.
func (f *serverForm) runTest() {
	c, ok := f.conn()
	if !ok {
		f.setAnswer(lang.L("Vui lòng kiểm tra các ô được đánh dấu"), false)
		return
	}
	servers := f.u.opts.Servers
	f.test.Disable()
	f.setAnswer(lang.L("Đang kết nối…"), true)
	runAsync(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		info, err := servers.Test(ctx, c)
		f.u.do(func() {
			f.test.Enable()
			if err != nil {
				f.info = nil
				f.setAnswer(message(err), false)
			} else {
				f.info = &info
				f.setAnswer(testAnswer(info), true)
			}
			if f.onTested != nil {
				f.onTested(f.info, err)
			}
		})
	})
}

// testAnswer says what a successful test found.
func testAnswer(info app.ServerInfo) string {
	s := fmt.Sprintf(lang.L("Kết nối thành công: PostgreSQL %s."), info.Version)
	if info.Office {
		return s + " " + fmt.Sprintf(lang.L("Cơ sở dữ liệu đã có dữ liệu của \"%s\": máy này sẽ dùng chung và đăng nhập bằng tài khoản được cấp."), info.AgencyName)
	}
	return s + " " + lang.L("Cơ sở dữ liệu còn trống.")
}

// serverTab is Cài đặt → Máy chủ (administrator, one-desk office): move the
// whole office up to a PostgreSQL server, then work on it.
type serverTab struct {
	u    *UI
	form *serverForm
	move *widget.Button
	root fyne.CanvasObject
}

func newServerTab(u *UI) *serverTab {
	t := &serverTab{u: u, form: newServerForm(u)}
	t.form.database.entry.SetText("motcua")
	intro := widget.NewLabel(lang.L("Cơ quan có nhiều máy (nhiều quầy, chuyên viên, lãnh đạo) dùng chung một cơ sở dữ liệu trên máy chủ PostgreSQL. \"Chuyển dữ liệu lên máy chủ\" chép toàn bộ dữ liệu của máy này (hồ sơ và lịch sử, người dùng, cài đặt, danh mục, lịch, hàng đợi liên thông, tệp quét, số thứ tự) vào một cơ sở dữ liệu trống trên máy chủ, kiểm tra toàn vẹn, rồi chuyển máy này sang dùng máy chủ. Các máy khác chọn \"Nhiều máy\" khi thiết lập và nhập cùng máy chủ.") + "\n" +
		lang.L("Tệp dữ liệu trên máy này được giữ nguyên (chỉ được đọc khi chuyển) làm bản dự phòng. Dòng lệnh tương đương: motcua --migrate-to \"host=… dbname=… user=…\"."))
	intro.Wrapping = fyne.TextWrapWord
	t.move = widget.NewButtonWithIcon(lang.L("Chuyển dữ liệu lên máy chủ"), theme.UploadIcon(), t.confirm)
	t.move.Importance = widget.HighImportance
	t.move.Disable()
	t.form.onTested = func(info *app.ServerInfo, err error) {
		if info != nil && !info.Office {
			t.move.Enable()
			return
		}
		t.move.Disable()
		if info != nil && info.Office {
			t.form.setAnswer(fmt.Sprintf(lang.L("Kết nối thành công: PostgreSQL %s."), info.Version)+" "+
				fmt.Sprintf(lang.L("Không chuyển lên được: cơ sở dữ liệu này đã có dữ liệu của \"%s\". Tạo một cơ sở dữ liệu trống (CREATE DATABASE) hoặc chọn cơ sở dữ liệu khác."), info.AgencyName), false)
		}
	}
	card := widget.NewCard(lang.L("Chuyển dữ liệu lên máy chủ"), lang.L("Chỉ quản trị; làm một lần, khi các máy khác chưa dùng máy chủ"),
		container.NewVBox(intro, t.form.view, container.NewHBox(t.move)))
	scroll := container.NewVScroll(container.NewPadded(card))
	t.root = scroll
	t.form.relayout, t.form.reveal = scroll.Refresh, scroll.ScrollToBottom
	return t
}

// confirm asks before moving: the other desks must not work meanwhile.
func (t *serverTab) confirm() {
	c, ok := t.form.conn()
	if !ok || t.form.info == nil {
		return
	}
	t.u.confirm(lang.L("Chuyển dữ liệu lên máy chủ"),
		fmt.Sprintf(lang.L("Chép toàn bộ dữ liệu của cơ quan lên %s, cơ sở dữ liệu %s, rồi chuyển máy này sang dùng máy chủ?"), c.Host, c.Database),
		lang.L("Chuyển lên"), func() { t.run(c) })
}

// run moves the office behind a progress bar, then shows the result.
func (t *serverTab) run(c app.ServerConn) {
	u := t.u
	user := u.user
	var rep app.MoveUpReport
	var svc *app.Service
	u.withProgress(lang.L("Chuyển dữ liệu lên máy chủ"), lang.L("Đang chép hồ sơ lên máy chủ và kiểm tra toàn vẹn…"),
		func(p app.Progress) (err error) {
			rep, svc, err = u.opts.Servers.MoveUp(c, p)
			return err
		}, func(err error) {
			if err != nil {
				logrus.WithError(err).Error("move up")
				u.reopened(u.data.Service()) // still the file; the liên thông client was restarted
				t.form.setAnswer(message(err), false)
				u.showError(err)
				u.bgDone.Add(1)
				return
			}
			u.reopened(svc)
			logrus.WithField("moved", rep.Moved).Info("office moved to the server")
			if x, uerr := u.svc.User(user.Username); uerr == nil {
				user = x
			}
			u.signedIn(user)
			u.info(lang.L("Đã chuyển dữ liệu lên máy chủ"),
				fmt.Sprintf(lang.L("Đã chép: %s."), rep.Moved)+"\n"+
					fmt.Sprintf(lang.L("Kiểm tra toàn vẹn trên máy chủ: đạt (%d chuỗi lịch sử hồ sơ, %d mục nhật ký quản trị)."), rep.Integrity.Dossiers, rep.Integrity.Audit)+"\n"+
					lang.L("Máy này từ nay dùng máy chủ. Trên mỗi máy khác: cài Một Cửa, chọn \"Nhiều máy — máy chủ PostgreSQL\" và nhập cùng máy chủ."))
			u.bgDone.Add(1)
		})
}
