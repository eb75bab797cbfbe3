package ui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
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

// pdfName is a file name for a form of a dossier: ASCII, no spaces.
func pdfName(code string, k forms.Kind) string {
	code = strings.NewReplacer("/", "-", "\\", "-", " ", "_").Replace(code)
	return fmt.Sprintf("%s_%s.pdf", code, k)
}

// printPDF writes the PDF to a temporary file and opens it with the OS.
func (u *UI) printPDF(name string, data []byte) {
	dir := filepath.Join(os.TempDir(), "MotCua")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		u.showError(err)
		return
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		u.showError(err)
		return
	}
	if err := u.open(path); err != nil {
		logrus.WithError(err).Warn("open pdf")
		u.info(lang.L("In"), fmt.Sprintf(lang.L("Không mở được trình đọc PDF. Tệp đã lưu tại: %s"), path))
	}
}

// savePDF asks where to save the PDF.
func (u *UI) savePDF(name string, data []byte) { u.saveFile(name, ".pdf", data) }

// saveFile asks where to save data.
func (u *UI) saveFile(name, ext string, data []byte) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if w == nil {
			return
		}
		defer w.Close()
		if _, err := w.Write(data); err != nil {
			u.showError(err)
		}
	}, u.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	d.Show()
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
func (u *UI) dossierForm(k forms.Kind, d *app.Dossier) func() ([]byte, error) {
	return func() ([]byte, error) {
		if k == forms.KindReceipt {
			return forms.Receipt(u.office(), d, u.user.Ref(), 2)
		}
		return forms.Render(k, u.office(), d, u.user.Ref())
	}
}

// openWithOS hands a file to the default application.
func openWithOS(path string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", path)
	case "darwin":
		cmd = exec.Command("open", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
