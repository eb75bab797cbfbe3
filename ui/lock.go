package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"
)

// idleCheckEvery is how often the idle time is compared with the setting.
const idleCheckEvery = 10 * time.Second

// idleLock locks the main window after Settings.IdleLockMin minutes without
// keyboard or mouse activity (0: never). The lock screen asks the signed-in
// officer's password again, through SignIn, so wrong passwords count
// towards the account lock like at the sign-in screen.
//
// Fyne has no window-wide input hook, and a transparent overlay on top would
// take the hover and taps from the widgets underneath. Activity is therefore
// gathered from what Fyne does expose, none of which takes input away:
//   - keys typed while nothing has the focus: the canvas's OnTypedKey,
//     OnTypedRune and (desktop) OnKeyDown, chained to any previous handler;
//   - typing into a widget: each check compares the focused widget, and for
//     an entry its text and cursor, with the previous check;
//   - the mouse: a hoverable background under the screen receives the moves
//     wherever no hoverable widget (button, list row) lies on top;
//   - navigation: changing screen or opening a dossier counts as activity.
//
// Scrolling a list with the wheel alone is not seen; a real pause of minutes
// is, which is what the lock is for.
type idleLock struct {
	u       *UI
	last    time.Time // the last activity seen
	sig     focusSig
	locked  bool
	content fyne.CanvasObject // the main window's content while unlocked
	hooked  bool
	done    chan struct{}

	// The lock screen, while locked.
	password *widget.Entry
	errLine  *widget.Label
	unlockB  *widget.Button
	overlays []fyne.CanvasObject
	menu     *fyne.MainMenu
}

func newIdleLock(u *UI) *idleLock { return &idleLock{u: u} }

// wrap puts the activity background under the main window's content.
func (l *idleLock) wrap(content fyne.CanvasObject) fyne.CanvasObject {
	l.content = container.NewStack(newActivityArea(l.touch), content)
	return l.content
}

// start begins watching after a sign-in: the canvas hooks (once per
// window) and the periodic check.
func (l *idleLock) start() {
	l.stop()
	l.locked = false
	l.last = l.u.now()
	l.sig = focusSig{}
	if !l.hooked {
		l.hooked = true
		c := l.u.win.Canvas()
		prevKey, prevRune := c.OnTypedKey(), c.OnTypedRune()
		c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
			l.touch()
			if prevKey != nil {
				prevKey(ev)
			}
		})
		c.SetOnTypedRune(func(r rune) {
			l.touch()
			if prevRune != nil {
				prevRune(r)
			}
		})
		if dc, ok := c.(desktop.Canvas); ok {
			prevDown := dc.OnKeyDown()
			dc.SetOnKeyDown(func(ev *fyne.KeyEvent) {
				l.touch()
				if prevDown != nil {
					prevDown(ev)
				}
			})
		}
	}
	done := make(chan struct{})
	l.done = done
	go func() {
		t := time.NewTicker(idleCheckEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-l.u.quit:
				return
			case <-t.C:
				l.u.do(l.check)
			}
		}
	}()
}

// stop ends the periodic check (sign-out).
func (l *idleLock) stop() {
	if l.done != nil {
		close(l.done)
		l.done = nil
	}
	l.locked = false
}

// touch records activity now.
func (l *idleLock) touch() {
	if !l.locked {
		l.last = l.u.now()
	}
}

// limit is the idle time allowed by the settings; 0 never locks.
func (l *idleLock) limit() time.Duration {
	st, err := l.u.svc.Settings()
	if err != nil {
		return 0
	}
	return time.Duration(st.IdleLockMin) * time.Minute
}

// check runs on Fyne's goroutine every idleCheckEvery (tests call it after
// moving the clock): typing since the last check is activity; past the
// limit, the window locks.
func (l *idleLock) check() {
	if l.locked || l.u.user == nil || l.done == nil {
		return
	}
	if sig := focusOf(l.u.win.Canvas().Focused()); sig != l.sig {
		l.sig = sig
		l.touch()
		return
	}
	if lim := l.limit(); lim > 0 && l.u.now().Sub(l.last) >= lim {
		l.lock()
	}
}

// focusSig is what changes when someone types: the focused widget, and for
// an entry its text and cursor.
type focusSig struct {
	obj      fyne.Focusable
	text     string
	row, col int
}

func focusOf(f fyne.Focusable) focusSig {
	s := focusSig{obj: f}
	var e *widget.Entry
	switch x := f.(type) {
	case *entry:
		e = &x.Entry
	case *widget.Entry:
		e = x
	}
	if e != nil {
		s.text, s.row, s.col = e.Text, e.CursorRow, e.CursorColumn
	}
	return s
}

// lock replaces the window's content (and its dialogs and menu, which
// could show a citizen's data) with the lock screen.
func (l *idleLock) lock() {
	u := l.u
	l.locked = true
	logrus.WithField("user", u.user.Username).Info("session locked after idle time")
	c := u.win.Canvas()
	l.overlays = append([]fyne.CanvasObject{}, c.Overlays().List()...)
	for _, o := range l.overlays {
		c.Overlays().Remove(o)
	}
	l.menu = u.win.MainMenu()
	u.win.SetMainMenu(nil)

	l.password = widget.NewPasswordEntry()
	l.password.SetPlaceHolder(lang.L("Mật khẩu"))
	l.password.OnSubmitted = func(string) { l.unlock() }
	l.errLine = errorLine()
	l.unlockB = widget.NewButtonWithIcon(lang.L("Mở khóa"), theme.LoginIcon(), l.unlock)
	l.unlockB.Importance = widget.HighImportance
	out := widget.NewButtonWithIcon(lang.L("Đăng xuất"), theme.LogoutIcon(), l.signOut)
	icon := widget.NewIcon(theme.VisibilityOffIcon())
	title := widget.NewLabelWithStyle(lang.L("Phiên làm việc đã khóa"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	who := widget.NewLabelWithStyle(fmt.Sprintf("%s (%s)", u.user.FullName, u.user.Username), fyne.TextAlignCenter, fyne.TextStyle{})
	hint := widget.NewLabelWithStyle(lang.L("Nhập mật khẩu để tiếp tục, hoặc đăng xuất để đổi người dùng."), fyne.TextAlignCenter, fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(container.NewCenter(container.New(fixedWidth(64), icon)), title, who, hint, l.password, l.errLine,
		container.NewGridWithColumns(2, out, l.unlockB))
	u.win.SetContent(container.NewCenter(container.New(fixedWidth(440), box)))
	c.Focus(l.password)
}

// unlock asks SignIn with the signed-in officer's name and the password.
func (l *idleLock) unlock() {
	u := l.u
	setErrorLine(l.errLine, "")
	usr, err := u.svc.SignIn(u.user.Username, l.password.Text)
	if err != nil {
		logrus.WithField("user", u.user.Username).Warn("unlock refused")
		l.password.SetText("")
		setErrorLine(l.errLine, message(err))
		u.win.Canvas().Focus(l.password)
		return
	}
	logrus.WithField("user", usr.Username).Info("session unlocked")
	u.user = usr
	l.locked = false
	l.last = u.now()
	u.win.SetContent(l.content)
	u.win.SetMainMenu(l.menu)
	for _, o := range l.overlays {
		u.win.Canvas().Overlays().Add(o)
	}
	l.overlays, l.menu = nil, nil
	l.sig = focusOf(u.win.Canvas().Focused())
}

func (l *idleLock) signOut() {
	l.overlays, l.menu = nil, nil
	l.u.signOut()
}

// activityArea is a transparent, hoverable background: the mouse moving
// over the parts of the window where no hoverable widget lies counts as
// activity. It takes no tap, key or hover away from anything above it.
type activityArea struct {
	widget.BaseWidget
	onActivity func()
}

func newActivityArea(on func()) *activityArea {
	a := &activityArea{onActivity: on}
	a.ExtendBaseWidget(a)
	return a
}

func (a *activityArea) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack())
}

func (a *activityArea) MouseIn(*desktop.MouseEvent)    { a.onActivity() }
func (a *activityArea) MouseMoved(*desktop.MouseEvent) { a.onActivity() }
func (a *activityArea) MouseOut()                      {}

var _ desktop.Hoverable = (*activityArea)(nil)
