// Package ui is the desktop interface of Một Cửa: the first-run wizard, the
// sign-in screen and the main window with one file per screen. It calls the
// use cases of package app and holds no business rule: appointment dates,
// fees, allowed actions and validation messages all come from app.
//
// Every widget is touched on Fyne's goroutine; background work (the clock,
// periodic refreshes) goes through fyne.Do.
package ui

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/resources"
)

// Office is the office's data as the composition root opened it: the
// service over the current store, the liên thông connection, and the one
// life-cycle operation that replaces them all (a restore).
type Office interface {
	// Service is the service over the current data.
	Service() *app.Service
	// With runs fn with the current service, holding off a restore.
	With(fn func(*app.Service) error) error
	// Sync is the liên thông connection, nil when no hub is configured:
	// its status shows in the status bar and the Liên thông screen appears.
	Sync() app.Sync
	// Restore replaces the office's data with a verified backup (progress
	// covers the check) and returns the service over the result; the
	// connection is rebuilt over it.
	Restore(path string, progress app.Progress) (*app.Service, error)
	// DataDir is the data folder.
	DataDir() string
}

// Options are the command-line choices that reach the interface.
type Options struct {
	Demo        bool   // seed demo data when empty and sign in as the receiving officer
	Language    string // "vi" or "en"; "" follows the office setting
	StartScreen string // hidden: home, receive, dossiers, detail, settings (screenshots)
	Version     string
	// Updates is the updater of the hub client (client.Updater), nil without
	// a hub: a verified newer release shows in the status bar.
	Updates Updates
	// Background starts the daily automatic backup and the start-up
	// integrity check (the application sets it; tests call them directly).
	Background bool
	// Servers reaches the office's PostgreSQL server (several desks): the
	// set-up wizard offers it and Cài đặt moves a one-desk office up to it.
	// nil: one desk only.
	Servers app.Servers
}

// UI is the application window and the signed-in user.
type UI struct {
	fa   fyne.App
	win  fyne.Window
	data Office
	svc  *app.Service // data.Service(), taken again after a restore
	hub  app.Sync     // data.Sync(), likewise; nil without a hub
	opts Options

	user   *app.User
	agency *app.Agency
	shell  *shell

	// now is the clock for the screens (tests replace it).
	now func() time.Time
	// open is how a printed file reaches the OS (tests replace it).
	open func(path string) error
	// lastForm is the last form dialog shown (tests drive it).
	lastForm *formDlg
	// submitting is the form dialog whose use case is running: dialogs
	// opened meanwhile wait until it has closed (see afterForm).
	submitting *formDlg
	// lastGuidance is the last intake guidance list shown (tests).
	lastGuidance *guidanceList
	// lastScans is the attachment list of the last transfer dialog (tests
	// add files to it: Fyne's file dialog cannot be driven).
	lastScans *scanPicker
	// lastPicker is the scan picker of the last "Đính kèm bản quét…" of the
	// detail screen (tests add the file the dialog would have read).
	lastPicker *scanPicker
	// pickDir is the folder of the last file chosen in the program's own
	// file dialog: the next one opens there (the scanner's folder, usually).
	pickDir string
	// lastProgress is the bar of the last long file operation (tests).
	lastProgress *widget.ProgressBar
	stopped      atomic.Bool // the event loop has ended
	quit         chan struct{}

	backupWarning  string      // the last automatic backup failed: shown in the status bar
	checked        bool        // the start-up integrity check has run
	lastWarning    string      // the last integrity warning shown (tests)
	lastInfo       string      // the last information dialog's text (tests)
	lastPrinted    string      // the last file "In" wrote (tests)
	lastSaved      string      // the last file saved through saveFile (tests)
	lastFilePicker *filePicker // the last file picker shown (tests)
	lastConfirm    string      // the last confirmation asked (tests)
	// bgDone counts background tasks (restore, integrity checks) whose
	// result has been shown: tests wait on it rather than on widgets that
	// the task's goroutine is still writing.
	bgDone atomic.Int64
	idle   *idleLock
	live   liveFeed // the change feed the screens refresh from (live.go)
}

// Icon is the application icon as a Fyne resource.
var Icon = fyne.NewStaticResource("icon.png", resources.Icon)

// New builds the interface over the office in a new window of fa. Call
// Start to show the first screen.
func New(fa fyne.App, office Office, opts Options) *UI {
	svc := office.Service()
	if opts.Language == "" {
		if st, err := svc.Settings(); err == nil {
			opts.Language = st.Language
		}
	}
	if err := SetLanguage(opts.Language); err != nil {
		logrus.WithError(err).Error("translations")
	}
	fa.SetIcon(Icon)
	useOfficeTheme(fa)
	u := &UI{fa: fa, data: office, svc: svc, hub: office.Sync(), opts: opts, now: svc.Now, open: openWithOS, quit: make(chan struct{})}
	u.idle = newIdleLock(u)
	go cleanPrinted(time.Now())
	fa.Lifecycle().SetOnStopped(func() {
		if u.stopped.CompareAndSwap(false, true) {
			close(u.quit)
			u.unfollow()
		}
	})
	u.wireHub()
	u.follow()
	u.wireUpdates()
	u.win = fa.NewWindow(lang.L("Một Cửa"))
	u.win.SetIcon(Icon)
	u.win.Resize(fyne.NewSize(1280, 720))
	u.win.SetMaster()
	u.win.SetCloseIntercept(u.askClose)
	return u
}

// wireHub has the liên thông client report its changes on Fyne's
// goroutine; the client starts once Start shows the window.
func (u *UI) wireHub() {
	if u.hub != nil {
		u.hub.OnChange(func() { u.do(u.hubChanged) })
	}
}

// do runs fn on Fyne's goroutine, from a background one. Once the event loop
// has stopped (the hub client's own Stop reports a change) there is nothing
// left to draw.
func (u *UI) do(fn func()) {
	if !u.stopped.Load() {
		fyne.Do(fn)
	}
}

// hubChanged refreshes what shows the hub's state; events may have changed
// dossiers too.
func (u *UI) hubChanged() {
	if u.shell != nil {
		u.shell.hubChanged()
	}
}

// Window is the main window.
func (u *UI) Window() fyne.Window { return u.win }

// Start shows the wizard on first run, the sign-in screen otherwise; with
// Options.Demo it seeds demo data and signs in as the receiving officer.
func (u *UI) Start() {
	if u.hub != nil {
		u.hub.Start(context.Background())
	}
	if u.opts.Background {
		// After the first screen (the demo data may have been seeded).
		defer func() {
			t := time.NewTicker(autoBackupEvery)
			go func() {
				defer t.Stop()
				u.autoBackupLoop(t.C, u.quit)
			}()
		}()
	}
	ok, err := u.svc.IsSetUp()
	if err != nil {
		u.fatal(message(err))
		return
	}
	switch {
	case u.opts.Demo && !ok:
		u.useDemo()
	case u.opts.Demo:
		// Already seeded: sign in as the receiving officer of the demo data.
		if usr := u.demoUser(app.RoleReceiver); usr != nil {
			u.signedIn(usr)
		} else {
			u.showSignIn()
		}
	case !ok:
		u.showSetup()
	default:
		u.showSignIn()
	}
}

// adminScreens are start screens that only an administrator sees in full.
var adminScreens = map[string]bool{"settings": true, "calendar": true, "catalogue": true, "users": true, "backup": true}

// ShowAndRun shows the window and runs the event loop.
func (u *UI) ShowAndRun() { u.win.ShowAndRun() }

// demoUser signs in as the first user holding role r that accepts the demo
// password, or returns nil.
func (u *UI) demoUser(r app.Role) *app.User {
	users, err := u.svc.Users()
	if err != nil {
		return nil
	}
	for _, x := range users {
		if x.Has(r) && !x.Disabled {
			if usr, err := u.svc.SignIn(x.Username, app.DemoPassword); err == nil {
				return usr
			}
		}
	}
	return nil
}

func (u *UI) useDemo() {
	usr, err := u.svc.SeedDemo(u.now())
	if err != nil {
		logrus.WithError(err).Error("seed demo")
		u.showError(err)
		u.showSetup()
		return
	}
	logrus.WithField("user", usr.Username).Info("demo data created")
	if adminScreens[u.opts.StartScreen] {
		// The settings screens are the administrator's (screenshots).
		if a := u.demoUser(app.RoleAdmin); a != nil {
			usr = a
		}
	}
	u.signedIn(usr)
}

func (u *UI) signedIn(usr *app.User) {
	u.user = usr
	a, err := u.svc.Agency()
	if err != nil {
		u.showError(err)
		return
	}
	u.agency = a
	logrus.WithField("user", usr.Username).Info("signed in")
	if u.shell != nil {
		u.shell.stop()
	}
	u.shell = newShell(u)
	u.win.SetContent(u.idle.wrap(u.shell.view))
	u.win.SetMainMenu(u.shell.menu())
	u.shell.start(u.opts.StartScreen)
	u.idle.start()
	if u.opts.Background {
		u.quickCheck()
	}
}

func (u *UI) signOut() {
	u.idle.stop()
	if u.shell != nil {
		u.shell.stop()
	}
	u.user, u.shell = nil, nil
	u.win.SetMainMenu(nil)
	u.showSignIn()
}

// showError shows err's Vietnamese sentence in a dialog.
func (u *UI) showError(err error) {
	if app.KindOf(err) == app.KindOther {
		logrus.WithError(err).Error("unexpected")
	}
	u.messageDialog(lang.L("Không thực hiện được"), message(err))
}

func (u *UI) info(title, msg string) {
	u.lastInfo = msg
	u.afterForm(func() { u.messageDialog(title, msg) })
}

// fatal shows msg and quits when it is dismissed.
func (u *UI) fatal(msg string) {
	u.win.SetContent(container.NewCenter(widget.NewLabel(msg)))
	u.messageDialog(lang.L("Một Cửa"), msg).SetOnClosed(u.fa.Quit)
}

// ShowFatal opens a window that shows msg and exits when it is closed: used
// when the database is already open in another window.
func ShowFatal(fa fyne.App, msg string) {
	_ = SetLanguage("vi")
	useOfficeTheme(fa)
	fa.SetIcon(Icon)
	w := fa.NewWindow(lang.L("Một Cửa"))
	w.SetIcon(Icon)
	icon := widget.NewIcon(theme.WarningIcon())
	lbl := widget.NewLabelWithStyle(msg, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	ok := widget.NewButton(lang.L("Đóng"), fa.Quit)
	ok.Importance = widget.HighImportance
	w.SetContent(container.NewPadded(container.NewBorder(nil, container.NewCenter(ok), icon, nil, lbl)))
	w.Resize(fyne.NewSize(560, 140))
	w.SetOnClosed(fa.Quit)
	// Enter and Esc close it too.
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyEscape:
			fa.Quit()
		}
	})
	w.CenterOnScreen()
	w.ShowAndRun()
}

func (u *UI) titleFor(s string) string {
	if u.agency != nil {
		return fmt.Sprintf("%s — %s", s, u.agency.Name)
	}
	return s
}
