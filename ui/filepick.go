package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// The file dialogs. On Windows they are the system's own (sqweek/dialog):
// they speak the system's language. Elsewhere Fyne's dialog names its
// places in fixed English ("Home", "Computer", "Documents", "Desktop"):
// the program draws its own small one, in the interface's language.

// chooseFile asks for an existing file with one of exts (".db"; none: any
// file); done gets its path, nothing when the official cancelled.
func (u *UI) chooseFile(title string, exts []string, done func(path string)) {
	if nativeDialogs() {
		u.native(func() (string, bool, error) { return nativeOpen(title, exts) }, done)
		return
	}
	u.showPicker(&filePicker{title: title, exts: exts, action: lang.L("Mở")}, done)
}

// chooseFolder asks for a folder.
func (u *UI) chooseFolder(title string, done func(path string)) {
	if nativeDialogs() {
		u.native(func() (string, bool, error) { return nativeFolder(title) }, done)
		return
	}
	u.showPicker(&filePicker{title: title, folder: true, action: lang.L("Chọn thư mục này")}, done)
}

// chooseSave asks where to save a file named name (ext: ".pdf"); a file
// that is already there is replaced only when the official agrees.
func (u *UI) chooseSave(title, name, ext string, done func(path string)) {
	if nativeDialogs() {
		u.native(func() (string, bool, error) { return nativeSave(title, name, ext) }, done)
		return
	}
	u.showPicker(&filePicker{title: title, exts: []string{ext}, save: true, fileName: name, action: lang.L("Lưu")}, done)
}

// native runs a system dialog off Fyne's goroutine (it blocks until the
// official answers) and hands its answer back on it.
func (u *UI) native(ask func() (string, bool, error), done func(string)) {
	go func() {
		path, ok, err := ask()
		fyne.Do(func() {
			switch {
			case err != nil:
				u.showError(app.E("FileDialog", app.KindOther, lang.L("Không mở được hộp chọn tệp"), err))
			case ok:
				done(path)
			}
		})
	}()
}

// filePicker is the program's own file dialog: the places on the left, the
// folder's subfolders and matching files in the middle, the file name (when
// saving) under them.
type filePicker struct {
	title, action string
	exts          []string // lower-case with the dot; empty: every file
	folder, save  bool
	fileName      string

	u       *UI
	dlg     dialog.Dialog
	dir     string
	where   *widget.Label
	list    *widget.List
	items   []os.DirEntry
	chosen  string // the file chosen in the list
	name    *entry
	errLine *widget.Label
	ok      *keyButton
	done    func(string)
}

// place is a folder offered on the left.
type place struct {
	name string
	icon fyne.Resource
	path string
}

// places are the official's folders that exist, and the whole computer.
func places() []place {
	home, _ := os.UserHomeDir()
	out := []place{{lang.L("Thư mục cá nhân"), theme.HomeIcon(), home}}
	for _, p := range []place{
		{lang.L("Tài liệu"), theme.DocumentIcon(), filepath.Join(home, "Documents")},
		{lang.L("Màn hình nền"), theme.DesktopIcon(), filepath.Join(home, "Desktop")},
		{lang.L("Tải về"), theme.DownloadIcon(), filepath.Join(home, "Downloads")},
	} {
		if fi, err := os.Stat(p.path); err == nil && fi.IsDir() {
			out = append(out, p)
		}
	}
	return append(out, place{lang.L("Máy tính"), theme.ComputerIcon(), string(filepath.Separator)})
}

func (u *UI) showPicker(p *filePicker, done func(string)) {
	p.u, p.done = u, done
	p.where = widget.NewLabel("")
	p.where.Truncation = fyne.TextTruncateEllipsis
	p.errLine = errorLine()
	p.list = widget.NewList(func() int { return len(p.items) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			it := p.items[i]
			icon := theme.FileIcon()
			if it.IsDir() {
				icon = theme.FolderIcon()
			}
			c.Objects[1].(*widget.Icon).SetResource(icon)
			c.Objects[0].(*widget.Label).SetText(it.Name())
		})
	p.list.OnSelected = p.selected
	up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { p.open(filepath.Dir(p.dir)) })
	side := container.NewVBox()
	for _, pl := range places() {
		side.Add(&widget.Button{Text: pl.name, Icon: pl.icon, Alignment: widget.ButtonAlignLeading,
			Importance: widget.LowImportance, OnTapped: func() { p.open(pl.path) }})
	}
	top := container.NewBorder(nil, nil, up, nil, p.where)
	bottom := container.NewVBox(p.errLine)
	if p.save {
		p.name = newEntry()
		p.name.SetText(p.fileName)
		p.name.OnSubmitted = func(string) { p.confirm() }
		bottom.Objects = append([]fyne.CanvasObject{container.NewBorder(nil, nil, widget.NewLabel(lang.L("Tên tệp")), nil, p.name)}, bottom.Objects...)
	}
	if len(p.exts) > 0 && !p.save {
		bottom.Add(widget.NewLabel(lang.L("Chỉ hiện các tệp") + " " + strings.Join(p.exts, ", ")))
	}
	left := container.NewBorder(nil, nil, nil, widget.NewSeparator(), container.NewVScroll(side))
	body := container.NewBorder(top, bottom, left, nil, p.list)
	start := u.pickDir // the folder of the last file chosen (a scanner's folder, usually)
	if fi, err := os.Stat(start); start == "" || err != nil || !fi.IsDir() {
		start, _ = os.UserHomeDir()
		if fi, err := os.Stat(filepath.Join(start, "Documents")); err == nil && fi.IsDir() {
			start = filepath.Join(start, "Documents")
		}
	}
	p.open(start)
	// "Mở" waits for a file (and then takes the focus); until then the
	// focus is on "Đóng", so that Esc and Enter close the dialog.
	p.dlg = u.keyDialog(p.title, container.New(fixedSize{760, 440}, body), func(hide func()) []*keyButton {
		p.ok = newKeyButton(p.action, theme.ConfirmIcon(), p.confirm, nil)
		p.ok.Importance = widget.HighImportance
		p.enable()
		return []*keyButton{p.ok}
	})
	if p.name != nil {
		p.name.onEsc = p.dlg.Hide
		u.win.Canvas().Focus(p.name)
	}
	u.lastFilePicker = p
}

// open shows the folder dir.
func (p *filePicker) open(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		setErrorLine(p.errLine, fmt.Sprintf(lang.L("Không mở được thư mục %s"), dir))
		return
	}
	setErrorLine(p.errLine, "")
	p.dir, p.chosen = dir, ""
	p.items = p.items[:0]
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if e.IsDir() || (!p.folder && p.matches(e.Name())) {
			p.items = append(p.items, e)
		}
	}
	slices.SortStableFunc(p.items, func(a, b os.DirEntry) int {
		if a.IsDir() != b.IsDir() {
			if a.IsDir() {
				return -1
			}
			return 1
		}
		return strings.Compare(app.Fold(a.Name()), app.Fold(b.Name()))
	})
	p.where.SetText(dir)
	p.list.UnselectAll()
	if p.dlg != nil { // drawn: it has a scroller
		p.list.ScrollToTop()
	}
	p.list.Refresh()
	p.enable()
}

func (p *filePicker) matches(name string) bool {
	if len(p.exts) == 0 {
		return true
	}
	ext := strings.ToLower(filepath.Ext(name))
	return slices.Contains(p.exts, ext)
}

// selected enters a folder, or chooses a file.
func (p *filePicker) selected(i widget.ListItemID) {
	if i < 0 || i >= len(p.items) {
		return
	}
	it := p.items[i]
	if it.IsDir() {
		p.open(filepath.Join(p.dir, it.Name()))
		return
	}
	p.chosen = filepath.Join(p.dir, it.Name())
	if p.name != nil {
		p.name.SetText(it.Name())
	}
	p.enable()
	p.u.win.Canvas().Focus(p.ok) // Enter opens it
}

func (p *filePicker) enable() {
	if p.ok == nil {
		return
	}
	if p.folder || p.save || p.chosen != "" {
		p.ok.Enable()
	} else {
		p.ok.Disable()
	}
}

// confirm answers with the chosen path.
func (p *filePicker) confirm() {
	var path string
	switch {
	case p.folder:
		path = p.dir
	case p.save:
		name := strings.TrimSpace(p.name.Text)
		if name == "" || strings.ContainsAny(name, `/\`) {
			setErrorLine(p.errLine, lang.L("Nhập tên tệp"))
			return
		}
		if len(p.exts) == 1 && !strings.EqualFold(filepath.Ext(name), p.exts[0]) {
			name += p.exts[0]
		}
		path = filepath.Join(p.dir, name)
		if _, err := os.Stat(path); err == nil {
			p.u.confirm(lang.L("Ghi đè tệp"), fmt.Sprintf(lang.L("Đã có tệp %s trong thư mục này. Thay bằng tệp mới?"), name), lang.L("Ghi đè"), func() {
				p.dlg.Hide()
				p.done(path)
			})
			return
		}
	default:
		if p.chosen == "" {
			return
		}
		path = p.chosen
	}
	p.u.pickDir = p.dir
	p.dlg.Hide()
	p.done(path)
}
