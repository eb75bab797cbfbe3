package ui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/app"
)

// Scans tied to papers (issue 13.4): each document line has its own
// "Đính kèm bản quét…" button; the chosen file (PDF, JPEG or PNG, from the
// scanner's folder or anywhere) is listed with its name and size on that
// line and can be removed before saving. Nothing is stored until the form is
// saved: the use case stores the files in its transaction.

// scanExts are the file types the file dialog offers.
var scanExts = []string{".pdf", ".jpg", ".jpeg", ".png"}

// scanPicker holds the scans chosen for the papers of one form.
type scanPicker struct {
	u     *UI
	files map[string]app.ScanFile // by document line name
	rows  map[string]*scanCell
	// changed is called after a file was added or removed.
	changed func()
}

type scanCell struct {
	label  *widget.Label
	attach *widget.Button
	remove *widget.Button
	view   fyne.CanvasObject
	// compact cells (the counter form) have icon buttons only and show the
	// file on the paper's own label, after base.
	compact bool
	base    string
}

func newScanPicker(u *UI) *scanPicker {
	return &scanPicker{u: u, files: map[string]app.ScanFile{}, rows: map[string]*scanCell{}}
}

// cell returns the attach/remove line of the paper doc.
func (p *scanPicker) cell(doc string) fyne.CanvasObject {
	c := &scanCell{label: widget.NewLabel("")}
	c.label.Truncation = fyne.TextTruncateEllipsis
	c.attach = widget.NewButtonWithIcon(lang.L("Đính kèm bản quét…"), theme.ContentAddIcon(), func() { p.choose(doc) })
	c.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { p.remove(doc) })
	c.view = container.NewBorder(nil, nil, nil, container.NewHBox(c.attach, c.remove), c.label)
	p.rows[doc] = c
	p.draw(doc)
	return c.view
}

// compactCell returns the icon buttons of the paper doc; the chosen file
// is shown on name (whose text is the paper's name).
func (p *scanPicker) compactCell(doc string, name *widget.Label) fyne.CanvasObject {
	c := &scanCell{label: name, compact: true, base: name.Text}
	c.attach = widget.NewButtonWithIcon("", theme.MailAttachmentIcon(), func() { p.choose(doc) })
	c.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { p.remove(doc) })
	c.view = container.NewHBox(c.attach, c.remove)
	p.rows[doc] = c
	p.draw(doc)
	return c.view
}

func (p *scanPicker) draw(doc string) {
	c := p.rows[doc]
	if c == nil {
		return
	}
	if c.compact {
		// The buttons keep their place (the counts beside them do not
		// move): remove is disabled rather than hidden.
		if f, ok := p.files[doc]; ok {
			c.label.SetText(fmt.Sprintf("%s\n📎 %s (%s)", c.base, f.FileName, app.FormatSize(int64(len(f.Data)))))
			c.remove.Enable()
		} else {
			c.label.SetText(c.base)
			c.remove.Disable()
		}
		return
	}
	// The buttons keep their size and place (choosing again replaces the
	// file); remove is disabled rather than hidden.
	if f, ok := p.files[doc]; ok {
		c.label.SetText(fmt.Sprintf("📎 %s (%s)", f.FileName, app.FormatSize(int64(len(f.Data)))))
		c.remove.Enable()
	} else {
		c.label.SetText("")
		c.remove.Disable()
	}
}

// choose opens the file dialog for the paper doc.
func (p *scanPicker) choose(doc string) {
	p.u.chooseFile(lang.L("Đính kèm bản quét"), scanExts, func(path string) {
		f, err := os.Open(path)
		if err != nil {
			p.u.showError(app.E("Scan", app.KindOther, app.MsgScanRead, err))
			return
		}
		defer f.Close()
		if err := p.add(doc, filepath.Base(path), f); err != nil {
			p.u.showError(err)
		}
	})
}

// add reads one chosen file for the paper doc (replacing an earlier one).
func (p *scanPicker) add(doc, name string, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, app.MaxScanSize+1))
	if err != nil {
		return app.E("Scan", app.KindOther, lang.L("Không đọc được tệp"), err)
	}
	f, err := app.NewScanFile(name, data)
	if err != nil {
		return err
	}
	if err := app.CheckScanKind(f); err != nil {
		return err
	}
	f.For = doc
	p.files[doc] = f
	p.draw(doc)
	if p.changed != nil {
		p.changed()
	}
	return nil
}

// remove drops the file chosen for doc.
func (p *scanPicker) remove(doc string) {
	delete(p.files, doc)
	p.draw(doc)
	if p.changed != nil {
		p.changed()
	}
}

// list returns the chosen files of the papers docs, in their order.
func (p *scanPicker) list(docs []string) []app.ScanFile {
	var out []app.ScanFile
	for _, d := range docs {
		if f, ok := p.files[d]; ok {
			out = append(out, f)
		}
	}
	return out
}

// reset forgets every choice and every cell.
func (p *scanPicker) reset() {
	p.files = map[string]app.ScanFile{}
	p.rows = map[string]*scanCell{}
}

// scanText is how an attached file reads on a document line.
func scanText(doc app.SubmittedDocument) string {
	name := doc.FileName
	if name == "" {
		name = doc.Name
	}
	return fmt.Sprintf("%s (%s)", name, app.FormatSize(doc.Size))
}

// docNames are the names of the document lines of d.
func docNames(docs []app.SubmittedDocument) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.Name
	}
	return out
}

// scanLine is a document line's scan on the detail screen: name and size
// with "Mở" (opened with the OS viewer after its SHA-256 is checked), or
// the button that attaches one when the user may.
func (s *detailScreen) scanLine(doc app.SubmittedDocument, canAttach bool) fyne.CanvasObject {
	if doc.Scanned() {
		open := widget.NewButtonWithIcon(lang.L("Mở"), theme.FileIcon(), func() { s.u.openScan(doc) })
		l := widget.NewLabel("📎 " + scanText(doc))
		l.Truncation = fyne.TextTruncateEllipsis
		return container.NewBorder(nil, nil, nil, open, l)
	}
	if !canAttach {
		return nil
	}
	name := doc.Name
	return container.NewHBox(widget.NewButtonWithIcon(lang.L("Đính kèm bản quét…"), theme.ContentAddIcon(), func() {
		p := newScanPicker(s.u)
		p.changed = func() {
			files := p.list([]string{name})
			if len(files) == 0 {
				return
			}
			d, err := s.u.svc.AttachScans(s.u.user, s.d.Code, files)
			if err != nil {
				s.u.showError(err)
				return
			}
			s.d = d
			s.reload()
		}
		s.u.lastPicker = p
		p.choose(name)
	}))
}

// canAttachScans: the signed-in user may add notes (and so scans) to d.
func (s *detailScreen) canAttachScans() bool {
	return s.d.State.Open() && app.MayPerform(s.u.user, app.ActNote)
}

// supplementPapers are the items of the last supplement round not yet a
// document line: their scans are attached here when the citizen brings them.
func supplementPapers(d *app.Dossier) []string {
	if len(d.Supplements) == 0 {
		return nil
	}
	var out []string
	for _, it := range d.Supplements[len(d.Supplements)-1].Items {
		found := false
		for _, doc := range d.Documents {
			if strings.EqualFold(doc.Name, it) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, it)
		}
	}
	return out
}
