package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// screen is one page of the main window.
type screen interface {
	view() fyne.CanvasObject
	// show is called each time the screen comes to the front: reload data.
	show()
}

// navItem is one entry of the left navigation.
type navItem struct {
	id      string
	label   string
	icon    fyne.Resource
	allowed func(*app.User) bool
	build   func(*UI) screen
}

func anyRole(rs ...app.Role) func(*app.User) bool {
	return func(u *app.User) bool {
		for _, r := range rs {
			if u.Has(r) {
				return true
			}
		}
		return false
	}
}

func everyone(*app.User) bool { return true }

// navItems lists the navigation. Liên thông shows only with a hub.
func navItems() []navItem {
	return []navItem{
		{"home", lang.L("Trang chủ"), theme.HomeIcon(), everyone, func(u *UI) screen { return newHomeScreen(u) }},
		{"receive", lang.L("Tiếp nhận"), theme.ContentAddIcon(), anyRole(app.RoleReceiver), func(u *UI) screen { return newReceiveScreen(u) }},
		{"dossiers", lang.L("Hồ sơ"), theme.FolderOpenIcon(), anyRole(app.RoleReceiver, app.RoleSpecialist, app.RoleLeader), func(u *UI) screen { return newDossiersScreen(u) }},
		{"online", lang.L("Trực tuyến"), theme.MailComposeIcon(), anyRole(app.RoleReceiver), func(u *UI) screen { return newOnlineScreen(u) }},
		{"transfers", lang.L("Liên thông"), theme.MailSendIcon(), anyRole(app.RoleReceiver, app.RoleSpecialist, app.RoleLeader), func(u *UI) screen { return newTransfersScreen(u) }},
		{"stats", lang.L("Thống kê"), theme.GridIcon(), everyone, func(u *UI) screen { return newStatsScreen(u) }},
		{"settings", lang.L("Cài đặt"), theme.SettingsIcon(), everyone, func(u *UI) screen { return newSettingsScreen(u) }},
	}
}

// shell is the main window: navigation on the left, the current screen,
// and a status bar.
type shell struct {
	u       *UI
	items   []navItem
	buttons map[string]*widget.Button
	screens map[string]screen
	body    *fyne.Container
	current string
	back    string // where the detail screen returns to
	detail  *detailScreen

	status    *widget.Label
	backup    *widget.Label // the automatic backup failed
	backupBox *fyne.Container
	hub       *widget.Label
	update    *widget.Button // "Có phiên bản mới" (ui/update.go)
	clock     *widget.Label
	view      fyne.CanvasObject
	done      chan struct{}

	waiting  int            // incoming transfers waiting for a decision
	viewMenu *fyne.MenuItem // "Liên thông" in the Xem menu (shows waiting)
	mainMenu *fyne.MainMenu
}

func newShell(u *UI) *shell {
	s := &shell{u: u, buttons: map[string]*widget.Button{}, screens: map[string]screen{}, done: make(chan struct{})}
	nav := container.NewVBox()
	for _, it := range navItems() {
		if !it.allowed(u.user) || (it.id == "transfers" || it.id == "online") && u.hub == nil {
			continue
		}
		s.items = append(s.items, it)
		b := widget.NewButtonWithIcon(it.label, it.icon, func() { s.go_(it.id) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		s.buttons[it.id] = b
		nav.Add(b)
	}
	logout := widget.NewButtonWithIcon(lang.L("Đăng xuất"), theme.LogoutIcon(), u.signOut)
	logout.Alignment = widget.ButtonAlignLeading
	logout.Importance = widget.LowImportance
	left := container.NewBorder(nil, logout, nil, nil, nav)

	s.status = widget.NewLabel(fmt.Sprintf("%s (%s)  ·  %s — %s", u.user.FullName, roleLabels(u.user.Roles), u.agency.Name, u.agency.Code))
	s.status.Truncation = fyne.TextTruncateEllipsis
	s.clock = widget.NewLabel(fmtDateTime(u.now()))
	s.hub = widget.NewLabel("")
	if u.hub == nil {
		// say that liên thông exists and where it is turned on
		s.hub.SetText("○ " + lang.L("Liên thông: chưa bật (Cài đặt → Cơ quan)"))
		s.hub.Importance = widget.LowImportance
	}
	s.backup = widget.NewLabel("")
	s.backup.Importance = widget.WarningImportance
	s.backup.Truncation = fyne.TextTruncateEllipsis
	// the warning takes up to 520 units and gives way on a narrow window
	s.backupBox = container.NewStack(s.backup)
	s.showBackupWarning()
	s.update = s.newUpdateButton()
	bar := container.NewBorder(widget.NewSeparator(), nil, widget.NewIcon(theme.AccountIcon()), container.NewHBox(s.update, s.hub, s.clock),
		container.New(sideBySide{right: 520}, s.status, s.backupBox))

	s.body = container.NewStack()
	s.view = container.NewBorder(nil, bar, container.NewHBox(left, widget.NewSeparator()), nil, s.body)
	return s
}

// start shows the first screen and starts the status-bar clock.
func (s *shell) start(first string) {
	s.u.win.SetTitle(s.u.titleFor(lang.L("Một Cửa")))
	s.addShortcuts()
	s.countWaiting()
	s.startAt(first)
	s.hubChanged()
	s.updateChanged()
	go s.tick()
}

// startAt opens the screen named by the hidden --screen flag (screenshots):
// home, receive[=filter], dossiers, detail, transfers, stats, settings,
// calendar, catalogue, users, backup.
func (s *shell) startAt(first string) {
	name, arg, _ := strings.Cut(first, "=")
	switch name {
	case "detail":
		// The first open dossier of the list: it shows actions.
		s.go_("dossiers")
		if ds, ok := s.screens["dossiers"].(*dossiersScreen); ok {
			for _, r := range ds.rows {
				if r.State.Open() && r.State != app.StateReceived {
					s.openDossier(r.Code)
					return
				}
			}
		}
	case "receive":
		s.go_("receive")
		if rs, ok := s.screens["receive"].(*receiveScreen); ok && arg != "" {
			arg = strings.ReplaceAll(arg, "+", " ")
			rs.filter.SetText(arg)
			rs.filter.OnSubmitted(arg)
		}
	case "transfers":
		s.go_("transfers")
		if ts, ok := s.screens["transfers"].(*transfersScreen); ok && len(ts.rows) > 0 {
			ts.list.Select(0)
		}
	case "calendar", "catalogue", "users", "backup":
		s.go_("settings")
		if ss, ok := s.screens["settings"].(*settingsScreen); ok {
			ss.selectTab(name)
		}
	default:
		if _, ok := s.buttons[name]; ok {
			s.go_(name)
		} else {
			s.go_("home")
		}
	}
}

// hubChanged shows the hub's state and refreshes the screens it may change.
func (s *shell) hubChanged() {
	if s.u.hub == nil {
		return
	}
	text, imp := hubText(s.u.hub.Status())
	s.hub.Importance = imp
	s.hub.SetText(text)
	switch s.current {
	case "online":
		if q, ok := s.screens["online"].(*onlineScreen); ok {
			q.refresh()
		}
	case "home":
		if h, ok := s.screens["home"].(*homeScreen); ok {
			h.showOnline()
		}
	case "transfers":
		if ts, ok := s.screens["transfers"].(*transfersScreen); ok {
			ts.refreshStatus()
		}
	case "detail":
		if s.detail != nil {
			s.detail.reload()
		}
	}
}

// showBackupWarning shows why the automatic backup failed, if it did.
func (s *shell) showBackupWarning() {
	if s.u.backupWarning == "" {
		s.backupBox.Hide()
		return
	}
	s.backup.SetText(s.u.backupWarning)
	s.backupBox.Show()
}

// tick refreshes the clock (and with it nothing else) every 30 seconds.
func (s *shell) tick() {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			fyne.Do(func() {
				s.clock.SetText(fmtDateTime(s.u.now()))
				if rs, ok := s.screens["receive"].(*receiveScreen); ok && s.current == "receive" {
					rs.tick()
				}
			})
		}
	}
}

func (s *shell) stop() {
	select {
	case <-s.done:
	default:
		close(s.done)
	}
}

// go_ brings a navigation screen to the front.
func (s *shell) go_(id string) {
	if _, ok := s.buttons[id]; !ok {
		return
	}
	s.u.idle.touch()
	sc, ok := s.screens[id]
	if !ok {
		for _, it := range s.items {
			if it.id == id {
				sc = it.build(s.u)
				s.screens[id] = sc
			}
		}
	}
	s.current = id
	for k, b := range s.buttons {
		if k == id {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.LowImportance
		}
		b.Refresh()
	}
	s.body.Objects = []fyne.CanvasObject{sc.view()}
	s.body.Refresh()
	sc.show()
}

// openDossier shows one dossier; Back returns to the screen it came from.
func (s *shell) openDossier(code string) {
	s.u.idle.touch()
	if s.current != "detail" {
		s.back = s.current
	}
	if s.detail == nil {
		s.detail = newDetailScreen(s.u)
	}
	if err := s.detail.load(code); err != nil {
		s.u.showError(err)
		return
	}
	s.current = "detail"
	s.body.Objects = []fyne.CanvasObject{s.detail.view()}
	s.body.Refresh()
}

func (s *shell) goBack() {
	back := s.back
	if back == "" {
		back = "home"
	}
	s.go_(back)
}

// search opens the dossier list with a search text (Ctrl+F, home search).
func (s *shell) search(text string) {
	if _, ok := s.buttons["dossiers"]; !ok {
		return
	}
	s.go_("dossiers")
	if ds, ok := s.screens["dossiers"].(*dossiersScreen); ok {
		ds.searchFor(text)
	}
}

func (s *shell) menu() *fyne.MainMenu {
	var items []*fyne.MenuItem
	if _, ok := s.buttons["receive"]; ok {
		items = append(items, &fyne.MenuItem{Label: lang.L("Tiếp nhận hồ sơ mới"), Icon: theme.ContentAddIcon(),
			Shortcut: shortcutNew, Action: func() { s.newReceipt() }})
	}
	if _, ok := s.buttons["receive"]; ok {
		items = append(items, &fyne.MenuItem{Label: lang.L("Phiếu hướng dẫn bổ sung đã lập"), Icon: theme.HistoryIcon(),
			Action: func() { s.u.showGuidanceList() }})
	}
	if _, ok := s.buttons["online"]; ok {
		items = append(items, &fyne.MenuItem{Label: lang.L("Hồ sơ trực tuyến chờ tiếp nhận"), Icon: theme.MailComposeIcon(),
			Action: func() { s.go_("online") }})
	}
	if _, ok := s.buttons["dossiers"]; ok {
		items = append(items, &fyne.MenuItem{Label: lang.L("Tìm hồ sơ"), Icon: theme.SearchIcon(),
			Shortcut: shortcutFind, Action: s.focusSearch})
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: lang.L("Đăng xuất"), Icon: theme.LogoutIcon(), Action: s.u.signOut})
	file := fyne.NewMenu(lang.L("Hồ sơ"), items...)
	var views []*fyne.MenuItem
	for _, it := range s.items {
		mi := &fyne.MenuItem{Label: it.label, Icon: it.icon, Action: func() { s.go_(it.id) }}
		if it.id == "transfers" {
			s.viewMenu = mi
			mi.Label = s.transfersLabel()
		}
		views = append(views, mi)
	}
	s.mainMenu = fyne.NewMainMenu(file, fyne.NewMenu(lang.L("Xem"), views...))
	return s.mainMenu
}

// transfersLabel is the Liên thông entry with the number of transfers
// waiting: "Liên thông (2)".
func (s *shell) transfersLabel() string {
	if s.waiting > 0 {
		return fmt.Sprintf("%s (%d)", lang.L("Liên thông"), s.waiting)
	}
	return lang.L("Liên thông")
}

// countWaiting counts the incoming transfers waiting for a decision and
// shows the number in the navigation, the menu and on the home screen.
func (s *shell) countWaiting() {
	b, ok := s.buttons["transfers"]
	if !ok {
		return
	}
	rows, err := s.u.svc.Incoming(true)
	if err != nil {
		return // the transfers screen says why when opened
	}
	n := 0
	for _, r := range rows {
		if r.State == app.TransferPending {
			n++
		}
	}
	s.waiting = n
	if t := s.transfersLabel(); b.Text != t {
		b.SetText(t)
	}
	if s.viewMenu != nil && s.viewMenu.Label != s.transfersLabel() {
		s.viewMenu.Label = s.transfersLabel()
		if s.mainMenu != nil {
			s.mainMenu.Refresh()
		}
	}
	if h, ok := s.screens["home"].(*homeScreen); ok {
		h.showWaiting(n)
	}
}

// changed refreshes, after changes committed anywhere (live.go), the screen
// on show and the counts around it; other screens reload when shown.
func (s *shell) changed(b *changeBatch) {
	if b.resync || b.incoming {
		s.countWaiting()
	}
	switch s.current {
	case "home":
		if h, ok := s.screens["home"].(*homeScreen); ok && (b.anyDossier() || b.submissions || b.incoming) {
			h.show()
		}
	case "dossiers":
		if ds, ok := s.screens["dossiers"].(*dossiersScreen); ok && b.anyDossier() {
			ds.refresh()
		}
	case "detail":
		if s.detail != nil && s.detail.d != nil && b.dossier(s.detail.d.Code) {
			s.detail.changedElsewhere()
		}
	case "transfers":
		if ts, ok := s.screens["transfers"].(*transfersScreen); ok {
			if b.resync || b.incoming {
				ts.changed()
			} else if b.outbox {
				ts.refreshStatus()
			}
		}
	case "online":
		if q, ok := s.screens["online"].(*onlineScreen); ok && (b.resync || b.submissions) {
			q.refresh()
		}
	}
}

var (
	shortcutNew  = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutFind = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
)

// addShortcuts registers Ctrl+N and Ctrl+F on the canvas as well as in the
// menu, so that they work with or without a focused entry.
func (s *shell) addShortcuts() {
	c := s.u.win.Canvas()
	c.AddShortcut(shortcutNew, func(fyne.Shortcut) {
		if !s.u.idle.locked {
			s.newReceipt()
		}
	})
	c.AddShortcut(shortcutSubmit, func(fyne.Shortcut) {
		// Ctrl+Enter on the receive form (an entry catches it itself)
		if rs, ok := s.screens["receive"].(*receiveScreen); ok && s.current == "receive" && !s.u.idle.locked && len(c.Overlays().List()) == 0 {
			rs.submit()
		}
	})
	c.AddShortcut(shortcutFind, func(fyne.Shortcut) {
		if !s.u.idle.locked {
			s.focusSearch()
		}
	})
}

func (s *shell) newReceipt() {
	if _, ok := s.buttons["receive"]; !ok {
		return
	}
	s.go_("receive")
	if rs, ok := s.screens["receive"].(*receiveScreen); ok {
		rs.focusFirst()
	}
}

func (s *shell) focusSearch() {
	switch s.current {
	case "home":
		if hs, ok := s.screens["home"].(*homeScreen); ok {
			s.u.win.Canvas().Focus(hs.search)
			return
		}
	}
	if _, ok := s.buttons["dossiers"]; !ok {
		return
	}
	s.go_("dossiers")
	if ds, ok := s.screens["dossiers"].(*dossiersScreen); ok {
		s.u.win.Canvas().Focus(ds.search)
	}
}
