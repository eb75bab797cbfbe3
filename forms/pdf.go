package forms

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"motcua/app"
	"motcua/forms/pdfkit"
)

// QRModule is the side of one QR module in mm: 0.75 mm keeps a version 5
// code (a typical look-up address) readable on a 100 dpi scan of a
// photocopy, where 0.42 mm modules were not.
const QRModule = 0.75

// doc wraps one pdfkit document with the layout rules shared by every form.
type doc struct {
	*pdfkit.Doc
	pdf  *gofpdf.Fpdf
	set  *formSet
	kind Kind
	form formText

	letter     bool    // Decree 30 letter (03, 04, 05): serif, wide left margin
	body       float64 // body size, pt
	lineH      float64 // body line height, mm
	small      bool    // A5
	baseBottom float64 // bottom margin without the QR zone

	footerRef string // "Mẫu số 01 ban hành kèm theo …"
	contLine  string // "Giấy tiếp nhận hồ sơ - Mã hồ sơ: …", at the top of every page after a copy's first
	copyLabel string // "Liên 1: Lưu tại cơ quan", printed on every page of the copy
	copyStart int    // first page of the current copy
	copyN     int
	pending   *string // label of the copy that starts on the next page
	qrText    string  // payload of the QR code printed on the first page of each copy
	qrCaption string
	qrSide    float64

	footerNote string // a second footer line (the register's daily digest)
}

// letters are the forms that Decree 30/2020 lays out as administrative letters.
func isLetter(k Kind) bool { return k == KindRefusal || k == KindApology || k == KindStop }

func newDoc(o Office, k Kind, landscape bool) (*doc, error) {
	set, err := formSetFor(o.FormSet)
	if err != nil {
		return nil, err
	}
	opt := pdfkit.Options{Paper: "A4", Landscape: landscape, Title: set.Forms[k].Title}
	x := &doc{set: set, kind: k, form: set.Forms[k], letter: isLetter(k), body: 12}
	small := !landscape && strings.EqualFold(o.Paper, "A5") && k != KindRegister && k != KindControl
	switch {
	case landscape:
		opt.Left, opt.Right, opt.Top, opt.Bottom = 12, 10, 13, 14
	case small && x.letter:
		opt.Paper, opt.Face = "A5", pdfkit.Serif
		opt.Left, opt.Right, opt.Top, opt.Bottom = 20, 10, 14, 16
		x.body = 11
	case small:
		opt.Paper = "A5"
		opt.Left, opt.Right, opt.Top, opt.Bottom = 12, 10, 12, 16
		x.body = 10
	case x.letter:
		// Decree 30/2020, Appendix I: top and bottom 20–25 mm, left 30–35 mm,
		// right 15–20 mm; Times New Roman 13–14 pt.
		opt.Face = pdfkit.Serif
		opt.Left, opt.Right, opt.Top, opt.Bottom = 30, 15, 20, 20
		x.body = 13
	default:
		opt.Left, opt.Right, opt.Top, opt.Bottom = 20, 15, 15, 15
	}
	x.small = small
	x.lineH = x.body * 0.5
	x.Doc = pdfkit.New(opt)
	x.pdf = x.PDF
	x.baseBottom = x.Bottom
	if x.form.Code != "" {
		x.footerRef = fill(x.common("form_ref"), "code", x.form.Code, "circular", set.Name)
	}
	x.contLine = x.form.Short
	x.pdf.SetHeaderFunc(x.pageHeader)
	x.pdf.SetFooterFunc(x.pageFooter)
	return x, nil
}

// output finishes the document.
func (d *doc) output() ([]byte, error) {
	d.endCopy()
	return d.Output()
}

// clean normalises text for drawing (see CleanText).
func (d *doc) clean(s string) string { return CleanText(s) }

// CleanText normalises text for a PDF (pdfkit.Clean).
func CleanText(s string) string { return pdfkit.Clean(s) }

// label is a form label (or a common one) with placeholders filled.
func (d *doc) label(key string, kv ...string) string {
	v, ok := d.form.Labels[key]
	if !ok {
		v, ok = d.set.Common[key]
	}
	if !ok {
		d.Fail(app.E("forms", app.KindOther, app.M(app.MsgFormLabelMissing, d.set.ID, key, d.kind)))
	}
	return fill(v, kv...)
}

func (d *doc) common(key string) string { return d.label(key) }

// font selects the body face.
func (d *doc) font(style string, size float64) { d.Font(style, size) }

// --- pages -----------------------------------------------------------------

func (d *doc) pageHeader() {
	if d.pending != nil {
		d.copyN++
		d.copyLabel, d.copyStart = *d.pending, d.pdf.PageNo()
		d.pending = nil
	}
	first := d.pdf.PageNo() == d.copyStart
	// the QR zone at the bottom of a copy's first page
	d.Bottom = d.baseBottom
	if first && d.qrText != "" {
		d.Bottom = d.baseBottom + d.qrSide + 2
	}
	d.pdf.SetAutoPageBreak(true, d.Bottom)
	d.Keep(func() {
		d.FontFace(pdfkit.Sans, "I", 8.5)
		d.pdf.SetTextColor(60, 60, 60)
		y := d.Top - 8
		cont := ""
		if !first {
			cont = d.clean(d.contLine)
		}
		// the continuation line on the left, the copy label on the right,
		// both shrunk to share one line
		label := d.copyLabel
		for size := 8.5; size > 6 && d.pdf.GetStringWidth(cont)+d.pdf.GetStringWidth(label)+4 > d.Width; size -= 0.5 {
			d.FontFace(pdfkit.Sans, "I", size)
		}
		if cont != "" {
			d.pdf.SetXY(d.Left, y)
			d.pdf.CellFormat(d.Width, 4, cont, "", 0, "L", false, 0, "")
		}
		if label != "" {
			d.pdf.SetXY(d.Left, y)
			d.pdf.CellFormat(d.Width, 4, label, "", 0, "R", false, 0, "")
		}
		if !first && d.contLine != "" {
			d.pdf.SetLineWidth(0.2)
			d.pdf.SetDrawColor(120, 120, 120)
			d.pdf.Line(d.Left, y+4.5, d.Left+d.Width, y+4.5)
			d.pdf.SetDrawColor(0, 0, 0)
		}
		d.pdf.SetTextColor(0, 0, 0)
	})
	d.pdf.SetXY(d.Left, d.Top)
}

func (d *doc) pageFooter() {
	d.Keep(func() {
		p := d.pdf
		_, ph := p.GetPageSize()
		first := p.PageNo() == d.copyStart
		y := ph - d.baseBottom + 5
		x, w := d.Left, d.Width
		if first && d.qrText != "" {
			// QR bottom-left, its caption beside its foot; nothing else
			// within 4 modules of it
			qy := ph - d.baseBottom - d.qrSide + 1
			side, _ := d.QR(d.qrText, d.Left, qy, QRModule)
			d.FontFace(pdfkit.Sans, "I", 8)
			p.SetXY(d.Left+side+3, qy+side-3.5)
			p.CellFormat(40, 3.5, d.clean(d.qrCaption), "", 0, "L", false, 0, "")
			x, w = d.Left+side+3, d.Width-side-3
		}
		d.FontFace(pdfkit.Sans, "I", 8)
		p.SetTextColor(90, 90, 90)
		page := p.PageNo() - d.copyStart + 1
		pageText := d.clean(fill(d.common("page"), "n", "00", "total", "00"))
		ref := d.clean(d.footerRef)
		for size := 8.0; size > 5.5 && p.GetStringWidth(ref)+p.GetStringWidth(pageText)+4 > w; size -= 0.5 {
			d.FontFace(pdfkit.Sans, "I", size)
		}
		if ref != "" {
			p.SetXY(x, y)
			p.CellFormat(w, 4, ref, "", 0, "L", false, 0, "")
		}
		// left-aligned where "Trang 00/00" would end at the margin: the total
		// is an alias replaced after layout, so right alignment would drift
		pw := p.GetStringWidth(pageText) + 2*p.GetCellMargin()
		p.SetXY(x+w-pw, y)
		p.CellFormat(pw, 4, d.clean(fill(d.common("page"), "n", fmt.Sprint(page), "total", d.totalAlias())), "", 0, "L", false, 0, "")
		if d.footerNote != "" { // a second line: the register's daily digest
			d.FontFace(pdfkit.Sans, "I", 8)
			p.SetXY(x, y+4)
			p.CellFormat(w, 4, d.footerNote, "", 0, "L", false, 0, "")
		}
		p.SetTextColor(0, 0, 0)
	})
}

func (d *doc) totalAlias() string { return fmt.Sprintf("{nb%d}", d.copyN) }

// forDossier sets the continuation line and the QR code of a dossier's form.
func (d *doc) forDossier(o Office, code string) {
	d.contLine = fill(d.form.Short, "code", code)
	d.setQR(o, code)
}

// setQR sets the QR code of the dossier's look-up address (the dossier code
// alone when the office has no public address) for the copies that follow.
func (d *doc) setQR(o Office, code string) {
	if code == "" {
		return
	}
	d.qrText, d.qrCaption = o.qrPayload(code), d.common("qr_caption")
	if !strings.Contains(d.qrText, "://") {
		d.qrCaption = d.common("qr_caption_code")
	}
	d.qrSide, _ = pdfkit.QRSide(d.qrText, QRModule)
}

// beginCopy starts a new copy (liên) on a new page; label may be empty. The
// copy's state switches in the page header: gofpdf draws the previous page's
// footer inside AddPage, and that footer still belongs to the previous copy.
func (d *doc) beginCopy(label string) {
	d.endCopy()
	d.pending = &label
	d.pdf.AddPage()
}

func (d *doc) endCopy() {
	if d.copyN > 0 {
		d.pdf.RegisterAlias(d.totalAlias(), fmt.Sprint(d.pdf.PageNo()-d.copyStart+1))
	}
}

func (d *doc) pageBottom() float64 { return d.PageBottom() }

// ensure moves to a new page when h millimetres do not fit on this one.
func (d *doc) ensure(h float64) bool { return d.Ensure(h) }

// --- header block ----------------------------------------------------------

// header draws the office heading (pdfkit.OfficeHeader) with the form's
// number line and the place-and-date line of when.
func (d *doc) header(o Office, number string, when time.Time) {
	hs := 12.0 // header size, pt: 12 for Decree 30 letters
	if !d.letter {
		hs = 11
	}
	if d.small {
		hs -= 2
	}
	line := ""
	if !when.IsZero() {
		w := when.In(app.Vietnam)
		place := o.Agency.Place
		if place == "" {
			place = o.Agency.Name
		}
		line = fill(d.common("date_line"), "place", place,
			"dd", app.DayNumber(w.Day()), "mm", app.MonthNumber(w.Month()), "yyyy", fmt.Sprint(w.Year()))
	}
	y := d.OfficeHeader(pdfkit.Header{Governing: o.Agency.GoverningBody, Unit: o.Agency.Name, Number: number,
		Nation: d.common("nation"), Motto: d.common("motto"), DateLine: line, Size: hs})
	d.pdf.SetXY(d.Left, y+4)
}

// title draws the form title, centred, bold capitals, with optional lines under it.
func (d *doc) title(sub ...string) {
	p := d.pdf
	size := d.body + 1
	d.font("B", size)
	for _, l := range d.Split(d.form.Title, d.Width) {
		p.SetX(d.Left)
		p.CellFormat(d.Width, size*0.5, l, "", 1, "C", false, 0, "")
	}
	for _, s := range sub {
		if s == "" {
			continue
		}
		style := "I"
		if strings.HasPrefix(s, "!") {
			style, s = "B", s[1:]
		}
		d.font(style, d.body)
		for _, l := range d.Split(s, d.Width) {
			p.SetX(d.Left)
			p.CellFormat(d.Width, d.lineH, l, "", 1, "C", false, 0, "")
		}
	}
	p.Ln(3)
}

// --- text ------------------------------------------------------------------

// split wraps text to width w with the current font; never returns no lines.
func (d *doc) split(s string, w float64) []string { return d.Split(s, w) }

// seg is a run of text in one style for rich lines.
type seg struct {
	text  string
	style string
}

// glueText keeps an amount with its unit ("200.000 đồng").
var glueText = strings.NewReplacer(" đồng", "\u00a0đồng")

// dateRe and timeRe find long dates and times in prose, glued so that a
// line never leaves "năm 2026" or "phút," alone.
var (
	dateRe = regexp.MustCompile(`[Nn]gày \d{1,2} tháng \d{1,2} năm \d{4}`)
	timeRe = regexp.MustCompile(`\d{1,2} giờ \d{2} phút,?`)
)

func glueProse(s string) string {
	s = glueText.Replace(s)
	glue := func(m string) string { return strings.ReplaceAll(m, " ", "\u00a0") }
	s = dateRe.ReplaceAllStringFunc(s, glue)
	return timeRe.ReplaceAllStringFunc(s, glue)
}

// rich writes flowing text made of styled runs, wrapping at the right margin
// (only at ordinary spaces), starting at indent mm from the left margin
// (continuation lines too).
func (d *doc) rich(indent float64, segs ...seg) {
	p := d.pdf
	p.SetLeftMargin(d.Left + indent)
	p.SetX(d.Left + indent)
	for i, s := range segs {
		// clean, but keep the spaces that join runs ("Địa chỉ: " + value)
		text := glueProse(d.clean(s.text))
		if i < len(segs)-1 && strings.HasSuffix(s.text, " ") {
			text += " "
		}
		if text == "" {
			continue
		}
		d.font(s.style, d.body)
		p.Write(d.lineH, text)
	}
	p.Ln(d.lineH)
	p.SetLeftMargin(d.Left)
}

// richHeight measures what rich would draw (an upper bound: one run per
// style change may wrap a little earlier than measured).
func (d *doc) richHeight(indent float64, segs ...seg) float64 {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(glueProse(d.clean(s.text)))
		if strings.HasSuffix(s.text, " ") {
			b.WriteString(" ")
		}
	}
	d.font("B", d.body) // the wider face: never underestimates
	return float64(len(d.Split(b.String(), d.Width-indent))) * d.lineH
}

// field writes "label: value" with the value in bold; empty values print dots.
func (d *doc) field(label, value string) { d.fieldAt(0, label, value) }

func (d *doc) fieldSegs(label, value string) []seg {
	v := d.clean(value)
	if v == "" {
		v = "……………………"
	}
	return []seg{{d.clean(label) + ": ", ""}, {v, "B"}}
}

func (d *doc) fieldAt(indent float64, label, value string) {
	d.rich(indent, d.fieldSegs(label, value)...)
}

// name is a person's name glued so that it never breaks across lines.
func name(s string) string { return pdfkit.Glue(s) }

// fields writes several "label: value" pairs on one line (phone, e-mail).
func (d *doc) fields(pairs ...string) {
	var segs []seg
	for i := 0; i+1 < len(pairs); i += 2 {
		v := d.clean(pairs[i+1])
		if v == "" {
			v = "……………"
		}
		if i > 0 {
			segs = append(segs, seg{";  ", ""})
		}
		segs = append(segs, seg{d.clean(pairs[i]) + ": ", ""}, seg{v, "B"})
	}
	d.rich(0, segs...)
}

// para writes a paragraph in one style.
func (d *doc) para(style, text string) { d.rich(0, seg{text, style}) }

// gap adds vertical space.
func (d *doc) gap(mm float64) { d.pdf.Ln(mm) }

// --- tables ----------------------------------------------------------------

// drawTable scales t to the content width and draws it; keep is the height
// that must stay with the last row.
func (d *doc) drawTable(t *pdfkit.Table, rows [][]string, keep float64) {
	t.Scale(d.Width)
	rs := make([]pdfkit.Row, len(rows))
	for i, r := range rows {
		rs[i] = pdfkit.Row{Cells: r}
	}
	d.DrawTable(t, rs, keep)
	d.pdf.Ln(2)
}

// --- signatures ------------------------------------------------------------

// sig is a signature block: caption lines in bold capitals (the first may
// be "KT. CHỦ TỊCH" over the deputy's title), a note, room to sign, and the
// signer's name.
type sig struct {
	caption string
	note    string
	name    string
}

const signRoom = 20.0 // mm between the note and the name

func (d *doc) sigWidth(n int) float64 {
	if n > 1 || d.letter {
		return d.Width / 2
	}
	return d.Width * 0.55
}

// sigHeight measures the blocks side by side, with the 3 mm above them.
func (d *doc) sigHeight(blocks ...sig) float64 {
	colW := d.sigWidth(len(blocks))
	h := 0.0
	for _, b := range blocks {
		d.font("B", d.body)
		bh := float64(len(d.Split(strings.ToUpper(b.caption), colW))) * d.lineH
		d.font("I", d.body-1)
		bh += float64(len(d.Split(b.note, colW))) * (d.lineH - 0.5)
		h = max(h, bh+signRoom+d.lineH)
	}
	return h + 3
}

// signatures draws one block on the right, or two side by side; the blocks
// and their captions stay together on one page.
func (d *doc) signatures(blocks ...sig) {
	p := d.pdf
	if len(blocks) == 0 {
		return
	}
	colW := d.sigWidth(len(blocks))
	h := d.sigHeight(blocks...)
	if !d.sigFits(p.GetY(), blocks) {
		p.AddPage()
	}
	// the block may reach into the QR zone (sigFits): no automatic page
	// break while it is drawn
	p.SetAutoPageBreak(false, d.Bottom)
	defer p.SetAutoPageBreak(true, d.Bottom)
	p.Ln(3)
	y0 := p.GetY()
	for i, b := range blocks {
		x := d.Left + d.Width - colW
		if len(blocks) > 1 && i == 0 {
			x = d.Left
		}
		y := y0
		d.font("B", d.body)
		for _, l := range d.Split(strings.ToUpper(d.clean(b.caption)), colW) {
			p.SetXY(x, y)
			p.CellFormat(colW, d.lineH, l, "", 0, "C", false, 0, "")
			y += d.lineH
		}
		d.font("I", d.body-1)
		for _, l := range d.Split(b.note, colW) {
			p.SetXY(x, y)
			p.CellFormat(colW, d.lineH-0.5, l, "", 0, "C", false, 0, "")
			y += d.lineH - 0.5
		}
		if n := d.clean(b.name); n != "" {
			d.font("B", d.body)
			for _, l := range d.Split(name(n), colW) {
				p.SetXY(x, y+signRoom)
				p.CellFormat(colW, d.lineH, l, "", 0, "C", false, 0, "")
				y += d.lineH
			}
		}
	}
	p.SetXY(d.Left, y0+h-3)
}

// keepWithSig moves to a new page unless the text measured as h and the
// signature blocks fit together on this one: a signature never goes alone
// to a page.
func (d *doc) keepWithSig(h float64, blocks ...sig) {
	y := d.pdf.GetY()
	if y+h > d.PageBottom() || !d.sigFits(y+h, blocks) {
		d.pdf.AddPage()
	}
}

// sigFits reports whether the blocks fit from y. A single block sits on the
// right, clear of the QR code in the bottom-left corner, so it may go down to
// the footer; side-by-side blocks stay above the QR code.
func (d *doc) sigFits(y float64, blocks []sig) bool {
	bottom := d.PageBottom()
	if len(blocks) == 1 {
		_, ph := d.pdf.GetPageSize()
		bottom = ph - d.baseBottom - 1
	}
	return y+d.sigHeight(blocks...) <= bottom
}

// recipientsHeight is the height of the "Nơi nhận" block beside a signature.
func (d *doc) recipientsHeight() float64 {
	d.font("", d.body-2)
	return 3 + d.lineH + float64(len(d.Split(d.common("recipient_lines"), d.Width/2)))*(d.lineH-1)
}

// recipientsAndSign draws "Nơi nhận:" on the left and a signature block on
// the right, kept together on one page.
func (d *doc) recipientsAndSign(b sig) {
	p := d.pdf
	colW := d.Width / 2
	if p.GetY()+d.recipientsHeight() > d.PageBottom() || !d.sigFits(p.GetY(), []sig{b}) {
		p.AddPage()
	}
	y0 := p.GetY() + 3
	d.font("BI", d.body-1)
	p.SetXY(d.Left, y0)
	p.CellFormat(colW, d.lineH, d.clean(d.common("recipients")), "", 0, "L", false, 0, "")
	d.font("", d.body-2)
	y := y0 + d.lineH
	for _, l := range d.Split(d.common("recipient_lines"), colW) {
		p.SetXY(d.Left, y)
		p.CellFormat(colW, d.lineH-1, l, "", 0, "L", false, 0, "")
		y += d.lineH - 1
	}
	p.SetXY(d.Left, y0-3) // signatures adds its own 3 mm
	d.signatures(b)
	p.SetXY(d.Left, max(p.GetY(), y))
}

// signerCaption is the caption over a letter's signature: the signer's title,
// with "KT. {head}" above it when a deputy ("Phó …") signs for the head
// (Decree 30/2020, Appendix I, ký thay).
func (d *doc) signerCaption(title string) string {
	t := strings.ToUpper(strings.TrimSpace(d.clean(title)))
	if t == "" {
		return d.common("head_of_agency")
	}
	if head, ok := strings.CutPrefix(t, "PHÓ "); ok && head != "" {
		return fill(d.common("deputy_caption"), "head", head) + "\n" + t
	}
	return t
}
