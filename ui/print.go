package ui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/forms"
)

// Fyne has no printing API: a form is written as a PDF and handed to the
// operating system, which opens it in the default PDF reader to print.

// office is what the forms print about this office.
func (u *UI) office() forms.Office {
	o := forms.Office{}
	if u.agency != nil {
		o.Agency = *u.agency
	}
	if st, err := u.svc.Settings(); err == nil {
		o.LookupURL, o.FormSet = st.LookupURL, st.FormSet
		o.PublicURL, o.Paper = st.PublicURL, st.Paper
	}
	return o
}

// formTitle is the printed title of a form, for buttons and file names.
func (u *UI) formTitle(k forms.Kind) string {
	if t := forms.FormTitle(u.office().FormSet, k); t != "" {
		return t
	}
	return string(k)
}

// fileSlugs name the forms' files in Vietnamese without diacritics.
var fileSlugs = map[forms.Kind]string{
	forms.KindReceipt:       "giay-hen",
	forms.KindSupplement:    "phieu-bo-sung",
	forms.KindRefusal:       "phieu-tu-choi",
	forms.KindApology:       "phieu-xin-loi",
	forms.KindStop:          "thong-bao-dung-xu-ly",
	forms.KindControl:       "phieu-kiem-soat",
	forms.KindRegister:      "so-theo-doi",
	forms.KindResultReceipt: "phieu-tra-ket-qua",
}

// pdfName is a file name for a form of a dossier: Vietnamese without
// diacritics, ASCII, no spaces ("giay-hen_000.00.31.H56-250429-0001.pdf").
func pdfName(code string, k forms.Kind) string {
	slug, ok := fileSlugs[k]
	if !ok {
		slug = string(k)
	}
	return fmt.Sprintf("%s_%s.pdf", slug, safeFileName(code))
}

// guidanceFileName names the printed intake guidance.
func guidanceFileName(g *app.IntakeGuidance) string {
	return fmt.Sprintf("phieu-huong-dan_%s.pdf", safeFileName(g.ID))
}

// stripMarks removes Vietnamese diacritics and keeps the case.
func stripMarks(s string) string {
	var b strings.Builder
	for _, r := range s {
		f := []rune(app.Fold(string(r)))
		if len(f) == 1 && unicode.IsUpper(r) {
			b.WriteRune(unicode.ToUpper(f[0]))
		} else {
			b.WriteString(string(f))
		}
	}
	return b.String()
}

// safeFileName keeps letters without diacritics, digits, '.', '-' and '_'.
func safeFileName(s string) string {
	s = stripMarks(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('_')
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// printDir is where printed PDFs wait for the reader: they carry ID
// numbers, so files older than a day are removed at start (cleanPrinted).
func printDir() string { return filepath.Join(os.TempDir(), "MotCua") }

// printPDF writes the PDF to a file of its own (a reader that locks the last
// one does not stop the next print), hands it to the OS, and says what
// happened and where the file is, with a way to open its folder.
func (u *UI) printPDF(name string, data []byte) {
	dir := printDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		u.showError(app.E("In", app.KindOther, lang.L("Không tạo được thư mục tạm để in"), err))
		return
	}
	f, err := os.CreateTemp(dir, strings.TrimSuffix(name, ".pdf")+"_"+u.now().In(app.Vietnam).Format("150405")+"-*.pdf")
	if err != nil {
		u.showError(app.E("In", app.KindOther, lang.L("Không ghi được tệp PDF để in"), err))
		return
	}
	path := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		u.showError(app.E("In", app.KindOther, lang.L("Không ghi được tệp PDF để in"), err))
		return
	}
	u.lastPrinted = path
	msg := lang.L("Đã mở phiếu bằng trình đọc PDF của máy: chọn In (Ctrl+P) trong cửa sổ đó.")
	if err := u.open(path); err != nil {
		logrus.WithError(err).Warn("open pdf")
		msg = lang.L("Không mở được trình đọc PDF (máy chưa cài hoặc chưa chọn trình đọc PDF mặc định). Mở tệp dưới đây bằng trình đọc PDF để in.")
	}
	u.printedDialog(msg, path)
}

// printedDialog says where the printed file is, with "Mở thư mục".
func (u *UI) printedDialog(msg, path string) {
	u.lastInfo = msg
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	where := widget.NewLabelWithStyle(path, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	where.Wrapping = fyne.TextWrapBreak
	body := container.NewVBox(text, widget.NewLabel(lang.L("Tệp:")), where)
	u.keyDialog(lang.L("In"), container.New(fixedWidth(520), body), func(func()) []*keyButton {
		folder := newKeyButton(lang.L("Mở thư mục"), theme.FolderOpenIcon(), func() {
			if err := u.open(filepath.Dir(path)); err != nil {
				u.showError(app.E("In", app.KindOther, lang.L("Không mở được thư mục"), err))
			}
		}, nil)
		return []*keyButton{folder}
	})
}

// cleanPrinted removes printed PDFs older than a day.
func cleanPrinted(now time.Time) {
	dir := printDir()
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		info, err := e.Info()
		if err != nil || e.IsDir() || !strings.HasSuffix(e.Name(), ".pdf") {
			continue
		}
		if now.Sub(info.ModTime()) > 24*time.Hour {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				logrus.WithError(err).Debug("clean printed")
			}
		}
	}
}

// savePDF asks where to save the PDF.
func (u *UI) savePDF(name string, data []byte) { u.saveFile(name, ".pdf", data) }

// saveFile asks where to save data: the system's own dialog where Fyne's
// cannot be translated (Windows), else Fyne's; then it says where the file
// went, with "Mở thư mục".
func (u *UI) saveFile(name, ext string, data []byte) {
	u.chooseSave(lang.L("Lưu tệp"), name, ext, func(path string) { u.writeSaved(path, data) })
}

// writeSaved writes data to path and confirms it.
func (u *UI) writeSaved(path string, data []byte) {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		u.showError(app.E("Lưu tệp", app.KindOther, lang.L("Không lưu được tệp"), err))
		return
	}
	u.savedDialog(path)
}

// savedDialog confirms a saved file and offers its folder.
func (u *UI) savedDialog(path string) {
	u.lastSaved = path
	msg := lang.L("Đã lưu tệp.")
	u.lastInfo = msg
	where := widget.NewLabelWithStyle(path, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	where.Wrapping = fyne.TextWrapBreak
	u.keyDialog(lang.L("Đã lưu"), container.New(fixedWidth(520), container.NewVBox(widget.NewLabel(msg), where)), func(func()) []*keyButton {
		return []*keyButton{newKeyButton(lang.L("Mở thư mục"), theme.FolderOpenIcon(), func() {
			if err := u.open(filepath.Dir(path)); err != nil {
				u.showError(app.E("Lưu tệp", app.KindOther, lang.L("Không mở được thư mục"), err))
			}
		}, nil)}
	})
}

// printButtons are "In" and "Lưu PDF" for one rendered form.
func (u *UI) printButtons(name string, render func() ([]byte, error)) (*widget.Button, *widget.Button) {
	do := func(out func(string, []byte)) func() {
		return func() {
			data, err := render()
			if err != nil {
				u.showError(err)
				return
			}
			out(name, data)
		}
	}
	p := widget.NewButtonWithIcon(lang.L("In"), theme.DocumentPrintIcon(), do(u.printPDF))
	s := widget.NewButtonWithIcon(lang.L("Lưu PDF"), theme.DocumentSaveIcon(), do(u.savePDF))
	return p, s
}

// formRow is a form title with its In / Lưu PDF buttons.
func (u *UI) formRow(title, name string, render func() ([]byte, error)) fyne.CanvasObject {
	p, s := u.printButtons(name, render)
	l := widget.NewLabel(title)
	l.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, nil, container.NewHBox(p, s), l)
}

// dossierForm renders form k of d.
// Rendering is printing or saving: the record of processing notes it.
func (u *UI) dossierForm(k forms.Kind, d *app.Dossier) func() ([]byte, error) {
	return func() ([]byte, error) {
		if err := u.svc.RecordPrint(u.user, d.Code, u.formTitle(k)); err != nil {
			return nil, err
		}
		if k == forms.KindReceipt {
			return forms.Receipt(u.office(), d, u.user.Ref(), 2)
		}
		return forms.Render(k, u.office(), d, u.user.Ref())
	}
}

// guidanceForm renders the guidance slip g (it names the citizen: the
// record of processing notes it too).
func (u *UI) guidanceForm(g *app.IntakeGuidance) func() ([]byte, error) {
	return func() ([]byte, error) {
		if err := u.svc.RecordPrint(u.user, g.ID, lang.L("Phiếu hướng dẫn")); err != nil {
			return nil, err
		}
		return forms.SupplementRequest(u.office(), g)
	}
}

// openWithOS hands a file (or a folder) to the default application.
// MOTCUA_OPEN names a command to use instead (the walkthrough records the
// printed files with it).
func openWithOS(path string) error {
	if c := os.Getenv("MOTCUA_OPEN"); c != "" {
		return exec.Command(c, path).Run()
	}
	if runtime.GOOS == "windows" {
		return shellOpen(path)
	}
	var cmd *exec.Cmd
	if runtime.GOOS == "darwin" {
		cmd = exec.Command("open", path)
	} else {
		cmd = exec.Command("xdg-open", path)
	}
	// xdg-open exits non-zero when nothing opens the file type.
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(3 * time.Second):
		return nil // still starting the reader: it opened
	}
}
